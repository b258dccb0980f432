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

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
export type UsersQuery = NonNullable<paths['/api/v1/users']['get']['parameters']['query']>;
export type UsersPage = JsonOf<paths['/api/v1/users']['get']['responses'][200]>;
export type AuditQuery = NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>;
export type AuditPage = JsonOf<paths['/api/v1/audit']['get']['responses'][200]>;
export type SessionsQuery = NonNullable<paths['/api/v1/sessions']['get']['parameters']['query']>;
export type CreateUserBody = JsonOf<NonNullable<paths['/api/v1/users']['post']['requestBody']>>;
export type UpdateUserBody = JsonOf<NonNullable<paths['/api/v1/users/{id}']['patch']['requestBody']>>;
export type CreateTokenBody = JsonOf<NonNullable<paths['/api/v1/tokens']['post']['requestBody']>>;
export type SettingsBody = JsonOf<NonNullable<paths['/api/v1/settings']['put']['requestBody']>>;

export const ROLES = ['admin', 'operator', 'viewer'] as const satisfies readonly Role[];
