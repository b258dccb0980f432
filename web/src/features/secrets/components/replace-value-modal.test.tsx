import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Secret, SecretPage } from '@/api/types';
import { renderWithProviders } from '@/testing/render';
import { ReplaceValueModal } from './replace-value-modal';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const base: Secret = {
  id: 's1',
  name: 'hosts/web',
  kind: 'ssh_credential',
  description: '',
  scope: 'global',
  tags: {},
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z',
  version: 4,
  value_version: 2,
};

function stubApi() {
  const puts: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      if (req.method === 'GET') {
        const page: SecretPage = { items: [{ ...base, id: 'key-1', name: 'keys/deploy', kind: 'ssh_key' }], total: 1, limit: 500, offset: 0 };
        return json(200, page);
      }
      puts.push(await req.json());
      return json(200, { ...base, version: 5, value_version: 3 });
    }),
  );
  return puts;
}

describe('ReplaceValueModal', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('uses the credential inputs, starting from the current user and key', async () => {
    const puts = stubApi();
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<ReplaceValueModal secret={{ ...base, username: 'deploy', key_secret_id: 'key-1' }} onClose={onClose} />);
    expect(await screen.findByTestId('ssh-username')).toHaveValue('deploy');
    await waitFor(() => expect(screen.getByTestId('ssh-key-secret')).toHaveValue('keys/deploy'));
    await user.type(screen.getByTestId('secret-value'), 'new-pw');
    await user.click(screen.getByTestId('replace-value-submit'));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(puts).toEqual([{ version: 4, username: 'deploy', value: 'new-pw', key_secret: 'key-1' }]);
  });

  it('checks the credential like creating one does', async () => {
    const puts = stubApi();
    const user = userEvent.setup();
    renderWithProviders(<ReplaceValueModal secret={base} onClose={vi.fn()} />);
    await user.click(await screen.findByTestId('replace-value-submit'));
    expect(await screen.findByText('Give a password, an SSH key, or both')).toBeInTheDocument();
    expect(puts).toHaveLength(0);
  });

  it('replaces an SSH key with a generated one and shows the new public key', async () => {
    const puts: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        puts.push(await req.json());
        return json(200, { ...base, kind: 'ssh_key', version: 5, public_key: 'ssh-ed25519 NEW', fingerprint: 'SHA256:new' });
      }),
    );
    const user = userEvent.setup();
    renderWithProviders(<ReplaceValueModal secret={{ ...base, kind: 'ssh_key' }} onClose={vi.fn()} />);
    await user.click(await screen.findByText('Generate ed25519 key pair'));
    await user.click(screen.getByTestId('replace-value-submit'));
    expect(await screen.findByTestId('ssh-key-public')).toHaveTextContent('ssh-ed25519 NEW');
    expect(puts).toEqual([{ version: 4, generate: true }]);
  });
});
