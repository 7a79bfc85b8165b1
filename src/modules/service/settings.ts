import { randomBytes } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../../core/db/engine.js';
import type { Actor } from '../../core/actor.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.js';
import { BusinessClock, calendarIssues, type BusinessCalendar } from './sla/clock.js';
import { DEFAULT_CALENDAR, selectPolicy, type PolicyKey, type SlaPolicy } from './sla/policy.js';
import { DEFAULT_ROUTING, type RoutingPolicy } from './assignment/engine.js';
import { checkRules, DEFAULT_RULES, type LifecycleRule } from './lifecycle/stages.js';
import { serviceCalendars, serviceSettings, slaPolicies, type PolicySnapshot } from './schema.js';

export type CalendarRow = typeof serviceCalendars.$inferSelect;
export type PolicyRow = typeof slaPolicies.$inferSelect;

export interface AlarmSettings {
  /** Tiers whose customers must hear from us regularly. */
  neglectTiers: ('top1' | 'top5' | 'top20' | 'rest')[];
  /** Days without a meaningful contact before a high-value customer counts as neglected. */
  neglectDays: number;
  /** An absolute drop in P(alive) between periods that raises an alarm, or P(alive) below the floor. */
  pAliveDrop: number;
  pAliveFloor: number;
  /** A relative fall in spend between periods that raises an alarm (0.3 = 30 % less). */
  spendDrop: number;
}

export const DEFAULT_ALARMS: AlarmSettings = { neglectTiers: ['top1', 'top5', 'top20'], neglectDays: 90, pAliveDrop: 0.2, pAliveFloor: 0.3, spendDrop: 0.3 };

export function requireAdmin(actor: Actor, what: string) {
  if (!actor.can('service-settings', 'admin')) throw new ForbiddenError(`only administrators change ${what}`);
}

/**
 * Service configuration per tenant: calendars, SLA policies, routing, lifecycle rules, alarm thresholds
 * and the survey-link secret. Calendars compile to clocks once and are cached; saving a calendar drops
 * its cached clock.
 */
export class ServiceSettings {
  private readonly clocks = new Map<string, BusinessClock>();
  private defaultClock: BusinessClock | null = null;

  constructor(private readonly db: Database) {}

  async settings(tenantId: string) {
    const [row] = await this.db.orm.select().from(serviceSettings).where(eq(serviceSettings.tenantId, tenantId));
    if (row) return row;
    await this.db.orm.insert(serviceSettings).values({ tenantId, surveySecret: randomBytes(32).toString('base64url') }).onConflictDoNothing();
    const [created] = await this.db.orm.select().from(serviceSettings).where(eq(serviceSettings.tenantId, tenantId));
    return created;
  }

  async routing(tenantId: string): Promise<RoutingPolicy> {
    const s = await this.settings(tenantId);
    return { ...DEFAULT_ROUTING, ...((s.routing as Partial<RoutingPolicy> | null) ?? {}) };
  }

  async lifecycleRules(tenantId: string): Promise<LifecycleRule[]> {
    const s = await this.settings(tenantId);
    return (s.lifecycleRules as LifecycleRule[] | null) ?? DEFAULT_RULES;
  }

  async alarmSettings(tenantId: string): Promise<AlarmSettings> {
    const s = await this.settings(tenantId);
    return { ...DEFAULT_ALARMS, ...((s.alarms as Partial<AlarmSettings> | null) ?? {}) };
  }

  async update(actor: Actor, patch: { routing?: Partial<RoutingPolicy> | null; lifecycleRules?: LifecycleRule[] | null; alarms?: Partial<AlarmSettings> | null; defaultCalendarId?: string | null }) {
    requireAdmin(actor, 'service settings');
    await this.settings(actor.tenantId);
    if (patch.lifecycleRules) checkRules(patch.lifecycleRules);
    if (patch.defaultCalendarId) await this.calendar(actor.tenantId, patch.defaultCalendarId);
    const [row] = await this.db.orm.update(serviceSettings).set({ ...patch, updatedAt: new Date() }).where(eq(serviceSettings.tenantId, actor.tenantId)).returning();
    return row;
  }

  listCalendars(actor: Actor) {
    return this.db.orm.select().from(serviceCalendars).where(eq(serviceCalendars.tenantId, actor.tenantId)).orderBy(asc(serviceCalendars.name));
  }

  async calendar(tenantId: string, id: string): Promise<CalendarRow> {
    const [row] = await this.db.orm.select().from(serviceCalendars).where(and(eq(serviceCalendars.tenantId, tenantId), eq(serviceCalendars.id, id)));
    if (!row) throw new NotFoundError('calendar', id);
    return row;
  }

