import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import { clearSession } from '@/lib/auth/session-store';

export async function logout(): Promise<void> {
  await unwrap(api.POST('/api/v1/auth/logout'));
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    // Whether or not the server call worked, this browser forgets the session.
    onSettled: () => {
      clearSession('logged_out');
      queryClient.clear();
    },
  });
}
