import { Box, Button, Group, PasswordInput, Textarea, Tooltip } from '@mantine/core';
import { IconWand } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SecretKind } from '@/api/types';
import { generatePassword } from '../lib/generate-password';

type Props = {
  kind: SecretKind;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: ReactNode;
};

/** Kind-specific value input: a masked one-line input with a generator, or a textarea for text. */
export function SecretValueInput({ kind, label, value, onChange, error }: Props) {
  const { t } = useTranslation();
  if (kind === 'text') {
    return (
      <Textarea
        label={label}
        description={t('secrets.valueHintText')}
        required
        autosize
        minRows={4}
        maxRows={12}
        name="value"
        autoComplete="off"
        spellCheck={false}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        value={value}
        error={error}
        onChange={(e) => onChange(e.currentTarget.value)}
        data-testid="secret-value"
      />
    );
  }
  return (
    <PasswordInput
      label={label}
      description={t('secrets.valueHintLine')}
      required
      name="value"
      autoComplete="new-password"
      spellCheck={false}
      value={value}
      error={error}
      onChange={(e) => onChange(e.currentTarget.value)}
      visibilityToggleButtonProps={{ 'aria-label': t('secrets.showValue') }}
      data-testid="secret-value"
      // The generator sits right of the input whatever the label, hint or error above and below.
      inputContainer={(input) => (
        <Group gap="xs" wrap="nowrap">
          <Box style={{ flex: 1 }}>{input}</Box>
          <Tooltip label={t('secrets.generateHint')}>
            <Button
              variant="default"
              leftSection={<IconWand size={16} />}
              onClick={() => onChange(kind === 'token' ? generatePassword(40, false) : generatePassword(24, true))}
              data-testid="secret-generate"
            >
              {t('secrets.generate')}
            </Button>
          </Tooltip>
        </Group>
      )}
    />
  );
}
