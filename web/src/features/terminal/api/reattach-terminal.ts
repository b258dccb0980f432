import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';

/** A new single-use ticket to attach to one's open session again. */
export async function reattachTerminal(id: string): Promise<string> {
  const { ticket } = await unwrap(api.POST('/api/v1/terminal/sessions/{id}/ticket', { params: { path: { id } } }));
  return ticket;
}
