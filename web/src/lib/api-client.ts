import createClient from 'openapi-fetch';
import type { paths } from '@/api/generated/schema';
import { authFetch } from './auth/auth-fetch';

/** Typed client for the backend; paths in the generated schema already carry /api/v1. */
export const api = createClient<paths>({
  baseUrl: typeof window === 'undefined' ? '' : window.location.origin,
  fetch: (request: Request) => authFetch(request),
});
