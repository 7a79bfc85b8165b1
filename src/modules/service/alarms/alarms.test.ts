import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../api/testing.js';
import { systemActor } from '../../../core/actor.js';
import { DEFAULT_TENANT } from '../../../core/ids.js';
import { actorFor } from '../../access/service.js';
import { interactions } from '../../interactions/schema.js';
import { seedServiceFixture } from '../testing.js';
import { customerAlarms } from './rules.js';
import { DEFAULT_ALARMS } from '../settings.js';

let t: Awaited<ReturnType<typeof buildTestApp>>;
let f: Awaited<ReturnType<typeof seedServiceFixture>>;
const admin = systemActor(DEFAULT_TENANT);
const svc = () => t.app.services.service;

beforeAll(async () => {
  t = await buildTestApp();
  f = await seedServiceFixture(t.app.services);
});
afterAll(() => t.close());

describe('neglect alarm rules', () => {
  const now = new Date('2025-06-01T00:00:00Z');
  it('flags valuable customers left alone too long, and only them', () => {
    const base = { customerId: 'c', lastContactWhat: 'branch', trend: undefined };
    expect(customerAlarms({ ...base, tier: 'top1', lastContactAt: new Date('2025-01-01T00:00:00Z') }, DEFAULT_ALARMS, now)[0]).toMatchObject({ kind: 'neglected', severity: 'critical', reason: 'top 1 % by value customer with no meaningful contact since 2025-01-01 (branch); the limit is 90 days' });
    expect(customerAlarms({ ...base, tier: 'top1', lastContactAt: new Date('2025-05-01T00:00:00Z') }, DEFAULT_ALARMS, now)).toEqual([]);
    expect(customerAlarms({ ...base, tier: 'rest', lastContactAt: null }, DEFAULT_ALARMS, now)).toEqual([]);
  });
  it('flags falling P(alive) and spend', () => {
    const a = customerAlarms({ customerId: 'c', tier: 'top20', lastContactAt: now, lastContactWhat: 'web', trend: { pAlive: 0.35, pAlivePrevious: 0.8, spend: 400, spendPrevious: 1000 } }, DEFAULT_ALARMS, now);
    expect(a.map((x) => x.kind)).toEqual(['p_alive_falling', 'spend_falling']);
    expect(a[0].reason).toBe('the chance this top 20 % by value customer is still active fell from 80 % to 35 %');
    expect(a[1].reason).toBe('spend fell 60 % on the previous period (1000 → 400)');
    expect(customerAlarms({ customerId: 'c', tier: 'rest', lastContactAt: now, lastContactWhat: 'web', trend: { pAlive: 0.7, pAlivePrevious: 0.75, spend: 950, spendPrevious: 1000 } }, DEFAULT_ALARMS, now)).toEqual([]);
  });
});

describe('neglect alarm job', () => {
  it('raises neglect, offer-conflict, overdue-complaint and trend alarms; resolves them when the cause goes; keeps scope', async () => {
    svc().useValueLookup({
      tierOf: async (_t, ids) => new Map(ids.map((id) => [id, id === f.customers.bill ? 'top1' : 'rest'])),
      trendsOf: async (_t, ids) => new Map(ids.filter((id) => id === f.customers.sam).map((id) => [id, { pAlive: 0.2, pAlivePrevious: 0.7 }])),
    });
    const complaint = await svc().cases.open(admin, { customerId: f.customers.sam, kind: 'complaint', subject: 'Card blocked for a week', divisionId: f.divisions.cards, touchPoint: 'call_centre' });
    await svc().sla.run(DEFAULT_TENANT, { now: new Date(Date.now() + 40 * 86_400_000) });

    const first = await svc().alarms.run(DEFAULT_TENANT);
    expect(first.raised).toMatchObject({ neglected: 1, offer_conflict: 1, complaint_overdue: 1, p_alive_falling: 1 });
    expect(first.newAlarms).toBe(4);
    const billAlarms = (await svc().alarms.list(admin, { customerId: f.customers.bill, limit: 10 })).items;
    expect(billAlarms.find((a) => a.kind === 'neglected')?.reason).toBe('top 1 % by value customer with no meaningful contact on record');
    const overdue = (await svc().alarms.list(admin, { kind: 'complaint_overdue', limit: 10 })).items[0];
    expect(overdue).toMatchObject({ customerId: f.customers.sam, caseId: complaint.id, severity: 'critical' });

    // Bill calls in: he is no longer neglected. A mailing would not have counted.
    await t.db.orm.insert(interactions).values([
      { tenantId: DEFAULT_TENANT, sourceRecordId: f.records.billC, divisionId: f.divisions.cards, touchPoint: 'mail', direction: 'outbound', occurredAt: new Date(), subject: 'Gold Card offer' },
    ]);
    const unchanged = await svc().alarms.run(DEFAULT_TENANT);
    expect(unchanged).toMatchObject({ newAlarms: 0, resolved: 0 });
    expect(unchanged.raised.neglected).toBe(1);
    await t.db.orm.insert(interactions).values([
      { tenantId: DEFAULT_TENANT, sourceRecordId: f.records.billM, divisionId: f.divisions.mortgages, touchPoint: 'call_centre', direction: 'inbound', occurredAt: new Date(), subject: 'Home-equity loan enquiry' },
    ]);
    const second = await svc().alarms.run(DEFAULT_TENANT);
    expect(second).toMatchObject({ newAlarms: 0, resolved: 1 });
    expect(second.raised.neglected).toBe(0);
    const all = (await svc().alarms.list(admin, { customerId: f.customers.bill, includeResolved: true, limit: 10 })).items;
    expect(all.find((a) => a.kind === 'neglected')?.resolvedAt).toBeInstanceOf(Date);

    // A Mortgages agent sees Bill's alarms (Bill is known to Mortgages) but not Sam's.
    const mortgageAgent = actorFor(f.staff.kevin);
    const seen = (await svc().alarms.list(mortgageAgent, { limit: 50 })).items;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((a) => a.customerId === f.customers.bill)).toBe(true);
  });
});
