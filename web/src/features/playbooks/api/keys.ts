import type { PlaybooksQuery, RunsQuery, SchedulesQuery } from '@/api/types';

/** Query keys of the playbooks feature (playbooks and their schedules). */
export const playbookKeys = {
  all: ['playbooks'] as const,
  lists: () => ['playbooks', 'list'] as const,
  list: (query: PlaybooksQuery) => ['playbooks', 'list', query] as const,
  detail: (id: string) => ['playbooks', 'detail', id] as const,
  versions: (id: string) => ['playbooks', 'versions', id] as const,
  validate: (content: string) => ['playbooks', 'validate', content] as const,
  gitCredentials: () => ['playbooks', 'git-credentials'] as const,
  preview: (id: string, body: string) => ['playbooks', 'preview', id, body] as const,
  runs: (query: RunsQuery) => ['playbooks', 'runs', query] as const,
  schedules: (query: SchedulesQuery) => ['schedules', 'list', query] as const,
  allSchedules: () => ['schedules'] as const,
  schedulePreview: (body: string) => ['schedules', 'preview', body] as const,
};
