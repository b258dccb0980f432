/** Optional columns of the hosts table; name and status are always shown. */
export const OPTIONAL_COLUMNS = ['address', 'port', 'os', 'environment', 'tags', 'credential', 'last_check_at', 'latency', 'updated_at'] as const;
export type HostColumn = (typeof OPTIONAL_COLUMNS)[number];

export const DEFAULT_COLUMNS: HostColumn[] = ['address', 'port', 'os', 'environment', 'tags', 'last_check_at'];
export const COLUMNS_STORAGE_KEY = 'itmgr.hosts.columns';

export function loadColumns(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): HostColumn[] {
  try {
    const raw = storage?.getItem(COLUMNS_STORAGE_KEY);
    if (!raw) return DEFAULT_COLUMNS;
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return DEFAULT_COLUMNS;
    return OPTIONAL_COLUMNS.filter((c) => parsed.includes(c));
  } catch {
    return DEFAULT_COLUMNS;
  }
}

export function saveColumns(columns: HostColumn[], storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(COLUMNS_STORAGE_KEY, JSON.stringify(columns));
  } catch {
    // storage may be unavailable (private mode); the choice then lasts for this page only
  }
}
