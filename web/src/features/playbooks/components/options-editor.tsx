import { Checkbox, Group, NumberInput, SimpleGrid, Stack, TagsInput, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PlaybookOptions } from '@/api/types';
import { OPTION_LIMITS } from '../lib/playbook-form';

/** `ansible-playbook` options; `errors` keyed by the server's `defaults.options.*` fields. */
export function OptionsEditor({ value, onChange, errors = {}, hideCheck = false }: { value: PlaybookOptions; onChange: (o: PlaybookOptions) => void; errors?: Record<string, string>; hideCheck?: boolean }) {
  const { t } = useTranslation();
  const set = (patch: Partial<PlaybookOptions>) => onChange({ ...value, ...patch });
  const err = (k: string) => errors[`defaults.options.${k}`] ?? errors[`options.${k}`];
  const num = (v: string | number) => (typeof v === 'number' ? v : Number.NaN);
  return (
    <Stack gap="sm" data-testid="options-editor">
      {hideCheck ? null : (
        <Group>
          <Checkbox label={t('playbooks.options.check')} checked={value.check} onChange={(e) => set({ check: e.currentTarget.checked })} data-testid="option-check" />
          <Checkbox label={t('playbooks.options.diff')} checked={value.diff} onChange={(e) => set({ diff: e.currentTarget.checked })} data-testid="option-diff" />
        </Group>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TagsInput label={t('playbooks.options.tags')} value={value.tags} onChange={(tags) => set({ tags })} error={err('tags')} data-testid="option-tags" />
        <TagsInput label={t('playbooks.options.skipTags')} value={value.skip_tags} onChange={(skip_tags) => set({ skip_tags })} error={err('skip_tags')} data-testid="option-skip-tags" />
        <TextInput
          label={t('playbooks.options.limit')}
          description={t('playbooks.options.limitHint')}
          value={value.limit ?? ''}
          onChange={(e) => set({ limit: e.currentTarget.value || null })}
          error={err('limit')}
          data-testid="option-limit"
        />
        <NumberInput
          label={t('playbooks.options.verbosity')}
          min={OPTION_LIMITS.verbosity[0]}
          max={OPTION_LIMITS.verbosity[1]}
          value={value.verbosity}
          onChange={(v) => set({ verbosity: num(v) })}
          error={err('verbosity')}
          data-testid="option-verbosity"
        />
        <NumberInput
          label={t('playbooks.options.forks')}
          min={OPTION_LIMITS.forks[0]}
          max={OPTION_LIMITS.forks[1]}
          value={value.forks}
          onChange={(v) => set({ forks: num(v) })}
          error={err('forks')}
          data-testid="option-forks"
        />
        <NumberInput
          label={t('playbooks.options.timeout')}
          min={OPTION_LIMITS.timeout_seconds[0]}
          max={OPTION_LIMITS.timeout_seconds[1]}
          value={value.timeout_seconds}
          onChange={(v) => set({ timeout_seconds: num(v) })}
          error={err('timeout_seconds')}
          data-testid="option-timeout"
        />
      </SimpleGrid>
    </Stack>
  );
}
