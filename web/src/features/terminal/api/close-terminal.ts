import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';

/** Ends one's own session on the server. */
export async function closeTerminal(id: string): Promise<void> {
  await unwrap(api.DELETE('/api/v1/terminal/sessions/{id}', { params: { path: { id } } }));
}
