import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { runTasksQueryOptions } from './get-run-tasks';
import { runKeys } from './keys';

describe('runTasksQueryOptions', () => {
  it('keys the timeline by whether the run finished, so the end is read in full once more', () => {
    const live = runTasksQueryOptions('r1', false);
    const done = runTasksQueryOptions('r1', true);
    expect(live.queryKey).not.toEqual(done.queryKey);
    expect(live.refetchInterval).toBe(3000);
    expect(done.refetchInterval).toBe(false);
  });

  it('is still reached by invalidating the run’s tasks', async () => {
    const client = new QueryClient();
    client.setQueryData(runTasksQueryOptions('r1', false).queryKey, []);
    client.setQueryData(runTasksQueryOptions('r1', true).queryKey, []);
    await client.invalidateQueries({ queryKey: runKeys.tasks('r1'), refetchType: 'none' });
    expect(client.getQueryCache().findAll({ queryKey: runKeys.tasks('r1') }).map((q) => q.state.isInvalidated)).toEqual([true, true]);
  });
});
