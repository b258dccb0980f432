import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { Secret, SecretKind } from '@/api/types';
import { playbookKeys } from './keys';

/** The kinds a Git source can log in with: an SSH key for SSH URLs, a token or password for HTTPS. */
export const GIT_CREDENTIAL_KINDS = ['ssh_key', 'token', 'password'] as const satisfies readonly SecretKind[];

/** Vault secrets a Git source can use (metadata only, never values), by name. */
export async function getGitCredentials(): Promise<Secret[]> {
  const page = await unwrap(api.GET('/api/v1/secrets', { params: { query: { limit: 500 } } }));
  return page.items.filter((s) => (GIT_CREDENTIAL_KINDS as readonly string[]).includes(s.kind)).sort((a, b) => a.name.localeCompare(b.name));
}

export const gitCredentialsQueryOptions = () => queryOptions({ queryKey: playbookKeys.gitCredentials(), queryFn: getGitCredentials, staleTime: 30_000 });

export function useGitCredentials(enabled = true) {
  return useQuery({ ...gitCredentialsQueryOptions(), enabled });
}
