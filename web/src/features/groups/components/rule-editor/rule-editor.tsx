import { Alert, Anchor, Badge, Group, Loader, SegmentedControl, Stack, Text } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconAlertCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PreviewRuleBody } from '@/api/types';
import { notifyError } from '@/lib/notify';
import { useRuleHints } from '../../api/get-rule-hints';
import { PREVIEW_HOSTS, previewRuleQueryOptions, usePreviewRule } from '../../api/preview-rule';
import { fromRuleJson, newGroup, toRuleJson, type ConditionGroup } from '../../lib/builder';
import { offsetOf } from '../../lib/tokenizer';
import { RuleBuilder } from './rule-builder';
import { RuleTextInput } from './rule-text-input';

export const PREVIEW_DEBOUNCE_MS = 300;

type Props = {
  /** The rule as text (what is saved). */
  value: string;
  onChange: (text: string) => void;
  readOnly?: boolean;
  /** A server-side error about the rule (e.g. a 422 on save), shown under the editor. */
  error?: string | null;
};

const textBody = (text: string): PreviewRuleBody | null => (text.trim() ? { rule: text, limit: PREVIEW_HOSTS } : null);

/**
 * The rule editor: highlighted text with autocomplete, or a visual builder; both go through
 * `POST /groups/preview` (text → tree when switching to the builder, tree → canonical text on
 * every builder edit), which also gives the live match count under the editor.
 */
export function RuleEditor({ value, onChange, readOnly, error }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const hints = useRuleHints();
  const [mode, setMode] = useState<'text' | 'builder'>('text');
  const [tree, setTree] = useState<ConditionGroup>(() => newGroup());
  const [request, setRequest] = useState<PreviewRuleBody | null>(() => textBody(value));
  const schedule = useDebouncedCallback((body: PreviewRuleBody | null) => setRequest(body), PREVIEW_DEBOUNCE_MS);
  const preview = usePreviewRule(request);
  const result = request && !preview.isPlaceholderData ? preview.data : undefined;
  const shown = request ? preview.data : undefined;

  // A builder edit comes back as canonical text: that is what the parent saves.
  useEffect(() => {
    if (mode === 'builder' && result?.valid && request?.rule_json && typeof result.rule === 'string' && result.rule !== value) onChange(result.rule);
  }, [mode, result, request, value, onChange]);

  const changeText = (text: string) => {
    onChange(text);
    schedule(textBody(text));
  };

  const changeTree = (next: ConditionGroup) => {
    setTree(next);
    const json = toRuleJson(next);
    if (json === null) onChange('');
    schedule(json === null ? null : { rule_json: json, limit: PREVIEW_HOSTS });
  };

  const switchMode = async (next: string) => {
    if (next === 'text') {
      setMode('text');
      setRequest(textBody(value));
      return;
    }
    const body = textBody(value);
    if (!body) {
      setTree(newGroup());
      setMode('builder');
      return;
    }
    try {
      const parsed = await queryClient.fetchQuery(previewRuleQueryOptions(body));
      setRequest(body);
      if (!parsed.valid) return; // the error is shown; the builder needs a rule that parses
      setTree(fromRuleJson(parsed.rule_json));
      setMode('builder');
    } catch (err) {
      notifyError(err);
    }
  };

  const ruleError = shown?.error ?? null;
  const errorForText = mode === 'text' && result?.error && request?.rule === value ? result.error : null;
  const errorOffset = errorForText ? offsetOf(value, errorForText.line, errorForText.column) : null;

  return (
    <Stack gap="xs" data-testid="rule-editor">
      <Group justify="space-between">
        <SegmentedControl
          size="xs"
          value={mode}
          onChange={(v) => void switchMode(v)}
          data={[
            { value: 'text', label: t('groups.rule.textMode') },
            { value: 'builder', label: t('groups.rule.builderMode') },
          ]}
          data-testid="rule-mode"
        />
        <Text size="xs" c="dimmed">
          {mode === 'text' ? t('groups.rule.keysHint') : t('groups.rule.builderHint')}
        </Text>
      </Group>
      {mode === 'text' ? (
        <RuleTextInput value={value} onChange={changeText} hints={hints.data} errorOffset={errorOffset} readOnly={readOnly} placeholder='environment == "prod" AND tags.role == "web"' />
      ) : (
        <>
          <RuleBuilder root={tree} onChange={changeTree} hints={hints.data} readOnly={readOnly} />
          <Text size="xs" ff="monospace" c="dimmed" data-testid="rule-canonical">
            {value || t('groups.rule.noConditions')}
          </Text>
        </>
      )}
      {ruleError ? (
        <Alert color="red" variant="light" p="xs" icon={<IconAlertCircle size={16} />} data-testid="rule-error">
          <Text size="sm">{t('groups.rule.errorAt', { line: ruleError.line, column: ruleError.column, message: ruleError.message })}</Text>
        </Alert>
      ) : null}
      {error ? (
        <Text size="sm" c="red" data-testid="rule-server-error">
          {error}
        </Text>
      ) : null}
      <Group gap="xs" mih={24} data-testid="rule-preview">
        {!request ? (
          <Text size="sm" c="dimmed">
            {t('groups.rule.empty')}
          </Text>
        ) : shown?.valid ? (
          <>
            <Badge variant="light" color="indigo" tt="none" data-testid="rule-match-count" data-total={shown.total}>
              {t('groups.rule.matches', { count: shown.total })}
            </Badge>
            {shown.hosts.map((h) => (
              <Anchor key={h.id} component={Link} to={`/hosts/${h.id}`} size="xs" ff="monospace">
                {h.name}
              </Anchor>
            ))}
            {shown.total > shown.hosts.length ? (
              <Text size="xs" c="dimmed">
                {t('groups.rule.andMore', { count: shown.total - shown.hosts.length })}
              </Text>
            ) : null}
          </>
        ) : null}
        {preview.isFetching ? <Loader size="xs" /> : null}
      </Group>
    </Stack>
  );
}
