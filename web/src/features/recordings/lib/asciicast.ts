// asciicast v2: a JSON header line, then one `[seconds, code, data]` array per line.
// Only output ("o") and resize ("r", data "COLSxROWS") events matter for playback.

export type AsciicastEvent = { time: number; type: 'o'; data: string } | { time: number; type: 'r'; cols: number; rows: number };

export interface Asciicast {
  width: number;
  height: number;
  events: AsciicastEvent[];
  /** Time of the last event, in seconds. */
  duration: number;
}

const DEFAULT_SIZE = { width: 80, height: 24 };

function positiveInt(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}

function parseEvent(line: string): AsciicastEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length < 3) return null;
  const [time, code, data] = value as unknown[];
  if (typeof time !== 'number' || !Number.isFinite(time) || time < 0 || typeof data !== 'string') return null;
  if (code === 'o') return { time, type: 'o', data };
  if (code === 'r') {
    const m = /^(\d+)x(\d+)$/.exec(data.trim());
    if (!m) return null;
    const cols = Number(m[1]);
    const rows = Number(m[2]);
    return cols > 0 && rows > 0 ? { time, type: 'r', cols, rows } : null;
  }
  return null;
}

/** Parses an asciicast v2 recording; malformed or unknown lines are skipped. */
export function parseAsciicast(text: string): Asciicast {
  const lines = text.split(/\r?\n/);
  let size = DEFAULT_SIZE;
  let start = 0;
  const first = lines[0]?.trim() ?? '';
  if (first.startsWith('{')) {
    start = 1;
    try {
      const header: unknown = JSON.parse(first);
      if (typeof header === 'object' && header !== null) {
        const h = header as Record<string, unknown>;
        size = { width: positiveInt(h.width, DEFAULT_SIZE.width), height: positiveInt(h.height, DEFAULT_SIZE.height) };
      }
    } catch {
      // keep the default size
    }
  }
  const events: AsciicastEvent[] = [];
  for (const line of lines.slice(start)) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const event = parseEvent(trimmed);
    if (event) events.push(event);
  }
  // Times should already be ascending; sort (stably) so seeking can rely on it.
  events.sort((a, b) => a.time - b.time);
  return { ...size, events, duration: events.length ? (events[events.length - 1]?.time ?? 0) : 0 };
}

/** Index of the first event after `t` (events sorted by time). */
export function eventIndexAfter(events: readonly AsciicastEvent[], t: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((events[mid]?.time ?? 0) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The screen state at `t`: all output up to and including `t`, and the last size set by then (if any). */
export function framesUntil(events: readonly AsciicastEvent[], t: number): { output: string; size: { cols: number; rows: number } | null } {
  const end = eventIndexAfter(events, t);
  let output = '';
  let size: { cols: number; rows: number } | null = null;
  for (let i = 0; i < end; i++) {
    const e = events[i];
    if (!e) continue;
    if (e.type === 'o') output += e.data;
    else size = { cols: e.cols, rows: e.rows };
  }
  return { output, size };
}

/** The seek slider's resolution, in seconds. */
export const SEEK_STEP = 0.1;

/** The seek slider's upper end: the recording's duration (never 0, so the slider has a range). */
export function seekMax(duration: number): number {
  return Math.max(duration, SEEK_STEP);
}

/**
 * The time to seek to for a slider position. The slider rounds positions to its step, so the far
 * end of the track can land up to half a step short of the duration (4.1 of 4.14 s) and leave the
 * last frames unplayed: a position within half a step of the end means the end.
 */
export function seekTarget(position: number, duration: number): number {
  return position >= seekMax(duration) - SEEK_STEP / 2 ? duration : Math.min(Math.max(0, position), duration);
}

/** `m:ss` or `h:mm:ss`. */
export function formatClock(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Seconds between two timestamps, or null while the recording is still open. */
export function durationSeconds(startedAt: string, endedAt: string | null | undefined): number | null {
  if (!endedAt) return null;
  const ms = Date.parse(endedAt) - Date.parse(startedAt);
  return Number.isFinite(ms) ? Math.max(0, ms / 1000) : null;
}
