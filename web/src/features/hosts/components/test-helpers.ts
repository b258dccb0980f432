import type { Host, HostPage } from '@/api/types';

export const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

export function makeHost(patch: Partial<Host> = {}): Host {
  return {
    id: 'h1',
    name: 'web-01',
    address: '10.0.0.11',
    port: 22,
    os: 'linux',
    environment: 'prod',
    description: '',
    tags: { role: 'web' },
    status: 'unknown',
    effective_check_method: 'tcp',
    check_method: null,
    credential_id: null,
    credential_name: null,
    last_check_at: null,
    latency_ms: null,
    last_error: null,
    host_key_fingerprint: null,
    legacy_ssh: false,
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
    version: 1,
    ...patch,
  };
}

export function makePage(items: Host[], patch: Partial<HostPage> = {}): HostPage {
  return {
    items,
    total: items.length,
    limit: 25,
    offset: 0,
    facets: {
      status: [
        { value: 'online', count: 2 },
        { value: 'offline', count: 1 },
      ],
      environment: [
        { value: 'prod', count: 3 },
        { value: '', count: 1 },
      ],
      os: [{ value: 'linux', count: 4 }],
    },
    ...patch,
  };
}

/** A text/event-stream response whose chunks the test pushes. */
export function eventStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const encoder = new TextEncoder();
  return {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    push: (text: string) => controller.enqueue(encoder.encode(text)),
  };
}
