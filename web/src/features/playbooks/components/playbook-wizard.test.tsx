import { notifications } from '@mantine/notifications';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Route, Routes } from 'react-router';
import { json } from '@/testing/fixtures';
import { renderWithProviders } from '@/testing/render';
import { resetAuthForTests, signInForTests } from '@/testing/session';
import type { TargetsSlot } from '../lib/slots';
import { PlaybookWizard } from './playbook-wizard';

const targets: TargetsSlot = ({ value, onChange, error }) => (
  <div>
    <input data-testid="stub-groups" value={(value.groups ?? []).join(',')} onChange={(e) => onChange({ ...value, groups: e.currentTarget.value.split(',') })} />
    {error ? <span data-testid="stub-targets-error">{error}</span> : null}
  </div>
);

function mockApi(save: (body: unknown) => Response) {
  const bodies: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url);
      if (url.pathname === '/api/v1/playbooks/validate') {
        const { content } = (await req.clone().json()) as { content: string };
        return json(200, content.includes('\t') ? { valid: false, line: 2, message: 'tabs are not allowed' } : { valid: true });
      }
      if (url.pathname === '/api/v1/playbooks' && req.method === 'POST') {
        const body = await req.clone().json();
        bodies.push(body);
        return save(body);
      }
      return json(404, { code: 'not_found', message: 'not found' });
    }),
  );
  return bodies;
}

function renderWizard() {
  return renderWithProviders(
    <Routes>
      <Route path="/playbooks/new" element={<PlaybookWizard targets={targets} />} />
      <Route path="/playbooks/:id" element={<div data-testid="detail-page" />} />
    </Routes>,
    { route: '/playbooks/new' },
  );
}

