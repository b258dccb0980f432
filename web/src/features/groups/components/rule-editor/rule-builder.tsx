import { ActionIcon, Autocomplete, Button, Checkbox, Group, Paper, SegmentedControl, Select, Stack, TagsInput, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconSquarePlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { RuleHints } from '@/api/types';
import { addChild, BUILDER_OPS, IN_GROUP, newCondition, newGroup, removeNode, updateNode, type BuilderNode, type Condition, type ConditionGroup } from '../../lib/builder';
import { RULE_FIELDS } from '../../lib/tokenizer';

type Props = { root: ConditionGroup; onChange: (root: ConditionGroup) => void; hints: RuleHints | undefined; readOnly?: boolean };

const TAG = 'tags.';

function ConditionRow({ node, root, onChange, hints, readOnly }: { node: Condition } & Props) {
  const { t } = useTranslation();
  const set = (patch: Partial<Condition>) => onChange(updateNode(root, node.id, (n) => ({ ...n, ...patch }) as Condition));
  const fieldKind = node.field === IN_GROUP ? IN_GROUP : node.field.startsWith(TAG) ? TAG : node.field;
  const tagKey = node.field.startsWith(TAG) ? node.field.slice(TAG.length) : '';
  const valueHints = node.field.startsWith(TAG)
    ? (hints?.tags.find((tg) => tg.key === tagKey)?.values ?? [])
    : node.field === 'status'
      ? ['online', 'offline', 'unknown']
      : [];
  const fieldOptions = [
    ...RULE_FIELDS.map((f) => ({ value: f, label: f })),
    { value: TAG, label: t('groups.builder.tag') },
    { value: IN_GROUP, label: t('groups.builder.inGroup') },
  ];
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" data-testid="builder-condition">
      <Checkbox mt={8} size="xs" label="NOT" checked={node.not} disabled={readOnly} onChange={(e) => set({ not: e.currentTarget.checked })} aria-label={t('groups.builder.not')} />
      <Select
        size="xs"
        w={140}
        data={fieldOptions}
        value={fieldKind}
        allowDeselect={false}
        disabled={readOnly}
        aria-label={t('groups.builder.field')}
        onChange={(v) => {
          if (!v) return;
          if (v === IN_GROUP) set({ field: IN_GROUP, op: '==', value: '' });
          else if (v === TAG) set({ field: `${TAG}${tagKey}` });
          else set({ field: v });
        }}
        data-testid="builder-field"
      />
      {fieldKind === TAG ? (
        <Autocomplete
          size="xs"
          w={130}
          placeholder={t('groups.builder.tagKey')}
          aria-label={t('groups.builder.tagKey')}
          data={(hints?.tags ?? []).map((tg) => tg.key)}
          value={tagKey}
          disabled={readOnly}
          onChange={(v) => set({ field: `${TAG}${v.trim()}` })}
          data-testid="builder-tag-key"
        />
      ) : null}
      {fieldKind !== IN_GROUP ? (
        <Select
          size="xs"
          w={120}
          data={BUILDER_OPS.map((op) => ({ value: op, label: op }))}
          value={node.op}
          allowDeselect={false}
          disabled={readOnly}
          aria-label={t('groups.builder.operator')}
          onChange={(v) => v && set({ op: v as Condition['op'] })}
          data-testid="builder-op"
        />
      ) : null}
      {fieldKind === IN_GROUP ? (
        <Autocomplete
          size="xs"
          style={{ flex: 1 }}
          placeholder={t('groups.builder.groupName')}
          aria-label={t('groups.builder.groupName')}
          data={hints?.groups ?? []}
          value={node.value}
          disabled={readOnly}
          onChange={(value) => set({ value })}
          data-testid="builder-value"
        />
      ) : node.op === 'in' ? (
        <TagsInput
          size="xs"
          style={{ flex: 1 }}
          placeholder={t('groups.builder.values')}
          aria-label={t('groups.builder.values')}
          data={valueHints}
          value={node.values}
          disabled={readOnly}
          onChange={(values) => set({ values })}
          data-testid="builder-values"
        />
      ) : node.op === 'exists' ? (
        <Text size="xs" c="dimmed" mt={6} style={{ flex: 1 }}>
          {t('groups.builder.existsHint')}
        </Text>
      ) : valueHints.length ? (
        <Autocomplete
          size="xs"
          style={{ flex: 1 }}
          aria-label={t('groups.builder.value')}
          data={valueHints}
          value={node.value}
          disabled={readOnly}
          onChange={(value) => set({ value })}
          data-testid="builder-value"
        />
      ) : (
        <TextInput
          size="xs"
          style={{ flex: 1 }}
          aria-label={t('groups.builder.value')}
          value={node.value}
          disabled={readOnly}
          onChange={(e) => set({ value: e.currentTarget.value })}
          data-testid="builder-value"
        />
      )}
      {readOnly ? null : (
        <Tooltip label={t('groups.builder.remove')}>
          <ActionIcon variant="subtle" color="red" mt={2} onClick={() => onChange(removeNode(root, node.id))} aria-label={t('groups.builder.remove')} data-testid="builder-remove">
            <IconTrash size={16} />
          </ActionIcon>
        </Tooltip>
      )}
    </Group>
  );
}

