import { Alert, Badge, Button, Checkbox, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { IconGitBranch, IconRestore } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Playbook, PlaybookVersion } from '@/api/types';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { formatDateTime } from '@/lib/format';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useVersions } from '../api/get-versions';
import { useRestoreVersion } from '../api/restore-version';
import { diffLines, diffStats } from '../lib/line-diff';

const OP_STYLE = {
  same: undefined,
  add: { background: 'var(--mantine-color-green-light)' },
  del: { background: 'var(--mantine-color-red-light)' },
} as const;

/** A line diff between two versions' contents (old on the left of the selection, new on the right). */
export function VersionDiff({ older, newer }: { older: PlaybookVersion; newer: PlaybookVersion }) {
  const { t } = useTranslation();
  const lines = useMemo(() => diffLines(older.content, newer.content), [older.content, newer.content]);
  const stats = diffStats(lines);
  return (
    <div data-testid="version-diff">
      <Group gap="xs" mb="xs">
        <Text size="sm" fw={500}>
          {t('playbooks.versions.comparing', { from: older.version, to: newer.version })}
        </Text>
        <Badge color="green" variant="light" data-testid="diff-added">
          +{stats.added}
        </Badge>
        <Badge color="red" variant="light" data-testid="diff-removed">
          −{stats.removed}
        </Badge>
      </Group>
      <div style={{ fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12, lineHeight: 1.5, maxHeight: 480, overflow: 'auto', border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }}>
        {lines.map((l, i) => (
          <div key={i} data-op={l.op} style={{ ...OP_STYLE[l.op], whiteSpace: 'pre', display: 'flex' }}>
            <span style={{ width: 44, textAlign: 'right', color: 'var(--mantine-color-dimmed)', paddingRight: 6, flexShrink: 0 }}>{l.oldNo ?? ''}</span>
            <span style={{ width: 44, textAlign: 'right', color: 'var(--mantine-color-dimmed)', paddingRight: 6, flexShrink: 0 }}>{l.newNo ?? ''}</span>
            <span style={{ width: 16, flexShrink: 0 }}>{l.op === 'add' ? '+' : l.op === 'del' ? '-' : ' '}</span>
            <span>{l.text}</span>
          </div>
        ))}
      </div>
    </div>
  );
}

/** The versions, newest first: pick two to compare, restore an old one. */
export function VersionsTab({ playbook, canManage }: { playbook: Playbook; canManage: boolean }) {
  const { t } = useTranslation();
  const versions = useVersions(playbook.id);
  const restore = useRestoreVersion();
  const [picked, setPicked] = useState<number[]>([]);
  const [confirm, setConfirm] = useState<number | null>(null);
  if (versions.isError) return <QueryError error={versions.error} onRetry={() => void versions.refetch()} />;
  if (!versions.data) return <TableSkeleton />;
  const byVersion = new Map(versions.data.map((v) => [v.version, v]));
  const toggle = (v: number) => setPicked((p) => (p.includes(v) ? p.filter((x) => x !== v) : [...p.slice(-1), v]));
  const [a, b] = [...picked].sort((x, y) => x - y).map((v) => byVersion.get(v));

  if (playbook.source) {
    // The content of a Git playbook lives in its repository: versions record changes to the
    // definition, and every run records the commit it checked out.
    return (
      <Alert color="blue" icon={<IconGitBranch />} data-testid="versions-git-note">
        {t('playbooks.versions.gitNote')}
      </Alert>
    );
  }

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('playbooks.versions.hint')}
      </Text>
      <Table verticalSpacing={6} data-testid="versions-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={40} />
            <Table.Th>{t('playbooks.versions.version')}</Table.Th>
            <Table.Th>{t('playbooks.versions.by')}</Table.Th>
            <Table.Th>{t('playbooks.versions.at')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {versions.data.map((v) => (
            <Table.Tr key={v.version} data-testid="version-row">
              <Table.Td>
                <Checkbox aria-label={t('playbooks.versions.select', { version: v.version })} checked={picked.includes(v.version)} onChange={() => toggle(v.version)} data-testid={`version-pick-${v.version}`} />
              </Table.Td>
              <Table.Td>
                <Group gap="xs">
                  v{v.version}
                  {v.version === playbook.current_version ? (
                    <Badge size="xs" variant="light">
                      {t('playbooks.versions.current')}
                    </Badge>
                  ) : null}
                </Group>
              </Table.Td>
              <Table.Td>{v.created_by_name}</Table.Td>
              <Table.Td>{formatDateTime(v.created_at)}</Table.Td>
              <Table.Td ta="right">
                {canManage && v.version !== playbook.current_version ? (
                  <Button size="compact-xs" variant="subtle" leftSection={<IconRestore size={14} />} onClick={() => setConfirm(v.version)} data-testid={`version-restore-${v.version}`}>
                    {t('playbooks.versions.restore')}
                  </Button>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {a && b ? <VersionDiff older={a} newer={b} /> : null}
      <Modal opened={confirm !== null} onClose={() => setConfirm(null)} title={t('playbooks.versions.restoreTitle')} centered>
        <Stack>
          <Text size="sm">{t('playbooks.versions.restoreConfirm', { version: confirm ?? 0 })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(null)}>
              {t('common.cancel')}
            </Button>
            <Button
              loading={restore.isPending}
              data-testid="version-restore-confirm"
              onClick={() =>
                confirm !== null &&
                restore.mutate(
                  { id: playbook.id, version: confirm },
                  {
                    onSuccess: (p) => {
                      setConfirm(null);
                      notifySuccess(t('playbooks.versions.restored', { version: p.current_version }));
                    },
                    onError: (err) => notifyError(err),
                  },
                )
              }
            >
              {t('playbooks.versions.restore')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