  async saveCalendar(actor: Actor, input: { name: string } & BusinessCalendar, id?: string): Promise<CalendarRow> {
    requireAdmin(actor, 'calendars');
    const issues = calendarIssues(input).map((i) => ({ ...i, path: `body/${i.path}` }));
    if (issues.length) throw new ValidationError('the calendar is not valid', issues);
    const values = { name: input.name, timeZone: input.timeZone, week: input.week as Record<string, { start: string; end: string }[]>, holidays: input.holidays ?? [] };
    const clash = await this.db.orm.select({ id: serviceCalendars.id }).from(serviceCalendars).where(and(eq(serviceCalendars.tenantId, actor.tenantId), eq(serviceCalendars.name, input.name)));
    if (clash.some((c) => c.id !== id)) throw new ConflictError(`a calendar named ${input.name} exists`, [{ path: 'body/name', message: 'already taken' }]);
    if (id) {
      await this.calendar(actor.tenantId, id);
      const [row] = await this.db.orm.update(serviceCalendars).set({ ...values, updatedAt: new Date() }).where(and(eq(serviceCalendars.tenantId, actor.tenantId), eq(serviceCalendars.id, id))).returning();
      this.clocks.delete(`${actor.tenantId}:${id}`);
      return row;
    }
    const [row] = await this.db.orm.insert(serviceCalendars).values({ tenantId: actor.tenantId, ...values }).returning();
    return row;
  }

  /**
   * The clock for a calendar id; null is the built-in Monday–Friday 09:00–17:00 UTC calendar (cases freeze
   * the tenant's default calendar id into their SLA snapshot when they open, so null there means "none").
   */
  async clock(tenantId: string, calendarId: string | null): Promise<BusinessClock> {
    if (!calendarId) return (this.defaultClock ??= new BusinessClock(DEFAULT_CALENDAR));
    const key = `${tenantId}:${calendarId}`;
    const cached = this.clocks.get(key);
    if (cached) return cached;
    const row = await this.calendar(tenantId, calendarId);
    const clock = new BusinessClock({ timeZone: row.timeZone, week: row.week, holidays: row.holidays });
    this.clocks.set(key, clock);
    return clock;
  }

  listPolicies(actor: Actor) {
    return this.db.orm.select().from(slaPolicies).where(eq(slaPolicies.tenantId, actor.tenantId)).orderBy(asc(slaPolicies.name));
  }

  async savePolicy(actor: Actor, input: Omit<SlaPolicy, 'id'> & { calendarId: string | null }, id?: string): Promise<PolicyRow> {
    requireAdmin(actor, 'SLA policies');
    if (input.firstResponseMinutes > input.resolutionMinutes) {
      throw new ValidationError('the first response cannot be due after the resolution', [{ path: 'body/firstResponseMinutes', message: 'must not exceed resolutionMinutes' }]);
    }
    if (input.calendarId) await this.calendar(actor.tenantId, input.calendarId);
    const clash = await this.db.orm.select({ id: slaPolicies.id }).from(slaPolicies).where(and(eq(slaPolicies.tenantId, actor.tenantId), eq(slaPolicies.name, input.name)));
    if (clash.some((c) => c.id !== id)) throw new ConflictError(`an SLA policy named ${input.name} exists`, [{ path: 'body/name', message: 'already taken' }]);
    if (id) {
      const [row] = await this.db.orm.update(slaPolicies).set({ ...input, updatedAt: new Date() }).where(and(eq(slaPolicies.tenantId, actor.tenantId), eq(slaPolicies.id, id))).returning();
      if (!row) throw new NotFoundError('SLA policy', id);
      return row;
    }
    const [row] = await this.db.orm.insert(slaPolicies).values({ tenantId: actor.tenantId, ...input }).returning();
    return row;
  }

  async deletePolicy(actor: Actor, id: string) {
    requireAdmin(actor, 'SLA policies');
    const rows = await this.db.orm.delete(slaPolicies).where(and(eq(slaPolicies.tenantId, actor.tenantId), eq(slaPolicies.id, id))).returning({ id: slaPolicies.id });
    if (!rows.length) throw new NotFoundError('SLA policy', id);
  }

  /** The policy a new case gets, frozen into a snapshot. */
  async policyFor(tenantId: string, key: PolicyKey): Promise<PolicySnapshot> {
    const rows = await this.db.orm.select().from(slaPolicies).where(eq(slaPolicies.tenantId, tenantId));
    const policies: (SlaPolicy & { calendarId: string | null })[] = rows.map((r) => ({ ...r, kind: r.kind ?? null, priority: r.priority ?? null, tier: r.tier ?? null }));
    const chosen = selectPolicy(policies, key) as SlaPolicy & { calendarId?: string | null };
    return {
      policyId: chosen.id,
      name: chosen.name,
      firstResponseMinutes: chosen.firstResponseMinutes,
      resolutionMinutes: chosen.resolutionMinutes,
      warnAtFraction: chosen.warnAtFraction,
      escalation: chosen.escalation,
      calendarId: chosen.calendarId ?? null,
    };
  }
}
