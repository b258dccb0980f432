import type { MembershipEvent } from '@/api/types';

export type CurrentGroup = { id: string; name: string; since: string };

/** Groups the host is in now: those whose latest event is `joined`. Events may come in any order. */
export function currentGroups(events: MembershipEvent[]): CurrentGroup[] {
  const latest = new Map<string, MembershipEvent>();
  for (const e of events) {
    const seen = latest.get(e.group_id);
    if (!seen || Date.parse(e.at) >= Date.parse(seen.at)) latest.set(e.group_id, e);
  }
  return [...latest.values()]
    .filter((e) => e.change === 'joined')
    .map((e) => ({ id: e.group_id, name: e.group_name, since: e.at }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
