// Friendly names for generated API types. Nothing here is hand-written: every
// type is an alias into the schema generated from openapi.json (`npm run gen:api`).
import type { components, paths } from './generated/schema';

type Schemas = components['schemas'];

export type User = Schemas['User'];
export type Role = User['role'];
export type LoginResponse = Schemas['LoginResponse'];
export type Me = Schemas['Me'];
export type Session = Schemas['Session'];
export type ApiToken = Schemas['ApiToken'];
export type CreatedApiToken = Schemas['CreatedApiToken'];
export type AuditEvent = Schemas['AuditEvent'];
export type Dashboard = Schemas['Dashboard'];
export type Settings = Schemas['Settings'];
export type Secret = Schemas['Secret'];
export type SecretKind = Schemas['SecretKind'];
export type SecretPage = Schemas['SecretPage'];
export type SecretUsage = Schemas['SecretUsage'];
export type RevealedSecret = Schemas['RevealedSecret'];
/** The value part of a create or replace request (value, generate, passphrase, username, key_secret, …). */
export type SecretValueFields = Schemas['SecretValueInput'];

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
export type UsersQuery = NonNullable<paths['/api/v1/users']['get']['parameters']['query']>;
export type UsersPage = JsonOf<paths['/api/v1/users']['get']['responses'][200]>;
export type AuditQuery = NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>;
export type AuditPage = JsonOf<paths['/api/v1/audit']['get']['responses'][200]>;
export type SessionsQuery = NonNullable<paths['/api/v1/sessions']['get']['parameters']['query']>;
export type CreateUserBody = JsonOf<NonNullable<paths['/api/v1/users']['post']['requestBody']>>;
export type UpdateUserBody = JsonOf<NonNullable<paths['/api/v1/users/{id}']['patch']['requestBody']>>;
export type CreateTokenBody = JsonOf<NonNullable<paths['/api/v1/tokens']['post']['requestBody']>>;
export type SecretsQuery = NonNullable<paths['/api/v1/secrets']['get']['parameters']['query']>;
export type CreateSecretBody = JsonOf<NonNullable<paths['/api/v1/secrets']['post']['requestBody']>>;
export type UpdateSecretBody = JsonOf<NonNullable<paths['/api/v1/secrets/{id}']['patch']['requestBody']>>;
export type ReplaceSecretValueBody = JsonOf<NonNullable<paths['/api/v1/secrets/{id}/value']['put']['requestBody']>>;
export type RevealSecretBody = JsonOf<NonNullable<paths['/api/v1/secrets/{id}/reveal']['post']['requestBody']>>;
export type SettingsBody = JsonOf<NonNullable<paths['/api/v1/settings']['put']['requestBody']>>;

export type Host = Schemas['Host'];
export type HostPage = Schemas['HostPage'];
export type HostFacets = Schemas['HostFacets'];
export type FacetCount = Schemas['FacetCount'];
export type HostStatus = Schemas['HostStatus'];
export type HostSortField = Schemas['HostSortField'];
export type CheckMethod = Schemas['CheckMethod'];
export type HostStatusUpdate = Schemas['HostStatusUpdate'];
export type HostStatusChange = Schemas['HostStatusChange'];
export type HostStatusChangePage = Schemas['HostStatusChangePage'];
export type InventoryFormat = Schemas['InventoryFormat'];
export type ImportReport = Schemas['ImportReport'];
export type ImportLine = Schemas['ImportLine'];
export type ImportAction = Schemas['ImportAction'];
export type BulkDeleteResult = Schemas['BulkDeleteResult'];
export type BulkUpdateResult = Schemas['BulkUpdateResult'];
export type ChecksStarted = Schemas['ChecksStarted'];
export type TestConnectionResult = Schemas['TestConnectionResult'];
export type InventorySettings = Schemas['InventorySettingsBody'];
export type HostsQuery = NonNullable<paths['/api/v1/hosts']['get']['parameters']['query']>;
export type HostsExportQuery = NonNullable<paths['/api/v1/hosts/export']['get']['parameters']['query']>;
export type HostStatusHistoryQuery = NonNullable<paths['/api/v1/hosts/{id}/status-history']['get']['parameters']['query']>;
export type CreateHostBody = JsonOf<NonNullable<paths['/api/v1/hosts']['post']['requestBody']>>;
export type UpdateHostBody = JsonOf<NonNullable<paths['/api/v1/hosts/{id}']['patch']['requestBody']>>;
export type BulkUpdateHostsBody = JsonOf<NonNullable<paths['/api/v1/hosts/bulk-update']['post']['requestBody']>>;
export type ImportHostsBody = JsonOf<NonNullable<paths['/api/v1/hosts/import']['post']['requestBody']>>;
export type TestConnectionBody = JsonOf<NonNullable<paths['/api/v1/hosts/test-connection']['post']['requestBody']>>;
export type InventorySettingsBody = JsonOf<NonNullable<paths['/api/v1/inventory/settings']['put']['requestBody']>>;

