// The terminal WebSocket's binary frames (see crates/api/src/routes/terminal.rs): the first byte
// is an opcode, integers are big-endian. Offsets are u64 on the wire and numbers here: a session
// would need 8 PiB of output to lose precision.

export const OP = {
  input: 0x01,
  output: 0x01,
  resize: 0x02,
  ack: 0x03,
  pong: 0x03,
  ping: 0x04,
  gap: 0x05,
  closed: 0x06,
  error: 0x07,
  notice: 0x08,
  hello: 0x10,
} as const;

export type ServerFrame =
  | { type: 'output'; offset: number; data: Uint8Array }
  | { type: 'pong'; sentAt: number; hostMs: number | null }
  | { type: 'gap'; from: number; to: number }
  | { type: 'closed'; reason: string; exitStatus: number | null }
  | { type: 'error'; code: string; message: string }
  /** A cut-off is near: `idle` (typing resets it) or `max_duration`. */
  | { type: 'notice'; kind: string; secondsLeft: number }
  | { type: 'unknown'; opcode: number };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function frame(opcode: number, bodyLength: number): { bytes: Uint8Array<ArrayBuffer>; view: DataView } {
  const bytes = new Uint8Array(1 + bodyLength);
  bytes[0] = opcode;
  return { bytes, view: new DataView(bytes.buffer) };
}

function setU64(view: DataView, at: number, value: number): void {
  view.setBigUint64(at, BigInt(Math.max(0, Math.floor(value))));
}

function getU64(view: DataView, at: number): number {
  return Number(view.getBigUint64(at));
}

/** The first frame of every connection: where to resume and the single-use ticket. */
export function encodeHello(resumeOffset: number, ticket: string): Uint8Array<ArrayBuffer> {
  const t = encoder.encode(ticket);
  const { bytes, view } = frame(OP.hello, 8 + t.length);
  setU64(view, 1, resumeOffset);
  bytes.set(t, 9);
  return bytes;
}

export function encodeInput(data: string | Uint8Array): Uint8Array<ArrayBuffer> {
  const body = typeof data === 'string' ? encoder.encode(data) : data;
  const { bytes } = frame(OP.input, body.length);
  bytes.set(body, 1);
  return bytes;
}

export function encodeResize(cols: number, rows: number): Uint8Array<ArrayBuffer> {
  const { bytes, view } = frame(OP.resize, 4);
  view.setUint16(1, cols);
  view.setUint16(3, rows);
  return bytes;
}

/** Everything before `offset` has been rendered. */
export function encodeAck(offset: number): Uint8Array<ArrayBuffer> {
  const { bytes, view } = frame(OP.ack, 8);
  setU64(view, 1, offset);
  return bytes;
}

export function encodePing(timestampMs: number): Uint8Array<ArrayBuffer> {
  const { bytes, view } = frame(OP.ping, 8);
  setU64(view, 1, timestampMs);
  return bytes;
}

function parseJson(bytes: Uint8Array): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(decoder.decode(bytes));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Decodes a frame from the server; malformed frames come back as `unknown`. */
export function decodeServerFrame(input: ArrayBuffer | Uint8Array): ServerFrame {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const opcode = bytes[0];
  if (opcode === undefined) return { type: 'unknown', opcode: -1 };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (opcode) {
    case OP.output:
      if (bytes.length < 9) break;
      return { type: 'output', offset: getU64(view, 1), data: bytes.subarray(9) };
    case OP.pong: {
      if (bytes.length < 17) break;
      const host = view.getFloat64(9);
      return { type: 'pong', sentAt: getU64(view, 1), hostMs: Number.isFinite(host) ? host : null };
    }
    case OP.gap:
      if (bytes.length < 17) break;
      return { type: 'gap', from: getU64(view, 1), to: getU64(view, 9) };
    case OP.closed: {
      const j = parseJson(bytes.subarray(1));
      return {
        type: 'closed',
        reason: typeof j.reason === 'string' ? j.reason : '',
        exitStatus: typeof j.exit_status === 'number' ? j.exit_status : null,
      };
    }
    case OP.notice: {
      const j = parseJson(bytes.subarray(1));
      return {
        type: 'notice',
        kind: typeof j.kind === 'string' ? j.kind : 'unknown',
        secondsLeft: typeof j.seconds_left === 'number' ? j.seconds_left : 0,
      };
    }
    case OP.error: {
      const j = parseJson(bytes.subarray(1));
      return {
        type: 'error',
        code: typeof j.code === 'string' ? j.code : 'unknown',
        message: typeof j.message === 'string' ? j.message : '',
      };
    }
  }
  return { type: 'unknown', opcode };
}

// Server-side encoders, for tests and fakes.

export function encodeOutput(offset: number, data: string | Uint8Array): Uint8Array<ArrayBuffer> {
  const body = typeof data === 'string' ? encoder.encode(data) : data;
  const { bytes, view } = frame(OP.output, 8 + body.length);
  setU64(view, 1, offset);
  bytes.set(body, 9);
  return bytes;
}

export function encodePong(sentAt: number, hostMs: number | null): Uint8Array<ArrayBuffer> {
  const { bytes, view } = frame(OP.pong, 16);
  setU64(view, 1, sentAt);
  view.setFloat64(9, hostMs ?? Number.NaN);
  return bytes;
}

export function encodeGap(from: number, to: number): Uint8Array<ArrayBuffer> {
  const { bytes, view } = frame(OP.gap, 16);
  setU64(view, 1, from);
  setU64(view, 9, to);
  return bytes;
}

export function encodeJsonFrame(opcode: typeof OP.closed | typeof OP.error | typeof OP.notice, value: unknown): Uint8Array<ArrayBuffer> {
  const body = encoder.encode(JSON.stringify(value));
  const { bytes } = frame(opcode, body.length);
  bytes.set(body, 1);
  return bytes;
}

/** Client frames as a server sees them, for tests. */
export type ClientFrame =
  | { type: 'hello'; offset: number; ticket: string }
  | { type: 'input'; data: string }
  | { type: 'resize'; cols: number; rows: number }
  | { type: 'ack'; offset: number }
  | { type: 'ping'; sentAt: number }
  | { type: 'unknown'; opcode: number };

export function decodeClientFrame(input: ArrayBuffer | Uint8Array): ClientFrame {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (bytes[0]) {
    case OP.hello:
      return { type: 'hello', offset: getU64(view, 1), ticket: decoder.decode(bytes.subarray(9)) };
    case OP.input:
      return { type: 'input', data: decoder.decode(bytes.subarray(1)) };
    case OP.resize:
      return { type: 'resize', cols: view.getUint16(1), rows: view.getUint16(3) };
    case OP.ack:
      return { type: 'ack', offset: getU64(view, 1) };
    case OP.ping:
      return { type: 'ping', sentAt: getU64(view, 1) };
  }
  return { type: 'unknown', opcode: bytes[0] ?? -1 };
}
