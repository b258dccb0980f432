import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScheduleInput, SchedulePreviewRequest } from '@/api/types';
import { json } from '@/testing/fixtures';
import { renderWithProviders } from '@/testing/render';
import { resetAuthForTests, signInForTests } from '@/testing/session';
import { ScheduleFormModal } from './schedule-form-modal';

describe('ScheduleFormModal', () => {
  beforeEach(() => signInForTests(['playbooks:read', 'playbooks:manage']));
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  it('previews the timing live (also when invalid) and creates the schedule', async () => {
    const previews: SchedulePreviewRequest[] = [];
    const saved: ScheduleInput[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        const url = new URL(req.url);
        if (url.pathname === '/api/v1/schedules/preview') {
          const body = (await req.clone().json()) as SchedulePreviewRequest;
          previews.push(body);
          if (body.cron === 'nope') return json(422, { code: 'validation_failed', message: 'not a valid cron expression', details: { fields: { cron: 'not a valid cron expression' } } });
          return json(200, { description: `described ${body.cron ?? body.interval_seconds}`, next: ['2030-01-01T02:00:00Z', '2030-01-02T02:00:00Z'] });
        }
        if (url.pathname === '/api/v1/schedules' && req.method === 'POST') {
          saved.push((await req.clone().json()) as ScheduleInput);
          return json(201, { id: 's1' });
        }
        return json(404, { code: 'not_found', message: 'not found' });
      }),
    );
    const onClose = vi.fn();
    renderWithProviders(<ScheduleFormModal playbookId="p1" onClose={onClose} />);
    expect(await screen.findByTestId('schedule-preview-description')).toHaveTextContent('described 0 2 * * *');

    fireEvent.change(screen.getByTestId('schedule-cron'), { target: { value: 'nope' } });
    expect(await screen.findByTestId('schedule-preview-error')).toHaveTextContent('not a valid cron expression');

    fireEvent.change(screen.getByTestId('schedule-cron'), { target: { value: '30 2 * * 1-5' } });
    await waitFor(() => expect(screen.getByTestId('schedule-preview-description')).toHaveTextContent('described 30 2 * * 1-5'));
    expect(screen.getByTestId('schedule-preset')).toHaveValue('Weekdays at 02:30');

    await userEvent.type(screen.getByTestId('schedule-name'), 'Nightly');
    await userEvent.click(screen.getByTestId('schedule-save'));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(saved[0]).toMatchObject({ playbook_id: 'p1', name: 'Nightly', cron: '30 2 * * 1-5', interval_seconds: null, timezone: 'UTC', overlap: 'skip', missed: 'run_once', enabled: true });
    expect(previews.every((p) => p.timezone === 'UTC')).toBe(true);
  });
});
