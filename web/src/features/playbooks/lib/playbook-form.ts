import type { TFunction } from 'i18next';
import type { GitSource, LaunchRequest, Playbook, PlaybookFile, PlaybookInput, PlaybookOptions, SurveyQuestion, TargetSpec, Variable, VarType } from '@/api/types';

/** A variable row as edited: the value as text (typed on save). */
export type VariableDraft = { name: string; type: VarType; value: string };
/** A survey question as edited; `choices` only for `choice`. */
export type SurveyDraft = { name: string; label: string; type: VarType; required: boolean; default: string; choices: string[] };

/** Where the playbook's YAML lives: stored here (content and files) or in a Git repository. */
export type SourceKind = 'stored' | 'git';
export const SOURCE_KINDS = ['stored', 'git'] as const satisfies readonly SourceKind[];

/** A Git source as edited: blanks for what is not set (`credential` is a vault secret's name). */
export type GitDraft = { url: string; gitRef: string; path: string; credential: string; username: string };
export const EMPTY_GIT: GitDraft = { url: '', gitRef: 'main', path: '', credential: '', username: '' };

export type PlaybookDraft = {
  name: string;
  description: string;
  sourceKind: SourceKind;
  git: GitDraft;
  content: string;
  files: PlaybookFile[];
  targets: TargetSpec;
  variables: VariableDraft[];
  survey: SurveyDraft[];
  options: PlaybookOptions;
  allowParallel: boolean;
  retryInfrastructure: boolean;
  /** Name of the vault secret with the Ansible Vault password ('' for none). */
  vaultPasswordSecret: string;
};

export const DEFAULT_OPTIONS: PlaybookOptions = { check: false, diff: false, tags: [], skip_tags: [], limit: null, verbosity: 0, forks: 20, timeout_seconds: 3600 };

export const OPTION_LIMITS = { verbosity: [0, 4], forks: [1, 500], timeout_seconds: [10, 86400] } as const;

export const STARTER_CONTENT = `- name: Example play
  hosts: all
  gather_facts: false
  tasks:
    - name: Check the connection
      ansible.builtin.ping:
`;

export const EMPTY_PLAYBOOK: PlaybookDraft = {
  name: '',
  description: '',
  sourceKind: 'stored',
  git: EMPTY_GIT,
  content: STARTER_CONTENT,
  files: [],
  targets: {},
  variables: [],
  survey: [],
  options: DEFAULT_OPTIONS,
  allowParallel: true,
  retryInfrastructure: false,
  vaultPasswordSecret: '',
};

/** The wizard's steps in order; the last one (review) saves. `schedule` (optional) is only offered when creating. */
export const STEPS = ['content', 'targets', 'variables', 'options', 'schedule', 'review'] as const;
export type Step = (typeof STEPS)[number];

/** The steps shown: editing leaves out `schedule` (schedules are managed on the playbook's Schedules tab). */
export function wizardSteps(editing: boolean): readonly Step[] {
  return editing ? STEPS.filter((s) => s !== 'schedule') : STEPS;
}

/** The schema types JSON values as opaque objects; these cast plain values to and from them. */
type Json = Variable['value'];
export const toJson = (v: unknown): Json => v as Json;
export const toJsonMap = (m: Record<string, unknown>): Record<string, never> => m as Record<string, never>;

/** A stored value as text for an input. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Text from an input as the value of a type: numbers and booleans are typed, the rest stays text. */
export function typedValue(type: VarType, text: string): unknown {
  if (type === 'number') {
    const n = Number(text.trim());
    return text.trim() === '' || Number.isNaN(n) ? text : n;
  }
  if (type === 'boolean') return text === 'true';
  return text;
}

