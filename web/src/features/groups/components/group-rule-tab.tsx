import { Button, Group, Stack } from '@mantine/core';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Group as HostGroup } from '@/api/types';
import { ApiError } from '@/lib/api-error';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useUpdateGroup } from '../api/update-group';
import { RuleEditor } from './rule-editor/rule-editor';

/** Edits a dynamic group's rule; saving sends the version read, so a concurrent change is refused. */
export function GroupRuleTab({ group, canManage }: { group: HostGroup; canManage: boolean }) {
  const { t } = useTranslation();
  const [rule, setRule] = useState(group.rule ?? '');
  const [error, setError] = useState<string | null>(null);
  const update = useUpdateGroup();
  const onChange = useCallback((text: string) => {
    setRule(text);
    setError(null);
  }, []);
  const save = () =>
    update.mutate(
      { id: group.id, body: { version: group.version, rule } },
      {
        onSuccess: (saved) => notifySuccess(t('groups.updated', { name: saved.name })),
        onError: (err) => {
          const field = err instanceof ApiError ? err.fieldErrors.rule : undefined;
          if (field) setError(field);
          else notifyError(err);
        },
      },
    );
  return (
    <Stack data-testid="group-rule-tab">
      <RuleEditor value={rule} onChange={onChange} readOnly={!canManage} error={error} />
      {canManage ? (
        <Group justify="flex-end">
          <Button variant="default" disabled={rule === (group.rule ?? '')} onClick={() => onChange(group.rule ?? '')}>
            {t('groups.revert')}
          </Button>
          <Button leftSection={<IconDeviceFloppy size={16} />} onClick={save} loading={update.isPending} disabled={!rule.trim() || rule === (group.rule ?? '')} data-testid="rule-save">
            {t('common.save')}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}
