import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Secret } from '@/api/types';
import { renderWithProviders } from '@/testing/render';
import { SecretsTable, type SecretsTableProps } from './secrets-table';

const base: SecretsTableProps = { secrets: [], filtered: false, canUpdate: true, canDelete: true, canReveal: true, onAction: vi.fn() };

const secret: Secret = {
  id: 's1',
  name: 'e2e/db.password',
  kind: 'password',
  description: 'Database',
  scope: 'global',
  tags: { env: 'prod' },
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z',
  expires_at: '2000-01-01T00:00:00Z',
  last_used_at: null,
  version: 1,
  value_version: 1,
};

describe('SecretsTable', () => {
  it('shows an empty state when there are no secrets', () => {
    renderWithProviders(<SecretsTable {...base} />);
    expect(screen.getByTestId('empty-state')).toHaveTextContent('No secrets yet');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says when filters match nothing', () => {
    renderWithProviders(<SecretsTable {...base} filtered />);
    expect(screen.getByTestId('empty-state')).toHaveTextContent('No secrets match these filters');
  });

  it('renders metadata with kind, tags and an expired warning', () => {
    renderWithProviders(<SecretsTable {...base} secrets={[secret]} />);
    expect(screen.getByText('e2e/db.password')).toBeInTheDocument();
    expect(screen.getByText('Password')).toBeInTheDocument();
    expect(screen.getByText('env=prod')).toBeInTheDocument();
    expect(screen.getByTestId('expiry-expired')).toHaveTextContent('Expired');
    expect(screen.getByText('Never')).toBeInTheDocument();
  });

  it('shows the non-secret metadata of keys, credentials and files under the name', () => {
    const secrets: Secret[] = [
      { ...secret, id: 'k', name: 'keys/deploy', kind: 'ssh_key', algorithm: 'ssh-ed25519', fingerprint: 'SHA256:abc' },
      { ...secret, id: 'c', name: 'hosts/web', kind: 'ssh_credential', username: 'deploy' },
      { ...secret, id: 'f', name: 'certs/ca', kind: 'file', file_name: 'ca.pem', size: 2048 },
    ];
    renderWithProviders(<SecretsTable {...base} secrets={secrets} />);
    expect(screen.getByTestId('secret-summary-keys/deploy')).toHaveTextContent('ssh-ed25519 SHA256:abc');
    expect(screen.getByTestId('secret-summary-hosts/web')).toHaveTextContent('Logs in as deploy');
    expect(screen.getByTestId('secret-summary-certs/ca')).toHaveTextContent('ca.pem · 2 KiB');
    expect(screen.queryByTestId('secret-summary-e2e/db.password')).not.toBeInTheDocument();
  });
});
