import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { SecretPage, SecretsQuery } from '@/api/types';

export function getSecrets(query: SecretsQuery): Promise<SecretPage> {
  return unwrap(api.GET('/api/v1/secrets', { params: { query } }));
}

export const secretsQueryOptions = (query: SecretsQuery) =>
  queryOptions({ queryKey: ['secrets', 'list', query], queryFn: () => getSecrets(query), placeholderData: keepPreviousData });

export function useSecrets(query: SecretsQuery) {
  return useQuery(secretsQueryOptions(query));
}
