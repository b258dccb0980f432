import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Route, Routes } from 'react-router';
import type { Playbook, PlaybookVersion, Schedule } from '@/api/types';
import { json } from '@/testing/fixtures';
import { renderWithProviders } from '@/testing/render';
import { resetAuthForTests, signInForTests } from '@/testing/session';
import { PlaybookDetailPage } from './playbook-detail-page';

const playbook: Playbook = {
  id: 'p1',
  name: 'Patch',
  description: 'Patches the web servers',
  content: '- hosts: all\n  tasks:\n    - name: three\n',
  files: [],
  current_version: 3,
  allow_parallel: true,
  retry_infrastructure: false,
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-03T00:00:00Z',
  defaults: {
    targets: { hosts: [], groups: ['web'], rule: null },
    variables: [],
    survey: [],
    options: { check: false, diff: true, tags: [], skip_tags: [], limit: null, verbosity: 0, forks: 20, timeout_seconds: 3600 },
    vault_password_secret: null,
  },
};

const version = (n: number, content: string): PlaybookVersion => ({ version: n, content, files: [], created_by_name: 'admin', created_at: `2025-01-0${n}T00:00:00Z` });
const versions = [version(3, '- hosts: all\n  tasks:\n    - name: three\n'), version(2, '- hosts: all\n  tasks:\n    - name: two\n'), version(1, '- hosts: all\n')];

const schedule: Schedule = {
  id: 's1',
  playbook_id: 'p1',
  name: 'Nightly',
  description: 'At 02:00',
  cron: '0 2 * * *',
  interval_seconds: null,
  timezone: 'UTC',
  enabled: true,
  ends_at: null,
  overlap: 'skip',
  missed: 'run_once',
  overrides: { targets: null },
  next: ['2030-01-01T02:00:00Z'],
  last_fired_at: null,
  last_run_id: null,
  created_at: '2025-01-01T00:00:00Z',
};

/** Stubs the playbook's endpoints; returns the restore calls. */
function mockApi(initial: Playbook = playbook) {
  const restores: string[] = [];
  let current = initial;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url);
      if (url.pathname === '/api/v1/playbooks/p1' && req.method === 'GET') return json(200, current);
      if (url.pathname === '/api/v1/playbooks/p1/versions') return json(200, versions);
      const restore = /^\/api\/v1\/playbooks\/p1\/versions\/(\d+)\/restore$/.exec(url.pathname);
      if (restore && req.method === 'POST') {
        restores.push(restore[1] ?? '');
        current = { ...current, current_version: 4, content: versions.find((v) => String(v.version) === restore[1])?.content ?? '' };
        return json(200, current);
      }
      if (url.pathname === '/api/v1/runs' && url.searchParams.get('playbook') === 'p1')
        return json(200, {
          items: [
            {
              id: 'r1',
              kind: 'playbook',
              status: 'failed',
              trigger: 'schedule',
              title: 'Patch',
              playbook_id: 'p1',
              playbook_version: 2,
              created_by_name: 'scheduler',
              queued_at: '2025-01-02T00:00:00Z',
              started_at: '2025-01-02T00:00:01Z',
              finished_at: '2025-01-02T00:00:09Z',
              summary: { total: 1, failed: 1 },
              parameters: { commit: '0123456789abcdef0123456789abcdef01234567' },
            },
          ],
          total: 1,
          limit: 25,
          offset: 0,
        });
      if (url.pathname === '/api/v1/schedules' && url.searchParams.get('playbook') === 'p1') return json(200, [schedule]);
      return json(404, { code: 'not_found', message: 'not found' });
    }),
  );
  return restores;
}

function renderPage() {
  return renderWithProviders(
    <Routes>
      <Route path="/playbooks/:id" element={<PlaybookDetailPage />} />
    </Routes>,
    { route: '/playbooks/p1' },
  );
}

