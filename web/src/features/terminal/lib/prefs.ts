const KEY = 'itmgr.terminal.fontSize';
export const FONT_SIZE_DEFAULT = 14;
export const FONT_SIZE_MIN = 8;
export const FONT_SIZE_MAX = 32;

export function clampFontSize(size: number): number {
  return Math.min(FONT_SIZE_MAX, Math.max(FONT_SIZE_MIN, Math.round(size)));
}

/** The terminal font size the user chose last (shared by all terminals). */
export function loadFontSize(): number {
  try {
    const v = Number(window.localStorage.getItem(KEY));
    return v ? clampFontSize(v) : FONT_SIZE_DEFAULT;
  } catch {
    return FONT_SIZE_DEFAULT;
  }
}

export function saveFontSize(size: number): void {
  try {
    window.localStorage.setItem(KEY, String(clampFontSize(size)));
  } catch {
    // storage unavailable: the size lasts for this page only
  }
}

const RENDERER_KEY = 'itmgr.terminal.renderer';

/** WebGL unless the user chose xterm's DOM renderer (for GPUs that draw it badly). */
export function preferredRenderer(): 'webgl' | 'dom' {
  try {
    return window.localStorage.getItem(RENDERER_KEY) === 'dom' ? 'dom' : 'webgl';
  } catch {
    return 'webgl';
  }
}
