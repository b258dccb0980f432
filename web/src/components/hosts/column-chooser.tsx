import { ActionIcon, Checkbox, Popover, Stack, Text, Tooltip } from '@mantine/core';
import { IconColumns } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { OPTIONAL_COLUMNS, type HostColumn } from '@/lib/hosts/columns';

export function ColumnChooser({ columns, onChange }: { columns: HostColumn[]; onChange: (columns: HostColumn[]) => void }) {
  const { t } = useTranslation();
  return (
    <Popover position="bottom-end" withinPortal shadow="md">
      <Popover.Target>
        <Tooltip label={t('hosts.columnsTitle')}>
          <ActionIcon variant="default" size="lg" aria-label={t('hosts.columnsTitle')} data-testid="column-chooser">
            <IconColumns size={18} />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {t('hosts.columnsTitle')}
          </Text>
          {OPTIONAL_COLUMNS.map((c) => (
            <Checkbox
              key={c}
              size="xs"
              label={t(`hosts.columns.${c}`)}
              checked={columns.includes(c)}
              onChange={(e) => {
                const checked = e.currentTarget.checked;
                onChange(OPTIONAL_COLUMNS.filter((x) => (x === c ? checked : columns.includes(x))));
              }}
              data-testid={`column-${c}`}
            />
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
