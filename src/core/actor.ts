import type { Orm } from './db/engine.js';
export type Action = 'read' | 'write' | 'delete' | 'admin';
/** How far a permission reaches: the actor's own records, their team's, their divisions', or every record of the tenant. */
export type Scope = 'own' | 'team' | 'division' | 'all';

/** One change a service made on an actor's behalf; the API turns these into audit entries with before and after. */
export interface ChangeNote {
  resource: string;
  resourceId: string;
  action: 'create' | 'update' | 'delete';
  before?: unknown;
  after?: unknown;
}

/** Who is acting: every service call takes one, and every query is scoped by its tenant and divisions. */
export interface Actor {
  tenantId: string;
  userId: string | null;
  kind: 'user' | 'api-key' | 'system';
  role: string;
  /** null = every division; otherwise the only divisions whose records this actor may see. */
  divisionIds: string[] | null;
  hiddenFields: readonly string[];
  can(resource: string, action: Action): boolean;
  /** The user's team, for team-scoped grants. */
  teamId?: string | null;
  /** The API key that authenticated this actor: rate limits and the audit trail name it. */
  apiKeyId?: string | null;
  /** How far a granted permission reaches; null when not granted. Absent: 'division' when divisionIds is set, else 'all'. */
  scopeOf?(resource: string, action: Action): Scope | null;
  /** Set by the API for each request: services report what they changed (see noteChange). */
  noteChange?(note: ChangeNote): void;
  /**
   * Set by the API for each request: writes the change's audit entry through `tx`, the transaction of the write
   * itself, so the write and its entry commit or roll back together (see recordChange).
   */
  recordChange?(tx: Orm, note: ChangeNote): Promise<void>;
}

export function scopeOf(actor: Actor, resource: string, action: Action): Scope | null {
  if (!actor.can(resource, action)) return null;
  return actor.scopeOf?.(resource, action) ?? (actor.divisionIds ? 'division' : 'all');
}

/** Who owns a record, as far as scopes are concerned; a record names whichever of these it has. */
export interface RecordOwnership {
  divisionId?: string | null;
  divisionIds?: readonly string[] | null;
  ownerId?: string | null;
  teamId?: string | null;
}

/**
 * Whether a record lies within the actor's reach for (resource, action). A record without the attribute a
 * scope needs is out of reach: unknown ownership never widens access.
 */
export function reaches(actor: Actor, resource: string, action: Action, record: RecordOwnership): boolean {
  const scope = scopeOf(actor, resource, action);
  switch (scope) {
    case 'all':
      return true;
    case 'division': {
      if (!actor.divisionIds) return true;
      const held = record.divisionIds ?? (record.divisionId ? [record.divisionId] : []);
      return held.some((d) => actor.divisionIds!.includes(d));
    }
    case 'team':
      return (!!actor.teamId && record.teamId === actor.teamId) || (!!actor.userId && record.ownerId === actor.userId);
    case 'own':
      return !!actor.userId && record.ownerId === actor.userId;
    default:
      return false;
  }
}

/** Services call this after each write; a no-op outside the API (CLI, jobs). */
export function noteChange(actor: Actor, note: ChangeNote): void {
  actor.noteChange?.(note);
}

/**
 * Services call this inside the transaction of a write: the audit entry is written through the same transaction,
 * so a write never commits without its entry nor an entry without its write. A no-op outside the API.
 */
export async function recordChange(tx: Orm, actor: Actor, note: ChangeNote): Promise<void> {
  if (actor.recordChange) await actor.recordChange(tx, note);
  else actor.noteChange?.(note);
}

/** For CLI commands and background jobs run by the operator of the installation. */
export function systemActor(tenantId: string): Actor {
  return { tenantId, userId: null, kind: 'system', role: 'admin', divisionIds: null, hiddenFields: [], can: () => true };
}

/** Removes the fields this actor may not see, at any depth. */
export function redact<T>(actor: Actor, value: T): T {
  if (!actor.hiddenFields.length) return value;
  const hidden = new Set(actor.hiddenFields);
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    // Plain objects only: a Date, Buffer or stream passes through untouched.
    if (v && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) if (!hidden.has(k)) out[k] = walk(inner);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
