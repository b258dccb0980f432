import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { User } from '@/api/types';
import { renderWithProviders } from '@/testing/render';
import { UsersTable, type UsersTableProps } from './users-table';

const base: UsersTableProps = {
  users: [],
  currentUserId: 'me',
  sort: { field: 'username', desc: false },
  onSort: vi.fn(),
  filtered: false,
  canUpdate: true,
  canDelete: true,
  onEdit: vi.fn(),
  onResetPassword: vi.fn(),
  onDelete: vi.fn(),
};

const alice: User = {
  id: 'a',
  username: 'alice',
  display_name: 'Alice Example',
  email: 'alice@example.com',
  role: 'operator',
  disabled: false,
  must_change_password: true,
  last_login_at: null,
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z',
  version: 3,
} as User;

describe('UsersTable', () => {
  it('shows an empty state when there are no users', () => {
    renderWithProviders(<UsersTable {...base} />);
    expect(screen.getByTestId('empty-state')).toHaveTextContent('No users found');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says when filters match nothing', () => {
    renderWithProviders(<UsersTable {...base} filtered />);
    expect(screen.getByTestId('empty-state')).toHaveTextContent('No users match these filters');
  });

  it('renders users with role, status and sort state', () => {
    renderWithProviders(<UsersTable {...base} users={[alice]} sort={{ field: 'role', desc: true }} />);
    expect(screen.getByText('alice')).toBeInTheDocument();
    expect(screen.getByText('Operator')).toBeInTheDocument();
    expect(screen.getByText('Must change password')).toBeInTheDocument();
    expect(screen.getByText('Never')).toBeInTheDocument();
    expect(screen.getByText('Role').closest('th')).toHaveAttribute('aria-sort', 'descending');
  });

  it('calls onSort with the column field', async () => {
    const onSort = vi.fn();
    renderWithProviders(<UsersTable {...base} users={[alice]} onSort={onSort} />);
    screen.getByTestId('sort-created_at').click();
    expect(onSort).toHaveBeenCalledWith('created_at');
  });
});
