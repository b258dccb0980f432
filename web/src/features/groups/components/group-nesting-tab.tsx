import { Anchor, Badge, Button, Group, MultiSelect, Stack, Text } from '@mantine/core';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Group as HostGroup } from '@/api/types';
import { ApiError } from '@/lib/api-error';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useGroups } from '../api/get-groups';
import { useUpdateGroup } from '../api/update-group';

/** Child groups (their members count as members here); parents are shown for orientation. */
export function GroupNestingTab({ group, canManage }: { group: HostGroup; canManage: boolean }) {
  const { t } = useTranslation();
  const groups = useGroups();
  const [children, setChildren] = useState<string[]>(group.children);
  const [error, setError] = useState<string | null>(null);
  const update = useUpdateGroup();
  const byName = new Map((groups.data?.items ?? []).map((g) => [g.name, g.id]));
  const options = (groups.data?.items ?? []).map((g) => g.name).filter((n) => n !== group.name);
  const changed = children.join('\n') !== group.children.join('\n');

  const save = () =>
    update.mutate(
      { id: group.id, body: { version: group.version, children } },
      {
        onSuccess: () => {
          setError(null);
          notifySuccess(t('groups.updated', { name: group.name }));
        },
        onError: (err) => {
          const field = err instanceof ApiError ? err.fieldErrors.children : undefined;
          if (field) setError(field);
          else notifyError(err);
        },
      },
    );

  return (
    <Stack data-testid="group-nesting">
      <div>
        <Text size="sm" fw={500}>
          {t('groups.fields.parents')}
        </Text>
        {group.parents.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('groups.nesting.noParents')}
          </Text>
        ) : (
          <Group gap={4}>
            {group.parents.map((p) => {
              const id = byName.get(p);
              return id ? (
                <Anchor key={p} component={Link} to={`/groups/${id}`} size="sm" ff="monospace">
                  {p}
                </Anchor>
              ) : (
                <Badge key={p} variant="outline" color="gray" tt="none">
                  {p}
                </Badge>
              );
            })}
          </Group>
        )}
      </div>
      <MultiSelect
        label={t('groups.fields.children')}
        description={t('groups.childrenHint')}
        data={[...new Set([...options, ...children])]}
        value={children}
        onChange={(v) => {
          setChildren(v);
          setError(null);
        }}
        searchable
        readOnly={!canManage}
        error={error}
        data-testid="nesting-children"
      />
      {group.children.length ? (
        <Group gap={6}>
          {group.children.map((c) =>
            byName.get(c) ? (
              <Anchor key={c} component={Link} to={`/groups/${byName.get(c) ?? ''}`} size="sm" ff="monospace">
                {c}
              </Anchor>
            ) : null,
          )}
        </Group>
      ) : null}
      {canManage ? (
        <Group justify="flex-end">
          <Button leftSection={<IconDeviceFloppy size={16} />} onClick={save} disabled={!changed} loading={update.isPending} data-testid="nesting-save">
            {t('common.save')}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}
