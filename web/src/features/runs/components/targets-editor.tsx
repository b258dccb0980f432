import { Badge, Button, Group, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useTargetGroups } from '../api/get-groups';
import type { TargetDraft } from '../lib/targets';

/** Edits a selection: the hosts it was opened with (removable), group names and a rule. */
export function TargetsEditor({ draft, onChange, error }: { draft: TargetDraft; onChange: (d: TargetDraft) => void; error?: string | null }) {
  const { t } = useTranslation();
  const groups = useTargetGroups();
  const names = draft.hosts.map((id) => draft.hostNames[id] ?? id);
  return (
    <Stack gap="xs" data-testid="targets-editor">
      {draft.hosts.length > 0 ? (
        <div>
          <Text size="sm" fw={500} mb={4}>
            {t('runs.targets.hosts')}
          </Text>
          <Group gap={4}>
            {names.slice(0, 20).map((n) => (
              <Badge key={n} variant="light" color="gray" tt="none" data-testid="target-host">
                {n}
              </Badge>
            ))}
            {names.length > 20 ? (
              <Text size="xs" c="dimmed">
                {t('runs.targets.more', { count: names.length - 20 })}
              </Text>
            ) : null}
            <Button size="compact-xs" variant="subtle" color="gray" leftSection={<IconX size={12} />} onClick={() => onChange({ ...draft, hosts: [] })}>
              {t('runs.targets.clearHosts')}
            </Button>
          </Group>
        </div>
      ) : null}
      <TagsInput
        label={t('runs.targets.groups')}
        placeholder={t('runs.targets.groupsPlaceholder')}
        data={(groups.data?.items ?? []).map((g) => g.name)}
        value={draft.groups}
        onChange={(v) => onChange({ ...draft, groups: v })}
        data-testid="targets-groups"
      />
      <TextInput
        label={t('runs.targets.rule')}
        placeholder={t('runs.targets.rulePlaceholder')}
        value={draft.rule}
        onChange={(e) => onChange({ ...draft, rule: e.currentTarget.value })}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        error={error}
        data-testid="targets-rule"
      />
    </Stack>
  );
}
