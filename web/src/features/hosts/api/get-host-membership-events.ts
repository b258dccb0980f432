import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { MembershipEventPage } from '@/api/types';

export const HOST_MEMBERSHIP_PAGE = 200;

/** The groups this host joined and left, newest first. */
export function getHostMembershipEvents(id: string): Promise<MembershipEventPage> {
  return unwrap(api.GET('/api/v1/hosts/{id}/membership-events', { params: { path: { id }, query: { limit: HOST_MEMBERSHIP_PAGE } } }));
}

// Keyed under `groups` so that membership changes made on the groups pages refresh it too.
export const hostMembershipQueryOptions = (id: string) =>
  queryOptions({ queryKey: ['groups', 'host-membership', id] as const, queryFn: () => getHostMembershipEvents(id) });

export function useHostMembershipEvents(id: string) {
  return useQuery(hostMembershipQueryOptions(id));
}
