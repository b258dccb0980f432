import { Alert, Button, Group, Modal, Select, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role, type User } from '@/api/types';
import { isApiError } from '@/lib/api-error';
import { applyFieldErrors } from '@/lib/form-errors';
import { notifyError, notifySuccess } from '@/lib/notify';
import { userQueryOptions } from '../api/get-user';
import { useUpdateUser } from '../api/update-user';
import { displayNameError, emailError } from '../lib/validation';

type EditValues = { display_name: string; email: string; role: string; disabled: boolean };

function toValues(u: User): EditValues {
  return { display_name: u.display_name, email: u.email ?? '', role: u.role, disabled: u.disabled };
}

/** Mount with a `key` per user so the form starts from that user's values. */
export function EditUserModal({ user: initial, onClose, isSelf }: { user: User; onClose: () => void; isSelf: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const update = useUpdateUser();
  const [user, setUser] = useState(initial);
  const [stale, setStale] = useState(false);
  const form = useForm<EditValues>({
    initialValues: toValues(initial),
    validate: {
      display_name: (v) => displayNameError(t, v),
      email: (v) => emailError(t, v),
    },
  });

  const submit = form.onSubmit((v) => {
    const body = {
      version: user.version,
      display_name: v.display_name.trim() !== user.display_name ? v.display_name.trim() : undefined,
      email: v.email.trim() !== (user.email ?? '') ? v.email.trim() || null : undefined,
      role: v.role !== user.role ? (v.role as Role) : undefined,
      disabled: v.disabled !== user.disabled ? v.disabled : undefined,
    };
    update.mutate(
      { id: user.id, body },
      {
        onSuccess: (saved) => {
          notifySuccess(t('users.updated', { name: saved.username }));
          onClose();
        },
        onError: async (err) => {
          if (isApiError(err, 'stale_version') || (isApiError(err) && err.status === 409)) {
            // Someone else saved first: load their version and let the user review it.
            try {
              const fresh = await queryClient.fetchQuery({ ...userQueryOptions(user.id), staleTime: 0 });
              setUser(fresh);
              form.setValues(toValues(fresh));
              form.resetDirty(toValues(fresh));
              setStale(true);
            } catch (reloadErr) {
              notifyError(reloadErr);
            }
            return;
          }
          if (!applyFieldErrors(err, form.setFieldError, ['display_name', 'email', 'role', 'disabled'])) notifyError(err);
        },
      },
    );
  });

  return (
    <Modal opened onClose={onClose} title={t('users.editTitle', { name: user.username })} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          {stale ? (
            <Alert color="yellow" icon={<IconAlertTriangle />} data-testid="stale-version">
              {t('errors.staleVersion')}
            </Alert>
          ) : null}
          <TextInput label={t('users.displayName')} required {...form.getInputProps('display_name')} />
          <TextInput label={t('users.email')} type="email" {...form.getInputProps('email')} />
          <Select
            label={t('users.role')}
            allowDeselect={false}
            disabled={isSelf}
            data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            {...form.getInputProps('role')}
          />
          <Switch
            label={t('users.disabled')}
            description={t('users.disabledHint')}
            disabled={isSelf}
            {...form.getInputProps('disabled', { type: 'checkbox' })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
