/** The style an ANSI SGR sequence leaves in effect. */
export type AnsiStyle = { fg?: string; bg?: string; bold?: boolean; dim?: boolean; italic?: boolean; underline?: boolean };

/** A run of text in one style. */
export type AnsiSpan = { text: string; style: AnsiStyle };

// The 16 basic colours as Mantine palette colours (they follow the light/dark theme).
const BASIC = ['dark-6', 'red-6', 'green-6', 'yellow-6', 'blue-6', 'grape-6', 'cyan-6', 'gray-4'];
const BRIGHT = ['gray-6', 'red-4', 'green-4', 'yellow-4', 'blue-4', 'grape-4', 'cyan-4', 'gray-0'];

const paletteColor = (i: number, bright: boolean) => `var(--mantine-color-${(bright ? BRIGHT : BASIC)[i] ?? 'gray-5'})`;

/** xterm's 256-colour palette: 16 basic, a 6×6×6 cube, then 24 greys. */
function color256(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 0 || n > 255) return undefined;
  if (n < 8) return paletteColor(n, false);
  if (n < 16) return paletteColor(n - 8, true);
  if (n < 232) {
    const c = n - 16;
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    return `rgb(${level(Math.floor(c / 36))}, ${level(Math.floor(c / 6) % 6)}, ${level(c % 6)})`;
  }
  const g = 8 + (n - 232) * 10;
  return `rgb(${g}, ${g}, ${g})`;
}

/** Applies one SGR parameter list (`1;31`) to a style. */
function applySgr(style: AnsiStyle, params: number[]): AnsiStyle {
  let s: AnsiStyle = { ...style };
  if (params.length === 0) params = [0];
  for (let i = 0; i < params.length; i++) {
    const p = params[i] ?? 0;
    if (p === 0) s = {};
    else if (p === 1) s.bold = true;
    else if (p === 2) s.dim = true;
    else if (p === 3) s.italic = true;
    else if (p === 4) s.underline = true;
    else if (p === 22) {
      delete s.bold;
      delete s.dim;
    } else if (p === 23) delete s.italic;
    else if (p === 24) delete s.underline;
    else if (p >= 30 && p <= 37) s.fg = paletteColor(p - 30, false);
    else if (p >= 90 && p <= 97) s.fg = paletteColor(p - 90, true);
    else if (p === 39) delete s.fg;
    else if (p >= 40 && p <= 47) s.bg = paletteColor(p - 40, false);
    else if (p >= 100 && p <= 107) s.bg = paletteColor(p - 100, true);
    else if (p === 49) delete s.bg;
    else if (p === 38 || p === 48) {
      const key = p === 38 ? 'fg' : 'bg';
      let value: string | undefined;
      if (params[i + 1] === 5) {
        value = color256(params[i + 2] ?? -1);
        i += 2;
      } else if (params[i + 1] === 2) {
        const [r, g, b] = [params[i + 2] ?? 0, params[i + 3] ?? 0, params[i + 4] ?? 0];
        value = `rgb(${r}, ${g}, ${b})`;
        i += 4;
      }
      if (value) s[key] = value;
    }
  }
  return s;
}

// CSI sequences (ESC [ params final), OSC sequences (ESC ] … BEL or ESC \) and lone two-byte escapes.
// eslint-disable-next-line no-control-regex
const ESCAPE = /\x1b\[([0-9;?]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/**
 * Splits text with ANSI escape codes into styled spans: SGR (colours, bold, …) sets the style,
 * every other escape sequence is dropped. `initial` is the style in effect at the start (the
 * returned `style` is the one at the end, to carry across lines).
 */
export function parseAnsi(text: string, initial: AnsiStyle = {}): { spans: AnsiSpan[]; style: AnsiStyle } {
  const spans: AnsiSpan[] = [];
  let style = initial;
  let last = 0;
  const push = (s: string) => {
    if (!s) return;
    const prev = spans[spans.length - 1];
    if (prev && prev.style === style) prev.text += s;
    else spans.push({ text: s, style });
  };
  ESCAPE.lastIndex = 0;
  for (let m = ESCAPE.exec(text); m !== null; m = ESCAPE.exec(text)) {
    push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[2] === 'm' && !m[1]?.startsWith('?')) {
      const params = (m[1] ?? '').split(';').filter((x) => x !== '').map(Number);
      style = applySgr(style, params.some(Number.isNaN) ? [] : params);
    }
  }
  push(text.slice(last));
  return { spans, style };
}

/** The text without any escape sequences. */
export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ESCAPE, '') : text;
}

/** Inline CSS for a span's style. */
export function ansiCss(style: AnsiStyle): Record<string, string> | undefined {
  if (!style.fg && !style.bg && !style.bold && !style.dim && !style.italic && !style.underline) return undefined;
  const css: Record<string, string> = {};
  if (style.fg) css.color = style.fg;
  if (style.bg) css.backgroundColor = style.bg;
  if (style.bold) css.fontWeight = '700';
  if (style.dim) css.opacity = '0.7';
  if (style.italic) css.fontStyle = 'italic';
  if (style.underline) css.textDecoration = 'underline';
  return css;
}
