import type { Host } from '@/api/types';

/** A JSON response for stubbed fetches. */
export const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A host with sensible defaults; `patch` overrides fields. */
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
    terminal_recording: 'default',
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
    version: 1,
    ...patch,
  };
}
