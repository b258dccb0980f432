const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '!#%+-.:=?@^_~';

function randomIndex(max: number): number {
  // Rejection sampling keeps every character equally likely.
  const limit = Math.floor(0x1_0000_0000 / max) * max;
  const buf = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buf);
    const n = buf[0] ?? 0;
    if (n < limit) return n % max;
  }
}

/**
 * A strong random password from crypto.getRandomValues: with symbols it contains at least one
 * character of each class; without (tokens), letters and digits only.
 */
export function generatePassword(length = 24, symbols = true): string {
  const classes = symbols ? [LOWER, UPPER, DIGITS, SYMBOLS] : [LOWER, UPPER, DIGITS];
  const alphabet = classes.join('');
  for (;;) {
    const out = Array.from({ length }, () => alphabet.charAt(randomIndex(alphabet.length))).join('');
    if (length < classes.length || classes.every((c) => [...out].some((ch) => c.includes(ch)))) return out;
  }
}
