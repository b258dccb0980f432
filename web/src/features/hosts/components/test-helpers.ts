import type { Host, HostPage } from '@/api/types';

export { json, makeHost } from '@/testing/fixtures';

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
