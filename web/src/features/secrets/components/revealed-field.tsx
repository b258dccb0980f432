import { ActionIcon, Code, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconEye, IconEyeOff } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CopyIconButton } from './copy-icon-button';

const MASK = '•'.repeat(16);

/**
 * One revealed value, masked until "show" is clicked, with a copy button. It holds nothing
 * itself: the reveal dialog drops the value (and unmounts this) when its timer runs out.
 */
export function RevealedField({ field, label, value }: { field: string; label: string; value: string }) {
  const { t } = useTranslation();
  const [visible, setVisible] = useState(false);
  const hint = visible ? t('secrets.hideValue') : t('secrets.showValue');
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Group wrap="nowrap" align="flex-start" gap="xs">
        <Code
          block
          style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap', maxHeight: 320, overflow: 'auto' }}
          data-testid={`revealed-${field}`}
          data-visible={visible}
        >
          {visible ? value : MASK}
        </Code>
        <Tooltip label={hint}>
          <ActionIcon
            variant="default"
            size="lg"
            aria-label={`${hint}: ${label}`}
            onClick={() => setVisible((v) => !v)}
            data-testid={field === 'value' ? 'reveal-toggle' : `reveal-toggle-${field}`}
          >
            {visible ? <IconEyeOff size={18} /> : <IconEye size={18} />}
          </ActionIcon>
        </Tooltip>
        <CopyIconButton value={value} testId={`reveal-copy-${field}`} />
      </Group>
    </Stack>
  );
}
