import { ActionIcon, Badge, Checkbox, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconPlus, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FacetCount, HostFacets } from '@/api/types';
import type { HostFilters } from '@/lib/hosts/filters';
import { parseTagFilter } from '@/lib/hosts/filters';

/** The API's value for "not set" in environment and OS filters. */
const NOT_SET = '(none)';

type FacetKey = 'status' | 'environment' | 'os';

function FacetGroup({
  title,
  facet,
  counts,
  selected,
  onChange,
  label,
}: {
  title: string;
  facet: FacetKey;
  counts: FacetCount[];
  selected: string[];
  onChange: (values: string[]) => void;
  label: (value: string) => string;
}) {
  const { t } = useTranslation();
  // Selected values stay visible even when nothing matches them any more.
  // "Not set" is sent to the API as `(none)`.
  const keyOf = (value: string) => value || NOT_SET;
  const values = [...counts.map((c) => keyOf(c.value)), ...selected.filter((s) => !counts.some((c) => keyOf(c.value) === s))];
  return (
    <Stack gap={6} data-testid={`facet-${facet}`}>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      {values.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('common.none')}
        </Text>
      ) : null}
      {values.map((value) => {
        const count = counts.find((c) => keyOf(c.value) === value)?.count ?? 0;
        const notSet = value === NOT_SET;
        return (
          <Group key={value} justify="space-between" wrap="nowrap" gap="xs">
            <Checkbox
              size="xs"
              label={notSet ? t('hosts.notSet') : label(value)}
              checked={selected.includes(value)}
              onChange={(e) => onChange(e.currentTarget.checked ? [...selected, value] : selected.filter((s) => s !== value))}
              data-testid={`facet-${facet}-${notSet ? 'none' : value}`}
            />
            <Badge size="xs" variant="light" color="gray" data-testid={`facet-count-${facet}-${notSet ? 'none' : value}`}>
              {count}
            </Badge>
          </Group>
        );
      })}
    </Stack>
  );
}

export function HostFiltersPanel({
  filters,
  facets,
  onChange,
}: {
  filters: HostFilters;
  facets: HostFacets | undefined;
  onChange: (patch: Partial<HostFilters>) => void;
}) {
  const { t } = useTranslation();
  const [tag, setTag] = useState('');
  const [tagError, setTagError] = useState<string | null>(null);
  const addTag = () => {
    const parsed = parseTagFilter(tag);
    if (!parsed) {
      setTagError(t('hosts.tagFilterInvalid'));
      return;
    }
    if (!filters.tag.includes(parsed)) onChange({ tag: [...filters.tag, parsed] });
    setTag('');
    setTagError(null);
  };
  return (
    <Stack gap="md" data-testid="host-filters">
      <Title order={5}>{t('hosts.filters')}</Title>
      <FacetGroup
        title={t('hosts.fields.status')}
        facet="status"
        counts={facets?.status ?? []}
        selected={filters.status}
        onChange={(status) => onChange({ status })}
        label={(v) => t(`hosts.statuses.${v as 'online'}`, { defaultValue: v })}
      />
      <FacetGroup
        title={t('hosts.fields.environment')}
        facet="environment"
        counts={facets?.environment ?? []}
        selected={filters.environment}
        onChange={(environment) => onChange({ environment })}
        label={(v) => v}
      />
      <FacetGroup title={t('hosts.fields.os')} facet="os" counts={facets?.os ?? []} selected={filters.os} onChange={(os) => onChange({ os })} label={(v) => v} />
      <Stack gap={6}>
        <Text size="sm" fw={600}>
          {t('hosts.fields.tags')}
        </Text>
        <TextInput
          size="xs"
          placeholder="env=prod"
          aria-label={t('hosts.tagFilter')}
          description={t('hosts.tagFilterHint')}
          value={tag}
          error={tagError}
          onChange={(e) => setTag(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              addTag();
            }
          }}
          rightSection={
            <ActionIcon size="sm" variant="subtle" onClick={addTag} aria-label={t('hosts.addTagFilter')}>
              <IconPlus size={14} />
            </ActionIcon>
          }
          data-testid="tag-filter-input"
        />
        <Group gap={4}>
          {filters.tag.map((tg) => (
            <Badge
              key={tg}
              variant="light"
              tt="none"
              rightSection={
                <ActionIcon size="xs" variant="transparent" aria-label={t('hosts.removeTagFilter', { tag: tg })} onClick={() => onChange({ tag: filters.tag.filter((x) => x !== tg) })}>
                  <IconX size={10} />
                </ActionIcon>
              }
            >
              {tg}
            </Badge>
          ))}
        </Group>
      </Stack>
    </Stack>
  );
}
