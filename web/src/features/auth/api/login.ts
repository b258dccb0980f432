import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import { setSession } from '@/lib/auth/session-store';
import type { LoginResponse } from '@/api/types';

export type LoginInput = { username: string; password: string };

export function login(body: LoginInput): Promise<LoginResponse> {
  return unwrap(api.POST('/api/v1/auth/login', { body }));
}

export function useLogin() {
  return useMutation({
    mutationFn: login,
    onSuccess: (res) => setSession(res),
  });
}
