/** Every log line is this tall, so the visible window is plain arithmetic (no measuring). */
export const LOG_LINE_HEIGHT = 18;
export const LOG_VIEW_HEIGHT = 520;
const OVERSCAN = 30;

/** The lines to render for a scroll position: those in view plus a margin either side. */
export function visibleRange(scrollTop: number, total: number, viewHeight = LOG_VIEW_HEIGHT): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / LOG_LINE_HEIGHT) - OVERSCAN);
  const last = Math.min(total, Math.ceil((scrollTop + viewHeight) / LOG_LINE_HEIGHT) + OVERSCAN);
  return { first, last };
}
