import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { SecretPage } from '@/api/types';
import { runKeys } from './keys';

/** The `ssh_key` secrets whose public key can be deployed (metadata only). */
export function getSshKeys(): Promise<SecretPage> {
  return unwrap(api.GET('/api/v1/secrets', { params: { query: { kind: 'ssh_key', limit: 500 } } }));
}

export const sshKeysQueryOptions = () => queryOptions({ queryKey: runKeys.sshKeys(), queryFn: getSshKeys });

export function useSshKeys(enabled = true) {
  return useQuery({ ...sshKeysQueryOptions(), enabled });
}
