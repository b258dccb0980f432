import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { RevealedSecret } from '@/api/types';

export type RevealSecretInput = { id: string; password: string };

/** Admin only, re-authenticated with the caller's password and audited by the server. */
export function revealSecret({ id, password }: RevealSecretInput): Promise<RevealedSecret> {
  return unwrap(api.POST('/api/v1/secrets/{id}/reveal', { params: { path: { id } }, body: { password } }));
}

/**
 * A mutation, never a query: the value must not live in the query cache. Callers copy the
 * value into component state and `reset()` the mutation at once; `gcTime: 0` then drops the
 * mutation (data and the password in its variables) from the mutation cache.
 */
export function useRevealSecret() {
  return useMutation({ mutationFn: revealSecret, gcTime: 0 });
}
