import type { ReactNode } from 'react';
import { usePermission } from './use-auth';

/** Renders children only when the session has the permission (the server still enforces it). */
export function Can({ permission, children }: { permission: string; children: ReactNode }) {
  return usePermission(permission) ? children : null;
}
