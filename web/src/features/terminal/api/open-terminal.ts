import { api } from '@/lib/api-client';
import { toApiError } from '@/lib/api-error';
import type { HostKeyPrompt, OpenTerminalBody, TerminalSession } from '@/api/types';

/** A session, or the host's key to confirm first (428 on first contact). */
export type OpenTerminalResult = { kind: 'opened'; session: TerminalSession } | { kind: 'host_key_unknown'; prompt: HostKeyPrompt };

/** Opens a terminal; throws ApiError for a changed host key (409) or a missing credential (422). */
export async function openTerminal(body: OpenTerminalBody): Promise<OpenTerminalResult> {
  const { data, error, response } = await api.POST('/api/v1/terminal/sessions', { body });
  if (response.status === 428 && error && 'fingerprint' in error) return { kind: 'host_key_unknown', prompt: error };
  if (!response.ok || !data) throw toApiError(error, response);
  return { kind: 'opened', session: data };
}
