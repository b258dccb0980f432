import { describe, expect, it } from 'vitest';
import { lineColumnOf, offsetOf, tokenize } from './tokenizer';

const kinds = (text: string) => tokenize(text).filter((t) => t.type !== 'space').map((t) => [t.type, t.text]);

describe('rule tokenizer', () => {
  it('classifies keywords, fields, operators, strings, numbers and punctuation', () => {
    expect(kinds('environment == "prod" and (tags.env in ["a", "b\\"c"] OR port >= 22) AND NOT tags.owner exists')).toEqual([
      ['field', 'environment'],
      ['operator', '=='],
      ['string', '"prod"'],
      ['keyword', 'and'],
      ['punct', '('],
      ['field', 'tags.env'],
      ['keyword', 'in'],
      ['punct', '['],
      ['string', '"a"'],
      ['punct', ','],
      ['string', '"b\\"c"'],
      ['punct', ']'],
      ['keyword', 'OR'],
      ['field', 'port'],
      ['operator', '>='],
      ['number', '22'],
      ['punct', ')'],
      ['keyword', 'AND'],
      ['keyword', 'NOT'],
      ['field', 'tags.owner'],
      ['keyword', 'exists'],
    ]);
  });

  it('knows word operators, in_group and unknown words', () => {
    expect(kinds('name contains "x" or in_group("web") or foo starts_with "y" or name =~ "^a"')).toEqual([
      ['field', 'name'],
      ['operator', 'contains'],
      ['string', '"x"'],
      ['keyword', 'or'],
      ['function', 'in_group'],
      ['punct', '('],
      ['string', '"web"'],
      ['punct', ')'],
      ['keyword', 'or'],
      ['ident', 'foo'],
      ['operator', 'starts_with'],
      ['string', '"y"'],
      ['keyword', 'or'],
      ['field', 'name'],
      ['operator', '=~'],
      ['string', '"^a"'],
    ]);
  });

  it('never fails: an open string and stray characters become tokens covering all the text', () => {
    const text = 'name == "unterminated & = ';
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.text).join('')).toBe(text);
    expect(tokens.at(-1)).toMatchObject({ type: 'string', closed: false });
    expect(tokenize('a & b').map((t) => t.type)).toEqual(['ident', 'space', 'error', 'space', 'ident']);
  });

  it('converts between line/column and offsets', () => {
    const text = 'a == "b"\nAND c ==';
    expect(offsetOf(text, 2, 5)).toBe(13);
    expect(text[offsetOf(text, 2, 5)]).toBe('c');
    expect(offsetOf(text, 9, 1)).toBe(text.length);
    expect(lineColumnOf(text, 13)).toEqual({ line: 2, column: 5 });
  });
});
