import { Button, Group, Modal, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '@/api/types';
import { applyFieldErrors } from '@/lib/form-errors';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useCreateUser } from '../api/create-user';
import { normalizeUsername, validateCreateUser, type UserFormValues } from '../lib/validation';

const EMPTY: UserFormValues = { username: '', display_name: '', email: '', role: 'viewer', password: '' };

export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateUser();
  const form = useForm<UserFormValues>({ initialValues: EMPTY, validate: (v) => validateCreateUser(t, v) });

  const close = () => {
    form.reset();
    create.reset();
    onClose();
  };

  const submit = form.onSubmit((v) => {
    create.mutate(
      {
        username: normalizeUsername(v.username),
        display_name: v.display_name.trim(),
        email: v.email.trim() || null,
        role: v.role as Role,
        password: v.password,
      },
      {
        onSuccess: (user) => {
          notifySuccess(t('users.created', { name: user.username }));
          close();
        },
        onError: (err) => {
          if (!applyFieldErrors(err, form.setFieldError, Object.keys(EMPTY))) notifyError(err);
        },
      },
    );
  });

  return (
    <Modal opened={opened} onClose={close} title={t('users.createTitle')} centered>
      <form onSubmit={submit} noValidate data-testid="create-user-form">
        <Stack>
          <TextInput label={t('users.username')} required autoComplete="off" data-autofocus name="username" {...form.getInputProps('username')} />
          <TextInput label={t('users.displayName')} required name="display_name" {...form.getInputProps('display_name')} />
          <TextInput label={t('users.email')} type="email" name="email" {...form.getInputProps('email')} />
          <Select
            label={t('users.role')}
            required
            allowDeselect={false}
            data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            data-testid="create-user-role"
            {...form.getInputProps('role')}
          />
          <PasswordInput label={t('users.password')} required autoComplete="new-password" name="password" {...form.getInputProps('password')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="create-user-submit">
              {t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
