import { Button, Menu } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { INVENTORY_FORMATS, type InventoryFormat } from '@/api/types';

export function ExportMenu({ label, onExport, loading, testId, variant = 'default' }: { label: string; onExport: (format: InventoryFormat) => void; loading?: boolean; testId: string; variant?: string }) {
  const { t } = useTranslation();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant={variant} size="sm" leftSection={<IconDownload size={16} />} loading={loading} data-testid={testId}>
          {label}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {INVENTORY_FORMATS.map((f) => (
          <Menu.Item key={f} onClick={() => onExport(f)} data-testid={`${testId}-${f}`}>
            {t(`hosts.formats.${f}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
