/**
 * A forgiving tokenizer for the rule language, used for highlighting and autocomplete only:
 * the server's parser is the authority (its errors come back from the preview).
 * Unlike a parser it never fails; text it cannot read becomes `error` tokens.
 */
export type TokenType =
  | 'keyword' // AND OR NOT in exists
  | 'function' // in_group
  | 'field' // name, address, …, tags.<key>
  | 'ident' // any other word
  | 'operator' // == != =~ < <= > >= contains starts_with
  | 'string'
  | 'number'
  | 'punct' // ( ) [ ] ,
  | 'space'
  | 'error';

export type Token = { type: TokenType; text: string; start: number; end: number; /** Strings: false while the closing quote is missing. */ closed?: boolean };

export const RULE_FIELDS = ['name', 'address', 'port', 'os', 'environment', 'status', 'description'] as const;
export const COMPARISON_OPERATORS = ['==', '!=', '=~', 'contains', 'starts_with', '<', '<=', '>', '>='] as const;
export const LOGIC_KEYWORDS = ['AND', 'OR', 'NOT'] as const;
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'exists']);
const WORD_OPERATORS = new Set(['contains', 'starts_with']);
const FIELDS = new Set<string>(RULE_FIELDS);

export function isField(word: string): boolean {
  return FIELDS.has(word) || /^tags\.[A-Za-z0-9._-]*$/.test(word);
}

function classifyWord(word: string): TokenType {
  const lower = word.toLowerCase();
  if (KEYWORDS.has(lower)) return 'keyword';
  if (WORD_OPERATORS.has(word)) return 'operator';
  if (word === 'in_group') return 'function';
  if (/^-?\d+(\.\d+)?$/.test(word)) return 'number';
  if (isField(word)) return 'field';
  return 'ident';
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (type: TokenType, start: number, end: number, closed?: boolean) =>
    tokens.push({ type, text: text.slice(start, end), start, end, ...(closed === undefined ? {} : { closed }) });
  while (i < text.length) {
    const c = text[i] ?? '';
    const start = i;
    if (/\s/.test(c)) {
      while (i < text.length && /\s/.test(text[i] ?? '')) i++;
      push('space', start, i);
    } else if (c === '"') {
      i++;
      let closed = false;
      while (i < text.length) {
        const d = text[i];
        if (d === '\\') i += 2;
        else if (d === '"') {
          i++;
          closed = true;
          break;
        } else if (d === '\n') break;
        else i++;
      }
      i = Math.min(i, text.length);
      push('string', start, i, closed);
    } else if ('()[],'.includes(c)) {
      i++;
      push('punct', start, i);
    } else if ('=!<>'.includes(c)) {
      const two = text.slice(i, i + 2);
      if (['==', '!=', '=~', '<=', '>='].includes(two)) i += 2;
      else if (c === '<' || c === '>') i += 1;
      else {
        i += 1;
        push('error', start, i);
        continue;
      }
      push('operator', start, i);
    } else if (/[A-Za-z0-9_.-]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_.-]/.test(text[i] ?? '')) i++;
      push(classifyWord(text.slice(start, i)), start, i);
    } else {
      i++;
      push('error', start, i);
    }
  }
  return tokens;
}

/** 0-based offset of a 1-based line/column (columns count characters), clamped to the text. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}

/** 1-based line and column of an offset (for showing where the caret is). */
export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
