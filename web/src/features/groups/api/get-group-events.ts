import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { MembershipEventPage } from '@/api/types';
import { groupKeys } from './keys';

export const GROUP_EVENTS_PAGE = 25;

/** Who joined and left the group, newest first. */
export function getGroupEvents(id: string, offset: number): Promise<MembershipEventPage> {
  return unwrap(api.GET('/api/v1/groups/{id}/membership-events', { params: { path: { id }, query: { limit: GROUP_EVENTS_PAGE, offset } } }));
}

export const groupEventsQueryOptions = (id: string, offset: number) =>
  queryOptions({ queryKey: groupKeys.events(id, offset), queryFn: () => getGroupEvents(id, offset), placeholderData: keepPreviousData });

export function useGroupEvents(id: string, offset: number) {
  return useQuery(groupEventsQueryOptions(id, offset));
}
