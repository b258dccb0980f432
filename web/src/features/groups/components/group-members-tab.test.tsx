import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/render';
import { resetAuthForTests, signInForTests } from '@/testing/session';
import { GroupMembersTab } from './group-members-tab';
import { json, makeGroup, makeHost, mockApi, page } from './test-helpers';

describe('GroupMembersTab', () => {
  beforeEach(() => signInForTests(['hosts:read', 'groups:manage']));
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  const api = () =>
    mockApi(({ url }) => {
      if (url.pathname === '/api/v1/groups/g1/members') return json(200, page([makeHost({ id: 'h1', name: 'web-01' })]));
      if (url.pathname === '/api/v1/hosts') return json(200, page([makeHost({ id: 'h2', name: 'db-01' }), makeHost({ id: 'h3', name: 'db-02' })]));
      if (url.pathname === '/api/v1/groups/g1/members/remove') return json(200, { changed: 1 });
      if (url.pathname === '/api/v1/groups/g1/members') return json(200, { changed: 2 });
      return undefined;
    });

  it('adds picked hosts to a static group: posts their ids', async () => {
    const { find } = mockApi(({ url, method }) => {
      if (url.pathname === '/api/v1/groups/g1/members' && method === 'GET') return json(200, page([makeHost({ id: 'h1', name: 'web-01' })]));
      if (url.pathname === '/api/v1/groups/g1/members' && method === 'POST') return json(200, { changed: 2 });
      if (url.pathname === '/api/v1/hosts') return json(200, page([makeHost({ id: 'h2', name: 'db-01' }), makeHost({ id: 'h3', name: 'db-02' })]));
      return undefined;
    });
    renderWithProviders(<GroupMembersTab group={makeGroup()} canManage />);
    await screen.findByTestId('host-row-web-01');
    await userEvent.click(screen.getByTestId('members-add'));
    await userEvent.click(await screen.findByTestId('picker-host-db-01'));
    await userEvent.click(screen.getByTestId('picker-host-db-02'));
    await userEvent.click(screen.getByTestId('host-picker-submit'));
    await waitFor(() => expect(find('POST', '/api/v1/groups/g1/members')[0]?.body).toEqual({ ids: ['h2', 'h3'] }));
  });

  it('removes selected members: posts their ids to members/remove', async () => {
    const { find } = api();
    renderWithProviders(<GroupMembersTab group={makeGroup()} canManage />);
    await userEvent.click(await screen.findByLabelText('Select web-01'));
    await userEvent.click(screen.getByTestId('members-remove'));
    await waitFor(() => expect(find('POST', '/api/v1/groups/g1/members/remove')[0]?.body).toEqual({ ids: ['h1'] }));
  });

  it('offers no member edits on a dynamic group', async () => {
    api();
    renderWithProviders(<GroupMembersTab group={makeGroup({ kind: 'dynamic', rule: 'os == "linux"' })} canManage />);
    await screen.findByTestId('host-row-web-01');
    expect(screen.queryByTestId('members-add')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Select web-01')).not.toBeInTheDocument();
  });
});
