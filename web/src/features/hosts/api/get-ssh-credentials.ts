import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { SecretPage } from '@/api/types';
import { hostKeys } from './keys';

/** The `ssh_credential` secrets a host can log in with (metadata only, never values). */
export function getSshCredentials(): Promise<SecretPage> {
  return unwrap(api.GET('/api/v1/secrets', { params: { query: { kind: 'ssh_credential', limit: 500 } } }));
}

export const sshCredentialsQueryOptions = () => queryOptions({ queryKey: hostKeys.credentials(), queryFn: getSshCredentials });

export function useSshCredentials(enabled = true) {
  return useQuery({ ...sshCredentialsQueryOptions(), enabled });
}
