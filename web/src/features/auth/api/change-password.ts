import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import { getAuthState, updateUser } from '@/lib/auth/session-store';
import { getMe } from './get-me';

export type ChangePasswordInput = { current_password: string; new_password: string };

export async function changePassword(body: ChangePasswordInput): Promise<void> {
  await unwrap(api.POST('/api/v1/auth/password', { body }));
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: changePassword,
    onSuccess: () => {
      const state = getAuthState();
      if (state.status === 'authenticated') updateUser({ ...state.user, must_change_password: false });
      // Pick up the server's view of the user (and permissions) now that the change is done.
      getMe()
        .then((me) => updateUser(me.user, me.permissions))
        .catch(() => undefined);
      void queryClient.invalidateQueries();
    },
  });
}
