import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { TerminalSession } from '@/api/types';
import { terminalKeys } from './keys';

/** The caller's open sessions (to restore tabs after a reload). */
export function listTerminals(): Promise<TerminalSession[]> {
  return unwrap(api.GET('/api/v1/terminal/sessions'));
}

export const terminalSessionsQueryOptions = () =>
  queryOptions({ queryKey: terminalKeys.sessions(), queryFn: listTerminals, staleTime: Infinity, refetchOnWindowFocus: false });

export function useTerminalSessions(enabled: boolean) {
  return useQuery({ ...terminalSessionsQueryOptions(), enabled });
}
