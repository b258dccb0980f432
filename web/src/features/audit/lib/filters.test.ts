import { describe, expect, it } from 'vitest';
import { EMPTY_AUDIT_FILTERS, hasAuditFilters, toAuditQuery } from './filters';

describe('audit filters', () => {
  it('sends nothing for empty filters', () => {
    expect(Object.values(toAuditQuery(EMPTY_AUDIT_FILTERS)).filter((v) => v !== undefined)).toEqual([]);
    expect(hasAuditFilters(EMPTY_AUDIT_FILTERS)).toBe(false);
  });

  it('trims text and turns a date range into whole-day bounds', () => {
    const q = toAuditQuery({ ...EMPTY_AUDIT_FILTERS, actor: ' admin ', action: 'user.create', outcome: 'failure', range: ['2025-03-01', '2025-03-02'] });
    expect(q.actor).toBe('admin');
    expect(q.action).toBe('user.create');
    expect(q.outcome).toBe('failure');
    expect(new Date(q.from ?? '').getDate()).toBe(1);
    // `to` is exclusive on the server: the start of the day after.
    expect(new Date(q.to ?? '').getDate()).toBe(3);
    expect(new Date(q.to ?? '').getHours()).toBe(0);
  });

  it('treats a single picked day as that whole day', () => {
    const q = toAuditQuery({ ...EMPTY_AUDIT_FILTERS, range: ['2025-03-05', null] });
    expect(new Date(q.from ?? '').getDate()).toBe(5);
    expect(new Date(q.to ?? '').getDate()).toBe(6);
  });
});
