import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../../core/db/engine.js';
import { divisionScope } from '../../core/db/scope.js';
import { noteChange, type Actor } from '../../core/actor.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { divisions, sourceSystems, teams } from './schema.js';

export type Division = typeof divisions.$inferSelect;
export type SourceSystem = typeof sourceSystems.$inferSelect;

/** Divisions, their systems of record and their teams. */
export class OrgService {
  constructor(private readonly db: Database) {}


  listDivisions(actor: Actor) {
    return this.db.orm.select().from(divisions)
      .where(and(eq(divisions.tenantId, actor.tenantId), divisionScope(actor, divisions.id)))
      .orderBy(asc(divisions.name));
  }

  async getDivision(actor: Actor, id: string) {
    const [row] = await this.db.orm.select().from(divisions)
      .where(and(eq(divisions.tenantId, actor.tenantId), eq(divisions.id, id), divisionScope(actor, divisions.id)));
    if (!row) throw new NotFoundError('division', id);
    return row;
  }

  async createDivision(actor: Actor, input: { code: string; name: string }) {
    if (!actor.can('divisions', 'admin')) throw new ForbiddenError('only administrators create divisions');
    const clash = await this.db.orm.select({ id: divisions.id }).from(divisions)
      .where(and(eq(divisions.tenantId, actor.tenantId), eq(divisions.code, input.code)));
    if (clash.length) throw new ConflictError(`division code ${input.code} is taken`, [{ path: 'body/code', message: 'already taken' }]);
    const [row] = await this.db.orm.insert(divisions).values({ tenantId: actor.tenantId, ...input }).returning();
    noteChange(actor, { resource: 'divisions', resourceId: row.id, action: 'create', after: row });
    return row;
  }

  async listSourceSystems(actor: Actor) {
    const rows = await this.db.orm.select().from(sourceSystems)
      .where(and(eq(sourceSystems.tenantId, actor.tenantId),
        divisionScope(actor, sourceSystems.divisionId)))
      .orderBy(asc(sourceSystems.code));
    return rows;
  }

  async getSourceSystemByCode(actor: Actor, code: string) {
    const [row] = await this.db.orm.select().from(sourceSystems)
      .where(and(eq(sourceSystems.tenantId, actor.tenantId), eq(sourceSystems.code, code)));
    return row ?? null;
  }

  async createSourceSystem(actor: Actor, input: { divisionId: string; code: string; name: string; uniquePerPerson?: boolean; priority?: number }) {
    if (!actor.can('source-systems', 'admin')) throw new ForbiddenError('only administrators register source systems');
    await this.getDivision(actor, input.divisionId).catch(() => {
      throw new NotFoundError('division', input.divisionId);
    });
    if (await this.getSourceSystemByCode(actor, input.code)) {
      throw new ConflictError(`source system ${input.code} exists`, [{ path: 'body/code', message: 'already taken' }]);
    }
    const [row] = await this.db.orm.insert(sourceSystems).values({ tenantId: actor.tenantId, ...input }).returning();
    noteChange(actor, { resource: 'source-systems', resourceId: row.id, action: 'create', after: row });
    return row;
  }

  /** Finds or creates the division and source system an import names; used by import and the demo. */
  async ensureSource(actor: Actor, source: { code: string; name?: string; divisionCode: string; divisionName?: string; uniquePerPerson?: boolean; priority?: number }) {
    const existing = await this.getSourceSystemByCode(actor, source.code);
    if (existing) return existing;
    let [division] = await this.db.orm.select().from(divisions)
      .where(and(eq(divisions.tenantId, actor.tenantId), eq(divisions.code, source.divisionCode)));
    if (!division) division = await this.createDivision(actor, { code: source.divisionCode, name: source.divisionName ?? source.divisionCode });
    return this.createSourceSystem(actor, {
      divisionId: division.id,
      code: source.code,
      name: source.name ?? source.code,
      uniquePerPerson: source.uniquePerPerson,
      priority: source.priority,
    });
  }

  listTeams(actor: Actor) {
    return this.db.orm.select().from(teams)
      .where(and(eq(teams.tenantId, actor.tenantId), divisionScope(actor, teams.divisionId)))
      .orderBy(asc(teams.name));
  }

  async createTeam(actor: Actor, input: { divisionId: string; name: string }) {
    if (!actor.can('teams', 'admin')) throw new ForbiddenError('only administrators create teams');
    await this.getDivision(actor, input.divisionId);
    const [row] = await this.db.orm.insert(teams).values({ tenantId: actor.tenantId, ...input }).returning();
    noteChange(actor, { resource: 'teams', resourceId: row.id, action: 'create', after: row });
    return row;
  }
}
