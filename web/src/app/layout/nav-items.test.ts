import { describe, expect, it } from 'vitest';
import { visibleNavItems } from './nav-items';

describe('sidebar', () => {
  it('hides pages the role cannot use', () => {
    const viewer = visibleNavItems(['dashboard:read', 'users:read', 'audit:read']).map((i) => i.path);
    expect(viewer).toEqual(['/', '/users', '/sessions', '/tokens', '/audit']);
  });
  it('shows everything to an admin', () => {
    const all = ['dashboard:read', 'users:read', 'audit:read', 'settings:read'];
    expect(visibleNavItems(all)).toHaveLength(6);
  });
  it('shows Secrets to anyone who can read secrets', () => {
    expect(visibleNavItems(['secrets:read']).map((i) => i.path)).toContain('/secrets');
    expect(visibleNavItems([]).map((i) => i.path)).not.toContain('/secrets');
  });
  it('shows Hosts to anyone who can read hosts', () => {
    expect(visibleNavItems(['hosts:read']).map((i) => i.path)).toContain('/hosts');
    expect(visibleNavItems([]).map((i) => i.path)).not.toContain('/hosts');
  });
  it('shows Groups next to Hosts to anyone who can read hosts', () => {
    expect(visibleNavItems(['hosts:read']).map((i) => i.path)).toEqual(['/hosts', '/groups', '/sessions', '/tokens']);
  });
  it('shows Recordings only to those who may view recordings', () => {
    expect(visibleNavItems(['terminal:open', 'recordings:view']).map((i) => i.path)).toEqual(['/terminals', '/recordings', '/sessions', '/tokens']);
    expect(visibleNavItems(['terminal:open']).map((i) => i.path)).not.toContain('/recordings');
  });
  it('shows Playbooks and Schedules after Runs to anyone who can read playbooks', () => {
    expect(visibleNavItems(['runs:read', 'playbooks:read']).map((i) => i.path)).toEqual(['/runs', '/playbooks', '/schedules', '/sessions', '/tokens']);
    expect(visibleNavItems(['runs:read']).map((i) => i.path)).not.toContain('/playbooks');
  });
  it('shows Runs to anyone who can read runs, after Groups', () => {
    expect(visibleNavItems(['hosts:read', 'runs:read']).map((i) => i.path)).toEqual(['/hosts', '/groups', '/runs', '/sessions', '/tokens']);
    expect(visibleNavItems(['hosts:read']).map((i) => i.path)).not.toContain('/runs');
  });
});
