import { Alert, Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { IconShieldQuestion } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { HostKeyPrompt } from '@/api/types';

/** First contact: show the key the host presents and ask before it is recorded. */
export function HostKeyDialog({ hostName, prompt, onAccept, onCancel }: { hostName: string; prompt: HostKeyPrompt; onAccept: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={onCancel} title={t('terminal.hostKey.title')} centered size="lg">
      <Stack data-testid="host-key-dialog">
        <Text size="sm">{t('terminal.hostKey.intro', { host: hostName })}</Text>
        <div>
          <Text size="xs" c="dimmed">
            {t('terminal.hostKey.algorithm')}
          </Text>
          <Code data-testid="host-key-algorithm">{prompt.algorithm}</Code>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            {t('terminal.hostKey.fingerprint')}
          </Text>
          <Code block data-testid="host-key-fingerprint">
            {prompt.fingerprint}
          </Code>
        </div>
        <Alert color="yellow" variant="light" icon={<IconShieldQuestion size={18} />}>
          {t('terminal.hostKey.verify')}
        </Alert>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button onClick={onAccept} data-testid="host-key-accept">
            {t('terminal.hostKey.accept')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
