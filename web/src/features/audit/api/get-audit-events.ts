import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { AuditPage, AuditQuery } from '@/api/types';

export function getAuditEvents(query: AuditQuery): Promise<AuditPage> {
  return unwrap(api.GET('/api/v1/audit', { params: { query } }));
}

export const auditEventsQueryOptions = (query: AuditQuery) =>
  queryOptions({ queryKey: ['audit', query], queryFn: () => getAuditEvents(query), placeholderData: keepPreviousData });

export function useAuditEvents(query: AuditQuery) {
  return useQuery(auditEventsQueryOptions(query));
}
