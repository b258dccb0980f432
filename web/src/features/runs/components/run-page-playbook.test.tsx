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
    // Stored playbooks have no commit.
    expect(screen.queryByTestId('run-commit')).not.toBeInTheDocument();
  });

  it('reads the task timeline and the playbook name again when the run ends', async () => {
    // The last task events are written just before the end, after the timeline's last poll.
    let ended = false;
    let taskReads = 0;
    const running = { playbook: 'Patch', dry_run: true } as unknown as RunDetail['parameters'];
    // A Git playbook's run records the commit it checked out once it is done.
    const COMMIT = '0123456789abcdef0123456789abcdef01234567';
    const done = { ...detail, status: 'succeeded', title: 'Patch (dry run)', finished_at: '2025-01-01T00:00:05Z', parameters: { ...running, commit: COMMIT } as unknown as RunDetail['parameters'] };
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: Request) => {
        const url = new URL(input.url);
        if (url.pathname === `/api/v1/runs/${ID}`) return json(200, ended ? done : { ...detail, title: 'Patch (dry run)', parameters: running });
        if (url.pathname === `/api/v1/runs/${ID}/events`) {
          // The final event arrives once the first (empty) timeline is shown.
          await gate;
          ended = true;
          return eventStream(`event: run\nid: 2\ndata: ${JSON.stringify(done)}\n\n`);
        }
        if (url.pathname === `/api/v1/runs/${ID}/tasks`) {
          taskReads += 1;
          return json(200, ended ? tasks : []);
        }
        if (url.pathname === `/api/v1/runs/${ID}/artifacts`) return json(200, []);
        return json(404, { code: 'not_found', message: 'not found' });
      }),
    );
    renderWithProviders(
      <Routes>
        <Route path="/runs/:id" element={<RunPage />} />
      </Routes>,
      { route: `/runs/${ID}` },
    );
    expect(await screen.findByTestId('tasks-empty')).toBeInTheDocument();
    release();
    await waitFor(() => expect(screen.getByTestId('run-header').querySelector('[data-testid="run-status"]')).toHaveAttribute('data-status', 'succeeded'));
    expect(await screen.findByTestId('task-row')).toHaveTextContent('install nginx');
    expect(taskReads).toBeGreaterThanOrEqual(2);
    // The parameters name the playbook, not the run's title.
    const link = within(screen.getByTestId('run-parameters')).getByRole('link');
    expect(link).toHaveTextContent('Patch (v3)');
    expect(link).not.toHaveTextContent('dry run');
    expect(await screen.findByTestId('run-commit')).toHaveTextContent(COMMIT);
    expect(screen.getByTestId('run-parameters')).toHaveTextContent(`Commit${COMMIT}`);
  });
});
