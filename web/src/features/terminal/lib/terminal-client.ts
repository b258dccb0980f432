// One terminal session's connection, independent of React and of xterm.js: it speaks the frame
// protocol, writes output to a sink exactly once in order (resuming by byte offset across
// reconnects), acknowledges output once the sink has rendered it, and reconnects with back-off.
import { decodeServerFrame, encodeAck, encodeHello, encodeInput, encodePing, encodeResize } from './protocol';

/** The part of a WebSocket the client uses (a fake implements it in tests). */
export interface SocketLike {
  binaryType: BinaryType;
  readonly readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  send(data: Uint8Array<ArrayBuffer>): void;
  close(code?: number, reason?: string): void;
}

/** Where output goes: `rendered` is called once the data is on screen (xterm's write callback). */
export interface TerminalSink {
  write(data: Uint8Array | string, rendered: () => void): void;
}

export type TerminalStatus =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'reconnecting'; attempt: number; error: string | null }
  /** Gave up reconnecting; the session may still be alive (`reconnect()` tries again). */
  | { kind: 'disconnected'; error: string | null }
  /** The session is over on the server. */
  | { kind: 'ended'; reason: string; exitStatus: number | null };

export interface TerminalSnapshot {
  status: TerminalStatus;
  /** Browser↔server round trip of the last ping. */
  rttMs: number | null;
  /** Server↔host latency as the server measured it. */
  hostMs: number | null;
  /** A warning that the server will cut the session off at `at` (epoch ms). */
  notice: { kind: string; at: number } | null;
}

export interface TerminalClientOptions {
  sessionId: string;
  url: string;
  sink: TerminalSink;
  /** A ticket from opening the session; without one the client asks for one first. */
  ticket?: string | null;
  fetchTicket: (sessionId: string) => Promise<string>;
  /** A reason when a failed ticket request means the session is gone (no more retries). */
  ticketFailureIsFinal?: (error: unknown) => string | null;
  createSocket?: (url: string) => SocketLike;
  /** The size the session was opened with (a resize to the same size is not sent). */
  size?: { cols: number; rows: number } | null;
  /** The dim line written where output was dropped while away. */
  gapNotice?: (bytes: number) => string;
  backoffMs?: (attempt: number) => number;
  maxAttempts?: number;
}

/** Acknowledge at least every this many rendered bytes… */
export const ACK_BYTES = 64 * 1024;
/** …or this long after the first unacknowledged byte was rendered. */
export const ACK_DELAY_MS = 50;
export const PING_INTERVAL_MS = 5000;
const OPEN = 1;

const defaultBackoff = (attempt: number) => Math.min(15_000, 500 * 2 ** Math.max(0, attempt - 1));

