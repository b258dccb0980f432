import { Button, Group, Modal, Stack, TagsInput, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { TagsEditor } from '@/components/forms/tags-editor';
import { notifyError, notifySuccess } from '@/lib/notify';
import { rowsToTags, type TagRow } from '@/lib/tags';
import { useBulkUpdateHosts } from '../api/bulk-update-hosts';
import { tagErrors, tagKeyProblem } from '../lib/validation';
import { BulkErrors } from './bulk-errors';

type Values = { add: TagRow[]; remove: string[] };

export function BulkTagsModal({ ids, onClose }: { ids: string[]; onClose: () => void }) {
  const { t } = useTranslation();
  const update = useBulkUpdateHosts();
  const form = useForm<Values>({
    initialValues: { add: [], remove: [] },
    validate: (v) => {
      const errors: Record<string, string | null> = {};
      for (const [k, msg] of Object.entries(tagErrors(t, v.add))) errors[k.replace(/^tags\./, 'add.')] = msg;
      errors.remove = v.remove.some((k) => tagKeyProblem(k, [])) ? t('hosts.validation.tagKeyFormat') : null;
      if (v.add.length === 0 && v.remove.length === 0) errors.remove = t('hosts.bulk.nothingToDo');
      return errors;
    },
  });
  // The editor reads errors at `tags.<i>.*`; this form keeps them at `add.<i>.*`.
  const editorErrors = Object.fromEntries(Object.entries(form.errors).map(([k, v]) => [k.replace(/^add\./, 'tags.'), v]));
  const submit = form.onSubmit((v) =>
    update.mutate(
      { ids, add_tags: rowsToTags(v.add), remove_tags: v.remove },
      {
        onSuccess: (result) => {
          if (!result.applied) return;
          notifySuccess(t('hosts.bulk.updated', { count: ids.length }));
          onClose();
        },
        onError: (err) => notifyError(err),
      },
    ),
  );
  return (
    <Modal opened onClose={onClose} title={t('hosts.bulk.tagsTitle', { count: ids.length })} centered size="lg">
      <form onSubmit={submit} noValidate data-testid="bulk-tags-form">
        <Stack>
          <TagsEditor label={t('hosts.bulk.addTags')} rows={form.values.add} errors={editorErrors} onChange={(rows) => form.setFieldValue('add', rows)} />
          <TagsInput
            label={t('hosts.bulk.removeTags')}
            description={t('hosts.bulk.removeTagsHint')}
            value={form.values.remove}
            onChange={(v) => form.setFieldValue('remove', v)}
            error={form.errors.remove}
          />
          <Text size="xs" c="dimmed">
            {t('hosts.bulk.allOrNothing')}
          </Text>
          {update.data && !update.data.applied ? <BulkErrors result={update.data} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={update.isPending} data-testid="bulk-tags-submit">
              {t('hosts.bulk.apply')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
