/** Who is acting: every service call takes one, and every query is scoped by its tenant and divisions. */
export interface Actor {
  tenantId: string;
  userId: string | null;
  kind: 'user' | 'api-key' | 'system';
  role: string;
  /** null = every division; otherwise the only divisions whose records this actor may see. */
  divisionIds: string[] | null;
  hiddenFields: readonly string[];
  can(resource: string, action: 'read' | 'write' | 'delete' | 'admin'): boolean;
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
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) if (!hidden.has(k)) out[k] = walk(inner);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
