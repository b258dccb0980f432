import { Button, Paper, Text } from '@mantine/core';
import { IconCalendarTime, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schedule } from '@/api/types';
import { EmptyState } from '@/components/feedback/empty-state';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { PageHeader } from '@/components/layout/page-header';
import { usePermission } from '@/lib/auth/use-auth';
import { PERMISSIONS } from '@/lib/permissions';
import { usePlaybooks } from '../api/get-playbooks';
import { useSchedules } from '../api/get-schedules';
import { ScheduleFormModal } from './schedule-form-modal';
import { SchedulesTable } from './schedules-table';

/** `/schedules`: every playbook's schedules. */
export function SchedulesPage() {
  const { t } = useTranslation();
  const canManage = usePermission(PERMISSIONS.playbooksManage);
  const schedules = useSchedules({});
  const playbooks = usePlaybooks({ limit: 500, offset: 0 });
  const [editing, setEditing] = useState<Schedule | 'new' | null>(null);
  const names = new Map((playbooks.data?.items ?? []).map((p) => [p.id, p.name]));
  const create = canManage ? (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} data-testid="schedules-new">
      {t('schedules.create')}
    </Button>
  ) : null;
  return (
    <>
      <PageHeader title={t('schedules.title')} actions={create} />
      <Paper withBorder p="md" radius="md">
        {schedules.isError ? (
          <QueryError error={schedules.error} onRetry={() => void schedules.refetch()} />
        ) : !schedules.data ? (
          <TableSkeleton />
        ) : schedules.data.length === 0 ? (
          <EmptyState title={t('schedules.empty')} icon={<IconCalendarTime size={28} />}>
            <Text size="sm" c="dimmed" ta="center" maw={520}>
              {t('schedules.emptyHint')}
            </Text>
            {create}
          </EmptyState>
        ) : (
          <SchedulesTable schedules={schedules.data} names={names} canManage={canManage} onEdit={setEditing} />
        )}
      </Paper>
      {editing ? (
        <ScheduleFormModal
          schedule={editing === 'new' ? undefined : editing}
          playbooks={[...names].map(([value, label]) => ({ value, label }))}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </>
  );
}
