import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Route, Routes } from 'react-router';
import type { RunDetail, RunHost } from '@/api/types';
import { json } from '@/testing/fixtures';
import { renderWithProviders } from '@/testing/render';
import { resetAuthForTests, signInForTests } from '@/testing/session';
import { RunPage } from './run-page';

const ID = '11111111-2222-3333-4444-555555555555';

function eventStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const encoder = new TextEncoder();
  return {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    push: (text: string) => controller.enqueue(encoder.encode(text)),
    close: () => controller.close(),
  };
}

const host = (patch: Partial<RunHost>): RunHost => ({ host_id: 'h1', host_name: 'web-01', address: '10.0.0.1', port: 22, status: 'pending', output_bytes: 0, ...patch });

function detail(patch: Partial<RunDetail> = {}): RunDetail {
  return {
    id: ID,
    kind: 'command',
    status: 'running',
    trigger: 'user',
    created_by_name: 'admin',
    title: 'uptime',
    target: {},
    parameters: {},
    summary: { total: 2, pending: 2, running: 0, succeeded: 0, failed: 0, unreachable: 0, timed_out: 0, canceled: 0, skipped: 0 },
    queued_at: '2025-01-01T00:00:00Z',
    started_at: '2025-01-01T00:00:01Z',
    hosts: [host({}), host({ host_id: 'h2', host_name: 'db-01' })],
    ...patch,
  };
}

function nth<T>(list: T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`no item ${i}`);
  return item;
}

const sse = (event: string, data: unknown, id?: number) => `event: ${event}\n${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`;

describe('RunPage', () => {
  beforeEach(() => {
    signInForTests(['runs:read', 'runs:execute']);
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => setTimeout(() => cb(0), 0) as unknown as number);
    vi.stubGlobal('cancelAnimationFrame', (id: number) => clearTimeout(id));
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  it('streams host states and output live, then shows the final state and re-run buttons', async () => {
    const streams: ReturnType<typeof eventStream>[] = [];
    const urls: URL[] = [];
    let finished = false;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: Request | string) => {
        const url = new URL(typeof input === 'string' ? input : input.url, 'http://localhost');
        urls.push(url);
        if (url.pathname === `/api/v1/runs/${ID}/events`) {
          const s = eventStream();
          streams.push(s);
          return s.response;
        }
        if (url.pathname === `/api/v1/runs/${ID}`)
          return json(
            200,
            finished
              ? detail({ status: 'failed', finished_at: '2025-01-01T00:00:03Z', duration_ms: 2000, hosts: [host({ status: 'succeeded', exit_code: 0 }), host({ host_id: 'h2', host_name: 'db-01', status: 'failed', exit_code: 2 })] })
              : detail(),
          );
        return json(404, { code: 'not_found', message: 'not found' });
      }),
    );
    renderWithProviders(
      <Routes>
        <Route path="/runs/:id" element={<RunPage />} />
      </Routes>,
      { route: `/runs/${ID}` },
    );
    expect(await screen.findByTestId('run-title')).toHaveTextContent('uptime');
    expect(screen.getByTestId('run-cancel')).toBeInTheDocument();
    await waitFor(() => expect(streams).toHaveLength(1));
    expect(urls.find((u) => u.pathname.endsWith('/events'))?.searchParams.get('after')).toBe('0');

    await act(async () => {
      nth(streams, 0).push(sse('host', host({ status: 'running' })));
      nth(streams, 0).push(sse('output', { seq: 1, host_id: 'h1', stream: 'out', data: 'up 3 ', at: '' }, 1));
      nth(streams, 0).push(sse('output', { seq: 2, host_id: 'h2', stream: 'err', data: 'boom\n', at: '' }, 2));
      nth(streams, 0).push(sse('output', { seq: 3, host_id: 'h1', stream: 'out', data: 'days\n', at: '' }, 3));
    });
    await waitFor(() => expect(screen.getByTestId('run-output')).toHaveTextContent('web-01 | up 3 days'));
    expect(screen.getByTestId('run-output')).toHaveTextContent('db-01 | boom');
    expect(screen.getByText('boom', { exact: false }).closest('[data-stream]')).toHaveAttribute('data-stream', 'err');
    expect(screen.getByTestId('summary-running')).toHaveTextContent('Running: 1');

    // Dropped: the page reconnects after the last sequence number seen.
    vi.useFakeTimers({ shouldAdvanceTime: true });
    await act(async () => nth(streams, 0).close());
    await act(async () => {
      await vi.advanceTimersByTimeAsync(2000);
    });
    vi.useRealTimers();
    await waitFor(() => expect(streams).toHaveLength(2));
    expect(urls.filter((u) => u.pathname.endsWith('/events')).at(-1)?.searchParams.get('after')).toBe('3');

    finished = true;
    await act(async () => {
      nth(streams, 1).push(sse('host', host({ status: 'succeeded', exit_code: 0 })));
      nth(streams, 1).push(sse('host', host({ host_id: 'h2', host_name: 'db-01', status: 'failed', exit_code: 2 })));
      nth(streams, 1).push(sse('run', { ...detail(), status: 'failed', hosts: undefined }));
    });
    await waitFor(() => expect(screen.getByTestId('run-header').querySelector('[data-testid="run-status"]')).toHaveAttribute('data-status', 'failed'));
    expect(screen.getByTestId('run-rerun')).toBeInTheDocument();
    expect(screen.getByTestId('run-rerun-failed')).toBeInTheDocument();
    expect(screen.queryByTestId('run-cancel')).not.toBeInTheDocument();
    expect(within(screen.getByTestId('run-host-db-01')).getByTestId('run-host-exit')).toHaveTextContent('2');
  });
});
