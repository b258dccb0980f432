import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Settings } from '@/api/types';
import { json } from '@/testing/fixtures';
import { renderWithProviders } from '@/testing/render';
import { resetAuthForTests, signInForTests } from '@/testing/session';
import { SettingsPage } from './settings-page';

const SETTINGS: Settings = {
  session_idle_timeout_minutes: 480,
  session_absolute_lifetime_hours: 168,
  audit_retention_days: 365,
  run_retention_days: 90,
  runs_kept_per_playbook: 0,
  run_logs_max_mb: 0,
  version: 3,
};

function mockSettings() {
  const puts: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url);
      if (url.pathname === '/api/v1/settings' && req.method === 'GET') return json(200, SETTINGS);
      if (url.pathname === '/api/v1/settings' && req.method === 'PUT') {
        const body = (await req.json()) as Settings;
        puts.push(body);
        return json(200, { ...body, version: body.version + 1 });
      }
      return json(404, { code: 'not_found', message: 'not found' });
    }),
  );
  return puts;
}

describe('SettingsPage', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  describe('as an admin', () => {
    beforeEach(() => signInForTests(['settings:read', 'settings:update']));

    it('shows the run retention in force and saves a change with the other settings', async () => {
      const puts = mockSettings();
      renderWithProviders(<SettingsPage />);
      const days = await screen.findByLabelText(/Keep finished runs/);
      expect(days).toHaveValue('90');
      await userEvent.clear(days);
      await userEvent.type(days, '30');
      await userEvent.click(screen.getByTestId('settings-save'));
      await waitFor(() => expect(puts).toHaveLength(1));
      expect(puts[0]).toEqual({ ...SETTINGS, run_retention_days: 30 });
    });

    it('keeps values in the range the server accepts', async () => {
      const puts = mockSettings();
      renderWithProviders(<SettingsPage />);
      const kept = await screen.findByLabelText(/Runs kept per playbook/);
      await userEvent.clear(kept);
      await userEvent.type(kept, '200000');
      await userEvent.click(screen.getByTestId('settings-save'));
      await waitFor(() => expect(puts).toHaveLength(1));
      expect(puts[0]).toEqual({ ...SETTINGS, runs_kept_per_playbook: 100000 });
    });

    it('shows a field refused by the server on that field', async () => {
      vi.stubGlobal(
        'fetch',
        vi.fn(async (req: Request) =>
          req.method === 'GET'
            ? json(200, SETTINGS)
            : json(422, { code: 'validation_failed', message: 'Some fields are invalid.', details: { fields: { run_logs_max_mb: 'must be between 0 (no limit) and 10000000 MiB' } } }),
        ),
      );
      renderWithProviders(<SettingsPage />);
      const logs = await screen.findByLabelText(/Run output kept in all/);
      await userEvent.type(logs, '5');
      await userEvent.click(screen.getByTestId('settings-save'));
      expect(await screen.findByText(/10000000 MiB/)).toBeInTheDocument();
    });
  });

  it('is read-only without the update permission', async () => {
    signInForTests(['settings:read']);
    mockSettings();
    renderWithProviders(<SettingsPage />);
    expect(await screen.findByLabelText(/Keep finished runs/)).toBeDisabled();
    expect(screen.queryByTestId('settings-save')).not.toBeInTheDocument();
  });
});
