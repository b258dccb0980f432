import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import i18n from '@/i18n';
import { invalidTargets, toInventoryBody, toInventoryForm, validateInventoryForm, type InventoryFormValues } from './inventory';

const t = i18n.getFixedT('en') as TFunction;
const base: InventoryFormValues = {
  check_interval_seconds: 300,
  check_concurrency: 50,
  check_timeout_seconds: 5,
  status_history_retention_days: 90,
  default_check_method: 'tcp',
  environment_check_methods: [],
  target_allow: '',
  target_deny: '169.254.0.0/16\nmetadata.google.internal',
  terminal_idle_timeout_minutes: 30,
  terminal_max_duration_minutes: 480,
  terminal_recording: false,
  terminal_record_input: false,
  run_concurrency: 50,
  run_host_timeout_seconds: 300,
};

describe('inventory settings validation', () => {
  it('accepts CIDRs, IPs, host names and *.domain patterns, one per line', () => {
    expect(invalidTargets('10.0.0.0/8\n\n fd00::/8 \n192.168.1.1\n*.corp.example\nhost-1')).toEqual([]);
    expect(invalidTargets('10.0.0.0/33\nhttp://x\n*.\nuser@host\n10.0.0')).toEqual(['10.0.0.0/33', 'http://x', '*.', 'user@host', '10.0.0']);
  });

  it('checks the ranges, allowing an interval of 0 (off)', () => {
    const ok = validateInventoryForm(t, base);
    expect(Object.values(ok).filter(Boolean)).toEqual([]);
    expect(validateInventoryForm(t, { ...base, check_interval_seconds: 0 }).check_interval_seconds).toBeNull();
    expect(validateInventoryForm(t, { ...base, check_interval_seconds: 5 }).check_interval_seconds).toMatch(/0 .*10/);
    expect(validateInventoryForm(t, { ...base, check_concurrency: 2001 }).check_concurrency).toMatch(/1 to 2000/);
    expect(validateInventoryForm(t, { ...base, check_timeout_seconds: 121 }).check_timeout_seconds).toMatch(/1 to 120/);
    expect(validateInventoryForm(t, { ...base, status_history_retention_days: 0 }).status_history_retention_days).toMatch(/1 to 3650/);
  });

  it('rejects duplicate or malformed environments and builds the body', () => {
    const v = { ...base, environment_check_methods: [{ environment: 'Prod', method: 'ssh' as const }, { environment: 'prod', method: 'ping' as const }] };
    expect(validateInventoryForm(t, v)['environment_check_methods.1.environment']).toBe('Duplicate environment');
    expect(toInventoryBody({ ...base, environment_check_methods: [{ environment: 'Prod', method: 'ssh' }] }, 3)).toMatchObject({
      environment_check_methods: { prod: 'ssh' },
      target_deny: ['169.254.0.0/16', 'metadata.google.internal'],
      target_allow: [],
      version: 3,
    });
  });

  it('keeps the terminal settings (saving the form must not reset them) and records keystrokes only with recording on', () => {
    expect(toInventoryBody({ ...base, terminal_idle_timeout_minutes: 0, terminal_recording: true, terminal_record_input: true }, 1)).toMatchObject({
      terminal_idle_timeout_minutes: 0,
      terminal_max_duration_minutes: 480,
      terminal_recording: true,
      terminal_record_input: true,
    });
    expect(toInventoryBody({ ...base, terminal_recording: false, terminal_record_input: true }, 1).terminal_record_input).toBe(false);
    expect(validateInventoryForm(t, { ...base, terminal_idle_timeout_minutes: 1441 }).terminal_idle_timeout_minutes).toMatch(/0 to 1440/);
  });

  it('carries the run defaults both ways (saving the form must not reset them) and checks their ranges', () => {
    const form = toInventoryForm({
      ...toInventoryBody(base, 4),
      run_concurrency: 7,
      run_host_timeout_seconds: 900,
    });
    expect(form).toMatchObject({ run_concurrency: 7, run_host_timeout_seconds: 900 });
    expect(toInventoryBody(form, 4)).toMatchObject({ run_concurrency: 7, run_host_timeout_seconds: 900 });
    const { run_concurrency: _c, run_host_timeout_seconds: _t, ...older } = toInventoryBody(base, 1);
    expect(toInventoryForm(older)).toMatchObject({ run_concurrency: 50, run_host_timeout_seconds: 300 });
    expect(validateInventoryForm(t, { ...base, run_concurrency: 1001 }).run_concurrency).toMatch(/1 to 1000/);
    expect(validateInventoryForm(t, { ...base, run_host_timeout_seconds: 0 }).run_host_timeout_seconds).toMatch(/1 to 86400/);
  });
});
