import { Button, Divider, Group, Modal, SegmentedControl, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconKey } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { KEY_ACTIONS, type KeyAction } from '@/api/types';
import { applyFieldErrors } from '@/lib/form-errors';
import { notifyError } from '@/lib/notify';
import { useSshKeys } from '../api/get-ssh-keys';
import { useRunKey } from '../api/run-key';
import { KEY_DEFAULTS, toKeyRequest, validateKeyForm, type KeyFormValues } from '../lib/key-form';
import { toTargetSpec, type TargetDraft } from '../lib/targets';
import { useTargetPreview } from '../lib/use-target-preview';
import { TargetPreview } from './target-preview';
import { TargetsEditor } from './targets-editor';

/** Adds a public key to (or removes it from) `authorized_keys` on a selection; goes to the run's page. */
export function DeployKeyModal({ initial, onClose }: { initial: TargetDraft; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const run = useRunKey();
  const [draft, setDraft] = useState(initial);
  const spec = toTargetSpec(draft);
  const preview = useTargetPreview(spec);
  const form = useForm<KeyFormValues>({ initialValues: KEY_DEFAULTS, validate: (v) => validateKeyForm(t, v) });
  const keys = useSshKeys(form.values.source === 'secret');
  const count = preview.data && !preview.pending ? preview.data.total : null;

  const submit = form.onSubmit((values) =>
    run.mutate(toKeyRequest(values, spec), {
      onSuccess: (r) => {
        onClose();
        void navigate(`/runs/${r.id}`);
      },
      onError: (err) => {
        if (!applyFieldErrors(err, form.setFieldError, ['public_key', 'key_secret', 'user', 'action'])) notifyError(err);
      },
    }),
  );

  return (
    <Modal opened onClose={onClose} title={t('runs.key.title')} size="lg" centered>
      <form onSubmit={submit} noValidate data-testid="deploy-key-form">
        <Stack>
          <Divider label={t('runs.targets.title')} labelPosition="left" />
          <TargetsEditor draft={draft} onChange={setDraft} />
          <TargetPreview preview={preview} />
          <Divider />
          <Select
            label={t('runs.key.action')}
            data={KEY_ACTIONS.map((a) => ({ value: a, label: t(`runs.key.${a}`) }))}
            allowDeselect={false}
            value={form.values.action}
            onChange={(a) => form.setFieldValue('action', (a ?? 'deploy') as KeyAction)}
            data-testid="key-action"
          />
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('runs.key.source')}
            </Text>
            <SegmentedControl
              value={form.values.source}
              onChange={(s) => form.setFieldValue('source', s === 'secret' ? 'secret' : 'paste')}
              data={[
                { value: 'paste', label: t('runs.key.paste') },
                { value: 'secret', label: t('runs.key.secret') },
              ]}
              data-testid="key-source"
            />
          </div>
          {form.values.source === 'paste' ? (
            <Textarea
              label={t('runs.key.publicKey')}
              placeholder={t('runs.key.publicKeyPlaceholder')}
              autosize
              minRows={3}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', wordBreak: 'break-all' } }}
              data-testid="key-public"
              {...form.getInputProps('public_key')}
            />
          ) : (
            <Select
              label={t('runs.key.secretPick')}
              searchable
              data={(keys.data?.items ?? []).map((s) => ({ value: s.id, label: s.algorithm ? `${s.name} (${s.algorithm})` : s.name }))}
              nothingFoundMessage={t('runs.key.noSecrets')}
              data-testid="key-secret"
              {...form.getInputProps('key_secret')}
              value={form.values.key_secret || null}
              onChange={(id) => form.setFieldValue('key_secret', id ?? '')}
            />
          )}
          <TextInput label={t('runs.key.user')} description={t('runs.key.userHint')} placeholder="root" data-testid="key-user" {...form.getInputProps('user')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              color={form.values.action === 'remove' ? 'red' : undefined}
              leftSection={<IconKey size={16} />}
              loading={run.isPending}
              disabled={preview.empty || count === 0}
              data-testid="key-submit"
            >
              {form.values.action === 'remove' ? t('runs.key.submitRemove') : t('runs.key.submitDeploy')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
