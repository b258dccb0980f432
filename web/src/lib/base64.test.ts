import { describe, expect, it } from 'vitest';
import { base64DecodedLength, base64ToBytes, bytesToBase64 } from './base64';

describe('base64', () => {
  it('round-trips binary content', () => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
    const encoded = bytesToBase64(bytes);
    expect(base64ToBytes(encoded)).toEqual(bytes);
    expect(base64DecodedLength(encoded)).toBe(bytes.length);
  });
  it('knows the decoded size from the padding', () => {
    expect(bytesToBase64(new TextEncoder().encode('ab'))).toBe('YWI=');
    expect(base64DecodedLength('YWI=')).toBe(2);
    expect(base64DecodedLength('YQ==')).toBe(1);
    expect(base64DecodedLength('YWJj')).toBe(3);
    expect(base64DecodedLength('')).toBe(0);
  });
});
