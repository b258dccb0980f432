/** One row of a key/value tags editor. */
export type TagRow = { key: string; value: string };

export function tagsToRows(tags: Record<string, string>): TagRow[] {
  return Object.entries(tags)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value }));
}

export function rowsToTags(rows: readonly TagRow[]): Record<string, string> {
  return Object.fromEntries(rows.map((r) => [r.key.trim(), r.value]));
}
