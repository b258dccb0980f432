import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { AuditPage } from '@/api/types';
import { hostKeys } from './keys';

export const HOST_AUDIT_PAGE = 20;

/** Audit events about one host (`target_type=host`, `target_id`). */
export function getHostAudit(id: string, offset: number): Promise<AuditPage> {
  return unwrap(api.GET('/api/v1/audit', { params: { query: { target_type: 'host', target_id: id, limit: HOST_AUDIT_PAGE, offset } } }));
}

export const hostAuditQueryOptions = (id: string, offset: number) =>
  queryOptions({ queryKey: hostKeys.audit(id, offset), queryFn: () => getHostAudit(id, offset), placeholderData: keepPreviousData });

export function useHostAudit(id: string, offset: number, enabled: boolean) {
  return useQuery({ ...hostAuditQueryOptions(id, offset), enabled });
}
