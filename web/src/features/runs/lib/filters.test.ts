import { describe, expect, it } from 'vitest';
import { EMPTY_RUN_FILTERS, hasRunFilters, parseRunFilters, parseRunSort, toRunSearchParams, toRunsQuery } from './filters';

const PB = '0b0e5c2a-1111-4a4a-8b8b-000000000001';
const USER = '0b0e5c2a-2222-4a4a-8b8b-000000000002';
const HOST = '0b0e5c2a-3333-4a4a-8b8b-000000000003';

describe('runs filters ↔ URL', () => {
  it('reads an empty URL as the defaults (newest first, 25 a page) and writes them back as nothing', () => {
    const f = parseRunFilters(new URLSearchParams());
    expect(f).toEqual(EMPTY_RUN_FILTERS);
    expect(hasRunFilters(f)).toBe(false);
    expect(toRunSearchParams(f).toString()).toBe('');
    expect(toRunsQuery(f)).toEqual({ limit: 25, offset: 0 });
  });

  it('round-trips every filter, the sort and the page', () => {
    const url = `q=deploy&status=failed%2Ctimed_out&kind=playbook&trigger=schedule%2Crerun&playbook=${PB}&user=${USER}&host=${HOST}&from=2025-03-01&to=2025-03-02&sort=-title&limit=50&offset=100`;
    const f = parseRunFilters(new URLSearchParams(url));
    expect(f).toEqual({
      q: 'deploy',
      status: ['failed', 'timed_out'],
      kind: ['playbook'],
      trigger: ['schedule', 'rerun'],
      playbook: PB,
      user: USER,
      host: HOST,
      from: '2025-03-01',
      to: '2025-03-02',
      sort: { field: 'title', desc: true },
      limit: 50,
      offset: 100,
    });
    expect(hasRunFilters(f)).toBe(true);
    expect(toRunSearchParams(f).toString()).toBe(url);
  });

  it('drops unknown values and malformed ids, dates and numbers', () => {
    const f = parseRunFilters(new URLSearchParams('status=failed,bogus&kind=nope&trigger=cron&playbook=abc&user=1&host=&from=2025-13-45&to=yesterday&sort=-password&limit=7&offset=-5'));
    expect(f).toEqual({ ...EMPTY_RUN_FILTERS, status: ['failed'] });
    expect(parseRunSort('started_at')).toEqual({ field: 'started_at', desc: false });
    expect(parseRunSort('-finished_at')).toEqual({ field: 'finished_at', desc: true });
  });

  it('sends comma-separated lists, ids, the sort and whole local days as since/until', () => {
    const q = toRunsQuery({
      ...EMPTY_RUN_FILTERS,
      q: '  apt ',
      status: ['failed', 'lost'],
      kind: ['command', 'script'],
      trigger: ['api_token'],
      playbook: PB,
      user: USER,
      host: HOST,
      from: '2025-03-01',
      to: '2025-03-02',
      sort: { field: 'started_at', desc: false },
      limit: 10,
      offset: 20,
    });
    expect(q).toMatchObject({ q: 'apt', status: 'failed,lost', kind: 'command,script', trigger: 'api_token', playbook: PB, user: USER, host: HOST, sort: 'started_at', limit: 10, offset: 20 });
    const since = new Date(q.since ?? '');
    const until = new Date(q.until ?? '');
    expect([since.getDate(), since.getHours(), since.getMinutes()]).toEqual([1, 0, 0]);
    // `until` is exclusive on the server: the start of the day after the last one picked.
    expect([until.getDate(), until.getHours()]).toEqual([3, 0]);
  });

  it('treats a single picked day as that whole day', () => {
    const q = toRunsQuery({ ...EMPTY_RUN_FILTERS, from: '2025-03-05' });
    expect(new Date(q.since ?? '').getDate()).toBe(5);
    expect(new Date(q.until ?? '').getDate()).toBe(6);
  });
});