export function fromPlaybook(p: Playbook): PlaybookDraft {
  const d = p.defaults;
  return {
    name: p.name,
    description: p.description,
    sourceKind: p.source ? 'git' : 'stored',
    git: p.source ? fromGitSource(p.source) : EMPTY_GIT,
    // A Git playbook's content is empty: switching it to stored starts from the example.
    content: p.source && !p.content ? STARTER_CONTENT : p.content,
    files: p.files.map((f) => ({ ...f })),
    targets: { hosts: d.targets.hosts ?? [], groups: d.targets.groups ?? [], rule: d.targets.rule ?? null },
    variables: d.variables.map((v) => ({ name: v.name, type: v.type, value: valueText(v.value) })),
    survey: d.survey.map((q) => ({
      name: q.name,
      label: q.label,
      type: q.type,
      required: q.required ?? false,
      default: valueText(q.default),
      choices: q.choices ?? [],
    })),
    options: { ...DEFAULT_OPTIONS, ...d.options },
    allowParallel: p.allow_parallel,
    retryInfrastructure: p.retry_infrastructure,
    vaultPasswordSecret: d.vault_password_secret ?? '',
  };
}

export function fromGitSource(g: GitSource): GitDraft {
  return { url: g.url, gitRef: g.git_ref ?? 'main', path: g.path, credential: g.credential ?? '', username: g.username ?? '' };
}

/** The request's `source`: trimmed, `main` for a blank ref, null for blank optional fields. */
export function toGitSource(g: GitDraft): GitSource {
  return {
    url: g.url.trim(),
    git_ref: g.gitRef.trim() || 'main',
    path: g.path.trim(),
    credential: g.credential.trim() || null,
    username: g.username.trim() || null,
  };
}

export function toSurveyQuestion(q: SurveyDraft): SurveyQuestion {
  const out: SurveyQuestion = { name: q.name.trim(), label: q.label.trim() || q.name.trim(), type: q.type, required: q.required };
  if (q.type === 'choice') out.choices = q.choices;
  if (q.type !== 'secret' && q.default !== '') out.default = toJson(typedValue(q.type, q.default));
  return out;
}

