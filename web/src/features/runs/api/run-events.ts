import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { OutputChunk, Run, RunDetail, RunHost } from '@/api/types';
import { authFetch } from '@/lib/auth/auth-fetch';
import { API_BASE } from '@/lib/auth/session-store';
import { backoffDelay, SseParser } from '@/lib/sse';
import { OutputBuffer } from '../lib/output';
import { runKeys } from './keys';

export type RunStreamHandlers = {
  onOutput: (chunk: OutputChunk) => void;
  onHost: (host: RunHost) => void;
  /** The final run; the stream ends after it. */
  onRun: (run: Run) => void;
};

type Options = RunStreamHandlers & {
  id: string;
  signal: AbortSignal;
  /** The last `seq` seen, read on every (re)connect so a resumed stream has no gaps or repeats. */
  after: () => number;
  sleep?: (ms: number) => Promise<void>;
};

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Reads `GET /runs/{id}/events` until the final `run` event or until aborted (fetch + stream
 * reader, since EventSource cannot send the bearer header). A dropped stream reconnects with
 * back-off, resuming with `?after=` the last sequence number seen.
 */
export async function streamRunEvents({ id, signal, after, onOutput, onHost, onRun, sleep }: Options): Promise<void> {
  let attempt = 0;
  while (!signal.aborted) {
    const parser = new SseParser();
    let finished = false;
    try {
      const url = `${API_BASE}/runs/${encodeURIComponent(id)}/events?after=${after()}`;
      const res = await authFetch(url, { signal, headers: { Accept: 'text/event-stream' }, cache: 'no-store' });
      if (res.status === 404) return;
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        attempt = 0;
        for (const event of parser.push(decoder.decode(value, { stream: true }))) {
          let data: unknown;
          try {
            data = JSON.parse(event.data);
          } catch {
            continue; // a malformed event is skipped
          }
          if (event.event === 'output') onOutput(data as OutputChunk);
          else if (event.event === 'host') onHost(data as RunHost);
          else if (event.event === 'run') {
            finished = true;
            onRun(data as Run);
          }
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    if (finished || signal.aborted) return;
    const delay = parser.retry ?? backoffDelay(attempt);
    attempt += 1;
    await (sleep ? sleep(delay) : defaultSleep(delay, signal));
  }
}

export type RunLive = {
  /** Host states by id, in the order first seen. */
  hosts: RunHost[];
  /** The final run once the stream says so. */
  final: Run | null;
  output: OutputBuffer;
  /** Bumped when `output` changes (at most once per animation frame). */
  outputVersion: number;
};

/**
 * Follows a run while mounted: host states and output arrive live; when the run ends the detail,
 * lists and task events are re-read. Output updates are batched per animation frame so long outputs stay smooth.
 */
export function useRunStream(id: string, initial: RunDetail | undefined, cap?: number): RunLive {
  const client = useQueryClient();
  const [hosts, setHosts] = useState<Map<string, RunHost>>(new Map());
  const [final, setFinal] = useState<Run | null>(null);
  const [outputVersion, setOutputVersion] = useState(0);
  // Mutated by the stream (outside render); `outputVersion` tells React when it changed.
  const [buffer] = useState(() => new OutputBuffer(cap));
  const ready = initial !== undefined;

  useEffect(() => {
    if (!ready) return;
    const controller = new AbortController();
    let frame: number | null = null;
    const flush = () => {
      frame = null;
      setOutputVersion(buffer.version);
    };
    void streamRunEvents({
      id,
      signal: controller.signal,
      after: () => buffer.lastSeq,
      onOutput: (chunk) => {
        if (buffer.push(chunk) && frame === null) frame = requestAnimationFrame(flush);
      },
      onHost: (h) => setHosts((prev) => new Map(prev).set(h.host_id, h)),
      onRun: (run) => {
        setFinal(run);
        void client.invalidateQueries({ queryKey: runKeys.detail(id) });
        void client.invalidateQueries({ queryKey: runKeys.lists() });
        // A playbook's last task events land just before the end, after the timeline's last poll.
        void client.invalidateQueries({ queryKey: runKeys.tasks(id) });
      },
    });
    return () => {
      controller.abort();
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [id, ready, client, buffer]);

  const merged = new Map<string, RunHost>();
  for (const h of initial?.hosts ?? []) merged.set(h.host_id, h);
  for (const [hid, h] of hosts) merged.set(hid, h);
  return { hosts: [...merged.values()], final, output: buffer, outputVersion };
}
