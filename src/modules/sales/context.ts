import { and, eq, type AnyColumn, type SQL } from 'drizzle-orm';
import { divisionScope, NO_DIVISION } from '../../core/db/scope.js';
import { scopeOf, type Actor, type Action } from '../../core/actor.js';
import type { Database } from '../../core/db/engine.js';
import { ForbiddenError } from '../../core/errors.js';
import type { CustomerService } from '../identity/service.js';
import type { OrgService } from '../org/service.js';
import { toIsoDate } from './fulfilment/calendar.js';
import { noCustomerEconomics, type CustomerEconomicsLookup } from './economics.js';
import { noExperienceSignals, type ExperienceSignalsSource } from './measures/experience.js';
import { DEFAULT_DISCOUNT_AUTHORITY, type DiscountAuthority } from './pricing/authority.js';
import { SetupCache } from './cache.js';

/** The API's first path segment, which the central permission check uses as the resource name. */
export const RESOURCE = 'sales';

/** The other capabilities sales asks, through their services. */
export interface SalesDeps {
  customers: CustomerService;
  org: OrgService;
}

/**
 * Routes a new lead (an opportunity opened without an owner) to a person: service's assignment engine plugs in
 * here, so sales does not reach into service. Answers the owner (null: left in the division's queue) and why.
 */
export type LeadRouter = (tenantId: string, lead: { opportunityId: string; divisionId: string; customerId: string | null }) => Promise<{ userId: string | null; reasons: string[] }>;

export interface SalesOptions {
  economics?: CustomerEconomicsLookup;
  leadRouter?: LeadRouter;
  signals?: ExperienceSignalsSource;
  authority?: Readonly<Record<string, DiscountAuthority>>;
  /** Business days from our dock to the customer. */
  shippingDays?: number;
  /** Our own holidays (YYYY-MM-DD), for assembly and shipping. */
  holidays?: string[];
  /** Days a new quote stays valid when the request does not say. */
  quoteValidDays?: number;
  /** How long set-up data (catalogue, prices, offers) is reused between reads; 0 reads it every time. */
  setupCacheMs?: number;
  now?: () => Date;
}

/** What every sales service shares; `economics`, `signals` and `now` may be swapped after construction. */
export class SalesContext {
  economics: CustomerEconomicsLookup;
  signals: ExperienceSignalsSource;
  leadRouter: LeadRouter | null;
  authority: Readonly<Record<string, DiscountAuthority>>;
  shippingDays: number;
  holidays: string[];
  quoteValidDays: number;
  now: () => Date;
  readonly cache: SetupCache;
  readonly customers: CustomerService;
  readonly org: OrgService;

  constructor(
    readonly db: Database,
    deps: SalesDeps,
    opts: SalesOptions = {},
  ) {
    this.customers = deps.customers;
    this.org = deps.org;
    this.economics = opts.economics ?? noCustomerEconomics;
    this.signals = opts.signals ?? noExperienceSignals;
    this.leadRouter = opts.leadRouter ?? null;
    this.authority = opts.authority ?? DEFAULT_DISCOUNT_AUTHORITY;
    this.shippingDays = opts.shippingDays ?? 2;
    this.holidays = opts.holidays ?? [];
    this.quoteValidDays = opts.quoteValidDays ?? 30;
    this.now = opts.now ?? (() => new Date());
    this.cache = new SetupCache(opts.setupCacheMs ?? 30_000);
  }

  today(): string {
    return toIsoDate(this.now());
  }
}

/** Rows of the actor's divisions only (and, for an 'own' scope, only their own records when an owner column is given). */
export function scopeFilter(actor: Actor, action: Action, divisionColumn: AnyColumn, ownerColumn?: AnyColumn): SQL | undefined {
  const scope = scopeOf(actor, RESOURCE, action);
  if (scope === null) return eq(divisionColumn, NO_DIVISION);
  if ((scope === 'own' || scope === 'team') && ownerColumn) return eq(ownerColumn, actor.userId ?? NO_DIVISION);
  return divisionScope(actor, divisionColumn);
}

export function tenantAnd(tenantColumn: AnyColumn, tenantId: string, ...conds: (SQL | undefined)[]) {
  return and(eq(tenantColumn, tenantId), ...conds);
}

export function requireAction(actor: Actor, action: Action, what: string) {
  if (!actor.can(RESOURCE, action)) throw new ForbiddenError(`role ${actor.role} may not ${what}`);
}

/** Setting up the catalogue, prices, fulfillers and webhooks is an administrator's job. */
export function requireSetup(actor: Actor, what: string) {
  if (!actor.can(RESOURCE, 'admin')) throw new ForbiddenError(`only administrators ${what}`);
}

export function requireDivision(actor: Actor, divisionId: string) {
  if (actor.divisionIds && !actor.divisionIds.includes(divisionId)) throw new ForbiddenError('that division is not one you serve');
}
