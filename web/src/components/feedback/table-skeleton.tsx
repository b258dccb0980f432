import { Skeleton, Stack } from '@mantine/core';

export function TableSkeleton({ rows = 5 }: { rows?: number }) {
  return (
    <Stack gap="xs" data-testid="table-skeleton">
      <Skeleton height={32} />
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} height={28} opacity={1 - i * 0.12} />
      ))}
    </Stack>
  );
}