export type Group = Schemas['Group'];
export type GroupKind = Schemas['GroupKind'];
export type GroupList = Schemas['GroupList'];
export type RuleError = Schemas['RuleError'];
export type RuleHints = Schemas['RuleHints'];
export type TagHint = Schemas['TagHint'];
export type PreviewResult = Schemas['PreviewResult'];
export type MembershipEvent = Schemas['MembershipEvent'];
export type MembershipEventPage = Schemas['MembershipEventPage'];
export type MembersChanged = Schemas['MembersChanged'];
export type AnsibleFormat = Schemas['AnsibleFormat'];
/** The rule's JSON tree as the schema types it (an opaque object); the builder reads it through its own parser. */
export type RuleJson = NonNullable<Schemas['Group']['rule_json']>;
export type GroupsQuery = NonNullable<paths['/api/v1/groups']['get']['parameters']['query']>;
export type GroupMembersQuery = NonNullable<paths['/api/v1/groups/{id}/members']['get']['parameters']['query']>;
export type MembershipEventsQuery = NonNullable<paths['/api/v1/groups/{id}/membership-events']['get']['parameters']['query']>;
export type InventoryQuery = NonNullable<paths['/api/v1/inventory']['get']['parameters']['query']>;
export type CreateGroupBody = JsonOf<NonNullable<paths['/api/v1/groups']['post']['requestBody']>>;
export type UpdateGroupBody = JsonOf<NonNullable<paths['/api/v1/groups/{id}']['patch']['requestBody']>>;
export type PreviewRuleBody = JsonOf<NonNullable<paths['/api/v1/groups/preview']['post']['requestBody']>>;
export type GroupMembersBody = JsonOf<NonNullable<paths['/api/v1/groups/{id}/members']['post']['requestBody']>>;

export type TerminalSession = Schemas['TerminalSession'];
export type TerminalTicket = Schemas['TerminalTicket'];
export type HostKeyPrompt = Schemas['HostKeyPrompt'];
export type HostKeyRecord = Schemas['HostKeyRecord'];
export type OpenTerminalBody = JsonOf<NonNullable<paths['/api/v1/terminal/sessions']['post']['requestBody']>>;
export type RecordingInfo = Schemas['RecordingInfo'];
export type RecordingPage = Schemas['RecordingPage'];
export type RecordingsQuery = NonNullable<paths['/api/v1/terminal/recordings']['get']['parameters']['query']>;
export type AcceptHostKeyBody = JsonOf<NonNullable<paths['/api/v1/hosts/{id}/host-key/accept']['post']['requestBody']>>;

export type Run = Schemas['Run'];
export type RunDetail = Schemas['RunDetail'];
export type RunHost = Schemas['RunHost'];
export type RunPage = Schemas['RunPage'];
export type RunSummary = Schemas['RunSummary'];
export type OutputChunk = Schemas['OutputChunk'];
export type TargetSpec = Schemas['TargetSpec'];
export type ResolvedTargets = Schemas['ResolvedTargets'];
export type ResolvedHost = Schemas['ResolvedHost'];
export type KeyAction = Schemas['KeyAction'];
export type ScriptInput = Schemas['ScriptInput'];
export type RunsQuery = NonNullable<paths['/api/v1/runs']['get']['parameters']['query']>;
export type RunOutputQuery = NonNullable<paths['/api/v1/runs/{id}/output']['get']['parameters']['query']>;
export type CommandRequest = JsonOf<NonNullable<paths['/api/v1/runs/commands']['post']['requestBody']>>;
export type KeyRequest = JsonOf<NonNullable<paths['/api/v1/runs/ssh-keys']['post']['requestBody']>>;
export type RerunBody = JsonOf<NonNullable<paths['/api/v1/runs/{id}/rerun']['post']['requestBody']>>;

