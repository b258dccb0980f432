import { Button, Group, Paper, Text } from '@mantine/core';
import { IconActivity, IconAdjustments, IconFolderPlus, IconTags, IconTrash, IconX } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { InventoryFormat } from '@/api/types';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useCheckHosts } from '../api/check-hosts';
import { AddToGroupModal } from './add-to-group-modal';
import { BulkDeleteModal } from './bulk-delete-modal';
import { BulkSetModal } from './bulk-set-modal';
import { BulkTagsModal } from './bulk-tags-modal';
import { ExportMenu } from './export-menu';

type Props = {
  /** Selected host ids → names. */
  selected: ReadonlyMap<string, string>;
  canCheck: boolean;
  canUpdate: boolean;
  canDelete: boolean;
  /** `groups:manage`: may add hosts to static groups. */
  canGroup?: boolean;
  onClear: () => void;
  onExport: (format: InventoryFormat) => void;
  /** More actions for the selection, composed in by the app (e.g. runs). */
  extra?: ReactNode;
};

export function BulkActions({ selected, canCheck, canUpdate, canDelete, canGroup = false, onClear, onExport, extra }: Props) {
  const { t } = useTranslation();
  const check = useCheckHosts();
  const [dialog, setDialog] = useState<'tags' | 'set' | 'group' | 'delete' | null>(null);
  const ids = [...selected.keys()];
  const close = () => setDialog(null);
  return (
    <Paper withBorder p="xs" radius="md" bg="var(--mantine-color-default-hover)" data-testid="bulk-actions">
      <Group gap="xs" justify="space-between">
        <Group gap="xs">
          <Text size="sm" fw={500} data-testid="bulk-count">
            {t('hosts.bulk.selected', { count: selected.size })}
          </Text>
          <Button size="compact-sm" variant="subtle" color="gray" leftSection={<IconX size={14} />} onClick={onClear}>
            {t('hosts.bulk.clear')}
          </Button>
        </Group>
        <Group gap="xs">
          {canCheck ? (
            <Button
              size="sm"
              variant="default"
              leftSection={<IconActivity size={16} />}
              loading={check.isPending}
              onClick={() =>
                check.mutate(ids, {
                  onSuccess: (r) => notifySuccess(t('hosts.checksStarted', { count: r.started })),
                  onError: (err) => notifyError(err),
                })
              }
              data-testid="bulk-check"
            >
              {t('hosts.checkStatus')}
            </Button>
          ) : null}
          {canUpdate ? (
            <>
              <Button size="sm" variant="default" leftSection={<IconTags size={16} />} onClick={() => setDialog('tags')} data-testid="bulk-tags">
                {t('hosts.bulk.tags')}
              </Button>
              <Button size="sm" variant="default" leftSection={<IconAdjustments size={16} />} onClick={() => setDialog('set')} data-testid="bulk-set">
                {t('hosts.bulk.set')}
              </Button>
            </>
          ) : null}
          {canGroup ? (
            <Button size="sm" variant="default" leftSection={<IconFolderPlus size={16} />} onClick={() => setDialog('group')} data-testid="bulk-add-to-group">
              {t('hosts.groups.addToGroup')}
            </Button>
          ) : null}
          {extra}
          <ExportMenu label={t('hosts.bulk.export')} onExport={onExport} testId="bulk-export" />
          {canDelete ? (
            <Button size="sm" color="red" variant="light" leftSection={<IconTrash size={16} />} onClick={() => setDialog('delete')} data-testid="bulk-delete-open">
              {t('common.delete')}
            </Button>
          ) : null}
        </Group>
      </Group>
      {dialog === 'tags' ? <BulkTagsModal ids={ids} onClose={close} /> : null}
      {dialog === 'set' ? <BulkSetModal ids={ids} onClose={close} /> : null}
      {dialog === 'group' ? <AddToGroupModal ids={ids} onClose={close} /> : null}
      {dialog === 'delete' ? <BulkDeleteModal ids={ids} names={[...selected.values()]} onClose={close} onDeleted={onClear} /> : null}
    </Paper>
  );
}
