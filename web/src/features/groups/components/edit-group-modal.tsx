import { Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { Group as HostGroup } from '@/api/types';
import { applyFieldErrors } from '@/lib/form-errors';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useUpdateGroup } from '../api/update-group';
import { groupNameError } from '../lib/validation';

/** Renames a group or changes its description (the rule, variables and nesting have their tabs). */
export function EditGroupModal({ group, onClose }: { group: HostGroup; onClose: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateGroup();
  const form = useForm({ initialValues: { name: group.name, description: group.description }, validate: { name: (v: string) => groupNameError(t, v) } });
  const submit = form.onSubmit((v) =>
    update.mutate(
      { id: group.id, body: { version: group.version, name: v.name.trim(), description: v.description.trim() } },
      {
        onSuccess: (saved) => {
          notifySuccess(t('groups.updated', { name: saved.name }));
          onClose();
        },
        onError: (err) => {
          if (!applyFieldErrors(err, form.setFieldError, ['name', 'description'])) notifyError(err);
        },
      },
    ),
  );
  return (
    <Modal opened onClose={onClose} title={t('groups.editTitle', { name: group.name })} centered>
      <form onSubmit={submit} noValidate data-testid="edit-group-form">
        <Stack>
          <TextInput label={t('groups.fields.name')} required name="name" {...form.getInputProps('name')} />
          <Textarea label={t('groups.fields.description')} name="description" autosize minRows={2} {...form.getInputProps('description')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={update.isPending} data-testid="edit-group-submit">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