export type Playbook = Schemas['Playbook'];
export type PlaybookSummary = Schemas['PlaybookSummary'];
export type PlaybookPage = Schemas['PlaybookPage'];
export type PlaybookInput = Schemas['PlaybookInput'];
export type GitSource = Schemas['GitSource'];
export type PlaybookVersion = Schemas['PlaybookVersion'];
export type PlaybookOptions = Schemas['PlaybookOptions'];
export type PlaybookDefaults = Schemas['PlaybookDefaults'];
export type PlaybookFile = Schemas['PlaybookFile'];
export type SurveyQuestion = Schemas['SurveyQuestion'];
export type Variable = Schemas['Variable'];
export type VarType = Schemas['VarType'];
export type LastRun = Schemas['LastRun'];
export type LaunchRequest = Schemas['LaunchRequest'];
export type LaunchPreview = Schemas['LaunchPreview'];
export type ValidateResult = Schemas['ValidateResult'];
export type Schedule = Schemas['Schedule'];
export type ScheduleInput = Schemas['ScheduleInput'];
export type ScheduleOverrides = Schemas['ScheduleOverrides'];
export type SchedulePreview = Schemas['SchedulePreview'];
export type SchedulePreviewRequest = Schemas['SchedulePreviewRequest'];
export type TaskEvent = Schemas['TaskEvent'];
export type ArtifactInfo = Schemas['ArtifactInfo'];
export type PlaybooksQuery = NonNullable<paths['/api/v1/playbooks']['get']['parameters']['query']>;
export type SchedulesQuery = NonNullable<paths['/api/v1/schedules']['get']['parameters']['query']>;
export type RunLogQuery = NonNullable<paths['/api/v1/runs/{id}/log']['get']['parameters']['query']>;
export type RunTasksQuery = NonNullable<paths['/api/v1/runs/{id}/tasks']['get']['parameters']['query']>;

/** Every kind of secret, in the order the UI offers them. */
export const SECRET_KINDS = ['password', 'token', 'text', 'ssh_key', 'ssh_credential', 'file'] as const satisfies readonly SecretKind[];

export const GROUP_KINDS = ['static', 'dynamic'] as const satisfies readonly GroupKind[];
export const ANSIBLE_FORMATS = ['json', 'ini', 'yaml'] as const satisfies readonly AnsibleFormat[];

export const ROLES = ['admin', 'operator', 'viewer'] as const satisfies readonly Role[];

export const HOST_STATUSES = ['online', 'offline', 'unknown'] as const satisfies readonly HostStatus[];
export const CHECK_METHODS = ['ping', 'tcp', 'ssh'] as const satisfies readonly CheckMethod[];
export type TerminalRecording = Schemas['TerminalRecording'];
export const TERMINAL_RECORDING_MODES = ['default', 'on', 'off'] as const satisfies readonly TerminalRecording[];
export const INVENTORY_FORMATS = ['csv', 'json', 'yaml', 'ansible_ini', 'ansible_yaml'] as const satisfies readonly InventoryFormat[];
export const IMPORT_ACTIONS = ['create', 'update', 'unchanged', 'reject'] as const satisfies readonly ImportAction[];
export const HOST_SORT_FIELDS = [
  'name',
  'address',
  'port',
  'os',
  'environment',
  'status',
  'last_check_at',
  'latency',
  'created_at',
  'updated_at',
] as const satisfies readonly HostSortField[];

/** Run kinds and statuses as the server spells them (the schema types them as plain strings). */
export const RUN_KINDS = ['command', 'script', 'key_deploy', 'key_remove', 'key_rotate', 'playbook'] as const;
export type RunKind = (typeof RUN_KINDS)[number];
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled', 'timed_out', 'lost'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const HOST_RUN_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'unreachable', 'timed_out', 'canceled', 'skipped'] as const;
export type HostRunStatus = (typeof HOST_RUN_STATUSES)[number];
export const SCRIPT_INTERPRETERS = ['bash', 'sh', 'python'] as const;
/** How runs were started (the runs list's `trigger` filter). */
export const RUN_TRIGGERS = ['user', 'api_token', 'rerun', 'schedule'] as const;
export const VAR_TYPES = ['string', 'number', 'boolean', 'secret'] as const satisfies readonly VarType[];
export const SURVEY_TYPES = ['string', 'number', 'choice', 'boolean', 'secret'] as const satisfies readonly VarType[];
/** Schedule policies as the server spells them (the schema types them as plain strings). */
export const SCHEDULE_OVERLAPS = ['skip', 'queue'] as const;
export const SCHEDULE_MISSED = ['run_once', 'skip'] as const;
export const KEY_ACTIONS = ['deploy', 'remove'] as const satisfies readonly KeyAction[];
