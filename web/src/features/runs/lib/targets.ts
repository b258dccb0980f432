import type { TFunction } from 'i18next';
import type { TargetSpec } from '@/api/types';

/** Where a launch form was opened from: the selection and names to show for host ids. */
export type TargetDraft = { hosts: string[]; hostNames: Record<string, string>; groups: string[]; rule: string };

export const EMPTY_DRAFT: TargetDraft = { hosts: [], hostNames: {}, groups: [], rule: '' };

/** The request's `targets`: only the parts given. */
export function toTargetSpec(d: TargetDraft): TargetSpec {
  const spec: TargetSpec = {};
  if (d.hosts.length) spec.hosts = d.hosts;
  const groups = d.groups.map((g) => g.trim()).filter(Boolean);
  if (groups.length) spec.groups = groups;
  if (d.rule.trim()) spec.rule = d.rule.trim();
  return spec;
}

export function isEmptySpec(spec: TargetSpec): boolean {
  return !spec.hosts?.length && !spec.groups?.length && !spec.rule;
}

/** A short description of a selection: `2 hosts (web-01, web-02), group prod, rule …`. */
export function describeTargets(t: TFunction, d: TargetDraft): string {
  const parts: string[] = [];
  if (d.hosts.length) {
    const names = d.hosts.map((id) => d.hostNames[id] ?? id.slice(0, 8));
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '');
    parts.push(t('runs.targets.describeHosts', { count: d.hosts.length, names: shown }));
  }
  const groups = d.groups.map((g) => g.trim()).filter(Boolean);
  if (groups.length) parts.push(t('runs.targets.describeGroups', { count: groups.length, names: groups.join(', ') }));
  if (d.rule.trim()) parts.push(t('runs.targets.describeRule', { rule: d.rule.trim() }));
  return parts.length ? parts.join('; ') : t('runs.targets.none');
}