function browserSocket(url: string): SocketLike {
  return new WebSocket(url);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class TerminalClient {
  private readonly opts: TerminalClientOptions;
  private socket: SocketLike | null = null;
  private ticket: string | null;
  /** Offset of the next byte the sink has not been given. */
  private nextOffset = 0;
  /** Offset after the last byte the sink has rendered. */
  private renderedOffset = 0;
  private ackedOffset = 0;
  private ackTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private wanted: { cols: number; rows: number } | null = null;
  private sent: { cols: number; rows: number } | null;
  private disposed = false;
  /** The message of an error frame, shown while reconnecting. */
  private lastError: string | null = null;
  private snapshot: TerminalSnapshot = { status: { kind: 'connecting' }, rttMs: null, hostMs: null, notice: null };
  private readonly listeners = new Set<() => void>();

  constructor(opts: TerminalClientOptions) {
    this.opts = opts;
    this.ticket = opts.ticket ?? null;
    this.sent = opts.size ?? null;
  }

  /** Current state; a new object after every change (for useSyncExternalStore). */
  getSnapshot = (): TerminalSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The offset the next connection resumes from (everything before it is on screen). */
  get resumeOffset(): number {
    return this.renderedOffset;
  }

  get sessionId(): string {
    return this.opts.sessionId;
  }

  connect(): void {
    if (this.disposed || this.socket) return;
    this.setStatus({ kind: 'connecting' });
    void this.dial();
  }

  /** Tries again after giving up (`disconnected`). */
  reconnect(): void {
    if (this.disposed || this.snapshot.status.kind === 'ended') return;
    this.clearRetry();
    this.attempt = 0;
    this.dropSocket();
    this.setStatus({ kind: 'connecting' });
    void this.dial();
  }

  /** Keystrokes or pasted text; dropped while not connected. */
  send(data: string | Uint8Array): void {
    if (!this.isOpen()) return;
    this.socket?.send(encodeInput(data));
    // Typing is what resets an idle cut-off.
    if (this.snapshot.notice?.kind === 'idle') this.update({ notice: null });
  }

  /** Sends the new size, unless it is what the server already has. */
  resize(cols: number, rows: number): void {
    if (cols < 1 || rows < 1) return;
    this.wanted = { cols, rows };
    this.flushResize();
  }

  /** Stops for good: closes the socket and never reconnects (the session itself stays open). */
  dispose(): void {
    this.disposed = true;
    this.clearRetry();
    this.stopTimers();
    this.flushAck();
    this.dropSocket();
    this.listeners.clear();
  }

  private isOpen(): boolean {
    return this.socket !== null && this.socket.readyState === OPEN;
  }

  private setStatus(status: TerminalStatus): void {
    this.update({ status });
  }

  private update(patch: Partial<TerminalSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l();
  }

  private async dial(): Promise<void> {
    let ticket = this.ticket;
    this.ticket = null; // single-use
    if (!ticket) {
      try {
        ticket = await this.opts.fetchTicket(this.opts.sessionId);
      } catch (e) {
        if (this.disposed) return;
        const final = this.opts.ticketFailureIsFinal?.(e) ?? null;
        if (final !== null) {
          this.end(final, null);
          return;
        }
        this.scheduleRetry(describe(e));
        return;
      }
    }
    if (this.disposed) return;
    const socket = (this.opts.createSocket ?? browserSocket)(this.opts.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    const resume = this.renderedOffset;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      socket.send(encodeHello(resume, ticket));
      this.attempt = 0;
      this.setStatus({ kind: 'connected' });
      this.flushAck();
      this.flushResize();
      this.ping();
      this.pingTimer = setInterval(() => this.ping(), PING_INTERVAL_MS);
    };
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return;
      if (ev.data instanceof ArrayBuffer || ev.data instanceof Uint8Array) this.onFrame(ev.data);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopTimers();
      if (this.disposed || this.snapshot.status.kind === 'ended') return;
      this.scheduleRetry(this.lastError);
    };
    socket.onerror = () => undefined; // a close event follows
  }

  private onFrame(data: ArrayBuffer | Uint8Array): void {
    const f = decodeServerFrame(data);
    switch (f.type) {
      case 'output':
        this.onOutput(f.offset, f.data);
        break;
      case 'gap':
        this.onGap(f.from, f.to);
        break;
      case 'pong':
        this.update({ rttMs: Math.max(0, Date.now() - f.sentAt), hostMs: f.hostMs });
        break;
      case 'closed':
        this.flushAck();
        this.end(f.reason, f.exitStatus);
        break;
      case 'notice':
        this.update({ notice: { kind: f.kind, at: Date.now() + f.secondsLeft * 1000 } });
        break;
      case 'error':
        // The server closes the socket next; a reconnect gets a fresh ticket.
        this.lastError = f.message || f.code;
        break;
      case 'unknown':
        break;
    }
  }

  private onOutput(offset: number, data: Uint8Array): void {
    const end = offset + data.length;
    if (end <= this.nextOffset) return; // already written
    if (offset > this.nextOffset) this.writeGap(offset - this.nextOffset, offset);
    const chunk = offset < this.nextOffset ? data.subarray(this.nextOffset - offset) : data;
    this.nextOffset = end;
    this.opts.sink.write(chunk, () => this.rendered(end));
  }

  private onGap(from: number, to: number): void {
    if (to <= this.nextOffset) return;
    this.writeGap(to - Math.max(from, this.nextOffset), to);
  }

  private writeGap(bytes: number, to: number): void {
    this.nextOffset = to;
    const text = this.opts.gapNotice?.(bytes) ?? `[${bytes} bytes of output were dropped]`;
    this.opts.sink.write(`\r\n\x1b[2m${text}\x1b[0m\r\n`, () => this.rendered(to));
  }

  private rendered(offset: number): void {
    if (offset <= this.renderedOffset) return;
    this.renderedOffset = offset;
    if (this.renderedOffset - this.ackedOffset >= ACK_BYTES) this.flushAck();
    else this.ackTimer ??= setTimeout(() => this.flushAck(), ACK_DELAY_MS);
  }

  private flushAck(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    if (this.renderedOffset <= this.ackedOffset || !this.isOpen()) return;
    this.socket?.send(encodeAck(this.renderedOffset));
    this.ackedOffset = this.renderedOffset;
  }

  private flushResize(): void {
    const w = this.wanted;
    if (!w || !this.isOpen()) return;
    if (this.sent && this.sent.cols === w.cols && this.sent.rows === w.rows) return;
    this.socket?.send(encodeResize(w.cols, w.rows));
    this.sent = w;
  }

  private ping(): void {
    if (this.isOpen()) this.socket?.send(encodePing(Date.now()));
  }

  private end(reason: string, exitStatus: number | null): void {
    this.clearRetry();
    this.stopTimers();
    this.setStatus({ kind: 'ended', reason, exitStatus });
  }

  private scheduleRetry(error: string | null): void {
    this.attempt += 1;
    this.lastError = null;
    const max = this.opts.maxAttempts ?? 10;
    if (this.attempt > max) {
      this.setStatus({ kind: 'disconnected', error });
      return;
    }
    this.setStatus({ kind: 'reconnecting', attempt: this.attempt, error });
    const delay = (this.opts.backoffMs ?? defaultBackoff)(this.attempt);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.dial();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private stopTimers(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
  }

  private dropSocket(): void {
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onopen = null;
      s.onmessage = null;
      s.onclose = null;
      s.onerror = null;
      s.close();
    }
  }
}
