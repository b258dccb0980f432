import type { OutputChunk } from '@/api/types';

export type OutputStream = 'out' | 'err' | 'sys';

/** One line of a run's output; `key` is stable for React and increases in arrival order. */
export type OutputLine = { key: number; hostId: string | null; stream: OutputStream; text: string };

/** Lines kept in memory per run; the oldest are dropped beyond this (and counted). */
export const MAX_KEPT_LINES = 20_000;
/** Lines rendered at once: the newest of the current view. */
export const MAX_RENDERED_LINES = 2_000;

function asStream(s: string): OutputStream {
  return s === 'err' || s === 'sys' ? s : 'out';
}

/**
 * Turns output chunks (which split anywhere) into lines, per host and stream: a chunk without a
 * trailing newline leaves its last line open, and the next chunk of the same host and stream
 * continues it. Chunks at or below the last seen `seq` are ignored, so a resumed stream that
 * repeats some never duplicates lines. Keeps at most `cap` lines, dropping the oldest.
 */
export class OutputBuffer {
  private all: OutputLine[] = [];
  private open = new Map<string, OutputLine>();
  private nextKey = 0;
  /** The highest `seq` seen: resume the stream after it. */
  lastSeq = 0;
  /** Lines dropped from the front to stay within the cap. */
  dropped = 0;
  /** Bumped on every change (for memoised views). */
  version = 0;

  constructor(private readonly cap = MAX_KEPT_LINES) {}

  get lines(): readonly OutputLine[] {
    return this.all;
  }

  /** Adds a chunk; returns false for one already seen. */
  push(chunk: OutputChunk): boolean {
    if (chunk.seq <= this.lastSeq) return false;
    this.lastSeq = chunk.seq;
    const hostId = chunk.host_id ?? null;
    const stream = asStream(chunk.stream);
    const slot = `${hostId ?? ''}|${stream}`;
    const parts = chunk.data.replace(/\r\n/g, '\n').split('\n');
    parts.forEach((raw, i) => {
      const text = raw.replace(/\r$/, '');
      const last = i === parts.length - 1;
      const open = i === 0 ? this.open.get(slot) : undefined;
      if (last && text === '' && parts.length > 1) {
        // The chunk ended with a newline: nothing stays open.
        this.open.delete(slot);
        return;
      }
      if (open) {
        open.text += text;
      } else {
        const line: OutputLine = { key: this.nextKey++, hostId, stream, text };
        this.all.push(line);
        if (last) this.open.set(slot, line);
      }
      if (!last) this.open.delete(slot);
    });
    // sys messages are whole lines even without a trailing newline.
    if (stream === 'sys') this.open.delete(slot);
    if (this.all.length > this.cap) {
      const extra = this.all.length - this.cap;
      this.all.splice(0, extra);
      this.dropped += extra;
    }
    this.version++;
    return true;
  }
}

/** The lines of one host (or all of them), at most `limit` of the newest, and how many were left out. */
export function visibleLines(lines: readonly OutputLine[], hostId: string | null, limit = MAX_RENDERED_LINES): { lines: OutputLine[]; hidden: number } {
  const matching = hostId === null ? lines : lines.filter((l) => l.hostId === hostId);
  const hidden = Math.max(0, matching.length - limit);
  return { lines: matching.slice(hidden), hidden };
}

/** The prefix of a merged line: the host name padded to the widest name, or `*` for the run's own messages. */
export function linePrefix(line: OutputLine, names: ReadonlyMap<string, string>, width: number): string {
  const name = line.hostId === null ? '*' : (names.get(line.hostId) ?? line.hostId.slice(0, 8));
  return `${name.padEnd(width)} | `;
}

export function prefixWidth(names: ReadonlyMap<string, string>): number {
  let width = 1;
  for (const n of names.values()) width = Math.max(width, n.length);
  return Math.min(width, 32);
}

/** The merged view as plain text (for copying): every line prefixed with its host. */
export function mergedText(lines: readonly OutputLine[], names: ReadonlyMap<string, string>): string {
  const width = prefixWidth(names);
  return lines.map((l) => linePrefix(l, names, width) + l.text).join('\n');
}
