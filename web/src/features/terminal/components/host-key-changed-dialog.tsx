import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@/lib/api-error';
import { usePermission } from '@/lib/auth/use-auth';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { PERMISSIONS } from '@/lib/permissions';
import { useAcceptHostKey } from '../api/accept-host-key';
import type { HostRef } from '../lib/terminals-context';

/**
 * The host presents a different key than on record: say so plainly; an administrator who checked
 * the new key out of band can type its fingerprint to record it, then connect again.
 */
export function HostKeyChangedDialog({ host, message, onClose, onAccepted }: { host: HostRef; message: string; onClose: () => void; onAccepted: () => void }) {
  const { t } = useTranslation();
  const canManage = usePermission(PERMISSIONS.hostKeysManage);
  const accept = useAcceptHostKey();
  const [fingerprint, setFingerprint] = useState('');
  const fieldError = accept.error ? (isApiError(accept.error) && accept.error.fieldErrors.fingerprint) || errorMessage(accept.error) : null;
  return (
    <Modal opened onClose={onClose} title={t('terminal.changed.title')} centered size="lg">
      <Stack data-testid="host-key-changed">
        <Alert color="red" variant="filled" icon={<IconAlertTriangle size={18} />} data-testid="host-key-changed-message">
          {message}
        </Alert>
        {canManage ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              accept.mutate(
                { hostId: host.id, fingerprint: fingerprint.trim() },
                {
                  onSuccess: () => {
                    notifySuccess(t('terminal.changed.accepted', { host: host.name }));
                    onAccepted();
                  },
                },
              );
            }}
          >
            <Stack>
              <Text size="sm">{t('terminal.changed.adminHint')}</Text>
              <TextInput
                label={t('terminal.changed.fingerprint')}
                placeholder={t('terminal.changed.fingerprintPlaceholder')}
                value={fingerprint}
                onChange={(e) => setFingerprint(e.currentTarget.value)}
                error={fieldError}
                ff="monospace"
                data-testid="host-key-changed-fingerprint"
              />
              <Group justify="flex-end">
                <Button variant="default" onClick={onClose}>
                  {t('common.cancel')}
                </Button>
                <Button type="submit" color="red" disabled={!fingerprint.trim()} loading={accept.isPending} data-testid="host-key-changed-accept">
                  {t('terminal.changed.accept')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : (
          <>
            <Text size="sm">{t('terminal.changed.askAdmin')}</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.close')}
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Modal>
  );
}
