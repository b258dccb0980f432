import { Button, Menu } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ANSIBLE_FORMATS, type AnsibleFormat } from '@/api/types';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useExportInventory } from '../api/export-inventory';

/** Downloads the Ansible inventory of all groups, or only of `groups` (their nested groups included). */
export function InventoryExportMenu({ groups, label, testId = 'inventory-export' }: { groups?: string[]; label?: string; testId?: string }) {
  const { t } = useTranslation();
  const exporter = useExportInventory();
  const run = (format: AnsibleFormat) =>
    exporter.mutate(groups?.length ? { format, groups: groups.join(',') } : { format }, {
      onSuccess: () => notifySuccess(t('groups.exported')),
      onError: (err) => notifyError(err),
    });
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" leftSection={<IconDownload size={16} />} loading={exporter.isPending} data-testid={testId}>
          {label ?? t('groups.exportInventory')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{groups?.length ? t('groups.exportSelected', { count: groups.length }) : t('groups.exportAll')}</Menu.Label>
        {ANSIBLE_FORMATS.map((f) => (
          <Menu.Item key={f} onClick={() => run(f)} data-testid={`${testId}-${f}`}>
            {t(`groups.formats.${f}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
