import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Secret } from '@/api/types';
import { renderWithProviders } from '@/testing/render';
import { SecretDetailsDrawer } from './secret-details-drawer';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const base: Secret = {
  id: 's1',
  name: 'x',
  kind: 'password',
  description: '',
  scope: 'global',
  tags: {},
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z',
  version: 1,
  value_version: 1,
};

/** Serves GET /api/v1/secrets/{id} from `secrets`; anything else is a 404. */
function stubSecrets(...secrets: Secret[]) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const id = new URL(req.url).pathname.split('/').pop();
      const found = secrets.find((s) => s.id === id);
      return found ? json(200, found) : json(404, { code: 'not_found', message: 'secret not found' });
    }),
  );
}

describe('SecretDetailsDrawer', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows an SSH key\'s algorithm, fingerprint and public key with a copy button', async () => {
    const key: Secret = { ...base, name: 'keys/deploy', kind: 'ssh_key', algorithm: 'ssh-ed25519', fingerprint: 'SHA256:abc', public_key: 'ssh-ed25519 AAAA itmgr' };
    stubSecrets(key);
    renderWithProviders(<SecretDetailsDrawer secret={key} onClose={vi.fn()} />);
    expect(await screen.findByTestId('ssh-key-algorithm')).toHaveTextContent('ssh-ed25519');
    expect(screen.getByTestId('ssh-key-fingerprint')).toHaveTextContent('SHA256:abc');
    expect(screen.getByTestId('ssh-key-public')).toHaveTextContent('ssh-ed25519 AAAA itmgr');
    expect(screen.getByTestId('ssh-key-public-copy')).toBeInTheDocument();
  });

  it('shows a credential\'s user and the name of its key secret', async () => {
    const key: Secret = { ...base, id: 'key-1', name: 'keys/deploy', kind: 'ssh_key' };
    const cred: Secret = { ...base, id: 'cred-1', name: 'hosts/web', kind: 'ssh_credential', username: 'deploy', key_secret_id: 'key-1' };
    stubSecrets(key, cred);
    renderWithProviders(<SecretDetailsDrawer secret={cred} onClose={vi.fn()} />);
    expect(await screen.findByTestId('credential-username')).toHaveTextContent('deploy');
    expect(await screen.findByText('keys/deploy')).toBeInTheDocument();
  });

  it('says when a credential\'s key secret is gone', async () => {
    const cred: Secret = { ...base, id: 'cred-1', kind: 'ssh_credential', username: 'deploy', key_secret_id: 'gone' };
    stubSecrets(cred);
    renderWithProviders(<SecretDetailsDrawer secret={cred} onClose={vi.fn()} />);
    expect(await screen.findByText('The linked SSH key no longer exists')).toBeInTheDocument();
  });

  it('shows a file\'s name, size and SHA-256', async () => {
    const file: Secret = { ...base, kind: 'file', file_name: 'ca.pem', size: 1536, sha256: 'ab'.repeat(32) };
    stubSecrets(file);
    renderWithProviders(<SecretDetailsDrawer secret={file} onClose={vi.fn()} />);
    expect(await screen.findByTestId('file-name')).toHaveTextContent('ca.pem');
    expect(screen.getByTestId('file-size')).toHaveTextContent('1.5 KiB');
    expect(screen.getByTestId('file-sha256')).toHaveTextContent('ab'.repeat(32));
  });
});
