import type { RuleHints } from '@/api/types';
import { COMPARISON_OPERATORS, RULE_FIELDS, tokenize, type Token } from './tokenizer';

export type SuggestionKind = 'field' | 'tag' | 'operator' | 'keyword' | 'value' | 'group';
export type Suggestion = { label: string; insert: string; kind: SuggestionKind };
/** Replace text[from, to) with a suggestion's `insert`. */
export type Completion = { from: number; to: number; items: Suggestion[] };

const STATUS_VALUES = ['online', 'offline', 'unknown'];
const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

function fieldSuggestions(hints: RuleHints | undefined): Suggestion[] {
  const fields: Suggestion[] = RULE_FIELDS.map((f) => ({ label: f, insert: f, kind: 'field' }));
  const tags: Suggestion[] = (hints?.tags ?? []).map((tg) => ({ label: `tags.${tg.key}`, insert: `tags.${tg.key}`, kind: 'tag' }));
  return [
    ...fields,
    ...tags,
    { label: 'tags.', insert: 'tags.', kind: 'tag' },
    { label: 'in_group(…)', insert: 'in_group("', kind: 'keyword' },
    { label: 'NOT', insert: 'NOT ', kind: 'keyword' },
  ];
}

function valuesFor(field: string, hints: RuleHints | undefined): string[] {
  if (field.startsWith('tags.')) return hints?.tags.find((tg) => tg.key === field.slice(5))?.values ?? [];
  if (field === 'status') return STATUS_VALUES;
  return [];
}

/** The field a value position belongs to: `field op ▮`, `field in [▮` or `field in ["a", ▮`. */
function fieldBeforeValue(sig: Token[]): string | null {
  let i = sig.length - 1;
  const last = sig[i];
  if (!last) return null;
  if (last.type === 'operator') return sig[i - 1]?.type === 'field' ? (sig[i - 1]?.text ?? null) : null;
  if (last.text === '[' || last.text === ',') {
    // walk back over the list to `field in [`
    while (i >= 0 && sig[i]?.text !== '[') i--;
    const kw = sig[i - 1];
    const field = sig[i - 2];
    if (kw?.type === 'keyword' && kw.text.toLowerCase() === 'in' && field?.type === 'field') return field.text;
  }
  return null;
}

/**
 * What can be typed at `caret`: fields and `tags.<key>` at the start of a condition, operators
 * after a field, the tag's known values after an operator, group names inside `in_group(`, and
 * AND/OR after a complete condition. Matches are filtered by the word (or open string) being typed.
 */
export function suggest(text: string, caret: number, hints: RuleHints | undefined): Completion {
  const tokens = tokenize(text.slice(0, caret));
  let last = tokens.at(-1);
  // The partial word or open string under the caret is what gets replaced.
  let from = caret;
  let prefix = '';
  let inString = false;
  if (last && last.end === caret && (last.type === 'string' ? !last.closed : ['field', 'ident', 'keyword', 'function', 'number', 'operator'].includes(last.type))) {
    if (last.type === 'string') {
      inString = true;
      prefix = last.text.slice(1);
    } else if (last.type === 'operator' && !/^[a-z_]+$/.test(last.text)) {
      // a symbolic operator just typed is complete, not a prefix
      prefix = '';
    } else prefix = last.text;
    if (prefix || inString) {
      from = last.start;
      tokens.pop();
      last = tokens.at(-1);
    }
  }
  const sig = tokens.filter((tk) => tk.type !== 'space');
  const prev = sig.at(-1);
  const prev2 = sig.at(-2);
  const lowerPrefix = prefix.toLowerCase();
  const done = (items: Suggestion[]): Completion => ({
    from,
    to: caret,
    items: items.filter((s) => s.label.toLowerCase().startsWith(lowerPrefix) && s.insert !== (inString ? `"${prefix}` : prefix)),
  });

  // in_group("▮
  if (prev?.text === '(' && prev2?.type === 'function') {
    return done((hints?.groups ?? []).map((g) => ({ label: g, insert: `${quote(g)})`, kind: 'group' })));
  }
  // tags.▮ → keys
  if (!inString && prefix.startsWith('tags.')) {
    return done((hints?.tags ?? []).map((tg) => ({ label: `tags.${tg.key}`, insert: `tags.${tg.key}`, kind: 'tag' })));
  }
  const valueField = sig.length ? fieldBeforeValue(sig) : null;
  if (valueField !== null) {
    return done(valuesFor(valueField, hints).map((v) => ({ label: v, insert: quote(v), kind: 'value' })));
  }
  if (inString) return done([]);
  if (prev?.type === 'field') {
    return done([
      ...COMPARISON_OPERATORS.map((op): Suggestion => ({ label: op, insert: `${op} `, kind: 'operator' })),
      { label: 'in […]', insert: 'in [', kind: 'operator' },
      { label: 'exists', insert: 'exists', kind: 'operator' },
    ]);
  }
  const afterValue =
    prev &&
    (prev.type === 'string' || prev.type === 'number' || prev.text === ']' || prev.text === ')' || (prev.type === 'keyword' && prev.text.toLowerCase() === 'exists'));
  if (afterValue) {
    return done([
      { label: 'AND', insert: 'AND ', kind: 'keyword' },
      { label: 'OR', insert: 'OR ', kind: 'keyword' },
    ]);
  }
  const conditionStart = !prev || prev.text === '(' || (prev.type === 'keyword' && ['and', 'or', 'not'].includes(prev.text.toLowerCase()));
  if (conditionStart) return done(fieldSuggestions(hints));
  return { from, to: caret, items: [] };
}
