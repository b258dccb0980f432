import { describe, expect, it } from 'vitest';
import type { RuleHints } from '@/api/types';
import { suggest } from './autocomplete';

const hints: RuleHints = {
  fields: ['name', 'address', 'port', 'os', 'environment', 'status', 'description', 'tags.<key>'],
  operators: ['==', '!='],
  tags: [
    { key: 'role', values: ['web', 'db'] },
    { key: 'region', values: ['eu-west'] },
  ],
  groups: ['web', 'databases'],
};

/** Suggestions with the caret at `|`. */
function at(textWithCaret: string) {
  const caret = textWithCaret.indexOf('|');
  const text = textWithCaret.replace('|', '');
  return { ...suggest(text, caret, hints), text };
}
const labels = (textWithCaret: string) => at(textWithCaret).items.map((s) => s.label);

describe('rule autocomplete', () => {
  it('suggests tag keys after tags.', () => {
    expect(labels('tags.|')).toEqual(['tags.role', 'tags.region']);
    expect(labels('environment == "x" AND tags.reg|')).toEqual(['tags.region']);
    const c = at('tags.ro|');
    expect(c.text.slice(0, c.from) + (c.items[0]?.insert ?? '')).toBe('tags.role');
  });

  it("suggests the tag's values after an operator, inside an open string too", () => {
    expect(labels('tags.role == |')).toEqual(['web', 'db']);
    expect(labels('tags.role != "d|')).toEqual(['db']);
    const c = at('tags.role == "w|');
    expect(c.items[0]?.insert).toBe('"web"');
    expect(c.from).toBe(13);
    expect(labels('tags.role in ["web", |')).toEqual(['web', 'db']);
    expect(labels('status == |')).toEqual(['online', 'offline', 'unknown']);
  });

  it('suggests group names after in_group(', () => {
    expect(labels('in_group(|')).toEqual(['web', 'databases']);
    expect(labels('NOT in_group("da|')).toEqual(['databases']);
    expect(at('in_group(|').items[0]?.insert).toBe('"web")');
  });

  it('suggests fields at the start of a condition, operators after a field, AND/OR after a value', () => {
    expect(labels('|')).toContain('environment');
    expect(labels('|')).toContain('tags.role');
    expect(labels('env|')).toEqual(['environment']);
    expect(labels('port |')).toEqual(expect.arrayContaining(['==', '<', 'in […]', 'exists']));
    expect(labels('port == 22 |')).toEqual(['AND', 'OR']);
    expect(labels('port == 22 o|')).toEqual(['OR']);
    expect(labels('name == "a" AND (|')).toContain('name');
  });
});
