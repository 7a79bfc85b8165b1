import type { Action, Scope } from '../../core/actor.js';

export type { Action, Scope };

/** Per action, how far the permission reaches; an action left out is not granted. */
export type Grants = Partial<Record<Action, Scope>>;

/**
 * Roles are code, not data: reviewing a change to who may do what is reviewing a diff. A grant is
 * (resource, action) -> scope. `'*'` covers every resource the role does not name, so a resource added
 * later inherits the role's default; naming a resource replaces the default for it entirely.
 */
export interface RoleDefinition {
  description: string;
  /** Which divisions' records the role sees at all: 'division' limits the user to their own divisions. */
  scope: Extract<Scope, 'division' | 'all'>;
  grants: Record<string, Grants>;
  /** Field names never returned to this role, wherever they appear in a response. */
  hiddenFields: string[];
}

const every = (scope: Scope): Grants => ({ read: scope, write: scope, delete: scope, admin: scope });
const own: Grants = { read: 'own', write: 'own', delete: 'own' };
const none: Grants = {};

/**
 * Resources are the first path segment under /api/v1 (customers, source-records, accounts, …); the API
 * checks (resource, action) for every route before its handler runs, services check again for other callers.
 */
export const ROLES = {
  admin: {
    description: 'Everything, in every division, including users, settings and the audit log',
    scope: 'all',
    grants: { '*': every('all') },
    hiddenFields: [],
  },
  manager: {
    description: 'Runs a division: reads, writes and deletes its records, sees its staff',
    scope: 'division',
    grants: {
      '*': { read: 'division', write: 'division', delete: 'division' },
      users: { read: 'division' },
      'api-keys': own,
      jobs: { read: 'own', write: 'own' },
      audit: none,
      privacy: none,
    },
    hiddenFields: [],
  },
  agent: {
    description: 'Front-line staff: serves the customers of their divisions; never sees national ids',
    scope: 'division',
    grants: {
      '*': { read: 'division', write: 'division' },
      users: { read: 'team' },
      'api-keys': own,
      jobs: { read: 'own' },
      audit: none,
      privacy: none,
    },
    hiddenFields: ['nationalId'],
  },
  analyst: {
    description: 'Reads every division for reporting; never sees national ids or balances',
    scope: 'all',
    grants: {
      '*': { read: 'all' },
      users: none,
      'api-keys': own,
      jobs: { read: 'own' },
      audit: none,
      privacy: none,
    },
    hiddenFields: ['nationalId', 'balance'],
  },
  integration: {
    description: 'A system that imports and exports data through API keys',
    scope: 'all',
    grants: {
      '*': { read: 'all', write: 'all' },
      users: none,
      'api-keys': own,
      jobs: { read: 'own', write: 'own' },
      audit: none,
      privacy: none,
    },
    hiddenFields: [],
  },
  dpo: {
    description: 'Data protection officer: answers data-subject requests (export, erasure) and reads every division and the audit log',
    scope: 'all',
    grants: {
      '*': { read: 'all' },
      privacy: { read: 'all', write: 'all' },
      users: none,
      'api-keys': own,
      jobs: { read: 'own' },
    },
    hiddenFields: [],
  },
} as const satisfies Record<string, RoleDefinition>;

export type RoleName = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

export function isRoleName(value: string): value is RoleName {
  return Object.hasOwn(ROLES, value);
}

export function grantsOf(role: RoleName, resource: string): Grants {
  const grants: Record<string, Grants> = ROLES[role].grants;
  return Object.hasOwn(grants, resource) ? grants[resource] : (grants['*'] ?? {});
}

export function scopeOf(role: RoleName, resource: string, action: Action): Scope | null {
  return grantsOf(role, resource)[action] ?? null;
}

export function can(role: RoleName, resource: string, action: Action): boolean {
  return scopeOf(role, resource, action) !== null;
}
