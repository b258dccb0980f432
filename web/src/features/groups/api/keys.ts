import type { GroupMembersQuery, GroupsQuery, PreviewRuleBody } from '@/api/types';

/** Query keys of the groups feature. Anything that changes membership invalidates `all`. */
export const groupKeys = {
  all: ['groups'] as const,
  lists: () => ['groups', 'list'] as const,
  list: (query: GroupsQuery) => ['groups', 'list', query] as const,
  detail: (id: string) => ['groups', 'detail', id] as const,
  members: (id: string, query: GroupMembersQuery) => ['groups', 'members', id, query] as const,
  events: (id: string, offset: number) => ['groups', 'events', id, offset] as const,
  preview: (body: PreviewRuleBody) => ['groups', 'preview', body] as const,
  hints: () => ['groups', 'rule-hints'] as const,
};
