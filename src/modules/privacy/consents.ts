import { and, desc, eq, inArray } from 'drizzle-orm';
import { noteChange, type Actor } from '../../core/actor.js';
import type { Database } from '../../core/db/engine.js';
import { ForbiddenError, UnprocessableError } from '../../core/errors.js';
import type { CustomerService } from '../identity/service.js';
import { CONTACT_CHANNELS, CONTACT_PURPOSES, customerConsents, type ContactChannel, type ContactPurpose } from './schema.js';

/**
 * What holds until the customer says otherwise: contact for service and surveys rests on the relationship (the
 * customer may object at any time), marketing needs the customer's yes.
 */
export const DEFAULT_CONSENT: Record<ContactPurpose, boolean> = { service: true, surveys: true, marketing: false };

export interface ConsentState {
  channel: ContactChannel;
  purpose: ContactPurpose;
  granted: boolean;
  /** 'default' when the customer has said nothing about this channel and purpose. */
  source: string;
  recordedAt: Date | null;
}

/** What other capabilities ask (surveys before sending, alarms before suggesting a call). */
export interface ConsentLookup {
  /** The channels each customer may be contacted on for a purpose. */
  allowedChannels(tenantId: string, customerIds: readonly string[], purpose: ContactPurpose): Promise<Map<string, ContactChannel[]>>;
}

/** A contact the customer said no to (a 422 over HTTP; automatic sends skip it). */
export class ConsentRefusedError extends UnprocessableError {}

export class ConsentService implements ConsentLookup {
  constructor(
    private readonly db: Database,
    private readonly customers: CustomerService,
  ) {}

  /** The latest statement per customer, channel and purpose. */
  private async latest(tenantId: string, customerIds: readonly string[]) {
    if (!customerIds.length) return [];
    return this.db.orm
      .selectDistinctOn([customerConsents.customerId, customerConsents.channel, customerConsents.purpose])
      .from(customerConsents)
      .where(and(eq(customerConsents.tenantId, tenantId), inArray(customerConsents.customerId, [...customerIds])))
      .orderBy(customerConsents.customerId, customerConsents.channel, customerConsents.purpose, desc(customerConsents.recordedAt), desc(customerConsents.id));
  }

  /** Every channel and purpose for one customer: what is in force and where it came from. */
  async current(actor: Actor, customerId: string): Promise<ConsentState[]> {
    await this.customers.getCustomer(actor, customerId);
    const said = new Map((await this.latest(actor.tenantId, [customerId])).map((r) => [`${r.channel}|${r.purpose}`, r]));
    return CONTACT_CHANNELS.flatMap((channel) =>
      CONTACT_PURPOSES.map((purpose) => {
        const r = said.get(`${channel}|${purpose}`);
        return r ? { channel, purpose, granted: r.granted, source: r.source, recordedAt: r.recordedAt } : { channel, purpose, granted: DEFAULT_CONSENT[purpose], source: 'default', recordedAt: null };
      }),
    );
  }

  async history(actor: Actor, customerId: string) {
    await this.customers.getCustomer(actor, customerId);
    return this.db.orm
      .select()
      .from(customerConsents)
      .where(and(eq(customerConsents.tenantId, actor.tenantId), eq(customerConsents.customerId, customerId)))
      .orderBy(desc(customerConsents.recordedAt), desc(customerConsents.id));
  }

  /** Records what the customer said, for one or several channels and purposes at once; history is kept. */
  async record(actor: Actor, customerId: string, statements: { channel: ContactChannel; purpose: ContactPurpose; granted: boolean; source: string; note?: string }[]) {
    if (!actor.can('customers', 'write')) throw new ForbiddenError('you may not change customers');
    await this.customers.getCustomer(actor, customerId);
    const now = new Date();
    await this.db.orm.insert(customerConsents).values(
      statements.map((s) => ({ tenantId: actor.tenantId, customerId, channel: s.channel, purpose: s.purpose, granted: s.granted, source: s.source, note: s.note ?? null, recordedAt: now, recordedBy: actor.userId })),
    );
    noteChange(actor, { resource: 'customers', resourceId: customerId, action: 'update', after: { consents: statements } });
    return this.current(actor, customerId);
  }

  async allowedChannels(tenantId: string, customerIds: readonly string[], purpose: ContactPurpose): Promise<Map<string, ContactChannel[]>> {
    const said = new Map<string, boolean>();
    for (let i = 0; i < customerIds.length; i += 5000) {
      for (const r of await this.latest(tenantId, customerIds.slice(i, i + 5000))) if (r.purpose === purpose) said.set(`${r.customerId}|${r.channel}`, r.granted);
    }
    return new Map(customerIds.map((id) => [id, CONTACT_CHANNELS.filter((c) => said.get(`${id}|${c}`) ?? DEFAULT_CONSENT[purpose])]));
  }
}

/** For tests and callers without the privacy capability: everyone may be contacted as the defaults say. */
export const defaultConsents: ConsentLookup = {
  async allowedChannels(_tenantId, customerIds, purpose) {
    return new Map(customerIds.map((id) => [id, DEFAULT_CONSENT[purpose] ? [...CONTACT_CHANNELS] : []]));
  },
};
