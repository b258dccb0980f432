import { Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Secret } from '@/api/types';
import { SshKeyDetails } from './ssh-key-details';

/** Shown after an SSH key is saved (generated keys especially): the public key to install on hosts. */
export function SshKeySaved({ secret, onClose }: { secret: Secret; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack data-testid="ssh-key-saved">
      <Text size="sm">{t('secrets.savedTitle', { name: secret.name })}</Text>
      <Text size="sm" c="dimmed">
        {t('secrets.sshKeySavedHint')}
      </Text>
      <SshKeyDetails secret={secret} />
      <Group justify="flex-end">
        <Button onClick={onClose} data-testid="ssh-key-saved-close">
          {t('common.close')}
        </Button>
      </Group>
    </Stack>
  );
}
