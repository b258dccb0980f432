import { ActionIcon, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TagRow } from '@/lib/tags';

type Props = {
  rows: TagRow[];
  /** The heading; "Tags" by default. */
  label?: string;
  onChange: (rows: TagRow[]) => void;
  errors: Record<string, ReactNode>;
};

/** Key/value tag rows (secrets, hosts); errors are read from form paths `tags.<i>.key` and `tags.<i>.value`. */
export function TagsEditor({ rows, onChange, errors, label }: Props) {
  const { t } = useTranslation();
  const set = (i: number, patch: Partial<TagRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {label ?? t('tags.title')}
      </Text>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('tags.none')}
        </Text>
      ) : null}
      {rows.map((row, i) => (
        // Rows have no identity of their own; the index is stable while editing.
        <Group key={i} gap="xs" align="flex-start" wrap="nowrap" data-testid="tag-row">
          <TextInput
            aria-label={t('tags.key')}
            placeholder={t('tags.key')}
            style={{ flex: 1 }}
            value={row.key}
            error={errors[`tags.${i}.key`]}
            onChange={(e) => set(i, { key: e.currentTarget.value })}
          />
          <TextInput
            aria-label={t('tags.value')}
            placeholder={t('tags.value')}
            style={{ flex: 2 }}
            value={row.value}
            error={errors[`tags.${i}.value`]}
            onChange={(e) => set(i, { value: e.currentTarget.value })}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            mt={6}
            aria-label={t('tags.remove')}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} />} onClick={() => onChange([...rows, { key: '', value: '' }])}>
          {t('tags.add')}
        </Button>
      </Group>
    </Stack>
  );
}
