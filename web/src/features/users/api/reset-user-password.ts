import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';

export type ResetUserPasswordInput = { id: string; password: string };

export async function resetUserPassword({ id, password }: ResetUserPasswordInput): Promise<void> {
  await unwrap(api.POST('/api/v1/users/{id}/reset-password', { params: { path: { id } }, body: { password } }));
}

export function useResetUserPassword() {
  return useMutation({ mutationFn: resetUserPassword });
}
