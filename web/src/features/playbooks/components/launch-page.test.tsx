import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Route, Routes } from 'react-router';
import type { LaunchRequest, Playbook } from '@/api/types';
import { json } from '@/testing/fixtures';
import { renderWithProviders } from '@/testing/render';
import { resetAuthForTests, signInForTests } from '@/testing/session';
import { toJson } from '../lib/playbook-form';
import type { TargetsSlot } from '../lib/slots';
import { LaunchPage } from './launch-page';

const playbook: Playbook = {
  id: 'p1',
  name: 'Patch',
  description: '',
  content: '- hosts: all\n',
  files: [],
  current_version: 2,
  allow_parallel: true,
  retry_infrastructure: false,
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z',
  defaults: {
    targets: { hosts: [], groups: ['web'], rule: null },
    variables: [{ name: 'pkg', type: 'string', value: toJson('nginx') }],
    survey: [{ name: 'token', label: 'API token', type: 'secret', required: true }],
    options: { check: false, diff: false, tags: [], skip_tags: [], limit: null, verbosity: 0, forks: 20, timeout_seconds: 3600 },
    vault_password_secret: null,
  },
};

const targets: TargetsSlot = ({ value }) => <div data-testid="stub-targets">{(value.groups ?? []).join(',')}</div>;

describe('LaunchPage', () => {
  beforeEach(() => signInForTests(['playbooks:read', 'runs:execute']));
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  it('previews what would run as inputs change, with a dry-run toggle, and launches', async () => {
    const previews: LaunchRequest[] = [];
    const launches: LaunchRequest[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        const url = new URL(req.url);
        if (url.pathname === '/api/v1/playbooks/p1') return json(200, playbook);
        if (url.pathname === '/api/v1/playbooks/p1/launch/preview') {
          const body = (await req.clone().json()) as LaunchRequest;
          previews.push(body);
          const survey = (body.survey ?? {}) as Record<string, unknown>;
          if (!survey.token) return json(422, { code: 'validation_failed', message: 'invalid', details: { fields: { 'survey.token': 'an answer is required' } } });
          return json(200, {
            playbook: 'Patch',
            version: 2,
            command: `ansible-playbook playbook.yml --forks 20${body.dry_run ? ' --check --diff' : ''}`,
            options: body.options,
            variables: { pkg: 'nginx', token: '***' },
            dry_run: body.dry_run,
            total_hosts: 3,
            hosts: [{ id: 'h1', name: 'web-01', address: '10.0.0.1', status: 'online' }],
            without_credential: 1,
            without_host_key: 0,
          });
        }
        if (url.pathname === '/api/v1/playbooks/p1/launch') {
          launches.push((await req.clone().json()) as LaunchRequest);
          return json(202, { id: 'run-42' });
        }
        return json(404, { code: 'not_found', message: 'not found' });
      }),
    );
    renderWithProviders(
      <Routes>
        <Route path="/playbooks/:id/launch" element={<LaunchPage targets={targets} />} />
        <Route path="/runs/:id" element={<div data-testid="run-page" />} />
      </Routes>,
      { route: '/playbooks/p1/launch' },
    );
    expect(await screen.findByTestId('stub-targets')).toHaveTextContent('web');
    // The required secret answer is missing: the preview's 422 lands on the question.
    expect(await screen.findByText('an answer is required')).toBeInTheDocument();
    expect(screen.getByTestId('survey-answer-token')).toHaveAttribute('type', 'password');

    await userEvent.type(screen.getByTestId('survey-answer-token'), 's3cret');
    await waitFor(() => expect(screen.getByTestId('launch-preview-hosts')).toHaveAttribute('data-count', '3'));
    expect(screen.getByTestId('launch-preview-command')).toHaveTextContent('ansible-playbook playbook.yml --forks 20');
    expect(screen.getByTestId('launch-warning-credential')).toBeInTheDocument();
    expect(screen.getByTestId('launch-preview-variables')).toHaveTextContent('token***');

    await userEvent.click(screen.getByTestId('launch-dry-run'));
    await waitFor(() => expect(screen.getByTestId('launch-preview-command')).toHaveTextContent('--check --diff'));
    expect(previews.at(-1)?.dry_run).toBe(true);

    await userEvent.click(screen.getByTestId('launch-submit'));
    expect(await screen.findByTestId('run-page')).toBeInTheDocument();
    expect(launches[0]).toMatchObject({ dry_run: true, survey: { token: 's3cret' }, variables: {}, targets: { groups: ['web'] } });
  });
});
