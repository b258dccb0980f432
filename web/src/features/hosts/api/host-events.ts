import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { HostStatusUpdate } from '@/api/types';
import { authFetch } from '@/lib/auth/auth-fetch';
import { API_BASE } from '@/lib/auth/session-store';
import { applyStatusUpdate } from '../lib/cache';
import { backoffDelay, SseParser } from '@/lib/sse';
import { hostKeys } from './keys';

/** Lists are re-read (for facet counts) at most this often while results stream in. */
export const LIST_REFRESH_MS = 2000;

type Options = {
  signal: AbortSignal;
  onUpdate: (u: HostStatusUpdate) => void;
  /** Called once the stream is open (after a reconnect too). */
  onOpen?: () => void;
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
 * Reads `GET /hosts/events` until aborted. EventSource cannot send the bearer header, so this
 * is fetch + a stream reader + {@link SseParser}; a dropped or failed stream reconnects with back-off.
 */
export async function streamHostEvents({ signal, onUpdate, onOpen, sleep }: Options): Promise<void> {
  let attempt = 0;
  while (!signal.aborted) {
    const parser = new SseParser();
    try {
      const res = await authFetch(`${API_BASE}/hosts/events`, { signal, headers: { Accept: 'text/event-stream' }, cache: 'no-store' });
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      onOpen?.();
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        attempt = 0;
        for (const event of parser.push(decoder.decode(value, { stream: true }))) {
          if (event.event !== 'host.status') continue;
          try {
            onUpdate(JSON.parse(event.data) as HostStatusUpdate);
          } catch {
            // a malformed event is skipped; the next one may be fine
          }
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    if (signal.aborted) return;
    const delay = parser.retry ?? backoffDelay(attempt);
    attempt += 1;
    await (sleep ? sleep(delay) : defaultSleep(delay, signal));
  }
}

/** Throttles list invalidation: at most one per {@link LIST_REFRESH_MS}, trailing. */
function listRefresher(client: QueryClient) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const histories = new Set<string>();
  return {
    schedule(u: HostStatusUpdate) {
      if (u.previous && u.previous !== u.status) histories.add(u.host_id);
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        void client.invalidateQueries({ queryKey: hostKeys.lists() });
        for (const id of histories) void client.invalidateQueries({ queryKey: hostKeys.histories(id) });
        histories.clear();
      }, LIST_REFRESH_MS);
    },
    cancel() {
      clearTimeout(timer);
    },
  };
}

/**
 * Subscribes to live check results while mounted: patches cached lists and details in place so
 * badges change at once, and re-reads the lists (facets) at most every two seconds.
 */
export function useHostEvents(onUpdate?: (u: HostStatusUpdate) => void) {
  const client = useQueryClient();
  const callback = useRef(onUpdate);
  useEffect(() => {
    callback.current = onUpdate;
  }, [onUpdate]);

  useEffect(() => {
    const controller = new AbortController();
    const refresher = listRefresher(client);
    void streamHostEvents({
      signal: controller.signal,
      onUpdate: (u) => {
        applyStatusUpdate(client, u);
        refresher.schedule(u);
        callback.current?.(u);
      },
    });
    return () => {
      controller.abort();
      refresher.cancel();
    };
  }, [client]);
}
