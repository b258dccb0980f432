import type { QueryClient } from '@tanstack/react-query';
import type { Host, HostPage, HostStatusUpdate } from '@/api/types';
import { hostKeys } from '../api/keys';

/** The host with a check result applied; an older result than the one shown is ignored. */
export function patchHost(host: Host, u: HostStatusUpdate): Host {
  if (host.last_check_at && Date.parse(host.last_check_at) > Date.parse(u.checked_at)) return host;
  return { ...host, status: u.status, last_check_at: u.checked_at, latency_ms: u.latency_ms ?? null, last_error: u.error ?? null };
}

/** Patches every cached list page holding the host, and its detail, without refetching. */
export function applyStatusUpdate(client: QueryClient, u: HostStatusUpdate): void {
  client.setQueriesData<HostPage>({ queryKey: hostKeys.lists() }, (page) =>
    page && page.items.some((h) => h.id === u.host_id)
      ? { ...page, items: page.items.map((h) => (h.id === u.host_id ? patchHost(h, u) : h)) }
      : page,
  );
  client.setQueryData<Host>(hostKeys.detail(u.host_id), (h) => (h ? patchHost(h, u) : h));
}
