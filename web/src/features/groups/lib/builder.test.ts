import { describe, expect, it } from 'vitest';
import { addChild, fromRuleJson, newCondition, newGroup, removeNode, toRuleJson, updateNode } from './builder';

describe('rule builder ↔ rule_json', () => {
  it('reads the server tree and writes the same tree back', () => {
    const json = {
      and: [
        { field: 'environment', op: '==', value: 'prod' },
        { or: [{ field: 'tags.role', in: ['web', 'db'] }, { not: { field: 'tags.owner', exists: true } }] },
        { in_group: 'x' },
        { field: 'port', op: '>', value: 20 },
      ],
    };
    expect(toRuleJson(fromRuleJson(json))).toEqual(json);
    expect(toRuleJson(fromRuleJson({ not: { and: [{ in_group: 'a' }, { in_group: 'b' }] } }))).toEqual({ not: { and: [{ in_group: 'a' }, { in_group: 'b' }] } });
  });

  it('wraps a single condition in a group and unwraps one-child groups when writing', () => {
    const root = fromRuleJson({ field: 'environment', op: '==', value: 'prod' });
    expect(root.kind).toBe('group');
    expect(root.children).toHaveLength(1);
    expect(toRuleJson(root)).toEqual({ field: 'environment', op: '==', value: 'prod' });
    expect(toRuleJson(newGroup())).toBeNull();
    expect(toRuleJson(fromRuleJson(null))).toBeNull();
  });

  it('adds, nests, negates and removes conditions', () => {
    let root = newGroup('and');
    const env = newCondition({ field: 'environment', op: '==', value: 'prod' });
    root = addChild(root, root.id, env);
    const sub = newGroup('or');
    root = addChild(root, root.id, sub);
    // an empty nested group contributes nothing
    expect(toRuleJson(root)).toEqual({ field: 'environment', op: '==', value: 'prod' });
    const a = newCondition({ field: 'tags.role', op: '==', value: 'web' });
    const b = newCondition({ field: 'port', op: '<', value: '1024' });
    root = addChild(addChild(root, sub.id, a), sub.id, b);
    expect(toRuleJson(root)).toEqual({
      and: [
        { field: 'environment', op: '==', value: 'prod' },
        { or: [{ field: 'tags.role', op: '==', value: 'web' }, { field: 'port', op: '<', value: 1024 }] },
      ],
    });
    root = updateNode(root, sub.id, (n) => ({ ...n, not: true }));
    root = updateNode(root, a.id, (n) => (n.kind === 'condition' ? { ...n, op: 'in', values: ['web', 'api'] } : n));
    expect(toRuleJson(root)).toEqual({
      and: [{ field: 'environment', op: '==', value: 'prod' }, { not: { or: [{ field: 'tags.role', in: ['web', 'api'] }, { field: 'port', op: '<', value: 1024 }] } }],
    });
    root = removeNode(root, env.id);
    root = removeNode(root, b.id);
    expect(toRuleJson(root)).toEqual({ not: { field: 'tags.role', in: ['web', 'api'] } });
    root = updateNode(root, a.id, (n) => (n.kind === 'condition' ? { ...n, field: 'tags.owner', op: 'exists' } : n));
    expect(toRuleJson(root)).toEqual({ not: { field: 'tags.owner', exists: true } });
  });
});