/** The save request; a Git playbook sends its source and no content or files (a stored one sends `source: null`). */
export function toPlaybookInput(d: PlaybookDraft): PlaybookInput {
  const git = d.sourceKind === 'git';
  return {
    name: d.name.trim(),
    description: d.description.trim(),
    source: git ? toGitSource(d.git) : null,
    content: git ? '' : d.content,
    files: git ? [] : d.files.filter((f) => f.path.trim() !== '' || f.content !== '').map((f) => ({ path: f.path.trim(), content: f.content })),
    defaults: {
      targets: { hosts: d.targets.hosts ?? [], groups: d.targets.groups ?? [], rule: d.targets.rule?.trim() ? d.targets.rule.trim() : null },
      variables: d.variables.map((v) => ({ name: v.name.trim(), type: v.type, value: toJson(typedValue(v.type, v.value)) })),
      survey: d.survey.map(toSurveyQuestion),
      options: { ...d.options, limit: d.options.limit?.trim() ? d.options.limit.trim() : null },
      vault_password_secret: d.vaultPasswordSecret.trim() || null,
    },
    allow_parallel: d.allowParallel,
    retry_infrastructure: d.retryInfrastructure,
  };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Client-side checks per step, as `{field: message}` with the server's field names. */
export function validateStep(t: TFunction, step: Step, d: PlaybookDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (step === 'content') {
    if (!d.name.trim()) errors.name = t('validation.required');
    if (d.sourceKind === 'git') {
      const path = d.git.path.trim();
      if (!d.git.url.trim()) errors['source.url'] = t('validation.required');
      else if (/\s/.test(d.git.url.trim())) errors['source.url'] = t('playbooks.errors.gitUrl');
      if (!path) errors['source.path'] = t('validation.required');
      else if (!/\.ya?ml$/.test(path) || path.startsWith('/') || path.split('/').includes('..')) errors['source.path'] = t('playbooks.errors.gitPath');
      return errors;
    }
    if (!d.content.trim()) errors.content = t('validation.required');
    const paths = new Set<string>();
    d.files.forEach((f, i) => {
      const p = f.path.trim();
      if (!p) errors[`files.${i}`] = t('playbooks.errors.filePath');
      else if (paths.has(p)) errors[`files.${i}`] = t('playbooks.errors.fileTwice');
      paths.add(p);
    });
  }
  if (step === 'variables') {
    const names = new Set<string>();
    d.variables.forEach((v, i) => {
      const n = v.name.trim();
      if (!NAME.test(n) || names.has(n)) errors[`variables.${i}`] = t('playbooks.errors.variableName');
      else if (v.type === 'number' && Number.isNaN(Number(v.value.trim() || 'x'))) errors[`variables.${i}`] = t('playbooks.errors.number');
      names.add(n);
    });
    const questions = new Set<string>();
    d.survey.forEach((q, i) => {
      const n = q.name.trim();
      if (!NAME.test(n) || questions.has(n)) errors[`survey.${i}`] = t('playbooks.errors.variableName');
      else if (q.type === 'choice' && q.choices.length === 0) errors[`survey.${i}`] = t('playbooks.errors.choices');
      questions.add(n);
    });
  }
  if (step === 'options') {
    for (const [key, [min, max]] of Object.entries(OPTION_LIMITS)) {
      const v = d.options[key as keyof typeof OPTION_LIMITS];
      if (!Number.isInteger(v) || v < min || v > max) errors[`defaults.options.${key}`] = t('playbooks.errors.range', { min, max });
    }
  }
  return errors;
}

/** The step a server field error belongs on (`defaults.options.forks` → options; `source.url` → content). */
export function stepOfField(field: string): Step {
  if (field.startsWith('schedule.')) return 'schedule';
  if (field.startsWith('defaults.targets') || field === 'targets' || field.startsWith('targets.')) return 'targets';
  if (field.startsWith('defaults.variables') || field.startsWith('defaults.survey')) return 'variables';
  if (field.startsWith('defaults.options') || field === 'defaults.vault_password_secret' || field === 'allow_parallel' || field === 'retry_infrastructure') return 'options';
  return 'content';
}

/** A launch's answers and overrides as edited. */
export type LaunchDraft = {
  targets: TargetSpec;
  variables: VariableDraft[];
  survey: Record<string, string>;
  options: PlaybookOptions;
  dryRun: boolean;
};

export function launchDraftOf(p: Playbook): LaunchDraft {
  const d = fromPlaybook(p);
  return {
    targets: d.targets,
    variables: d.variables,
    survey: Object.fromEntries(d.survey.map((q) => [q.name, q.type === 'boolean' && q.default === '' ? 'false' : q.default])),
    options: d.options,
    dryRun: false,
  };
}

/**
 * The launch request: targets and options always (the form starts from the defaults), only the
 * variables whose value differs from the default, and the survey answers typed (blank ones left out).
 */
export function toLaunchRequest(p: Playbook, d: LaunchDraft): LaunchRequest {
  const defaults = new Map(p.defaults.variables.map((v) => [v.name, valueText(v.value)]));
  const variables: Record<string, unknown> = {};
  for (const v of d.variables) if (v.name.trim() && defaults.get(v.name) !== v.value) variables[v.name.trim()] = typedValue(v.type, v.value);
  const survey: Record<string, unknown> = {};
  for (const q of p.defaults.survey) {
    const answer = d.survey[q.name] ?? '';
    if (answer === '' && q.type !== 'boolean') continue;
    survey[q.name] = typedValue(q.type, answer);
  }
  return {
    targets: d.targets,
    variables: toJsonMap(variables),
    survey: toJsonMap(survey),
    options: { ...d.options, limit: d.options.limit?.trim() ? d.options.limit.trim() : null },
    dry_run: d.dryRun,
  };
}

/** The selection's parts, in words (for summaries). */
export function targetParts(spec: TargetSpec): { hosts: number; groups: string[]; rule: string | null } {
  return { hosts: spec.hosts?.length ?? 0, groups: spec.groups ?? [], rule: spec.rule?.trim() ? spec.rule.trim() : null };
}
