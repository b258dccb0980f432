import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Schedule, ScheduleInput } from '@/api/types';
import { json } from '@/testing/fixtures';
import { renderWithProviders } from '@/testing/render';
import { resetAuthForTests, signInForTests } from '@/testing/session';
import { SchedulesPage } from './schedules-page';

const schedule = (patch: Partial<Schedule>): Schedule => ({
  id: 's1',
  playbook_id: 'p1',
  name: 'Nightly',
  description: 'At 02:00',
  cron: '0 2 * * *',
  interval_seconds: null,
  timezone: 'Europe/Berlin',
  enabled: true,
  ends_at: null,
  overlap: 'skip',
  missed: 'run_once',
  overrides: { targets: { hosts: [], groups: ['web'], rule: null } },
  next: ['2030-01-01T01:00:00Z', '2030-01-02T01:00:00Z'],
  last_fired_at: '2029-12-31T01:00:00Z',
  last_run_id: 'r9',
  created_at: '2025-01-01T00:00:00Z',
  ...patch,
});

function mockApi(items: Schedule[]) {
  const calls: { method: string; path: string; body?: ScheduleInput }[] = [];
  let list = items;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url);
      if (url.pathname === '/api/v1/schedules' && req.method === 'GET') return json(200, list);
      if (url.pathname === '/api/v1/playbooks' && req.method === 'GET')
        return json(200, { items: [{ id: 'p1', name: 'Patch' }, { id: 'p2', name: 'Backup' }], total: 2, limit: 500, offset: 0 });
      const one = /^\/api\/v1\/schedules\/(\w+)$/.exec(url.pathname);
      if (one && req.method === 'PUT') {
        const body = (await req.clone().json()) as ScheduleInput;
        calls.push({ method: 'PUT', path: url.pathname, body });
        list = list.map((s) => (s.id === one[1] ? { ...s, enabled: body.enabled ?? s.enabled } : s));
        return json(200, list.find((s) => s.id === one[1]));
      }
      if (one && req.method === 'DELETE') {
        calls.push({ method: 'DELETE', path: url.pathname });
        list = list.filter((s) => s.id !== one[1]);
        return new Response(null, { status: 204 });
      }
      return json(404, { code: 'not_found', message: 'not found' });
    }),
  );
  return calls;
}

describe('SchedulesPage', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  describe('with playbooks:manage', () => {
    beforeEach(() => signInForTests(['playbooks:read', 'playbooks:manage']));

    it('lists schedules with their playbook, timing and next fire times', async () => {
      mockApi([schedule({}), schedule({ id: 's2', playbook_id: 'p2', name: 'Hourly backup', cron: null, interval_seconds: 3600, enabled: false, last_run_id: null, last_fired_at: null })]);
      renderWithProviders(<SchedulesPage />);
      const rows = await screen.findAllByTestId('schedule-row');
      expect(rows).toHaveLength(2);
      const [nightly, hourly] = rows as [HTMLElement, HTMLElement];
      await waitFor(() => expect(within(nightly).getByRole('link', { name: 'Patch' })).toHaveAttribute('href', '/playbooks/p1'));
      expect(nightly).toHaveTextContent('0 2 * * * · Europe/Berlin');
      expect(within(nightly).getByTestId('schedule-next').children).toHaveLength(2);
      expect(within(nightly).getByTestId('schedule-toggle')).toBeChecked();
      expect(within(hourly).getByRole('link', { name: 'Backup' })).toBeInTheDocument();
      expect(hourly).toHaveTextContent('Never');
      // A disabled schedule shows no next fire times.
      expect(within(hourly).getByTestId('schedule-next')).toHaveTextContent('—');
      expect(within(hourly).getByTestId('schedule-toggle')).not.toBeChecked();
    });

    it('the switch saves the schedule with enabled toggled', async () => {
      const calls = mockApi([schedule({})]);
      renderWithProviders(<SchedulesPage />);
      const toggle = await screen.findByTestId('schedule-toggle');
      await userEvent.click(toggle);
      await waitFor(() => expect(calls).toHaveLength(1));
      expect(calls[0]).toMatchObject({
        method: 'PUT',
        path: '/api/v1/schedules/s1',
        body: { playbook_id: 'p1', name: 'Nightly', cron: '0 2 * * *', timezone: 'Europe/Berlin', enabled: false, overrides: { targets: { groups: ['web'] } } },
      });
      // The list is read again and shows the new state.
      await waitFor(() => expect(screen.getByTestId('schedule-toggle')).not.toBeChecked());

      await userEvent.click(screen.getByTestId('schedule-toggle'));
      await waitFor(() => expect(calls).toHaveLength(2));
      expect(calls[1]?.body?.enabled).toBe(true);
    });

    it('asks before deleting a schedule', async () => {
      const calls = mockApi([schedule({})]);
      renderWithProviders(<SchedulesPage />);
      await userEvent.click(await screen.findByTestId('schedule-delete'));
      expect(await screen.findByTestId('schedule-delete-confirm')).toBeInTheDocument();
      expect(calls).toEqual([]);

      await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
      await waitFor(() => expect(screen.queryByTestId('schedule-delete-confirm')).not.toBeInTheDocument());
      expect(calls).toEqual([]);

      await userEvent.click(screen.getByTestId('schedule-delete'));
      await userEvent.click(await screen.findByTestId('schedule-delete-confirm'));
      await waitFor(() => expect(calls).toEqual([{ method: 'DELETE', path: '/api/v1/schedules/s1' }]));
      // Gone from the list: the empty state is shown.
      expect(await screen.findByText(/No schedules/i)).toBeInTheDocument();
    });
  });

  it('read-only users see the switch disabled and no edit or delete', async () => {
    signInForTests(['playbooks:read']);
    mockApi([schedule({})]);
    renderWithProviders(<SchedulesPage />);
    expect(await screen.findByTestId('schedule-toggle')).toBeDisabled();
    expect(screen.queryByTestId('schedule-delete')).not.toBeInTheDocument();
    expect(screen.queryByTestId('schedule-edit')).not.toBeInTheDocument();
    expect(screen.queryByTestId('schedules-new')).not.toBeInTheDocument();
  });
});
