import { Button, Group, Modal, MultiSelect, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { CreateGroupBody, GroupKind } from '@/api/types';
import { applyFieldErrors } from '@/lib/form-errors';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useCreateGroup } from '../api/create-group';
import { useGroups } from '../api/get-groups';
import { groupNameError } from '../lib/validation';
import { RuleEditor } from './rule-editor/rule-editor';

type Values = { name: string; description: string; kind: GroupKind; rule: string; children: string[] };
const FIELDS = ['name', 'description', 'rule', 'children', 'variables'] as const;

export function CreateGroupModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateGroup();
  const groups = useGroups();
  const form = useForm<Values>({
    initialValues: { name: '', description: '', kind: 'static', rule: '', children: [] },
    validate: {
      name: (v) => groupNameError(t, v),
      rule: (v, values) => (values.kind === 'dynamic' && !v.trim() ? t('groups.rule.required') : null),
    },
  });
  const { setFieldValue } = form;
  const setRule = useCallback((text: string) => setFieldValue('rule', text), [setFieldValue]);

  const submit = form.onSubmit((v) => {
    const body: CreateGroupBody = { name: v.name.trim(), description: v.description.trim(), kind: v.kind, children: v.children, variables: {} };
    if (v.kind === 'dynamic') body.rule = v.rule;
    create.mutate(body, {
      onSuccess: (group) => {
        notifySuccess(t('groups.created', { name: group.name }));
        onClose();
        void navigate(`/groups/${group.id}`);
      },
      onError: (err) => {
        if (!applyFieldErrors(err, form.setFieldError, FIELDS)) notifyError(err);
      },
    });
  });

  return (
    <Modal opened onClose={onClose} title={t('groups.createTitle')} size="xl" centered>
      <form onSubmit={submit} data-testid="group-form" noValidate>
        <Stack>
          <TextInput label={t('groups.fields.name')} description={t('groups.nameHint')} required name="name" data-autofocus {...form.getInputProps('name')} />
          <Textarea label={t('groups.fields.description')} name="description" autosize minRows={1} {...form.getInputProps('description')} />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('groups.fields.kind')}
            </Text>
            <SegmentedControl
              data={[
                { value: 'static', label: t('groups.kinds.static') },
                { value: 'dynamic', label: t('groups.kinds.dynamic') },
              ]}
              {...form.getInputProps('kind')}
              data-testid="group-kind-select"
            />
            <Text size="xs" c="dimmed">
              {form.values.kind === 'dynamic' ? t('groups.dynamicHint') : t('groups.staticHint')}
            </Text>
          </Stack>
          {form.values.kind === 'dynamic' ? (
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('groups.fields.rule')}
              </Text>
              <RuleEditor value={form.values.rule} onChange={setRule} error={typeof form.errors.rule === 'string' ? form.errors.rule : null} />
            </Stack>
          ) : null}
          <MultiSelect
            label={t('groups.fields.children')}
            description={t('groups.childrenHint')}
            data={(groups.data?.items ?? []).map((g) => g.name)}
            searchable
            {...form.getInputProps('children')}
            data-testid="group-children"
          />
          {typeof form.errors.variables === 'string' ? (
            <Text size="sm" c="red">
              {form.errors.variables}
            </Text>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="group-submit">
              {t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
