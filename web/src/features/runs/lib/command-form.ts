import type { TFunction } from 'i18next';
import type { CommandRequest, SCRIPT_INTERPRETERS, TargetSpec } from '@/api/types';

export type Interpreter = (typeof SCRIPT_INTERPRETERS)[number];

export type CommandFormValues = {
  mode: 'command' | 'script';
  command: string;
  script_name: string;
  interpreter: Interpreter;
  content: string;
  /** One argument per line. */
  args: string;
  sudo: boolean;
  /** Empty: the inventory default. */
  timeout_seconds: number | string;
  concurrency: number | string;
  stop_on_failure: boolean;
};

export const COMMAND_DEFAULTS: CommandFormValues = {
  mode: 'command',
  command: '',
  script_name: '',
  interpreter: 'bash',
  content: '',
  args: '',
  sudo: false,
  timeout_seconds: '',
  concurrency: '',
  stop_on_failure: false,
};

export const RUN_LIMITS = { timeout_seconds: { min: 1, max: 86400 }, concurrency: { min: 1, max: 1000 } } as const;

/** Arguments, one per line; blank lines are dropped, other whitespace is kept (each line is one word). */
export function parseArgs(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== '');
}

function optionalInt(v: number | string): number | null {
  if (v === '' || v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function toCommandRequest(v: CommandFormValues, targets: TargetSpec): CommandRequest {
  const body: CommandRequest = { targets, sudo: v.sudo, stop_on_failure: v.stop_on_failure };
  if (v.mode === 'command') body.command = v.command.trim();
  else {
    body.script = { content: v.content, interpreter: v.interpreter, args: parseArgs(v.args) };
    if (v.script_name.trim()) body.script.name = v.script_name.trim();
  }
  const timeout = optionalInt(v.timeout_seconds);
  if (timeout !== null) body.timeout_seconds = timeout;
  const concurrency = optionalInt(v.concurrency);
  if (concurrency !== null) body.concurrency = concurrency;
  return body;
}

function optionalRange(t: TFunction, v: number | string, { min, max }: { min: number; max: number }): string | null {
  if (v === '') return null;
  const n = Number(v);
  return Number.isInteger(n) && n >= min && n <= max ? null : t('validation.integerRange', { min, max });
}

export function validateCommandForm(t: TFunction, v: CommandFormValues): Record<string, string | null> {
  return {
    command: v.mode === 'command' && !v.command.trim() ? t('validation.required') : null,
    content: v.mode === 'script' && !v.content.trim() ? t('validation.required') : null,
    timeout_seconds: optionalRange(t, v.timeout_seconds, RUN_LIMITS.timeout_seconds),
    concurrency: optionalRange(t, v.concurrency, RUN_LIMITS.concurrency),
  };
}

/** Server field names (`details.fields`) → form fields. */
export const SERVER_FIELDS: Record<string, keyof CommandFormValues | 'targets'> = {
  command: 'command',
  script: 'content',
  'script.content': 'content',
  'script.name': 'script_name',
  'script.interpreter': 'interpreter',
  'script.args': 'args',
  timeout_seconds: 'timeout_seconds',
  concurrency: 'concurrency',
  targets: 'targets',
  'targets.rule': 'targets',
  'targets.groups': 'targets',
  'targets.hosts': 'targets',
  rule: 'targets',
  groups: 'targets',
  hosts: 'targets',
};

/** One sentence saying exactly what will run: the command (or script and arguments), where, and how. */
export function commandSummary(t: TFunction, v: CommandFormValues, hostCount: number | null): string {
  const what =
    v.mode === 'command'
      ? t('runs.summary.command', { command: v.command.trim() || '…' })
      : t('runs.summary.script', {
          name: v.script_name.trim() || t('runs.summary.unnamedScript'),
          interpreter: v.interpreter,
          args: parseArgs(v.args)
            .map((a) => (/^[\w./:=@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
            .join(' '),
        });
  const where = hostCount === null ? t('runs.summary.someHosts') : t('runs.summary.hosts', { count: hostCount });
  const how: string[] = [];
  if (v.sudo) how.push(t('runs.summary.sudo'));
  how.push(v.concurrency === '' ? t('runs.summary.defaultConcurrency') : t('runs.summary.concurrency', { count: Number(v.concurrency) }));
  how.push(v.timeout_seconds === '' ? t('runs.summary.defaultTimeout') : t('runs.summary.timeout', { seconds: Number(v.timeout_seconds) }));
  if (v.stop_on_failure) how.push(t('runs.summary.stopOnFailure'));
  return `${what.trim()} ${where}; ${how.join(', ')}.`;
}
