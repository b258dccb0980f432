// A WebSocket stand-in for tests: records what the client sends and lets the test play the server.
import { decodeClientFrame, type ClientFrame } from './protocol';
import type { SocketLike } from './terminal-client';

export class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  binaryType: BinaryType = 'blob';
  readyState = 0;
  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onclose: ((ev: CloseEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  readonly frames: ClientFrame[] = [];
  closedByClient = false;

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }

  static latest(): FakeSocket {
    const s = FakeSocket.all.at(-1);
    if (!s) throw new Error('no socket was created');
    return s;
  }

  send(data: Uint8Array<ArrayBuffer>): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.frames.push(decodeClientFrame(data));
  }

  close(): void {
    this.closedByClient = true;
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  /** The server sends a frame. */
  receive(frame: Uint8Array): void {
    const copy = frame.slice().buffer;
    this.onmessage?.(new MessageEvent('message', { data: copy }));
  }

  /** The connection drops. */
  drop(): void {
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close', { code: 1006 }));
  }

  of<T extends ClientFrame['type']>(type: T): Extract<ClientFrame, { type: T }>[] {
    return this.frames.filter((f): f is Extract<ClientFrame, { type: T }> => f.type === type);
  }
}
