import type { HostsQuery, RunsQuery, TargetSpec } from '@/api/types';

/** Query keys of the runs feature. */
export const runKeys = {
  all: ['runs'] as const,
  lists: () => ['runs', 'list'] as const,
  list: (query: RunsQuery) => ['runs', 'list', query] as const,
  detail: (id: string) => ['runs', 'detail', id] as const,
  targets: (spec: TargetSpec) => ['runs', 'targets', spec] as const,
  groups: () => ['runs', 'groups'] as const,
  sshKeys: () => ['runs', 'ssh-keys'] as const,
  tasks: (id: string) => ['runs', 'tasks', id] as const,
  artifacts: (id: string) => ['runs', 'artifacts', id] as const,
  playbookOptions: () => ['runs', 'playbook-options'] as const,
  userOptions: () => ['runs', 'user-options'] as const,
  hostOptions: (query: HostsQuery) => ['runs', 'host-options', query] as const,
};
