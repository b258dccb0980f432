import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/render';
import { resetAuthForTests, signInForTests } from '@/testing/session';
import type { Asciicast } from '../lib/asciicast';
import { RecordingsPage } from './recordings-page';

// xterm.js needs a real canvas/layout; the player itself is exercised through lib/asciicast tests.
vi.mock('./recording-player', () => ({
  RecordingPlayer: ({ cast }: { cast: Asciicast }) => (
    <div data-testid="recording-player">
      {cast.width}x{cast.height} {cast.events.length} events {cast.duration}s
    </div>
  ),
}));

const CAST = '{"version":2,"width":100,"height":30}\n[0.5,"o","hi"]\ngarbage\n[2,"o","there"]\n';

function stubFetch() {
  const calls: Request[] = [];
  const fetch = vi.fn(async (req: Request) => {
    calls.push(req);
    const url = new URL(req.url);
    if (url.pathname === '/api/v1/terminal/recordings') {
      const body = {
        items: [
          {
            id: 'r1',
            host_id: 'h1',
            host_name: 'web-1',
            user_id: 'u1',
            username: 'alice',
            started_at: '2025-01-01T10:00:00Z',
            ended_at: '2025-01-01T10:01:05Z',
            bytes: 2048,
          },
        ],
        total: 1,
        limit: Number(url.searchParams.get('limit')),
        offset: 0,
      };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }
    if (url.pathname === '/api/v1/terminal/recordings/r1') return new Response(CAST, { status: 200, headers: { 'Content-Type': 'application/x-asciicast' } });
    return new Response('{"code":"not_found","message":"nope"}', { status: 404, headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetch);
  return calls;
}

describe('RecordingsPage', () => {
  beforeEach(() => signInForTests(['recordings:view']));
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  it('lists recordings and plays one fetched as authenticated asciicast text', async () => {
    const calls = stubFetch();
    renderWithProviders(<RecordingsPage />);
    const row = await screen.findByTestId('recording-row');
    expect(row).toHaveTextContent('web-1');
    expect(row).toHaveTextContent('alice');
    expect(row).toHaveTextContent('1:05');
    expect(row).toHaveTextContent('2 KiB');
    await userEvent.click(within(row).getByTestId('recording-open-r1'));
    expect(await screen.findByTestId('recording-player')).toHaveTextContent('100x30 2 events 2s');
    const castCall = calls.find((r) => new URL(r.url).pathname === '/api/v1/terminal/recordings/r1');
    expect(castCall?.headers.get('Authorization')).toBe('Bearer test-token');
  });
});
