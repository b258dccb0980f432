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
    expect(screen.getByTestId('wizard-review')).toHaveTextContent('groups: web');
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
    await userEvent.click(screen.getByTestId('wizard-save'));
    expect(await screen.findByTestId('detail-page')).toBeInTheDocument();
  });
});