describe('PlaybookDetailPage', () => {
  beforeEach(() => signInForTests(['playbooks:read', 'playbooks:manage', 'runs:read', 'runs:execute']));
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  it('shows the overview and switches between the tabs', async () => {
    mockApi();
    renderPage();
    expect(await screen.findByTestId('playbook-title')).toHaveTextContent('Patch');
    expect(screen.getByText('v3')).toBeInTheDocument();
    expect(screen.getByTestId('playbook-overview')).toHaveTextContent('groups: web');
    expect(screen.getByTestId('playbook-overview')).toHaveTextContent('--diff --forks 20');
    expect(screen.getByTestId('playbook-content-view')).toHaveTextContent('name: three');
    expect(screen.getByTestId('playbook-launch')).toHaveAttribute('href', '/playbooks/p1/launch');

    await userEvent.click(screen.getByTestId('tab-versions'));
    expect(await screen.findAllByTestId('version-row')).toHaveLength(3);
    // Tabs are not kept mounted: the overview is gone.
    expect(screen.queryByTestId('playbook-overview')).not.toBeInTheDocument();
    // The current version has no Restore button.
    expect(screen.queryByTestId('version-restore-3')).not.toBeInTheDocument();
    expect(screen.getByTestId('version-restore-1')).toBeInTheDocument();

    await userEvent.click(screen.getByTestId('tab-runs'));
    const run = await screen.findByTestId('playbook-run-row');
    expect(run).toHaveTextContent('v2');
    expect(screen.queryByTestId('playbook-run-commit')).not.toBeInTheDocument();
    expect(run).toHaveTextContent('Schedule');
    expect(run).toHaveTextContent('scheduler');
    expect(within(run).getByTestId('run-status')).toHaveAttribute('data-status', 'failed');

    await userEvent.click(screen.getByTestId('tab-schedules'));
    expect(await screen.findByTestId('schedule-row')).toHaveTextContent('Nightly');
    expect(screen.getByTestId('playbook-schedule-new')).toBeInTheDocument();

    await userEvent.click(screen.getByTestId('tab-overview'));
    expect(await screen.findByTestId('playbook-overview')).toBeInTheDocument();
  });

  it('shows a Git playbook’s source (URL, ref, path) instead of its content', async () => {
    mockApi({
      ...playbook,
      content: '',
      files: [],
      source: { url: 'https://git.example.com/ops/site.git', git_ref: 'release', path: 'play/site.yml', credential: 'git-token', username: 'deploy' },
    });
    renderPage();
    const source = await screen.findByTestId('playbook-source-view');
    expect(screen.getByTestId('playbook-source-url')).toHaveTextContent('https://git.example.com/ops/site.git');
    expect(screen.getByTestId('playbook-source-ref')).toHaveTextContent('release');
    expect(screen.getByTestId('playbook-source-path')).toHaveTextContent('play/site.yml');
    expect(source).toHaveTextContent('git-token');
    expect(source).toHaveTextContent('deploy');
    expect(screen.queryByTestId('playbook-content-view')).not.toBeInTheDocument();
    // The defaults are shown as for any playbook.
    expect(screen.getByTestId('playbook-overview')).toHaveTextContent('groups: web');
    // Its content has no versions here; each run shows the commit it ran.
    await userEvent.click(screen.getByTestId('tab-versions'));
    expect(await screen.findByTestId('versions-git-note')).toHaveTextContent('taken from Git');
    expect(screen.queryByTestId('versions-table')).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId('tab-runs'));
    const commit = await screen.findByTestId('playbook-run-commit');
    expect(commit).toHaveTextContent('0123456789');
    expect(commit).toHaveAttribute('title', '0123456789abcdef0123456789abcdef01234567');
  });

  it('compares two selected versions as a line diff', async () => {
    mockApi();
    renderPage();
    await userEvent.click(await screen.findByTestId('tab-versions'));
    await screen.findAllByTestId('version-row');
    expect(screen.queryByTestId('version-diff')).not.toBeInTheDocument();

    // One version is not enough; picked in any order, the older one is on the left.
    await userEvent.click(screen.getByTestId('version-pick-3'));
    expect(screen.queryByTestId('version-diff')).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId('version-pick-1'));
    const diff = screen.getByTestId('version-diff');
    expect(diff).toHaveTextContent('Changes from v1 to v3');
    expect(screen.getByTestId('diff-added')).toHaveTextContent('+2');
    expect(screen.getByTestId('diff-removed')).toHaveTextContent('−0');
    expect(diff.querySelectorAll('[data-op="add"]')).toHaveLength(2);

    // A third pick replaces the first one picked.
    await userEvent.click(screen.getByTestId('version-pick-2'));
    expect(screen.getByTestId('version-pick-3')).not.toBeChecked();
    expect(screen.getByTestId('version-diff')).toHaveTextContent('Changes from v1 to v2');

    // Unpicking one hides the diff; picking another compares again.
    await userEvent.click(screen.getByTestId('version-pick-1'));
    expect(screen.queryByTestId('version-diff')).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId('version-pick-3'));
    expect(screen.getByTestId('version-diff')).toHaveTextContent('Changes from v2 to v3');
    expect(screen.getByTestId('diff-added')).toHaveTextContent('+1');
    expect(screen.getByTestId('diff-removed')).toHaveTextContent('−1');
  });

  it('asks before restoring a version, then restores it', async () => {
    const restores = mockApi();
    renderPage();
    await userEvent.click(await screen.findByTestId('tab-versions'));
    await userEvent.click(await screen.findByTestId('version-restore-1'));
    expect(await screen.findByText('Make the content of version 1 current again? It is saved as a new version.')).toBeInTheDocument();

    // Cancel does nothing.
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByTestId('version-restore-confirm')).not.toBeInTheDocument());
    expect(restores).toEqual([]);

    await userEvent.click(screen.getByTestId('version-restore-1'));
    await userEvent.click(await screen.findByTestId('version-restore-confirm'));
    await waitFor(() => expect(restores).toEqual(['1']));
    await waitFor(() => expect(screen.queryByTestId('version-restore-confirm')).not.toBeInTheDocument());
    // The restored content is the new current version.
    expect(await screen.findByText('v4')).toBeInTheDocument();
  });
});
