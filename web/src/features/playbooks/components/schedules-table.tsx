import { ActionIcon, Anchor, Button, Group, Modal, Stack, Switch, Table, Text, Tooltip } from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { toScheduleInput, fromSchedule } from '../lib/schedule-form';
import type { Schedule } from '@/api/types';
import { formatDateTime } from '@/lib/format';
import { notifyError } from '@/lib/notify';
import { useDeleteSchedule } from '../api/delete-schedule';
import { useSaveSchedule } from '../api/save-schedule';

/** Schedules with their timing in words, next fire times (local), last launch, enable switch and delete. */
export function SchedulesTable({ schedules, names, canManage, onEdit }: { schedules: Schedule[]; names?: ReadonlyMap<string, string>; canManage: boolean; onEdit: (s: Schedule) => void }) {
  const { t } = useTranslation();
  const save = useSaveSchedule();
  const remove = useDeleteSchedule();
  const [deleting, setDeleting] = useState<Schedule | null>(null);
  return (
    <>
      <Table.ScrollContainer minWidth={900}>
        <Table verticalSpacing="xs" data-testid="schedules-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('schedules.columns.name')}</Table.Th>
              {names ? <Table.Th>{t('schedules.columns.playbook')}</Table.Th> : null}
              <Table.Th>{t('schedules.columns.when')}</Table.Th>
              <Table.Th>{t('schedules.columns.next')}</Table.Th>
              <Table.Th>{t('schedules.columns.last')}</Table.Th>
              <Table.Th>{t('schedules.columns.enabled')}</Table.Th>
              {canManage ? <Table.Th /> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {schedules.map((s) => (
              <Table.Tr key={s.id} data-testid="schedule-row">
                <Table.Td fw={500}>{s.name}</Table.Td>
                {names ? (
                  <Table.Td>
                    <Anchor component={Link} to={`/playbooks/${s.playbook_id}`} size="sm">
                      {names.get(s.playbook_id) ?? s.playbook_id.slice(0, 8)}
                    </Anchor>
                  </Table.Td>
                ) : null}
                <Table.Td maw={280}>
                  <Text size="sm">{s.description}</Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {s.cron ?? t('schedules.everySeconds', { count: s.interval_seconds ?? 0 })} · {s.timezone}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Stack gap={0} data-testid="schedule-next">
                    {s.enabled && s.next.length ? (
                      s.next.slice(0, 5).map((n) => (
                        <Text key={n} size="xs" style={{ whiteSpace: 'nowrap' }}>
                          {formatDateTime(n)}
                        </Text>
                      ))
                    ) : (
                      <Text size="xs" c="dimmed">
                        —
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  {s.last_run_id ? (
                    <Anchor component={Link} to={`/runs/${s.last_run_id}`} size="sm">
                      {formatDateTime(s.last_fired_at)}
                    </Anchor>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('common.never')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Switch
                    checked={s.enabled}
                    disabled={!canManage}
                    aria-label={t('schedules.columns.enabled')}
                    onChange={(e) => save.mutate({ id: s.id, body: { ...toScheduleInput(fromSchedule(s)), enabled: e.currentTarget.checked } }, { onError: (err) => notifyError(err) })}
                    data-testid="schedule-toggle"
                  />
                </Table.Td>
                {canManage ? (
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Tooltip label={t('common.edit')}>
                        <ActionIcon variant="subtle" aria-label={t('common.edit')} onClick={() => onEdit(s)} data-testid="schedule-edit">
                          <IconPencil size={16} />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label={t('common.delete')}>
                        <ActionIcon variant="subtle" color="red" aria-label={t('common.delete')} onClick={() => setDeleting(s)} data-testid="schedule-delete">
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title={t('schedules.deleteTitle')} centered>
        <Stack>
          <Text size="sm">{t('schedules.deleteConfirm', { name: deleting?.name ?? '' })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              data-testid="schedule-delete-confirm"
              onClick={() => deleting && remove.mutate(deleting.id, { onSuccess: () => setDeleting(null), onError: (err) => notifyError(err) })}
            >
              {t('common.delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
