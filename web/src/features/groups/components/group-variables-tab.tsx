import { ActionIcon, Alert, Button, Code, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconDeviceFloppy, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Group as HostGroup } from '@/api/types';
import { ApiError } from '@/lib/api-error';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useUpdateGroup } from '../api/update-group';
import { rowsToVariables, secretRefs, variablesToRows, type VariableRow } from '../lib/validation';

const SECRET_EXAMPLE = '{{ secret:NAME }}';

/** Ansible group variables as key/value rows; values may reference secrets. */
export function GroupVariablesTab({ group, canManage }: { group: HostGroup; canManage: boolean }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<VariableRow[]>(() => variablesToRows(group.variables));
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const update = useUpdateGroup();
  const { variables, duplicate } = rowsToVariables(rows);
  const set = (i: number, patch: Partial<VariableRow>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const save = () =>
    update.mutate(
      { id: group.id, body: { version: group.version, variables } },
      {
        onSuccess: () => {
          setServerErrors({});
          notifySuccess(t('groups.variables.saved'));
        },
        onError: (err) => {
          if (err instanceof ApiError && Object.keys(err.fieldErrors).length) setServerErrors(err.fieldErrors);
          else notifyError(err);
        },
      },
    );

  return (
    <Stack data-testid="group-variables">
      <Text size="sm" c="dimmed">
        {t('groups.variables.hint', { example: SECRET_EXAMPLE })}
      </Text>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('groups.variables.none')}
        </Text>
      ) : null}
      {rows.map((row, i) => {
        const refs = secretRefs(row.value);
        const keyError = serverErrors[`variables.${row.key}`] ?? (duplicate && row.key.trim() === duplicate ? t('groups.variables.duplicate') : null);
        return (
          <Group key={i} gap="xs" align="flex-start" wrap="nowrap" data-testid="variable-row">
            <TextInput
              placeholder={t('groups.variables.key')}
              aria-label={t('groups.variables.key')}
              value={row.key}
              readOnly={!canManage}
              error={keyError}
              onChange={(e) => set(i, { key: e.currentTarget.value })}
              ff="monospace"
              w={220}
            />
            <TextInput
              placeholder={t('groups.variables.value')}
              aria-label={t('groups.variables.value')}
              value={row.value}
              readOnly={!canManage}
              onChange={(e) => set(i, { value: e.currentTarget.value })}
              description={refs.length ? t('groups.variables.refs', { names: refs.join(', ') }) : undefined}
              style={{ flex: 1 }}
              ff="monospace"
            />
            {canManage ? (
              <ActionIcon variant="subtle" color="red" mt={6} onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))} aria-label={t('groups.variables.remove')}>
                <IconTrash size={16} />
              </ActionIcon>
            ) : null}
          </Group>
        );
      })}
      {serverErrors.variables ? (
        <Alert color="red" data-testid="variables-error">
          {serverErrors.variables}
        </Alert>
      ) : null}
      {Object.entries(serverErrors)
        .filter(([k]) => k.startsWith('variables.') && !rows.some((r) => `variables.${r.key}` === k))
        .map(([k, v]) => (
          <Text key={k} size="sm" c="red">
            <Code>{k.slice('variables.'.length)}</Code> {v}
          </Text>
        ))}
      {canManage ? (
        <Group justify="space-between">
          <Button variant="default" leftSection={<IconPlus size={16} />} onClick={() => setRows((rs) => [...rs, { key: '', value: '' }])} data-testid="variable-add">
            {t('groups.variables.add')}
          </Button>
          <Button leftSection={<IconDeviceFloppy size={16} />} onClick={save} loading={update.isPending} disabled={duplicate !== null} data-testid="variables-save">
            {t('common.save')}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}
