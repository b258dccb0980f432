/** Error thrown for any non-2xx API response; carries the server's `{code, message, details}` body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | null;
  /** Seconds from a Retry-After header (429 responses). */
  readonly retryAfter: number | null;

  constructor(opts: {
    status: number;
    code: string;
    message: string;
    details?: Record<string, unknown> | null;
    retryAfter?: number | null;
  }) {
    super(opts.message);
    this.name = 'ApiError';
    this.status = opts.status;
    this.code = opts.code;
    this.details = opts.details ?? null;
    this.retryAfter = opts.retryAfter ?? null;
  }

  /** `details.fields` of a `validation_failed` error, as `{field: message}`. */
  get fieldErrors(): Record<string, string> {
    const fields = this.details?.fields;
    if (!fields || typeof fields !== 'object') return {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(fields as Record<string, unknown>)) {
      if (typeof v === 'string') out[k] = v;
      else if (Array.isArray(v)) out[k] = v.map(String).join('; ');
      else if (v != null) out[k] = JSON.stringify(v);
    }
    return out;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseRetryAfter(header: string | null): number | null {
  if (!header) return null;
  const secs = Number(header);
  if (Number.isFinite(secs)) return Math.max(0, Math.ceil(secs));
  const date = Date.parse(header);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

export function toApiError(body: unknown, response: Response): ApiError {
  let retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  if (isRecord(body) && typeof body.code === 'string') {
    const details = isRecord(body.details) ? body.details : null;
    if (retryAfter === null && typeof details?.retry_after_seconds === 'number') retryAfter = details.retry_after_seconds;
    return new ApiError({
      status: response.status,
      code: body.code,
      message: typeof body.message === 'string' ? body.message : response.statusText,
      details,
      retryAfter,
    });
  }
  return new ApiError({
    status: response.status,
    code: response.status >= 500 ? 'internal' : 'http_error',
    message: typeof body === 'string' && body ? body : `HTTP ${response.status} ${response.statusText}`.trim(),
    retryAfter,
  });
}

/** Unwraps an openapi-fetch result, throwing ApiError on failure. */
export async function unwrap<D>(promise: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<D> {
  const { data, error, response } = await promise;
  if (!response.ok) throw toApiError(error, response);
  return data as D;
}

export function isApiError(e: unknown, code?: string): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}
