import { describe, expect, it } from 'vitest';
import type { RunHost } from '@/api/types';
import { elapsedMs, formatDuration, hasFailures, isFinished, summarize } from './status';

const host = (id: string, status: string): RunHost => ({ host_id: id, host_name: id, address: '10.0.0.1', port: 22, status, output_bytes: 0 });

describe('run status helpers', () => {
  it('counts hosts by state', () => {
    const s = summarize([host('a', 'succeeded'), host('b', 'failed'), host('c', 'running'), host('d', 'pending'), host('e', 'succeeded')]);
    expect(s).toMatchObject({ total: 5, succeeded: 2, failed: 1, running: 1, pending: 1, unreachable: 0 });
    expect(hasFailures(s)).toBe(true);
    expect(hasFailures(summarize([host('a', 'succeeded')]))).toBe(false);
  });

  it('knows final statuses and formats durations', () => {
    expect(isFinished('running')).toBe(false);
    expect(isFinished('queued')).toBe(false);
    expect(isFinished('timed_out')).toBe(true);
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 m 05 s');
    expect(formatDuration(7_380_000)).toBe('2 h 03 m');
    expect(formatDuration(null)).toBe('—');
    expect(elapsedMs('2025-01-01T00:00:00Z', null, Date.parse('2025-01-01T00:00:05Z'))).toBe(5000);
    expect(elapsedMs('2025-01-01T00:00:00Z', '2025-01-01T00:00:02Z', 0)).toBe(2000);
    expect(elapsedMs(null, null, 0)).toBeNull();
  });
});
