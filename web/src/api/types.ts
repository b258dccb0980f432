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

/** Every kind of secret, in the order the UI offers them. */
export const SECRET_KINDS = ['password', 'token', 'text', 'ssh_key', 'ssh_credential', 'file'] as const satisfies readonly SecretKind[];

export const ROLES = ['admin', 'operator', 'viewer'] as const satisfies readonly Role[];
