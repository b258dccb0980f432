import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from './fake-socket';
import { encodeGap, encodeJsonFrame, encodeOutput, encodePong, OP } from './protocol';
import { ACK_BYTES, ACK_DELAY_MS, PING_INTERVAL_MS, TerminalClient, type TerminalSink } from './terminal-client';

const text = (d: Uint8Array | string) => (typeof d === 'string' ? d : new TextDecoder().decode(d));

/** A sink that renders at once, or holds the callbacks when `manual`. */
function makeSink(manual = false) {
  const writes: string[] = [];
  const pending: (() => void)[] = [];
  const sink: TerminalSink = {
    write(data, rendered) {
      writes.push(text(data));
      if (manual) pending.push(rendered);
      else rendered();
    },
  };
  return { sink, writes, pending, screen: () => writes.join('') };
}

function makeClient(sink: TerminalSink, extra: Partial<ConstructorParameters<typeof TerminalClient>[0]> = {}) {
  let n = 0;
  const fetchTicket = vi.fn(async () => `t${++n}`);
  const client = new TerminalClient({
    sessionId: 's1',
    url: 'ws://test/api/v1/terminal/ws',
    sink,
    ticket: 't0',
    fetchTicket,
    createSocket: (url) => new FakeSocket(url),
    size: { cols: 80, rows: 24 },
    backoffMs: () => 100,
    gapNotice: (bytes) => `[${bytes} dropped]`,
    ...extra,
  });
  return { client, fetchTicket };
}

