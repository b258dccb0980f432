import type { TFunction } from 'i18next';
import type { CheckMethod, InventorySettings, InventorySettingsBody } from '@/api/types';
import { isTargetRule } from '@/lib/host-address';

// Ranges the server accepts (see InventorySettingsBody in openapi.json).
export const INVENTORY_LIMITS = {
  check_interval_seconds: { min: 10, max: 86400 },
  check_concurrency: { min: 1, max: 2000 },
  check_timeout_seconds: { min: 1, max: 120 },
  status_history_retention_days: { min: 1, max: 3650 },
  terminal_idle_timeout_minutes: { min: 0, max: 1440 },
  terminal_max_duration_minutes: { min: 0, max: 10080 },
  run_concurrency: { min: 1, max: 1000 },
  run_host_timeout_seconds: { min: 1, max: 86400 },
} as const;

export type EnvMethodRow = { environment: string; method: CheckMethod };

export type InventoryFormValues = {
  check_interval_seconds: number | string;
  check_concurrency: number | string;
  check_timeout_seconds: number | string;
  status_history_retention_days: number | string;
  default_check_method: CheckMethod;
  environment_check_methods: EnvMethodRow[];
  /** One entry per line. */
  target_allow: string;
  target_deny: string;
  terminal_idle_timeout_minutes: number | string;
  terminal_max_duration_minutes: number | string;
  terminal_recording: boolean;
  terminal_record_input: boolean;
  run_concurrency: number | string;
  run_host_timeout_seconds: number | string;
};

export function toInventoryForm(s: InventorySettings): InventoryFormValues {
  return {
    check_interval_seconds: s.check_interval_seconds,
    check_concurrency: s.check_concurrency,
    check_timeout_seconds: s.check_timeout_seconds,
    status_history_retention_days: s.status_history_retention_days,
    default_check_method: s.default_check_method,
    environment_check_methods: Object.entries(s.environment_check_methods ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([environment, method]) => ({ environment, method })),
    target_allow: (s.target_allow ?? []).join('\n'),
    target_deny: (s.target_deny ?? []).join('\n'),
    terminal_idle_timeout_minutes: s.terminal_idle_timeout_minutes ?? 30,
    terminal_max_duration_minutes: s.terminal_max_duration_minutes ?? 480,
    terminal_recording: s.terminal_recording ?? false,
    terminal_record_input: s.terminal_record_input ?? false,
    run_concurrency: s.run_concurrency ?? 50,
    run_host_timeout_seconds: s.run_host_timeout_seconds ?? 300,
  };
}

export function splitLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

export function toInventoryBody(v: InventoryFormValues, version: number): InventorySettingsBody {
  return {
    check_interval_seconds: Number(v.check_interval_seconds),
    check_concurrency: Number(v.check_concurrency),
    check_timeout_seconds: Number(v.check_timeout_seconds),
    status_history_retention_days: Number(v.status_history_retention_days),
    default_check_method: v.default_check_method,
    environment_check_methods: Object.fromEntries(v.environment_check_methods.map((r) => [r.environment.trim().toLowerCase(), r.method])),
    target_allow: splitLines(v.target_allow),
    target_deny: splitLines(v.target_deny),
    terminal_idle_timeout_minutes: Number(v.terminal_idle_timeout_minutes),
    terminal_max_duration_minutes: Number(v.terminal_max_duration_minutes),
    terminal_recording: v.terminal_recording,
    terminal_record_input: v.terminal_recording && v.terminal_record_input,
    run_concurrency: Number(v.run_concurrency),
    run_host_timeout_seconds: Number(v.run_host_timeout_seconds),
    version,
  };
}

/** Lines that are not a CIDR network, an IP, a host name or a `*.domain` pattern. */
export function invalidTargets(text: string): string[] {
  return splitLines(text).filter((l) => !isTargetRule(l));
}

function rangeError(t: TFunction, v: number | string, { min, max }: { min: number; max: number }, allowZero = false): string | null {
  const n = typeof v === 'number' ? v : v === '' ? NaN : Number(v);
  if (allowZero && n === 0) return null;
  return Number.isInteger(n) && n >= min && n <= max ? null : t('validation.integerRange', { min, max });
}

export function validateInventoryForm(t: TFunction, v: InventoryFormValues): Record<string, string | null> {
  const errors: Record<string, string | null> = {
    check_interval_seconds: rangeError(t, v.check_interval_seconds, INVENTORY_LIMITS.check_interval_seconds, true)
      ? t('settings.inventory.intervalRange')
      : null,
    check_concurrency: rangeError(t, v.check_concurrency, INVENTORY_LIMITS.check_concurrency),
    check_timeout_seconds: rangeError(t, v.check_timeout_seconds, INVENTORY_LIMITS.check_timeout_seconds),
    status_history_retention_days: rangeError(t, v.status_history_retention_days, INVENTORY_LIMITS.status_history_retention_days),
    terminal_idle_timeout_minutes: rangeError(t, v.terminal_idle_timeout_minutes, INVENTORY_LIMITS.terminal_idle_timeout_minutes),
    terminal_max_duration_minutes: rangeError(t, v.terminal_max_duration_minutes, INVENTORY_LIMITS.terminal_max_duration_minutes),
    run_concurrency: rangeError(t, v.run_concurrency, INVENTORY_LIMITS.run_concurrency),
    run_host_timeout_seconds: rangeError(t, v.run_host_timeout_seconds, INVENTORY_LIMITS.run_host_timeout_seconds),
  };
  for (const field of ['target_allow', 'target_deny'] as const) {
    const bad = invalidTargets(v[field]);
    errors[field] = bad.length ? t('settings.inventory.invalidTargets', { entries: bad.join(', ') }) : null;
  }
  const envs = v.environment_check_methods.map((r) => r.environment.trim().toLowerCase());
  v.environment_check_methods.forEach((_, i) => {
    const env = envs[i] ?? '';
    errors[`environment_check_methods.${i}.environment`] = !env
      ? t('validation.required')
      : env.length > 64 || !/^[a-z0-9._-]+$/.test(env)
        ? t('hosts.validation.labelFormat')
        : envs.indexOf(env) !== i
          ? t('settings.inventory.duplicateEnvironment')
          : null;
  });
  return errors;
}
