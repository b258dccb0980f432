import { Button, Group, Select, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconCalendar, IconFilterOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { hasAuditFilters, EMPTY_AUDIT_FILTERS, type AuditFilterValues } from '../lib/filters';

export function AuditFilters({ value, onChange }: { value: AuditFilterValues; onChange: (next: AuditFilterValues) => void }) {
  const { t } = useTranslation();
  const set = <K extends keyof AuditFilterValues>(key: K, v: AuditFilterValues[K]) => onChange({ ...value, [key]: v });
  return (
    <Group gap="sm" mb="md" wrap="wrap" align="flex-end">
      <TextInput label={t('audit.actor')} value={value.actor} onChange={(e) => set('actor', e.currentTarget.value)} w={170} data-testid="audit-filter-actor" />
      <TextInput
        label={t('audit.action')}
        placeholder="user.create, auth."
        value={value.action}
        onChange={(e) => set('action', e.currentTarget.value)}
        w={170}
        data-testid="audit-filter-action"
      />
      <TextInput label={t('audit.targetType')} placeholder="user" value={value.target_type} onChange={(e) => set('target_type', e.currentTarget.value)} w={140} />
      <Select
        label={t('audit.outcome')}
        placeholder={t('common.all')}
        clearable
        value={value.outcome}
        onChange={(v) => set('outcome', v)}
        data={(['success', 'failure', 'denied'] as const).map((o) => ({ value: o, label: t(`audit.outcomes.${o}`) }))}
        w={150}
      />
      <DatePickerInput
        type="range"
        label={t('audit.dateRange')}
        placeholder={t('audit.datePlaceholder')}
        value={value.range}
        onChange={(v) => set('range', v)}
        clearable
        allowSingleDateInRange
        leftSection={<IconCalendar size={16} />}
        miw={230}
      />
      {hasAuditFilters(value) ? (
        <Button variant="subtle" color="gray" leftSection={<IconFilterOff size={16} />} onClick={() => onChange(EMPTY_AUDIT_FILTERS)}>
          {t('common.clearFilters')}
        </Button>
      ) : null}
    </Group>
  );
}
