import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Route, Routes } from 'react-router';
import type { RunDetail, RunHost, TaskEvent } from '@/api/types';
import { json } from '@/testing/fixtures';
import { renderWithProviders } from '@/testing/render';
import { resetAuthForTests, signInForTests } from '@/testing/session';
import { RunPage } from './run-page';

const ID = 'aaaaaaaa-2222-3333-4444-555555555555';

const host = (patch: Partial<RunHost>): RunHost => ({ host_id: 'h1', host_name: 'web-01', address: '10.0.0.1', port: 22, status: 'succeeded', output_bytes: 0, ...patch });

const detail: RunDetail = {
  id: ID,
  kind: 'playbook',
  status: 'running',
  trigger: 'user',
  created_by_name: 'admin',
  title: 'Patch',
  target: {},
  parameters: { command: 'ansible-playbook playbook.yml --check --diff', variables: { pkg: 'nginx' } } as unknown as RunDetail['parameters'],
  summary: { total: 2, pending: 0, running: 2, succeeded: 0, failed: 0, unreachable: 0, timed_out: 0, canceled: 0, skipped: 0 },
  queued_at: '2025-01-01T00:00:00Z',
  started_at: '2025-01-01T00:00:01Z',
  playbook_id: 'p1',
  playbook_version: 3,
  hosts: [
    host({ stats: { ok: 5, changed: 2, failed: 0, unreachable: 0, skipped: 1 } as unknown as RunHost['stats'] }),
    host({ host_id: 'h2', host_name: 'db-01', status: 'unreachable', stats: null }),
  ],
};

const tasks: TaskEvent[] = [
  { seq: 1, event: 'playbook_on_task_start', task: 'install nginx', play: 'web', host: null, data: {} as TaskEvent['data'], at: '' },
  { seq: 2, event: 'runner_on_ok', task: 'install nginx', play: 'web', host: 'web-01', data: { changed: true, duration_ms: 1500 } as unknown as TaskEvent['data'], at: '' },
];

const LINES = 5000;

function eventStream(text: string) {
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode(text));
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

describe('RunPage for a playbook run', () => {
  beforeEach(() => {
    signInForTests(['runs:read', 'runs:execute']);
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => setTimeout(() => cb(0), 0) as unknown as number);
    vi.stubGlobal('cancelAnimationFrame', (id: number) => clearTimeout(id));
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  it('shows stats per host, a virtualised coloured log with search, the task timeline, artifacts and parameters', async () => {
    const log = Array.from({ length: LINES }, (_, i) => (i === 4200 ? '\x1b[0;31mfatal: [db-01]: UNREACHABLE!\x1b[0m' : `\x1b[0;32mok: [web-01] line ${i}\x1b[0m`)).join('\n') + '\n';
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: Request) => {
        const url = new URL(input.url);
        if (url.pathname === `/api/v1/runs/${ID}`) return json(200, detail);
        if (url.pathname === `/api/v1/runs/${ID}/events`) return eventStream(`event: output\nid: 1\ndata: ${JSON.stringify({ seq: 1, host_id: null, stream: 'out', data: log, at: '' })}\n\n`);
        if (url.pathname === `/api/v1/runs/${ID}/tasks`) return json(200, tasks);
        if (url.pathname === `/api/v1/runs/${ID}/artifacts`) return json(200, [{ name: 'report.json', size: 2048, created_at: '2025-01-01T00:00:00Z' }]);
        return json(404, { code: 'not_found', message: 'not found' });
      }),
    );
    renderWithProviders(
      <Routes>
        <Route path="/runs/:id" element={<RunPage />} />
      </Routes>,
      { route: `/runs/${ID}` },
    );
    const web = await screen.findByTestId('playbook-host-web-01');
    expect(within(web).getByTestId('stat-ok')).toHaveTextContent('5');
    expect(within(web).getByTestId('stat-changed')).toHaveTextContent('2');
    expect(within(screen.getByTestId('playbook-host-db-01')).getByTestId('stat-ok')).toHaveTextContent('—');

    await waitFor(() => expect(screen.getByTestId('playbook-log')).toHaveAttribute('data-lines', String(LINES)));
    // Only a window of lines is in the DOM, and colours come from the ANSI codes.
    const rendered = screen.getAllByTestId('log-line');
    expect(rendered.length).toBeLessThan(200);
    const colored = rendered[rendered.length - 1]?.querySelector('span');
    expect(colored).toHaveStyle({ color: 'var(--mantine-color-green-6)' });
    expect(screen.getByTestId('playbook-log')).not.toHaveTextContent('\x1b');

    await userEvent.type(screen.getByTestId('log-search'), 'unreachable');
    await waitFor(() => expect(screen.getByTestId('log-match-count')).toHaveTextContent('1 of 1'));
    await act(async () => {
      await userEvent.click(screen.getByTestId('log-next'));
    });
    await waitFor(() => expect(screen.getByTestId('log-match')).toHaveTextContent('UNREACHABLE'));
    expect(screen.getByTestId('log-follow')).not.toBeChecked();

    const task = await screen.findByTestId('task-row');
    expect(task).toHaveTextContent('install nginx');
    expect(within(task).getByTestId('task-result')).toHaveAttribute('data-status', 'changed');
    expect(task).toHaveTextContent('1.5 s');
    expect(await screen.findByTestId('artifact-download')).toHaveTextContent('report.json');
    expect(screen.getByTestId('run-parameters')).toHaveTextContent('ansible-playbook playbook.yml --check --diff');
    expect(screen.getByTestId('run-parameters')).toHaveTextContent('pkg = nginx');
  });
});
