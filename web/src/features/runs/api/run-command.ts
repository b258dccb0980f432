import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { CommandRequest, Run } from '@/api/types';
import { runKeys } from './keys';

/** Starts a command or script (202: it runs in the background). */
export function runCommand(body: CommandRequest): Promise<Run> {
  return unwrap(api.POST('/api/v1/runs/commands', { body }));
}

export function useRunCommand() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: runCommand, onSuccess: () => void queryClient.invalidateQueries({ queryKey: runKeys.lists() }) });
}
