import { describe, expect, it } from 'vitest';
import type { MembershipEvent } from '@/api/types';
import { currentGroups } from './membership';

const ev = (group: string, change: MembershipEvent['change'], at: string): MembershipEvent => ({
  group_id: `g-${group}`,
  group_name: group,
  host_id: 'h1',
  host_name: 'web-01',
  at,
  change,
  reason: 'test',
});

describe('current groups from membership history', () => {
  it('keeps groups whose latest event is joined', () => {
    const events = [
      ev('web', 'left', '2025-01-03T00:00:00Z'),
      ev('prod', 'joined', '2025-01-02T00:00:00Z'),
      ev('web', 'joined', '2025-01-01T00:00:00Z'),
      ev('db', 'joined', '2025-01-01T00:00:00Z'),
      ev('db', 'left', '2025-01-02T00:00:00Z'),
      ev('db', 'joined', '2025-01-04T00:00:00Z'),
    ];
    expect(currentGroups(events).map((g) => g.name)).toEqual(['db', 'prod']);
    expect(currentGroups([])).toEqual([]);
  });
});
