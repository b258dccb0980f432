import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/render';
import { resetAuthForTests, signInForTests } from '@/testing/session';
import { GroupsPage } from './groups-page';
import { json, makeGroup, mockApi, previewOf } from './test-helpers';

describe('GroupsPage', () => {
  beforeEach(() => signInForTests(['hosts:read', 'groups:manage']));
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  it('lists groups with kind, count, nesting and rule', async () => {
    mockApi(({ url, method }) =>
      url.pathname === '/api/v1/groups' && method === 'GET'
        ? json(200, { items: [makeGroup({ name: 'prod', kind: 'dynamic', rule: 'environment == "prod"', member_count: 7, children: ['web'] })], total: 1 })
        : undefined,
    );
    renderWithProviders(<GroupsPage />);
    const row = await screen.findByTestId('group-row-prod');
    expect(within(row).getByTestId('group-kind')).toHaveTextContent('Dynamic');
    expect(within(row).getByTestId('group-count-prod')).toHaveTextContent('7');
    expect(row).toHaveTextContent('environment == "prod"');
    expect(row).toHaveTextContent('web');
  });

  it('creates a dynamic group from a typed rule: posts {kind: dynamic, rule}', async () => {
    const { find } = mockApi(({ url, method, body }) => {
      if (url.pathname === '/api/v1/groups/preview') return json(200, previewOf({ total: 2, rule: (body as { rule: string }).rule }));
      if (url.pathname === '/api/v1/groups' && method === 'POST') return json(201, makeGroup({ id: 'g9', name: 'prod', kind: 'dynamic' }));
      return undefined;
    });
    renderWithProviders(<GroupsPage />);
    await userEvent.click(await screen.findByTestId('empty-create-group'));
    const form = await screen.findByTestId('group-form');
    await userEvent.type(within(form).getByLabelText(/Name/), 'prod');
    await userEvent.click(within(form).getByText('Dynamic'));
    fireEvent.change(await screen.findByTestId('rule-input'), { target: { value: 'environment == "prod"' } });
    expect(await screen.findByTestId('rule-match-count')).toHaveTextContent('2 host(s) match');
    await userEvent.click(screen.getByTestId('group-submit'));
    await waitFor(() => expect(find('POST', '/api/v1/groups')).toHaveLength(1));
    expect(find('POST', '/api/v1/groups')[0]?.body).toEqual({ name: 'prod', description: '', kind: 'dynamic', rule: 'environment == "prod"', children: [], variables: {} });
  });

  it('shows the server refusal when a delete is not allowed', async () => {
    mockApi(({ url, method }) => {
      if (url.pathname === '/api/v1/groups' && method === 'GET') return json(200, { items: [makeGroup({ name: 'web' })], total: 1 });
      if (url.pathname === '/api/v1/groups/g1' && method === 'DELETE') return json(409, { code: 'conflict', message: 'group "web" is used by the rule of "prod"' });
      return undefined;
    });
    renderWithProviders(<GroupsPage />);
    await userEvent.click(await screen.findByTestId('group-actions-web'));
    await userEvent.click(await screen.findByTestId('group-action-delete'));
    await userEvent.click(await screen.findByTestId('delete-group-confirm'));
    expect(await screen.findByTestId('delete-group-error')).toHaveTextContent('used by the rule of "prod"');
  });

  it('hides changes from viewers', async () => {
    signInForTests(['hosts:read']);
    mockApi();
    renderWithProviders(<GroupsPage />);
    await screen.findByTestId('empty-state');
    expect(screen.queryByTestId('empty-create-group')).not.toBeInTheDocument();
    expect(screen.queryByTestId('create-group')).not.toBeInTheDocument();
  });
});
