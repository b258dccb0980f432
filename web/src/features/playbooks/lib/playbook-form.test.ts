import { describe, expect, it } from 'vitest';
import type { Playbook } from '@/api/types';
import i18n from '@/i18n';
import { EMPTY_PLAYBOOK, fromPlaybook, launchDraftOf, stepOfField, toJson, toLaunchRequest, toPlaybookInput, typedValue, validateStep } from './playbook-form';

const t = i18n.t.bind(i18n);

const playbook: Playbook = {
  id: 'p1',
  name: 'Patch',
  description: 'apt upgrade',
  content: '- hosts: all\n',
  files: [],
  current_version: 3,
  allow_parallel: false,
  retry_infrastructure: false,
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z',
  defaults: {
    targets: { hosts: [], groups: ['web'], rule: null },
    variables: [
      { name: 'pkg', type: 'string', value: toJson('nginx') },
      { name: 'retries', type: 'number', value: toJson(3) },
    ],
    survey: [
      { name: 'reboot', label: 'Reboot?', type: 'boolean', required: false },
      { name: 'env', label: 'Env', type: 'choice', required: true, choices: ['prod', 'dev'], default: toJson('dev') },
      { name: 'token', label: 'Token', type: 'secret', required: false },
    ],
    options: { check: false, diff: false, tags: [], skip_tags: [], limit: null, verbosity: 0, forks: 20, timeout_seconds: 3600 },
    vault_password_secret: null,
  },
};

describe('playbook form', () => {
  it('round-trips a playbook into an input with typed values', () => {
    const input = toPlaybookInput(fromPlaybook(playbook));
    expect(input.defaults?.variables).toEqual([
      { name: 'pkg', type: 'string', value: 'nginx' },
      { name: 'retries', type: 'number', value: 3 },
    ]);
    expect(input.defaults?.survey[1]).toEqual({ name: 'env', label: 'Env', type: 'choice', required: true, choices: ['prod', 'dev'], default: 'dev' });
    expect(input.defaults?.targets).toEqual({ hosts: [], groups: ['web'], rule: null });
    expect(input.allow_parallel).toBe(false);
  });

  it('types values', () => {
    expect(typedValue('number', '42')).toBe(42);
    expect(typedValue('boolean', 'true')).toBe(true);
    expect(typedValue('secret', 'db_password')).toBe('db_password');
  });

  it('validates steps with the server field names', () => {
    expect(validateStep(t, 'content', { ...EMPTY_PLAYBOOK, name: ' ' })).toHaveProperty('name');
    const vars = validateStep(t, 'variables', { ...EMPTY_PLAYBOOK, variables: [{ name: '1bad', type: 'string', value: '' }] });
    expect(Object.keys(vars)).toEqual(['variables.0']);
    const opts = validateStep(t, 'options', { ...EMPTY_PLAYBOOK, options: { ...EMPTY_PLAYBOOK.options, forks: 0 } });
    expect(Object.keys(opts)).toEqual(['defaults.options.forks']);
  });

  it('maps server field errors to steps', () => {
    expect(stepOfField('content')).toBe('content');
    expect(stepOfField('files')).toBe('content');
    expect(stepOfField('defaults.targets.rule')).toBe('targets');
    expect(stepOfField('defaults.survey')).toBe('variables');
    expect(stepOfField('defaults.options.forks')).toBe('options');
    expect(stepOfField('schedule.cron')).toBe('schedule');
  });

  it('builds a launch request with changed variables and typed answers only', () => {
    const draft = launchDraftOf(playbook);
    expect(draft.survey).toEqual({ reboot: 'false', env: 'dev', token: '' });
    draft.variables = draft.variables.map((v) => (v.name === 'retries' ? { ...v, value: '5' } : v));
    draft.dryRun = true;
    const req = toLaunchRequest(playbook, draft);
    expect(req.variables).toEqual({ retries: 5 });
    expect(req.survey).toEqual({ reboot: false, env: 'dev' });
    expect(req.dry_run).toBe(true);
    expect(req.targets).toEqual({ hosts: [], groups: ['web'], rule: null });
  });

  describe('Git source', () => {
    const gitDraft = {
      ...EMPTY_PLAYBOOK,
      name: 'Site',
      sourceKind: 'git' as const,
      git: { url: ' git@git.example.com:ops/site.git ', gitRef: ' ', path: ' site.yml ', credential: '', username: '' },
      files: [{ path: 'templates/motd.j2', content: 'hi' }],
    };

    it('sends the source with `main` for a blank ref and nulls for blanks, and no content or files', () => {
      const input = toPlaybookInput(gitDraft);
      expect(input.source).toEqual({ url: 'git@git.example.com:ops/site.git', git_ref: 'main', path: 'site.yml', credential: null, username: null });
      expect(input.content).toBe('');
      expect(input.files).toEqual([]);
      const full = toPlaybookInput({ ...gitDraft, git: { ...gitDraft.git, gitRef: 'v2', credential: 'git-token', username: 'deploy' } });
      expect(full.source).toMatchObject({ git_ref: 'v2', credential: 'git-token', username: 'deploy' });
    });

    it('sends `source: null` for stored content (so a Git playbook can be switched back)', () => {
      expect(toPlaybookInput({ ...gitDraft, sourceKind: 'stored' }).source).toBeNull();
      expect(toPlaybookInput({ ...gitDraft, sourceKind: 'stored' }).files).toEqual([{ path: 'templates/motd.j2', content: 'hi' }]);
    });

    it('loads a Git playbook into the draft and back', () => {
      const source = { url: 'https://git.example.com/ops/site.git', git_ref: 'release', path: 'site.yml', credential: 'git-token', username: null };
      const d = fromPlaybook({ ...playbook, content: '', source });
      expect(d.sourceKind).toBe('git');
      expect(d.git).toEqual({ url: source.url, gitRef: 'release', path: 'site.yml', credential: 'git-token', username: '' });
      // Switching it to stored starts from the example, not from nothing.
      expect(d.content).not.toBe('');
      expect(toPlaybookInput(d).source).toEqual({ ...source, username: null });
      expect(fromPlaybook({ ...playbook, source: null }).sourceKind).toBe('stored');
    });

    it('checks URL and path instead of the YAML', () => {
      expect(validateStep(t, 'content', { ...gitDraft, content: '' })).toEqual({});
      const errors = validateStep(t, 'content', { ...gitDraft, git: { ...gitDraft.git, url: '', path: 'site.txt' } });
      expect(Object.keys(errors).sort()).toEqual(['source.path', 'source.url']);
      expect(validateStep(t, 'content', { ...gitDraft, git: { ...gitDraft.git, path: '../site.yml' } })).toHaveProperty('source.path');
      expect(validateStep(t, 'content', { ...gitDraft, git: { ...gitDraft.git, path: 'play/site.yaml' } })).toEqual({});
    });

    it('puts server errors about the source on the content step', () => {
      for (const f of ['source.url', 'source.git_ref', 'source.path', 'source.credential', 'source']) expect(stepOfField(f)).toBe('content');
    });
  });
});
