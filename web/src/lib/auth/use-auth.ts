import { useSyncExternalStore } from 'react';
import { getAuthState, subscribeAuth, type AuthState } from './session-store';

export function useAuth(): AuthState {
  return useSyncExternalStore(subscribeAuth, getAuthState, getAuthState);
}

/** The signed-in user's session; only call below the authenticated route guard. */
export function useSession() {
  const state = useAuth();
  if (state.status !== 'authenticated') throw new Error('useSession called without a session');
  return state;
}

export function hasPermission(permissions: readonly string[], permission: string): boolean {
  return permissions.includes(permission);
}

export function usePermission(permission: string): boolean {
  const state = useAuth();
  return state.status === 'authenticated' && hasPermission(state.permissions, permission);
}
