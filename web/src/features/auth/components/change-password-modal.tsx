import { Modal } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ChangePasswordForm } from './change-password-form';

export function ChangePasswordModal({ opened, onClose, username }: { opened: boolean; onClose: () => void; username: string }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('auth.changeTitle')} centered>
      <ChangePasswordForm username={username} onDone={onClose} onCancel={onClose} />
    </Modal>
  );
}