/** Lets the ticket request resolve and the socket open. */
async function settle() {
  await vi.advanceTimersByTimeAsync(0);
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.all = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe('TerminalClient', () => {
  it('sends hello with the ticket first and writes output to the sink', async () => {
    const { sink, screen } = makeSink();
    const { client, fetchTicket } = makeClient(sink);
    client.connect();
    await settle();
    const ws = FakeSocket.latest();
    expect(ws.url).toBe('ws://test/api/v1/terminal/ws');
    expect(ws.binaryType).toBe('arraybuffer');
    ws.open();
    expect(ws.frames[0]).toEqual({ type: 'hello', offset: 0, ticket: 't0' });
    expect(fetchTicket).not.toHaveBeenCalled();
    expect(client.getSnapshot().status).toEqual({ kind: 'connected' });
    ws.receive(encodeOutput(0, 'hello '));
    ws.receive(encodeOutput(6, 'world'));
    expect(screen()).toBe('hello world');
    client.send('ls\r');
    expect(ws.of('input')).toEqual([{ type: 'input', data: 'ls\r' }]);
    client.dispose();
  });

  it('shows a cut-off warning; typing clears an idle one, not a maximum-duration one', async () => {
    const { sink } = makeSink();
    const { client } = makeClient(sink);
    client.connect();
    await settle();
    const ws = FakeSocket.latest();
    ws.open();
    const now = Date.now();
    ws.receive(encodeJsonFrame(OP.notice, { kind: 'idle', seconds_left: 60 }));
    expect(client.getSnapshot().notice).toEqual({ kind: 'idle', at: now + 60_000 });
    client.send('x');
    expect(client.getSnapshot().notice).toBeNull();
    ws.receive(encodeJsonFrame(OP.notice, { kind: 'max_duration', seconds_left: 300 }));
    client.send('y');
    expect(client.getSnapshot().notice).toMatchObject({ kind: 'max_duration' });
    client.dispose();
  });

  it('asks for a ticket when it has none (a restored tab)', async () => {
    const { sink } = makeSink();
    const { client, fetchTicket } = makeClient(sink, { ticket: null });
    client.connect();
    await settle();
    FakeSocket.latest().open();
    expect(fetchTicket).toHaveBeenCalledWith('s1');
    expect(FakeSocket.latest().frames[0]).toEqual({ type: 'hello', offset: 0, ticket: 't1' });
    client.dispose();
  });

  it('reconnects after a drop with a new ticket and resumes from the rendered offset, skipping duplicates', async () => {
    const { sink, screen } = makeSink();
    const { client, fetchTicket } = makeClient(sink);
    client.connect();
    await settle();
    const first = FakeSocket.latest();
    first.open();
    first.receive(encodeOutput(0, 'abc'));
    first.receive(encodeOutput(3, 'def'));
    first.drop();
    expect(client.getSnapshot().status).toMatchObject({ kind: 'reconnecting', attempt: 1 });

    await vi.advanceTimersByTimeAsync(100);
    expect(fetchTicket).toHaveBeenCalledTimes(1);
    const second = FakeSocket.latest();
    expect(second).not.toBe(first);
    second.open();
    expect(second.frames[0]).toEqual({ type: 'hello', offset: 6, ticket: 't1' });
    expect(client.getSnapshot().status).toEqual({ kind: 'connected' });
    // The server repeats a range that overlaps what is on screen: only the new part is written.
    second.receive(encodeOutput(4, 'efgh'));
    second.receive(encodeOutput(0, 'abcdefgh'));
    second.receive(encodeOutput(8, 'ij'));
    expect(screen()).toBe('abcdefghij');
    client.dispose();
  });

  it('resumes from what was rendered, not merely received, and drops the re-sent bytes', async () => {
    const { sink, pending, screen } = makeSink(true);
    const { client } = makeClient(sink);
    client.connect();
    await settle();
    const first = FakeSocket.latest();
    first.open();
    first.receive(encodeOutput(0, 'one'));
    first.receive(encodeOutput(3, 'two'));
    pending.shift()?.(); // "one" is on screen, "two" is still being parsed
    first.drop();
    await vi.advanceTimersByTimeAsync(100);
    const second = FakeSocket.latest();
    second.open();
    expect(second.frames[0]).toMatchObject({ type: 'hello', offset: 3 });
    second.receive(encodeOutput(3, 'two'));
    second.receive(encodeOutput(6, 'three'));
    expect(screen()).toBe('onetwothree');
    client.dispose();
  });

  it('backs off and gives up after the last attempt; reconnect() tries again', async () => {
    const { sink } = makeSink();
    const fetchTicket = vi.fn(async (): Promise<string> => {
      throw new Error('offline');
    });
    const { client } = makeClient(sink, { ticket: null, fetchTicket, maxAttempts: 2 });
    client.connect();
    await settle();
    expect(client.getSnapshot().status).toEqual({ kind: 'reconnecting', attempt: 1, error: 'offline' });
    await vi.advanceTimersByTimeAsync(100);
    expect(client.getSnapshot().status).toMatchObject({ kind: 'reconnecting', attempt: 2 });
    await vi.advanceTimersByTimeAsync(100);
    expect(client.getSnapshot().status).toEqual({ kind: 'disconnected', error: 'offline' });
    expect(fetchTicket).toHaveBeenCalledTimes(3);
    fetchTicket.mockResolvedValueOnce('late');
    client.reconnect();
    await settle();
    FakeSocket.latest().open();
    expect(FakeSocket.latest().frames[0]).toMatchObject({ type: 'hello', ticket: 'late' });
    client.dispose();
  });

  it('ends when the ticket request says the session is gone', async () => {
    const { sink } = makeSink();
    const fetchTicket = vi.fn(async () => {
      throw new Error('404');
    });
    const { client } = makeClient(sink, { ticket: null, fetchTicket, ticketFailureIsFinal: () => 'gone' });
    client.connect();
    await settle();
    expect(client.getSnapshot().status).toEqual({ kind: 'ended', reason: 'gone', exitStatus: null });
    client.dispose();
  });

  it('writes a dim notice for a gap and continues after it', async () => {
    const { sink, writes } = makeSink();
    const { client } = makeClient(sink);
    client.connect();
    await settle();
    const ws = FakeSocket.latest();
    ws.open();
    ws.receive(encodeGap(0, 1000));
    ws.receive(encodeOutput(1000, 'tail'));
    expect(writes[0]).toContain('\x1b[2m[1000 dropped]');
    expect(writes[1]).toBe('tail');
    vi.advanceTimersByTime(ACK_DELAY_MS);
    expect(ws.of('ack').at(-1)).toEqual({ type: 'ack', offset: 1004 });
    client.dispose();
  });

  it('acknowledges rendered output in batches: after 50 ms, or at once past 64 KiB', async () => {
    const { sink, pending } = makeSink(true);
    const { client } = makeClient(sink);
    client.connect();
    await settle();
    const ws = FakeSocket.latest();
    ws.open();
    ws.receive(encodeOutput(0, 'x'.repeat(100)));
    ws.receive(encodeOutput(100, 'y'.repeat(100)));
    vi.advanceTimersByTime(ACK_DELAY_MS * 2);
    expect(ws.of('ack')).toEqual([]); // nothing rendered yet
    pending.shift()?.();
    pending.shift()?.();
    expect(ws.of('ack')).toEqual([]);
    vi.advanceTimersByTime(ACK_DELAY_MS);
    expect(ws.of('ack')).toEqual([{ type: 'ack', offset: 200 }]);

    ws.receive(encodeOutput(200, new Uint8Array(ACK_BYTES)));
    pending.shift()?.();
    expect(ws.of('ack')).toEqual([
      { type: 'ack', offset: 200 },
      { type: 'ack', offset: 200 + ACK_BYTES },
    ]);
    vi.advanceTimersByTime(ACK_DELAY_MS * 4);
    expect(ws.of('ack')).toHaveLength(2);
    client.dispose();
  });

  it('sends a resize only when the size changes, also across reconnects', async () => {
    const { sink } = makeSink();
    const { client } = makeClient(sink);
    client.resize(80, 24); // the size the session was opened with
    client.connect();
    await settle();
    const ws = FakeSocket.latest();
    ws.open();
    client.resize(80, 24);
    expect(ws.of('resize')).toEqual([]);
    client.resize(100, 30);
    client.resize(100, 30);
    client.resize(100, 31);
    expect(ws.of('resize')).toEqual([
      { type: 'resize', cols: 100, rows: 30 },
      { type: 'resize', cols: 100, rows: 31 },
    ]);
    // Changed while away: sent once after the next hello.
    ws.drop();
    client.resize(120, 40);
    await vi.advanceTimersByTimeAsync(100);
    const again = FakeSocket.latest();
    again.open();
    expect(again.frames.map((f) => f.type)).toEqual(['hello', 'resize', 'ping']);
    expect(again.of('resize')).toEqual([{ type: 'resize', cols: 120, rows: 40 }]);
    client.dispose();
  });

  it('pings every 5 s and reports browser and host latency', async () => {
    vi.setSystemTime(1_000_000);
    const { sink } = makeSink();
    const { client } = makeClient(sink);
    client.connect();
    await settle();
    const ws = FakeSocket.latest();
    ws.open();
    expect(ws.of('ping')).toEqual([{ type: 'ping', sentAt: 1_000_000 }]);
    vi.advanceTimersByTime(PING_INTERVAL_MS);
    expect(ws.of('ping')).toHaveLength(2);
    const sentAt = ws.of('ping')[1]?.sentAt ?? 0;
    vi.advanceTimersByTime(12);
    ws.receive(encodePong(sentAt, 3.25));
    expect(client.getSnapshot()).toMatchObject({ rttMs: 12, hostMs: 3.25 });
    ws.receive(encodePong(sentAt, null));
    expect(client.getSnapshot().hostMs).toBeNull();
    client.dispose();
  });

  it('stops on a closed frame and does not reconnect', async () => {
    const { sink } = makeSink();
    const { client, fetchTicket } = makeClient(sink);
    const seen: string[] = [];
    client.subscribe(() => seen.push(client.getSnapshot().status.kind));
    client.connect();
    await settle();
    const ws = FakeSocket.latest();
    ws.open();
    ws.receive(encodeJsonFrame(OP.closed, { reason: 'the shell exited', exit_status: 0 }));
    ws.drop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(client.getSnapshot().status).toEqual({ kind: 'ended', reason: 'the shell exited', exitStatus: 0 });
    expect(fetchTicket).not.toHaveBeenCalled();
    expect(FakeSocket.all).toHaveLength(1);
    expect(seen).toEqual(['connecting', 'connected', 'ended']);
    client.dispose();
  });

  it('shows the error frame while reconnecting with a fresh ticket', async () => {
    const { sink } = makeSink();
    const { client, fetchTicket } = makeClient(sink);
    client.connect();
    await settle();
    const ws = FakeSocket.latest();
    ws.open();
    ws.receive(encodeJsonFrame(OP.error, { code: 'bad_ticket', message: 'the ticket is unknown' }));
    ws.drop();
    expect(client.getSnapshot().status).toEqual({ kind: 'reconnecting', attempt: 1, error: 'the ticket is unknown' });
    await vi.advanceTimersByTimeAsync(100);
    expect(fetchTicket).toHaveBeenCalledTimes(1);
    client.dispose();
  });

  it('dispose closes the socket and never reconnects', async () => {
    const { sink } = makeSink();
    const { client } = makeClient(sink);
    client.connect();
    await settle();
    const ws = FakeSocket.latest();
    ws.open();
    client.dispose();
    expect(ws.closedByClient).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});
