import { systemActor, type Actor } from '../../core/actor.js';
import type { CustomerService } from '../identity/service.js';
import type { HoldingsService } from '../holdings/service.js';
import type { InteractionService } from '../interactions/service.js';
import type { OrgService } from '../org/service.js';
import type { TouchPoint } from '../interactions/schema.js';
import { crossDivisionInsights } from './insights.js';
import type { EconomicsService } from '../economics/service.js';
import type { ServiceModule } from '../service/service.js';
import type { ConsentService } from '../privacy/consents.js';

export interface View360Query {
  touchPoints?: TouchPoint[];
  divisionIds?: string[];
  timelineLimit: number;
  cursor?: string;
}

/**
 * The one-customer view: composed from each capability's service, never from their tables, so that
 * every part applies its own scoping. Later capabilities (economics, cases, sales) add sections here.
 */
export class Customer360Service {
  constructor(
    private readonly customers: CustomerService,
    private readonly holdings: HoldingsService,
    private readonly interactions: InteractionService,
    private readonly org: OrgService,
    private readonly economics?: Pick<EconomicsService, 'ofCustomer'>,
    private readonly service?: Pick<ServiceModule, 'customerSummary'>,
    private readonly consents?: Pick<ConsentService, 'current'>,
  ) {}

  async view(requester: Actor, customerId: string, q: View360Query) {
    // Read-only from here on: each section's own visibility check reuses the one read of the customer.
    const actor = this.customers.readSession(requester);
    const customer = await this.customers.getCustomer(actor, customerId);
    const everyone = systemActor(actor.tenantId);
    const [allRecords, divisions, accounts, allAccounts, timeline, economics, service, consents] = await Promise.all([
      this.customers.recordsOfCustomer(everyone, customerId),
      this.org.listDivisions(everyone),
      this.holdings.listAccounts(actor, { customerId, limit: 500 }),
      actor.divisionIds ? this.holdings.listAccounts(everyone, { customerId, limit: 500 }) : null,
      this.interactions.timeline(actor, { customerId, touchPoints: q.touchPoints, divisionIds: q.divisionIds, limit: q.timelineLimit, cursor: q.cursor }),
      this.economics?.ofCustomer(actor, customerId) ?? null,
      this.service?.customerSummary(actor, customerId) ?? null,
      this.consents?.current(actor, customerId) ?? null,
    ]);
    const divisionName = new Map(divisions.map((d) => [d.id, d.name]));
    const visible = (divisionId: string) => !actor.divisionIds || actor.divisionIds.includes(divisionId);
    // Counted unscoped so the view can say that more exists elsewhere; only the visible part is returned.
    const records = allRecords.filter((r) => visible(r.divisionId));

    const groups = new Map<string, { divisionId: string; divisionName: string; records: typeof records }>();
    for (const r of records) {
      const g = groups.get(r.divisionId) ?? { divisionId: r.divisionId, divisionName: divisionName.get(r.divisionId) ?? 'Unknown', records: [] };
      g.records.push(r);
      groups.set(r.divisionId, g);
    }
    const holdings = accounts.items.map((a) => ({ ...a, divisionName: divisionName.get(a.divisionId) ?? 'Unknown' }));
    const insights = crossDivisionInsights(
      holdings.map((h) => ({ accountId: h.id, divisionId: h.divisionId, divisionName: h.divisionName, productName: h.productName, productCategory: h.productCategory, status: h.status, openedOn: h.openedOn, balance: h.balance })),
      records.map((r) => ({ divisionId: r.divisionId, divisionName: divisionName.get(r.divisionId) ?? 'Unknown', createdAt: r.createdAt })),
    );
    return {
      customer,
      sourceRecordsByDivision: [...groups.values()].map((g) => ({
        ...g,
        records: g.records.map((r) => ({
          id: r.id,
          sourceCode: r.sourceCode,
          externalId: r.externalId,
          givenName: r.givenName,
          familyName: r.familyName,
          fullName: r.fullName,
          dateOfBirth: r.dateOfBirth,
          email: r.email,
          phone: r.phone,
          addressLine1: r.addressLine1,
          locality: r.locality,
          postcode: r.postcode,
          nationalId: r.nationalId,
          link: { method: r.link.method, rule: r.link.rule, matchProbability: r.link.matchProbability, explanation: r.link.explanation ?? null },
        })),
      })),
      holdings,
      timeline,
      insights,
      /** CLV, P(alive), tier, disposition and profit from the latest economics run; null until the customer is scored. */
      economics,
      /** Lifecycle stage with its cause, open cases with their SLA timers, intensive care, relationship manager, alarms. */
      service,
      /** Consent and contact preferences in force, per channel and purpose. */
      consents,
      /** Present when the actor's divisions hide part of the customer: says that more exists, never what. */
      elsewhere: {
        sourceRecords: allRecords.length - records.length,
        holdings: allAccounts ? allAccounts.items.length - accounts.items.length : 0,
      },
    };
  }
}
