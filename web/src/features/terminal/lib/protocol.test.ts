import { describe, expect, it } from 'vitest';
import {
  decodeClientFrame,
  decodeServerFrame,
  encodeAck,
  encodeGap,
  encodeHello,
  encodeInput,
  encodeJsonFrame,
  encodeOutput,
  encodePing,
  encodePong,
  encodeResize,
  OP,
} from './protocol';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

describe('client frames', () => {
  it('hello carries the big-endian u64 resume offset and the ticket', () => {
    const f = encodeHello(0x0102030405, 'tk');
    expect(hex(f)).toBe('10 00 00 00 01 02 03 04 05 74 6b');
    expect(decodeClientFrame(f)).toEqual({ type: 'hello', offset: 0x0102030405, ticket: 'tk' });
  });

  it('input is the opcode then the UTF-8 bytes', () => {
    expect(hex(encodeInput('é\r'))).toBe('01 c3 a9 0d');
    expect(hex(encodeInput(new Uint8Array([3])))).toBe('01 03');
  });

  it('resize is two big-endian u16', () => {
    expect(hex(encodeResize(300, 50))).toBe('02 01 2c 00 32');
    expect(decodeClientFrame(encodeResize(300, 50))).toEqual({ type: 'resize', cols: 300, rows: 50 });
  });

  it('ack and ping carry a u64', () => {
    expect(hex(encodeAck(65536))).toBe('03 00 00 00 00 00 01 00 00');
    expect(decodeClientFrame(encodePing(1_700_000_000_123))).toEqual({ type: 'ping', sentAt: 1_700_000_000_123 });
  });
});

describe('server frames', () => {
  it('decodes output with its offset', () => {
    const f = decodeServerFrame(encodeOutput(2 ** 40, 'hi').buffer);
    expect(f.type).toBe('output');
    if (f.type !== 'output') return;
    expect(f.offset).toBe(2 ** 40);
    expect(new TextDecoder().decode(f.data)).toBe('hi');
  });

  it('decodes a pong and maps NaN host latency to null', () => {
    expect(decodeServerFrame(encodePong(42, 3.5))).toEqual({ type: 'pong', sentAt: 42, hostMs: 3.5 });
    expect(decodeServerFrame(encodePong(42, null))).toEqual({ type: 'pong', sentAt: 42, hostMs: null });
  });

  it('decodes a gap', () => {
    expect(decodeServerFrame(encodeGap(10, 2000))).toEqual({ type: 'gap', from: 10, to: 2000 });
  });

  it('decodes closed and error JSON bodies', () => {
    expect(decodeServerFrame(encodeJsonFrame(OP.closed, { reason: 'exit', exit_status: 0 }))).toEqual({ type: 'closed', reason: 'exit', exitStatus: 0 });
    expect(decodeServerFrame(encodeJsonFrame(OP.closed, { reason: 'idle', exit_status: null }))).toEqual({ type: 'closed', reason: 'idle', exitStatus: null });
    expect(decodeServerFrame(encodeJsonFrame(OP.error, { code: 'bad_ticket', message: 'nope' }))).toEqual({ type: 'error', code: 'bad_ticket', message: 'nope' });
  });

  it('decodes frames that are views into a larger buffer', () => {
    const big = new Uint8Array(32);
    big.set(encodeGap(1, 2), 5);
    expect(decodeServerFrame(big.subarray(5, 22))).toEqual({ type: 'gap', from: 1, to: 2 });
  });

  it('reports truncated, empty and unknown frames as unknown', () => {
    expect(decodeServerFrame(new Uint8Array([OP.gap, 0, 0]))).toEqual({ type: 'unknown', opcode: OP.gap });
    expect(decodeServerFrame(new Uint8Array([]))).toEqual({ type: 'unknown', opcode: -1 });
    expect(decodeServerFrame(new Uint8Array([0x42]))).toEqual({ type: 'unknown', opcode: 0x42 });
    expect(decodeServerFrame(new Uint8Array([OP.closed, 0x7b]))).toEqual({ type: 'closed', reason: '', exitStatus: null });
  });
});
