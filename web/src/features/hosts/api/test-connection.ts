import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { TestConnectionBody, TestConnectionResult } from '@/api/types';

/** Checks an unsaved host synchronously (may take up to the check timeout). */
export function testConnection(body: TestConnectionBody): Promise<TestConnectionResult> {
  return unwrap(api.POST('/api/v1/hosts/test-connection', { body }));
}

export function useTestConnection() {
  return useMutation({ mutationFn: testConnection });
}
