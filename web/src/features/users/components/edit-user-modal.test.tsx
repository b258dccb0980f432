import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '@/api/types';
import { renderWithProviders } from '@/testing/render';
import { EditUserModal } from './edit-user-modal';

const bob: User = {
  id: '11111111-1111-1111-1111-111111111111',
  username: 'bob',
  display_name: 'Bob',
  email: null,
  role: 'viewer',
  disabled: false,
  must_change_password: false,
  last_login_at: null,
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z',
  version: 1,
};

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('EditUserModal', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('on 409 stale_version reloads the user and says someone else changed it', async () => {
    const fresh = { ...bob, display_name: 'Robert', version: 2 };
    const patches: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        if (req.method === 'PATCH') {
          patches.push(await req.json());
          return json(409, { code: 'stale_version', message: 'stale', details: null });
        }
        return json(200, fresh);
      }),
    );
    renderWithProviders(<EditUserModal user={bob} isSelf={false} onClose={vi.fn()} />);
    const name = await screen.findByDisplayValue('Bob');
    await userEvent.clear(name);
    await userEvent.type(name, 'Bobby');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByTestId('stale-version')).toHaveTextContent('Someone else changed this');
    await waitFor(() => expect(screen.getByDisplayValue('Robert')).toBeInTheDocument());
    // Only changed fields are sent, with the version that was read.
    expect(patches).toEqual([{ version: 1, display_name: 'Bobby' }]);
  });
});
