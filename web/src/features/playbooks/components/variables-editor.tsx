import { ActionIcon, Button, Checkbox, Group, PasswordInput, Select, Stack, Switch, TagsInput, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { SURVEY_TYPES, VAR_TYPES, type SurveyQuestion, type VarType } from '@/api/types';
import type { SurveyDraft, VariableDraft } from '../lib/playbook-form';

const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

/** A value input by type: a switch for booleans, a secret's name for secrets, text otherwise. */
function ValueInput({ type, value, onChange, label, testId, choices }: { type: VarType; value: string; onChange: (v: string) => void; label?: string; testId: string; choices?: string[] }) {
  const { t } = useTranslation();
  if (type === 'boolean')
    return <Switch label={label} checked={value === 'true'} onChange={(e) => onChange(e.currentTarget.checked ? 'true' : 'false')} data-testid={testId} mt={label ? 0 : 8} />;
  if (type === 'choice') return <Select label={label} data={choices ?? []} value={value || null} onChange={(v) => onChange(v ?? '')} clearable data-testid={testId} />;
  return (
    <TextInput
      label={label}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      placeholder={type === 'secret' ? t('playbooks.variables.secretPlaceholder') : type === 'number' ? '0' : t('playbooks.variables.valuePlaceholder')}
      inputMode={type === 'number' ? 'decimal' : undefined}
      styles={mono}
      data-testid={testId}
    />
  );
}

/**
 * Variable rows (name, type, value). With `fixedNames` only values change (launch overrides);
 * a secret variable's value is the name of a vault secret.
 */
export function VariablesEditor({ rows, onChange, errors = {}, fixedNames = false }: { rows: VariableDraft[]; onChange: (rows: VariableDraft[]) => void; errors?: Record<string, string>; fixedNames?: boolean }) {
  const { t } = useTranslation();
  const set = (i: number, patch: Partial<VariableDraft>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Stack gap="xs" data-testid="variables-editor">
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('playbooks.variables.none')}
        </Text>
      ) : null}
      {rows.map((r, i) => (
        <div key={i} data-testid="variable-row">
          <Group gap="xs" align="flex-start" wrap="nowrap">
            <TextInput
              aria-label={t('playbooks.variables.name')}
              placeholder={t('playbooks.variables.name')}
              value={r.name}
              onChange={(e) => set(i, { name: e.currentTarget.value })}
              readOnly={fixedNames}
              styles={mono}
              w={200}
              data-testid="variable-name"
            />
            <Select
              aria-label={t('playbooks.variables.type')}
              data={VAR_TYPES.map((v) => ({ value: v, label: t(`playbooks.types.${v}`) }))}
              value={r.type}
              onChange={(v) => set(i, { type: (v ?? 'string') as VarType, value: v === 'boolean' ? 'false' : r.value })}
              disabled={fixedNames}
              allowDeselect={false}
              w={130}
              data-testid="variable-type"
            />
            <div style={{ flex: 1 }}>
              <ValueInput type={r.type} value={r.value} onChange={(value) => set(i, { value })} testId="variable-value" />
            </div>
            {fixedNames ? null : (
              <ActionIcon variant="subtle" color="red" mt={6} aria-label={t('common.remove')} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                <IconTrash size={16} />
              </ActionIcon>
            )}
          </Group>
          {errors[`variables.${i}`] ? (
            <Text size="xs" c="red">
              {errors[`variables.${i}`]}
            </Text>
          ) : null}
        </div>
      ))}
      {errors['defaults.variables'] ? (
        <Text size="sm" c="red" data-testid="variables-error">
          {errors['defaults.variables']}
        </Text>
      ) : null}
      {fixedNames ? null : (
        <Group>
          <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => onChange([...rows, { name: '', type: 'string', value: '' }])} data-testid="variable-add">
            {t('playbooks.variables.add')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** Survey questions asked at launch (name, label, type, required, default, choices). */
export function SurveyEditor({ rows, onChange, errors = {} }: { rows: SurveyDraft[]; onChange: (rows: SurveyDraft[]) => void; errors?: Record<string, string> }) {
  const { t } = useTranslation();
  const set = (i: number, patch: Partial<SurveyDraft>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Stack gap="xs" data-testid="survey-editor">
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('playbooks.survey.none')}
        </Text>
      ) : null}
      {rows.map((q, i) => (
        <div key={i} data-testid="survey-row">
          <Group gap="xs" align="flex-start" wrap="wrap">
            <TextInput aria-label={t('playbooks.variables.name')} placeholder={t('playbooks.variables.name')} value={q.name} onChange={(e) => set(i, { name: e.currentTarget.value })} styles={mono} w={170} data-testid="survey-name" />
            <TextInput aria-label={t('playbooks.survey.label')} placeholder={t('playbooks.survey.label')} value={q.label} onChange={(e) => set(i, { label: e.currentTarget.value })} w={200} data-testid="survey-label" />
            <Select
              aria-label={t('playbooks.variables.type')}
              data={SURVEY_TYPES.map((v) => ({ value: v, label: t(`playbooks.types.${v}`) }))}
              value={q.type}
              onChange={(v) => set(i, { type: (v ?? 'string') as VarType, default: '' })}
              allowDeselect={false}
              w={130}
              data-testid="survey-type"
            />
            {q.type === 'choice' ? (
              <TagsInput aria-label={t('playbooks.survey.choices')} placeholder={t('playbooks.survey.choices')} value={q.choices} onChange={(choices) => set(i, { choices })} w={220} data-testid="survey-choices" />
            ) : null}
            {q.type === 'secret' ? null : (
              <div style={{ width: 180 }}>
                <ValueInput type={q.type} value={q.default} onChange={(d) => set(i, { default: d })} testId="survey-default" choices={q.choices} />
              </div>
            )}
            <Checkbox mt={8} label={t('playbooks.survey.required')} checked={q.required} onChange={(e) => set(i, { required: e.currentTarget.checked })} />
            <ActionIcon variant="subtle" color="red" mt={6} aria-label={t('common.remove')} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
          {errors[`survey.${i}`] ? (
            <Text size="xs" c="red">
              {errors[`survey.${i}`]}
            </Text>
          ) : null}
        </div>
      ))}
      {errors['defaults.survey'] ? (
        <Text size="sm" c="red" data-testid="survey-error">
          {errors['defaults.survey']}
        </Text>
      ) : null}
      <Group>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          onClick={() => onChange([...rows, { name: '', label: '', type: 'string', required: false, default: '', choices: [] }])}
          data-testid="survey-add"
        >
          {t('playbooks.survey.add')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The launch form's answers to a playbook's survey; a secret question is a password input. */
export function SurveyForm({ questions, answers, onChange, errors = {} }: { questions: SurveyQuestion[]; answers: Record<string, string>; onChange: (a: Record<string, string>) => void; errors?: Record<string, string> }) {
  const set = (name: string, v: string) => onChange({ ...answers, [name]: v });
  return (
    <Stack gap="xs" data-testid="survey-form">
      {questions.map((q) => {
        const error = errors[`survey.${q.name}`];
        const testId = `survey-answer-${q.name}`;
        const value = answers[q.name] ?? '';
        if (q.type === 'secret')
          return <PasswordInput key={q.name} label={q.label} required={q.required} value={value} onChange={(e) => set(q.name, e.currentTarget.value)} error={error} data-testid={testId} autoComplete="off" />;
        if (q.type === 'boolean')
          return <Switch key={q.name} label={q.label} checked={value === 'true'} onChange={(e) => set(q.name, e.currentTarget.checked ? 'true' : 'false')} error={error} data-testid={testId} />;
        if (q.type === 'choice')
          return <Select key={q.name} label={q.label} required={q.required} data={q.choices ?? []} value={value || null} onChange={(v) => set(q.name, v ?? '')} error={error} data-testid={testId} />;
        return (
          <TextInput
            key={q.name}
            label={q.label}
            required={q.required}
            value={value}
            onChange={(e) => set(q.name, e.currentTarget.value)}
            inputMode={q.type === 'number' ? 'decimal' : undefined}
            error={error}
            data-testid={testId}
          />
        );
      })}
    </Stack>
  );
}
