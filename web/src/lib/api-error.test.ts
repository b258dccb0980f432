import { describe, expect, it } from 'vitest';
import { parseRetryAfter, toApiError } from './api-error';

describe('toApiError', () => {
  it('reads code, message and field errors from the error body', () => {
    const res = new Response(null, { status: 422 });
    const err = toApiError({ code: 'validation_failed', message: 'bad', details: { fields: { username: 'taken' } } }, res);
    expect(err.status).toBe(422);
    expect(err.code).toBe('validation_failed');
    expect(err.message).toBe('bad');
    expect(err.fieldErrors).toEqual({ username: 'taken' });
  });

  it('keeps Retry-After seconds of a 429', () => {
    const res = new Response(null, { status: 429, headers: { 'Retry-After': '17' } });
    expect(toApiError({ code: 'rate_limited', message: 'slow down', details: null }, res).retryAfter).toBe(17);
  });

  it('copes with a body that is not the error shape', () => {
    const err = toApiError(undefined, new Response(null, { status: 502, statusText: 'Bad Gateway' }));
    expect(err.code).toBe('internal');
    expect(err.message).toContain('502');
  });
});

describe('parseRetryAfter', () => {
  it('handles missing and HTTP-date values', () => {
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThanOrEqual(3);
  });
});

describe('rate limiting without a Retry-After header', () => {
  it('falls back to details.retry_after_seconds', () => {
    const res = new Response(null, { status: 429 });
    const err = toApiError({ code: 'rate_limited', message: 'slow', details: { retry_after_seconds: 9 } }, res);
    expect(err.retryAfter).toBe(9);
  });
});
