import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Secret, SecretPage } from '@/api/types';
import { renderWithProviders } from '@/testing/render';
import { CreateSecretModal } from './create-secret-modal';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const base: Secret = {
  id: 'new',
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

const deployKey: Secret = { ...base, id: 'key-1', name: 'keys/deploy', kind: 'ssh_key', fingerprint: 'SHA256:abc' };

/** A fake API: lists `ssh_key` secrets and records every create request's body. */
function stubApi(created: Partial<Secret> = {}) {
  const posted: Record<string, unknown>[] = [];
  const lists: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url);
      if (req.method === 'GET' && url.pathname === '/api/v1/secrets') {
        lists.push(url.search);
        const page: SecretPage = { items: [deployKey], total: 1, limit: 500, offset: 0 };
        return json(200, page);
      }
      const body = (await req.json()) as Record<string, unknown>;
      posted.push(body);
      return json(201, { ...base, name: body.name, kind: body.kind, ...created });
    }),
  );
  return { posted, lists };
}

async function chooseKind(user: ReturnType<typeof userEvent.setup>, label: string) {
  await user.click(within(await screen.findByTestId('create-secret-kind')).getByText(label));
}

function fileInput(): HTMLInputElement {
  const input = document.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error('no file input');
  return input;
}

describe('CreateSecretModal: SSH keys', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('generates an ed25519 key pair: sends generate:true and no value, then shows the public key', async () => {
    const publicKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGen itmgr:keys/gen';
    const { posted } = stubApi({ algorithm: 'ssh-ed25519', fingerprint: 'SHA256:Zm9vYmFy', public_key: publicKey });
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<CreateSecretModal opened onClose={onClose} />);
    await user.type(await screen.findByLabelText(/^Name/), 'keys/gen');
    await chooseKind(user, 'SSH key');
    await user.click(within(screen.getByTestId('ssh-key-source')).getByText('Generate ed25519 key pair'));
    expect(screen.queryByTestId('secret-value')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('create-secret-submit'));

    expect(await screen.findByTestId('ssh-key-saved')).toBeInTheDocument();
    expect(posted).toEqual([{ name: 'keys/gen', kind: 'ssh_key', description: '', tags: {}, generate: true, expires_at: null }]);
    expect(posted[0]).not.toHaveProperty('value');
    expect(screen.getByTestId('ssh-key-algorithm')).toHaveTextContent('ssh-ed25519');
    expect(screen.getByTestId('ssh-key-fingerprint')).toHaveTextContent('SHA256:Zm9vYmFy');
    expect(screen.getByTestId('ssh-key-public')).toHaveTextContent(publicKey);
    expect(screen.getByTestId('ssh-key-public-copy')).toBeInTheDocument();
    expect(onClose).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('ssh-key-saved-close'));
    expect(onClose).toHaveBeenCalled();
  });

  it('sends a pasted private key with its passphrase', async () => {
    const { posted } = stubApi({ algorithm: 'ssh-ed25519', fingerprint: 'SHA256:x', public_key: 'ssh-ed25519 AAAA' });
    const user = userEvent.setup();
    renderWithProviders(<CreateSecretModal opened onClose={vi.fn()} />);
    await user.type(await screen.findByLabelText(/^Name/), 'keys/pasted');
    await chooseKind(user, 'SSH key');
    const key = screen.getByTestId('secret-value');
    expect(key.tagName).toBe('TEXTAREA');
    await user.click(screen.getByTestId('create-secret-submit'));
    expect(await screen.findByText('Required')).toBeInTheDocument();
    expect(posted).toHaveLength(0);

    await user.click(key);
    await user.paste('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----');
    await user.type(screen.getByTestId('ssh-key-passphrase'), 'correct horse');
    await user.click(screen.getByTestId('create-secret-submit'));
    await screen.findByTestId('ssh-key-saved');
    expect(posted).toEqual([
      {
        name: 'keys/pasted',
        kind: 'ssh_key',
        description: '',
        tags: {},
        value: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----',
        passphrase: 'correct horse',
        expires_at: null,
      },
    ]);
  });

  it('reads an uploaded key file as text', async () => {
    const { posted } = stubApi({ public_key: 'ssh-ed25519 AAAA' });
    const user = userEvent.setup();
    renderWithProviders(<CreateSecretModal opened onClose={vi.fn()} />);
    await user.type(await screen.findByLabelText(/^Name/), 'keys/uploaded');
    await chooseKind(user, 'SSH key');
    await user.click(within(screen.getByTestId('ssh-key-source')).getByText('Upload file'));
    await user.upload(fileInput(), new File(['-----BEGIN OPENSSH PRIVATE KEY-----\nkey\n'], 'id_ed25519'));
    expect(await screen.findByText('id_ed25519')).toBeInTheDocument();
    await user.click(screen.getByTestId('create-secret-submit'));
    await screen.findByTestId('ssh-key-saved');
    expect(posted[0]).toMatchObject({ kind: 'ssh_key', value: '-----BEGIN OPENSSH PRIVATE KEY-----\nkey\n' });
    expect(posted[0]).not.toHaveProperty('passphrase');
  });
});

