import type { RuleJson } from '@/api/types';

/**
 * The visual builder's model of a rule. The API's `rule_json` tree is untyped in the schema, so it
 * is read through {@link fromRuleJson} (unknown shapes become an empty group) and written back by
 * {@link toRuleJson}, which also drops empty groups and unwraps one-child groups (the server
 * requires AND/OR to have at least two conditions).
 */
export type BuilderOp = '==' | '!=' | '=~' | 'contains' | 'starts_with' | '<' | '<=' | '>' | '>=' | 'in' | 'exists';
export const BUILDER_OPS: BuilderOp[] = ['==', '!=', '=~', 'contains', 'starts_with', '<', '<=', '>', '>=', 'in', 'exists'];
/** `in_group` is offered as a pseudo-field whose value is the group name. */
export const IN_GROUP = 'in_group';

export type Condition = {
  kind: 'condition';
  id: string;
  not: boolean;
  /** A fixed field, `tags.<key>` or {@link IN_GROUP}. */
  field: string;
  op: BuilderOp;
  value: string;
  values: string[];
};
export type ConditionGroup = { kind: 'group'; id: string; not: boolean; join: 'and' | 'or'; children: BuilderNode[] };
export type BuilderNode = Condition | ConditionGroup;

type Json = Record<string, unknown>;

let nextId = 0;
const newId = () => `n${++nextId}`;

export function newCondition(patch: Partial<Condition> = {}): Condition {
  return { kind: 'condition', id: newId(), not: false, field: 'environment', op: '==', value: '', values: [], ...patch };
}

export function newGroup(join: 'and' | 'or' = 'and', children: BuilderNode[] = []): ConditionGroup {
  return { kind: 'group', id: newId(), not: false, join, children };
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function nodeFromJson(json: unknown): BuilderNode | null {
  if (!isObj(json)) return null;
  if (Array.isArray(json.and) || Array.isArray(json.or)) {
    const join = Array.isArray(json.and) ? 'and' : 'or';
    const list = (json[join] as unknown[]).map(nodeFromJson).filter((n): n is BuilderNode => n !== null);
    return newGroup(join, list);
  }
  if ('not' in json) {
    const inner = nodeFromJson(json.not);
    return inner ? { ...inner, not: !inner.not } : null;
  }
  if (typeof json.in_group === 'string') return newCondition({ field: IN_GROUP, op: '==', value: json.in_group });
  if (typeof json.field !== 'string') return null;
  if (Array.isArray(json.in)) return newCondition({ field: json.field, op: 'in', values: json.in.map(String) });
  if (json.exists === true) return newCondition({ field: json.field, op: 'exists' });
  if (typeof json.op === 'string' && (BUILDER_OPS as string[]).includes(json.op)) {
    return newCondition({ field: json.field, op: json.op as BuilderOp, value: json.value === undefined || json.value === null ? '' : String(json.value) });
  }
  return null;
}

/** The builder's root is always a group, so there is somewhere to add conditions. */
export function fromRuleJson(json: unknown): ConditionGroup {
  const node = nodeFromJson(json);
  if (!node) return newGroup();
  if (node.kind === 'group') return node;
  return newGroup('and', [node]);
}

const NUMERIC_OPS = new Set<BuilderOp>(['<', '<=', '>', '>=']);

function conditionJson(c: Condition): Json {
  if (c.field === IN_GROUP) return { in_group: c.value };
  if (c.op === 'in') return { field: c.field, in: c.values };
  if (c.op === 'exists') return { field: c.field, exists: true };
  const numeric = /^-?\d+$/.test(c.value.trim()) && (NUMERIC_OPS.has(c.op) || c.field === 'port');
  return { field: c.field, op: c.op, value: numeric ? Number(c.value.trim()) : c.value };
}

function nodeJson(node: BuilderNode): Json | null {
  let out: Json | null;
  if (node.kind === 'condition') out = conditionJson(node);
  else {
    const list = node.children.map(nodeJson).filter((n): n is Json => n !== null);
    out = list.length === 0 ? null : list.length === 1 ? (list[0] ?? null) : { [node.join]: list };
  }
  return out && node.not ? { not: out } : out;
}

/** The tree to send as `rule_json`; null when the builder holds no condition. */
export function toRuleJson(root: ConditionGroup): RuleJson | null {
  return nodeJson(root) as RuleJson | null;
}

/** Applies `fn` to the node with `id` (returning null removes it). */
export function updateNode(root: ConditionGroup, id: string, fn: (node: BuilderNode) => BuilderNode | null): ConditionGroup {
  const visit = (node: BuilderNode): BuilderNode | null => {
    if (node.id === id) return fn(node);
    if (node.kind === 'condition') return node;
    return { ...node, children: node.children.map(visit).filter((n): n is BuilderNode => n !== null) };
  };
  if (root.id === id) {
    const replaced = fn(root);
    return replaced && replaced.kind === 'group' ? replaced : newGroup(root.join);
  }
  return visit(root) as ConditionGroup;
}

export function addChild(root: ConditionGroup, groupId: string, child: BuilderNode): ConditionGroup {
  return updateNode(root, groupId, (node) => (node.kind === 'group' ? { ...node, children: [...node.children, child] } : node));
}

export function removeNode(root: ConditionGroup, id: string): ConditionGroup {
  return updateNode(root, id, () => null);
}
