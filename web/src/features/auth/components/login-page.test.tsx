import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetAuthForTests } from '@/lib/auth/session-store';
import { renderWithProviders } from '@/testing/render';
import { LoginPage } from './login-page';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

describe('LoginPage', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  it('validates required fields before calling the server', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    renderWithProviders(<LoginPage />);
    await userEvent.click(screen.getByTestId('login-submit'));
    expect(await screen.findAllByText('Required')).toHaveLength(2);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('shows a clear message for wrong credentials', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(401, { code: 'invalid_credentials', message: 'invalid', details: null })));
    renderWithProviders(<LoginPage />);
    await userEvent.type(screen.getByLabelText(/Username/), 'admin');
    await userEvent.type(screen.getByLabelText(/^Password/), 'wrong-password');
    await userEvent.click(screen.getByTestId('login-submit'));
    expect(await screen.findByTestId('login-error')).toHaveTextContent('Invalid username or password.');
  });

  it('tells how long to wait when throttled and disables the button', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(429, { code: 'rate_limited', message: 'slow', details: null }, { 'Retry-After': '30' })));
    renderWithProviders(<LoginPage />);
    await userEvent.type(screen.getByLabelText(/Username/), 'admin');
    await userEvent.type(screen.getByLabelText(/^Password/), 'whatever-password');
    await userEvent.click(screen.getByTestId('login-submit'));
    await waitFor(() => expect(screen.getByTestId('login-error')).toHaveTextContent(/Try again in (30|29) seconds/));
    expect(screen.getByTestId('login-submit')).toBeDisabled();
  });
});
