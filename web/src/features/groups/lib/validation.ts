import type { TFunction } from 'i18next';

/** Group names are also Ansible group names (mirrors the server's `GroupName::parse`). */
export const GROUP_NAME_RE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const RESERVED = ['all', 'ungrouped'];

export function groupNameError(t: TFunction, name: string): string | null {
  const v = name.trim();
  if (!v) return t('validation.required');
  if (!GROUP_NAME_RE.test(v)) return t('groups.nameInvalid');
  if (RESERVED.includes(v)) return t('groups.nameReserved', { name: v });
  return null;
}

export type VariableRow = { key: string; value: string };

export function variablesToRows(vars: Record<string, string>): VariableRow[] {
  return Object.entries(vars)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value }));
}

/** Rows → the `variables` object; blank rows are dropped. Returns the first duplicate key as an error. */
export function rowsToVariables(rows: VariableRow[]): { variables: Record<string, string>; duplicate: string | null } {
  const variables: Record<string, string> = {};
  let duplicate: string | null = null;
  for (const { key, value } of rows) {
    const k = key.trim();
    if (!k && !value) continue;
    if (k in variables && duplicate === null) duplicate = k;
    variables[k] = value;
  }
  return { variables, duplicate };
}

/** `{{ secret:NAME }}` references in a value, for a hint next to it. */
export function secretRefs(value: string): string[] {
  return [...value.matchAll(/\{\{\s*secret:([^}\s]+)\s*\}\}/g)].map((m) => m[1] ?? '');
}
