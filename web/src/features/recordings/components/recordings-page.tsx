import { Button, Center, Loader, Modal, Paper, Table, Text } from '@mantine/core';
import { IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordingInfo } from '@/api/types';
import { EmptyState } from '@/components/feedback/empty-state';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { PageHeader } from '@/components/layout/page-header';
import { PaginationBar } from '@/components/layout/pagination-bar';
import { formatBytes, formatDateTime } from '@/lib/format';
import { useRecording } from '../api/get-recording';
import { useRecordings } from '../api/list-recordings';
import { durationSeconds, formatClock } from '../lib/asciicast';
import { RecordingPlayer } from './recording-player';

function PlayerBody({ id }: { id: string }) {
  const recording = useRecording(id);
  if (recording.isError) return <QueryError error={recording.error} onRetry={() => void recording.refetch()} />;
  if (!recording.data)
    return (
      <Center p="xl">
        <Loader />
      </Center>
    );
  return <RecordingPlayer key={id} cast={recording.data} />;
}

export function RecordingsPage() {
  const { t, i18n } = useTranslation();
  const [paging, setPaging] = useState({ limit: 25, offset: 0 });
  const [selected, setSelected] = useState<RecordingInfo | null>(null);
  const recordings = useRecordings({ limit: paging.limit, offset: paging.offset });

  return (
    <>
      <PageHeader title={t('recordings.title')} />
      <Paper withBorder p="md" radius="md">
        {recordings.isError ? (
          <QueryError error={recordings.error} onRetry={() => void recordings.refetch()} />
        ) : !recordings.data ? (
          <TableSkeleton />
        ) : recordings.data.items.length === 0 ? (
          <EmptyState title={t('recordings.empty')} />
        ) : (
          <>
            <Table.ScrollContainer minWidth={720}>
              <Table verticalSpacing="xs" highlightOnHover data-testid="recordings-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('recordings.host')}</Table.Th>
                    <Table.Th>{t('recordings.user')}</Table.Th>
                    <Table.Th>{t('recordings.started')}</Table.Th>
                    <Table.Th>{t('recordings.duration')}</Table.Th>
                    <Table.Th>{t('recordings.size')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {recordings.data.items.map((r) => {
                    const secs = durationSeconds(r.started_at, r.ended_at);
                    return (
                      <Table.Tr key={r.id} data-testid="recording-row">
                        <Table.Td>{r.host_name}</Table.Td>
                        <Table.Td>{r.username}</Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.started_at)}</Table.Td>
                        <Table.Td>{secs === null ? t('recordings.inProgress') : formatClock(secs)}</Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatBytes(r.bytes, i18n.language)}</Table.Td>
                        <Table.Td ta="right">
                          <Button
                            size="xs"
                            variant="light"
                            leftSection={<IconPlayerPlay size={14} />}
                            onClick={() => setSelected(r)}
                            data-testid={`recording-open-${r.id}`}
                          >
                            {t('recordings.play')}
                          </Button>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <PaginationBar total={recordings.data.total} limit={paging.limit} offset={paging.offset} onChange={setPaging} />
          </>
        )}
      </Paper>
      <Modal
        opened={selected !== null}
        onClose={() => setSelected(null)}
        size="auto"
        title={
          selected ? (
            <Text fw={600}>
              {t('recordings.playerTitle', { host: selected.host_name, user: selected.username, started: formatDateTime(selected.started_at) })}
            </Text>
          ) : null
        }
      >
        {selected ? <PlayerBody id={selected.id} /> : null}
      </Modal>
    </>
  );
}