describe('CreateSecretModal: SSH credentials', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('needs a user name and a password or a key, and lists ssh_key secrets to log in with', async () => {
    const { posted, lists } = stubApi();
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<CreateSecretModal opened onClose={onClose} />);
    await user.type(await screen.findByLabelText(/^Name/), 'hosts/web');
    await chooseKind(user, 'SSH credential');
    await user.click(screen.getByTestId('create-secret-submit'));
    expect(await screen.findByText('Give a password, an SSH key, or both')).toBeInTheDocument();
    expect(screen.getByText('Required')).toBeInTheDocument();
    expect(posted).toHaveLength(0);

    await user.type(screen.getByTestId('ssh-username'), 'has space');
    await user.click(screen.getByTestId('create-secret-submit'));
    expect(await screen.findByText(/without spaces/)).toBeInTheDocument();
    await user.clear(screen.getByTestId('ssh-username'));
    await user.type(screen.getByTestId('ssh-username'), 'deploy');

    // The key select offers the secrets of kind ssh_key, by name; its value is the id.
    expect(lists).toContain('?kind=ssh_key&limit=500&offset=0');
    await user.click(screen.getByTestId('ssh-key-secret'));
    // The dropdown is still fading in (display: none) when the option is clicked.
    await user.click(await screen.findByRole('option', { name: 'keys/deploy', hidden: true }));
    await waitFor(() => expect(screen.queryByText('Give a password, an SSH key, or both')).not.toBeInTheDocument());
    await user.type(screen.getByTestId('ssh-become-password'), 'sudo-pw');
    await user.click(screen.getByTestId('create-secret-submit'));

    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(posted).toEqual([
      { name: 'hosts/web', kind: 'ssh_credential', description: '', tags: {}, username: 'deploy', key_secret: 'key-1', become_password: 'sudo-pw', expires_at: null },
    ]);
  });

  it('accepts a password alone', async () => {
    const { posted } = stubApi();
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<CreateSecretModal opened onClose={onClose} />);
    await user.type(await screen.findByLabelText(/^Name/), 'hosts/db');
    await chooseKind(user, 'SSH credential');
    await user.type(screen.getByTestId('ssh-username'), 'root');
    await user.type(screen.getByTestId('secret-value'), 'pw');
    await user.click(screen.getByTestId('create-secret-submit'));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(posted).toEqual([{ name: 'hosts/db', kind: 'ssh_credential', description: '', tags: {}, username: 'root', value: 'pw', expires_at: null }]);
  });
});

describe('CreateSecretModal: files', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('refuses a file over 1 MiB before reading it', async () => {
    const { posted } = stubApi();
    const user = userEvent.setup();
    renderWithProviders(<CreateSecretModal opened onClose={vi.fn()} />);
    await user.type(await screen.findByLabelText(/^Name/), 'certs/big');
    await chooseKind(user, 'File');
    const big = new File([new Uint8Array(3 * 1024 * 1024)], 'big.bin');
    const read = vi.spyOn(big, 'arrayBuffer');
    await user.upload(fileInput(), big);
    expect(await screen.findByText('The file is 3 MiB; at most 1 MiB is allowed.')).toBeInTheDocument();
    expect(read).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('create-secret-submit'));
    expect(await screen.findByText('A file is required')).toBeInTheDocument();
    expect(posted).toHaveLength(0);
  });

  it('sends the file base64-encoded with its name', async () => {
    const { posted } = stubApi();
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<CreateSecretModal opened onClose={onClose} />);
    await user.type(await screen.findByLabelText(/^Name/), 'certs/ca');
    await chooseKind(user, 'File');
    await user.upload(fileInput(), new File([new Uint8Array([0, 1, 2, 250, 255]), 'hi'], 'ca.der'));
    expect(await screen.findByTestId('secret-file-chosen')).toHaveTextContent('ca.der · 7 B');
    await user.click(screen.getByTestId('create-secret-submit'));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(posted).toEqual([{ name: 'certs/ca', kind: 'file', description: '', tags: {}, value: 'AAEC+v9oaQ==', file_name: 'ca.der', expires_at: null }]);
  });
});
