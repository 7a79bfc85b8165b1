import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../api/testing.js';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { actorFor } from '../access/service.js';
import { customerLinks, goldenCustomers, sourceRecords } from '../identity/schema.js';
import { accounts, products } from '../holdings/schema.js';
import { interactions } from '../interactions/schema.js';

let t: Awaited<ReturnType<typeof buildTestApp>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await buildTestApp();
  const admin = systemActor(DEFAULT_TENANT);
  const { org } = t.app.services;
  const mortgages = await org.ensureSource(admin, { code: 'mortgage-core', divisionCode: 'MTG', divisionName: 'Mortgages' });
  const cards = await org.ensureSource(admin, { code: 'card-platform', divisionCode: 'CARDS', divisionName: 'Cards' });
  ids.mtgDiv = mortgages.divisionId;
  ids.cardDiv = cards.divisionId;
  const orm = t.db.orm;
  const [bill] = await orm.insert(goldenCustomers).values({ tenantId: DEFAULT_TENANT, displayName: 'William Jackson', searchName: 'william jackson', divisionIds: [ids.mtgDiv, ids.cardDiv], sourceRecordCount: 2 }).returning();
  ids.bill = bill.id;
  const [r1, r2] = await orm.insert(sourceRecords).values([
    { tenantId: DEFAULT_TENANT, sourceSystemId: mortgages.id, externalId: 'M-1', givenName: 'William', familyName: 'Jackson', searchName: 'william jackson', nationalId: '123-45-6789' },
    { tenantId: DEFAULT_TENANT, sourceSystemId: cards.id, externalId: 'C-9', givenName: 'Bill', familyName: 'Jackson', searchName: 'bill jackson' },
  ]).returning();
  await orm.insert(customerLinks).values([
    { tenantId: DEFAULT_TENANT, sourceRecordId: r1.id, customerId: bill.id, method: 'seed' },
    { tenantId: DEFAULT_TENANT, sourceRecordId: r2.id, customerId: bill.id, method: 'probabilistic', matchProbability: 0.97, explanation: { given_name: 2.1 } },
  ]);
  const [mortgage, platinum, gold] = await orm.insert(products).values([
    { tenantId: DEFAULT_TENANT, divisionId: ids.mtgDiv, code: 'MTG-30', name: '30-year mortgage', category: 'mortgage' },
    { tenantId: DEFAULT_TENANT, divisionId: ids.cardDiv, code: 'CARD-PLAT', name: 'Platinum Card', category: 'card' },
    { tenantId: DEFAULT_TENANT, divisionId: ids.cardDiv, code: 'CARD-GOLD', name: 'Gold Card', category: 'card' },
  ]).returning();
  await orm.insert(accounts).values([
    { tenantId: DEFAULT_TENANT, sourceRecordId: r1.id, productId: mortgage.id, divisionId: ids.mtgDiv, accountNumber: 'M-1-1', balance: -412000 },
    { tenantId: DEFAULT_TENANT, sourceRecordId: r2.id, productId: platinum.id, divisionId: ids.cardDiv, accountNumber: 'C-9-1', balance: 1800 },
    { tenantId: DEFAULT_TENANT, sourceRecordId: r2.id, productId: gold.id, divisionId: ids.cardDiv, accountNumber: 'C-9-2', status: 'offered' },
  ]);
  await orm.insert(interactions).values([
    { tenantId: DEFAULT_TENANT, sourceRecordId: r1.id, divisionId: ids.mtgDiv, touchPoint: 'call_centre', direction: 'inbound', occurredAt: new Date('2026-11-20T10:00:00Z'), subject: 'Home-equity loan enquiry' },
    { tenantId: DEFAULT_TENANT, sourceRecordId: r2.id, divisionId: ids.cardDiv, touchPoint: 'mail', direction: 'outbound', occurredAt: new Date('2026-11-01T10:00:00Z'), subject: 'Pre-approved Gold Card offer' },
  ]);
});
afterAll(() => t.close());

describe('customer 360', () => {
  it('shows every division’s records, holdings, one timeline and the offer conflict', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${ids.bill}/360`, headers: t.auth });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.sourceRecordsByDivision.map((g: { divisionName: string }) => g.divisionName).sort()).toEqual(['Cards', 'Mortgages']);
    expect(body.holdings).toHaveLength(3);
    expect(body.timeline.items.map((i: { subject: string }) => i.subject)).toEqual(['Home-equity loan enquiry', 'Pre-approved Gold Card offer']);
    const conflict = body.insights.find((i: { kind: string }) => i.kind === 'offer-conflict');
    expect(conflict.message).toContain('Gold Card');
    expect(body.elsewhere).toEqual({ sourceRecords: 0, holdings: 0 });
  });

  it('filters the timeline by touch point', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${ids.bill}/360?touchPoint=mail`, headers: t.auth });
    expect(res.json().timeline.items.map((i: { touchPoint: string }) => i.touchPoint)).toEqual(['mail']);
  });

  it('shows a card agent only the Cards part, says more exists elsewhere, and hides national ids', async () => {
    const agent = await t.app.services.access.createUser(DEFAULT_TENANT, { email: 'agent@cards.example', displayName: 'Card agent', role: 'agent', divisionIds: [ids.cardDiv] });
    const view = await t.app.services.customer360.view(actorFor(agent), ids.bill, { timelineLimit: 20 });
    expect(view.sourceRecordsByDivision.map((g) => g.divisionName)).toEqual(['Cards']);
    expect(view.holdings.every((h) => h.divisionId === ids.cardDiv)).toBe(true);
    expect(view.timeline.items.every((i) => i.divisionId === ids.cardDiv)).toBe(true);
    expect(view.elsewhere).toEqual({ sourceRecords: 1, holdings: 1 });

    const key = await t.app.services.access.createApiKey(actorFor(agent), agent.id, 'agent key');
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${ids.bill}/360`, headers: { authorization: `Bearer ${key.secret}` } });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('123-45-6789');
    expect(res.body).not.toContain('nationalId');
  });

  it('answers 404 for a customer in no division the user serves', async () => {
    const otherDiv = await t.app.services.org.createDivision(systemActor(DEFAULT_TENANT), { code: 'WLT', name: 'Wealth' });
    const agent = await t.app.services.access.createUser(DEFAULT_TENANT, { email: 'agent@wealth.example', displayName: 'Wealth agent', role: 'agent', divisionIds: [otherDiv.id] });
    await expect(t.app.services.customer360.view(actorFor(agent), ids.bill, { timelineLimit: 5 })).rejects.toThrow(/not found/);
  });
});
