/**
 * Roles are code, not data: a permission is (resource, action) and a scope. Scope decides which
 * divisions' records a user sees; hidden fields are removed from every response for that role.
 */
export type Action = 'read' | 'write' | 'delete' | 'admin';
export type Scope = 'own' | 'team' | 'division' | 'all';

export interface RoleDefinition {
  description: string;
  scope: Scope;
  /** resource -> allowed actions; '*' covers every resource. */
  permissions: Record<string, Action[]>;
  /** Field names never returned to this role, wherever they appear. */
  hiddenFields: string[];
}

export const ROLES = {
  admin: {
    description: 'Everything, in every division, including users and settings',
    scope: 'all',
    permissions: { '*': ['read', 'write', 'delete', 'admin'] },
    hiddenFields: [],
  },
  manager: {
    description: 'Runs a division: reads and writes its records, sees its staff',
    scope: 'division',
    permissions: { '*': ['read', 'write', 'delete'] },
    hiddenFields: [],
  },
  agent: {
    description: 'Front-line staff: serves customers of their divisions',
    scope: 'division',
    permissions: { '*': ['read', 'write'] },
    hiddenFields: ['nationalId'],
  },
  analyst: {
    description: 'Reads every division for reporting; never sees national ids or balances',
    scope: 'all',
    permissions: { '*': ['read'] },
    hiddenFields: ['nationalId', 'balance'],
  },
  integration: {
    description: 'A system that imports and exports data through API keys',
    scope: 'all',
    permissions: { '*': ['read', 'write'] },
    hiddenFields: [],
  },
} as const satisfies Record<string, RoleDefinition>;

export type RoleName = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

export function can(role: RoleName, resource: string, action: Action): boolean {
  const perms: Record<string, readonly Action[]> = ROLES[role].permissions;
  return (perms[resource] ?? perms['*'] ?? []).includes(action);
}