describe('PlaybookWizard', () => {
  beforeEach(() => signInForTests(['playbooks:read', 'playbooks:manage', 'runs:execute']));
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  it('validates YAML live, showing the line and message', async () => {
    mockApi(() => json(500, {}));
    renderWizard();
    await waitFor(() => expect(screen.getByTestId('playbook-validation')).toHaveAttribute('data-valid', 'true'));
    fireEvent.change(screen.getByTestId('playbook-content'), { target: { value: '- hosts: all\n\ttasks: []' } });
    await waitFor(() => expect(screen.getByTestId('playbook-validation')).toHaveAttribute('data-valid', 'false'));
    expect(screen.getByTestId('playbook-validation')).toHaveTextContent('Line 2: tabs are not allowed');
  });

  it('walks the steps, saves, and shows a server error on the step it belongs to', async () => {
    let attempt = 0;
    const bodies = mockApi(() => {
      attempt += 1;
      return attempt === 1
        ? json(422, { code: 'validation_failed', message: 'invalid', details: { fields: { 'defaults.options.forks': '1 to 500' } } })
        : json(201, { id: 'p7', name: 'Patch' });
    });
    renderWizard();
    // Name is required before leaving the first step.
    await userEvent.click(screen.getByTestId('wizard-next'));
    expect(screen.getByTestId('wizard-panel-content')).toHaveTextContent('Required');
    await userEvent.type(screen.getByTestId('playbook-name'), 'Patch');
    await userEvent.click(screen.getByTestId('playbook-file-add'));
    await userEvent.type(screen.getByTestId('playbook-file-path'), 'templates/motd.j2');
    await userEvent.click(screen.getByTestId('wizard-next'));
    expect(screen.getByTestId('wizard-panel-targets')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('stub-groups'), { target: { value: 'web' } });
    await userEvent.click(screen.getByTestId('wizard-next'));
    await userEvent.click(screen.getByTestId('variable-add'));
    await userEvent.type(screen.getByTestId('variable-name'), 'pkg');
    await userEvent.type(screen.getByTestId('variable-value'), 'nginx');
    await userEvent.click(screen.getByTestId('wizard-next'));
    expect(screen.getByTestId('options-editor')).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('wizard-next'));
    // The optional schedule step, off by default.
    expect(screen.getByTestId('wizard-schedule-toggle')).not.toBeChecked();
    await userEvent.click(screen.getByTestId('wizard-next'));
    expect(screen.getByTestId('wizard-review')).toHaveTextContent('groups: web');
    expect(screen.queryByTestId('wizard-review-schedule')).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId('wizard-save'));

    // The 422 is about options: the wizard goes back to that step and shows it on the field.
    await waitFor(() => expect(screen.getByTestId('options-editor')).toBeInTheDocument());
    expect(screen.getByTestId('options-editor')).toHaveTextContent('1 to 500');
    expect(bodies[0]).toMatchObject({
      name: 'Patch',
      files: [{ path: 'templates/motd.j2', content: '' }],
      defaults: { targets: { groups: ['web'] }, variables: [{ name: 'pkg', type: 'string', value: 'nginx' }], options: { forks: 20 } },
      allow_parallel: true,
    });

    await userEvent.click(screen.getByTestId('wizard-next'));
    await userEvent.click(screen.getByTestId('wizard-next'));
    await userEvent.click(screen.getByTestId('wizard-save'));
    expect(await screen.findByTestId('detail-page')).toBeInTheDocument();
  });

  it('takes the playbook from Git: hides the editor and files, picks a credential, and puts server errors on the source fields', async () => {
    signInForTests(['playbooks:read', 'playbooks:manage', 'secrets:read']);
    const bodies: unknown[] = [];
    const paths: string[] = [];
    let attempt = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        const url = new URL(req.url);
        paths.push(url.pathname);
        if (url.pathname === '/api/v1/secrets')
          return json(200, {
            items: [
              { id: 's1', name: 'deploy-key', kind: 'ssh_key' },
              { id: 's2', name: 'git-token', kind: 'token' },
              { id: 's3', name: 'notes', kind: 'text' },
            ],
            total: 3,
            limit: 500,
            offset: 0,
          });
        if (url.pathname === '/api/v1/playbooks/validate') return json(200, { valid: true });
        if (url.pathname === '/api/v1/playbooks' && req.method === 'POST') {
          bodies.push(await req.clone().json());
          attempt += 1;
          return attempt === 1
            ? json(422, { code: 'validation_failed', message: 'invalid', details: { fields: { 'source.credential': 'no secret named git-token' } } })
            : json(201, { id: 'p8', name: 'Site' });
        }
        return json(404, { code: 'not_found', message: 'not found' });
      }),
    );
    renderWizard();
    await userEvent.type(screen.getByTestId('playbook-name'), 'Site');
    expect(screen.getByTestId('playbook-content')).toBeInTheDocument();
    await userEvent.click(screen.getByText('From a Git repository'));
    expect(screen.queryByTestId('playbook-content')).not.toBeInTheDocument();
    expect(screen.queryByTestId('playbook-file-add')).not.toBeInTheDocument();
    expect(screen.queryByTestId('playbook-validation')).not.toBeInTheDocument();
    expect(screen.getByTestId('git-ref')).toHaveValue('main');

    // URL and path are required; the YAML is not.
    await userEvent.click(screen.getByTestId('wizard-next'));
    expect(screen.getByTestId('playbook-git')).toHaveTextContent('Required');
    fireEvent.change(screen.getByTestId('git-url'), { target: { value: 'https://git.example.com/ops/site.git' } });
    fireEvent.change(screen.getByTestId('git-path'), { target: { value: 'site.yml' } });
    await userEvent.click(screen.getByTestId('git-credential'));
    // Only SSH keys, tokens and passwords are offered.
    expect(screen.queryByRole('option', { name: /notes/, hidden: true })).not.toBeInTheDocument();
    expect(await screen.findByRole('option', { name: 'deploy-key (SSH key)', hidden: true })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('option', { name: 'git-token (Token)', hidden: true }));
    fireEvent.change(screen.getByTestId('git-username'), { target: { value: 'deploy' } });

    for (let i = 0; i < 5; i++) await userEvent.click(screen.getByTestId('wizard-next'));
    const review = screen.getByTestId('wizard-review');
    expect(review).toHaveTextContent('https://git.example.com/ops/site.git');
    expect(review).toHaveTextContent('git-token');
    await userEvent.click(screen.getByTestId('wizard-save'));

    // The 422 is about the source: back on the content step, on the credential field.
    await waitFor(() => expect(screen.getByTestId('playbook-git')).toHaveTextContent('no secret named git-token'));
    expect(screen.getByTestId('wizard-panel-content')).toBeInTheDocument();
    expect(bodies[0]).toMatchObject({
      name: 'Site',
      content: '',
      files: [],
      source: { url: 'https://git.example.com/ops/site.git', git_ref: 'main', path: 'site.yml', credential: 'git-token', username: 'deploy' },
    });
    // Nothing asked the server to validate YAML for a Git playbook after switching.
    expect(paths.filter((p) => p === '/api/v1/playbooks/validate').length).toBeLessThanOrEqual(1);

    for (let i = 0; i < 5; i++) await userEvent.click(screen.getByTestId('wizard-next'));
    await userEvent.click(screen.getByTestId('wizard-save'));
    expect(await screen.findByTestId('detail-page')).toBeInTheDocument();
  }, 20_000);

  it('opens a Git playbook with its source filled in, and can switch it back to stored content', async () => {
    mockApi(() => json(500, {}));
    renderWithProviders(
      <PlaybookWizard
        targets={targets}
        playbook={{
          id: 'p9',
          name: 'Site',
          description: '',
          content: '',
          files: [],
          current_version: 2,
          allow_parallel: true,
          retry_infrastructure: false,
          created_at: '2025-01-01T00:00:00Z',
          updated_at: '2025-01-01T00:00:00Z',
          defaults: { targets: {}, variables: [], survey: [], options: { check: false, diff: false, tags: [], skip_tags: [], limit: null, verbosity: 0, forks: 20, timeout_seconds: 3600 }, vault_password_secret: null },
          source: { url: 'git@git.example.com:ops/site.git', git_ref: 'v2', path: 'play/site.yml', credential: 'deploy-key', username: null },
        }}
      />,
    );
    // Editing has no schedule step (schedules live on the playbook's Schedules tab).
    expect(screen.queryByTestId('wizard-step-schedule')).not.toBeInTheDocument();
    expect(screen.getByTestId('wizard-step-options')).toBeInTheDocument();
    expect(screen.getByTestId('git-url')).toHaveValue('git@git.example.com:ops/site.git');
    expect(screen.getByTestId('git-ref')).toHaveValue('v2');
    expect(screen.getByTestId('git-path')).toHaveValue('play/site.yml');
    // Without secrets:read the credential is typed by name.
    expect(screen.getByTestId('git-credential')).toHaveValue('deploy-key');
    await userEvent.click(screen.getByText('Stored in IT Manager'));
    expect((screen.getByTestId('playbook-content') as HTMLTextAreaElement).value).toContain('hosts: all');
    expect(screen.queryByTestId('playbook-git')).not.toBeInTheDocument();
  });

  describe('schedule step', () => {
    type Call = { path: string; body: unknown };
    function mockScheduleApi(schedule: () => Response) {
      const calls: Call[] = [];
      vi.stubGlobal(
        'fetch',
        vi.fn(async (req: Request) => {
          const url = new URL(req.url);
          if (url.pathname === '/api/v1/playbooks/validate') return json(200, { valid: true });
          if (url.pathname === '/api/v1/schedules/preview') return json(200, { description: 'At 02:00 every day', next: ['2030-01-01T02:00:00Z', '2030-01-02T02:00:00Z'] });
          if (req.method === 'POST' && (url.pathname === '/api/v1/playbooks' || url.pathname === '/api/v1/schedules')) {
            calls.push({ path: url.pathname, body: await req.clone().json() });
            return url.pathname === '/api/v1/playbooks' ? json(201, { id: 'p42', name: 'Nightly' }) : schedule();
          }
          return json(404, { code: 'not_found', message: 'not found' });
        }),
      );
      return calls;
    }

    async function toScheduleStep() {
      renderWizard();
      expect(screen.getByTestId('wizard-step-schedule')).toBeInTheDocument();
      await userEvent.type(screen.getByTestId('playbook-name'), 'Nightly');
      for (let i = 0; i < 4; i++) await userEvent.click(screen.getByTestId('wizard-next'));
      expect(screen.getByTestId('wizard-schedule')).toBeInTheDocument();
    }

    it('is offered when creating; off, saving sends no schedule', async () => {
      const calls = mockScheduleApi(() => json(201, { id: 's1' }));
      await toScheduleStep();
      expect(screen.queryByTestId('schedule-cron')).not.toBeInTheDocument();
      await userEvent.click(screen.getByTestId('wizard-next'));
      await userEvent.click(screen.getByTestId('wizard-save'));
      expect(await screen.findByTestId('detail-page')).toBeInTheDocument();
      expect(calls.map((c) => c.path)).toEqual(['/api/v1/playbooks']);
    });

    it('on, shows the preview, lists it on review, and creates the schedule for the new playbook after it', async () => {
      const calls = mockScheduleApi(() => json(201, { id: 's1' }));
      await toScheduleStep();
      await userEvent.click(screen.getByTestId('wizard-schedule-toggle'));
      expect(screen.getByTestId('schedule-cron')).toHaveValue('0 2 * * *');
      expect(await screen.findByTestId('schedule-preview-description')).toHaveTextContent('At 02:00 every day');
      // An empty timing cannot go on.
      fireEvent.change(screen.getByTestId('schedule-cron'), { target: { value: '' } });
      await userEvent.click(screen.getByTestId('wizard-next'));
      expect(screen.getByTestId('wizard-schedule')).toHaveTextContent('Required');
      fireEvent.change(screen.getByTestId('schedule-cron'), { target: { value: '0 2 * * *' } });
      await userEvent.click(screen.getByTestId('wizard-next'));
      await waitFor(() => expect(screen.getByTestId('wizard-review-schedule')).toHaveTextContent('Nightly schedule: At 02:00 every day (UTC)'));
      await userEvent.click(screen.getByTestId('wizard-save'));
      expect(await screen.findByTestId('detail-page')).toBeInTheDocument();
      expect(calls.map((c) => c.path)).toEqual(['/api/v1/playbooks', '/api/v1/schedules']);
      expect(calls[1]?.body).toMatchObject({ playbook_id: 'p42', name: 'Nightly schedule', cron: '0 2 * * *', interval_seconds: null, timezone: 'UTC', enabled: true, overlap: 'skip', missed: 'run_once' });
    });

    it('keeps the playbook when the schedule fails: opens it and reports the error', async () => {
      const calls = mockScheduleApi(() => json(422, { code: 'validation_failed', message: 'cron is not valid', details: { fields: { cron: 'not valid' } } }));
      const show = vi.spyOn(notifications, 'show');
      await toScheduleStep();
      await userEvent.click(screen.getByTestId('wizard-schedule-toggle'));
      await userEvent.type(screen.getByTestId('schedule-name'), 'Every night');
      await userEvent.click(screen.getByTestId('wizard-next'));
      await userEvent.click(screen.getByTestId('wizard-save'));
      expect(await screen.findByTestId('detail-page')).toBeInTheDocument();
      expect(calls[1]?.body).toMatchObject({ playbook_id: 'p42', name: 'Every night' });
      expect(show).toHaveBeenCalledWith(expect.objectContaining({ color: 'red', title: expect.stringContaining('its schedule was not') as unknown, message: 'cron is not valid' }));
      show.mockRestore();
    });
  });
});
