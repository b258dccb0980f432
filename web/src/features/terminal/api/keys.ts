/** Query keys of the terminal feature. */
export const terminalKeys = {
  all: ['terminal'] as const,
  sessions: () => ['terminal', 'sessions'] as const,
  hostSearch: (q: string) => ['terminal', 'host-search', q] as const,
};
