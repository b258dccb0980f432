import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { Playbook } from '@/api/types';
import { playbookKeys } from './keys';

export function getPlaybook(id: string): Promise<Playbook> {
  return unwrap(api.GET('/api/v1/playbooks/{id}', { params: { path: { id } } }));
}

export const playbookQueryOptions = (id: string) => queryOptions({ queryKey: playbookKeys.detail(id), queryFn: () => getPlaybook(id) });

export function usePlaybook(id: string, enabled = true) {
  return useQuery({ ...playbookQueryOptions(id), enabled });
}
