import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/render';
import { CreateSecretModal } from './create-secret-modal';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('CreateSecretModal', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('validates the name before sending and shows how variables refer to it', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    renderWithProviders(<CreateSecretModal opened onClose={vi.fn()} />);
    const name = await screen.findByLabelText(/^Name/);
    await userEvent.type(name, '/bad name');
    await userEvent.click(screen.getByTestId('secret-generate'));
    await userEvent.click(screen.getByTestId('create-secret-submit'));
    expect(await screen.findByText(/starting with a letter or digit/)).toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
    await userEvent.clear(name);
    await userEvent.type(name, 'e2e/db.password');
    expect(screen.getByText('Use it in variables as {{ secret:e2e/db.password }}')).toBeInTheDocument();
  });

  it('generates a password, switches to a textarea for text, and sends the tags', async () => {
    const bodies: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        bodies.push(await req.json());
        return json(201, { id: 'x', name: 'app/config', kind: 'text', description: '', scope: 'global', tags: {}, created_at: '', updated_at: '', version: 1, value_version: 1 });
      }),
    );
    const onClose = vi.fn();
    renderWithProviders(<CreateSecretModal opened onClose={onClose} />);
    await userEvent.click(await screen.findByTestId('secret-generate'));
    expect((screen.getByTestId('secret-value') as HTMLInputElement).value).toHaveLength(24);

    await userEvent.click(screen.getByText('Text'));
    const value = screen.getByTestId('secret-value');
    expect(value.tagName).toBe('TEXTAREA');
    await userEvent.clear(value);
    await userEvent.type(value, 'a=1{enter}b=2');
    await userEvent.type(screen.getByLabelText(/^Name/), 'app/config');
    await userEvent.click(screen.getByText('Add tag'));
    await userEvent.type(screen.getByLabelText('Key'), 'env');
    await userEvent.type(screen.getByLabelText('Value'), 'prod');
    await userEvent.click(screen.getByTestId('create-secret-submit'));

    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(bodies).toEqual([{ name: 'app/config', kind: 'text', description: '', tags: { env: 'prod' }, value: 'a=1\nb=2', expires_at: null }]);
  });
});