function GroupBox({ node, root, onChange, hints, readOnly }: { node: ConditionGroup } & Props) {
  const { t } = useTranslation();
  const isRoot = node.id === root.id;
  const set = (patch: Partial<ConditionGroup>) => onChange(updateNode(root, node.id, (n) => ({ ...n, ...patch }) as ConditionGroup));
  return (
    <Paper withBorder p="xs" radius="sm" data-testid={isRoot ? 'builder-root' : 'builder-group'}>
      <Stack gap="xs">
        <Group gap="xs" justify="space-between">
          <Group gap="xs">
            <SegmentedControl
              size="xs"
              data={[
                { value: 'and', label: t('groups.builder.all') },
                { value: 'or', label: t('groups.builder.any') },
              ]}
              value={node.join}
              disabled={readOnly}
              onChange={(v) => set({ join: v as 'and' | 'or' })}
              data-testid="builder-join"
            />
            <Checkbox size="xs" label="NOT" checked={node.not} disabled={readOnly} onChange={(e) => set({ not: e.currentTarget.checked })} aria-label={t('groups.builder.not')} />
          </Group>
          {readOnly ? null : (
            <Group gap={4}>
              <Button size="compact-xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => onChange(addChild(root, node.id, newCondition()))} data-testid="builder-add-condition">
                {t('groups.builder.addCondition')}
              </Button>
              <Button
                size="compact-xs"
                variant="default"
                leftSection={<IconSquarePlus size={14} />}
                onClick={() => onChange(addChild(root, node.id, newGroup(node.join === 'and' ? 'or' : 'and', [newCondition()])))}
                data-testid="builder-add-group"
              >
                {t('groups.builder.addGroup')}
              </Button>
              {isRoot ? null : (
                <ActionIcon variant="subtle" color="red" onClick={() => onChange(removeNode(root, node.id))} aria-label={t('groups.builder.remove')}>
                  <IconTrash size={16} />
                </ActionIcon>
              )}
            </Group>
          )}
        </Group>
        {node.children.length === 0 ? (
          <Text size="xs" c="dimmed">
            {t('groups.builder.empty')}
          </Text>
        ) : null}
        {node.children.map((child: BuilderNode) =>
          child.kind === 'group' ? (
            <GroupBox key={child.id} node={child} root={root} onChange={onChange} hints={hints} readOnly={readOnly} />
          ) : (
            <ConditionRow key={child.id} node={child} root={root} onChange={onChange} hints={hints} readOnly={readOnly} />
          ),
        )}
      </Stack>
    </Paper>
  );
}

/** Edits the rule as a tree of conditions; the parent turns it into `rule_json`. */
export function RuleBuilder(props: Props) {
  return <GroupBox node={props.root} {...props} />;
}
