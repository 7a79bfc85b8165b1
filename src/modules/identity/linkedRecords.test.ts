import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../api/testing.js';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { customerLinks, sourceRecords } from './schema.js';

let t: Awaited<ReturnType<typeof buildTestApp>>;
let customerId: string;
let agentAuth: { authorization: string };

beforeAll(async () => {
  t = await buildTestApp();
  const actor = systemActor(DEFAULT_TENANT);
  const { org, customers, access } = t.app.services;
  const mortgages = await org.ensureSource(actor, { code: 'MTG-CORE', divisionCode: 'MORTGAGES', divisionName: 'Mortgages' });
  const cards = await org.ensureSource(actor, { code: 'CARDS-CMS', divisionCode: 'CARDS', divisionName: 'Cards' });
  const bill = await customers.createCustomer(actor, { displayName: 'Bill Jackson', givenName: 'Bill', familyName: 'Jackson', divisionIds: [mortgages.divisionId, cards.divisionId] });
  customerId = bill.id;
  const records = await t.db.orm.insert(sourceRecords).values([
    { tenantId: DEFAULT_TENANT, sourceSystemId: mortgages.id, externalId: 'M-1', givenName: 'William', familyName: 'Jackson', searchName: 'william jackson', nationalId: '123-45-6789' },
    { tenantId: DEFAULT_TENANT, sourceSystemId: cards.id, externalId: 'C-9', givenName: 'Bill', familyName: 'Jackson', searchName: 'bill jackson' },
  ]).returning();
  await t.db.orm.insert(customerLinks).values(records.map((r, i) => ({
    tenantId: DEFAULT_TENANT, sourceRecordId: r.id, customerId, method: i === 0 ? 'seed' as const : 'probabilistic' as const, matchProbability: i === 0 ? null : 0.97,
  })));
  const agent = await access.createUser(DEFAULT_TENANT, { email: 'agent@example.org', displayName: 'Agent', password: 'correct horse battery staple', role: 'agent', divisionIds: [mortgages.divisionId] });
  const key = await access.createApiKey(actor, agent.id, 'agent');
  agentAuth = { authorization: `Bearer ${key.secret}` };
});
afterAll(() => t.close());

describe('GET /customers/:id/source-records', () => {
  it('lists every division’s record of the customer with how it was linked', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${customerId}/source-records`, headers: t.auth });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { externalId: string; sourceCode: string; customerId: string; link: { method: string; matchProbability: number | null } }[];
    expect(items.map((r) => r.externalId).sort()).toEqual(['C-9', 'M-1']);
    expect(items.every((r) => r.customerId === customerId)).toBe(true);
    expect(items.find((r) => r.externalId === 'C-9')?.link).toMatchObject({ method: 'probabilistic', matchProbability: 0.97 });
  });

  it('shows division-scoped staff only their divisions’ records, without hidden fields', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${customerId}/source-records`, headers: agentAuth });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Record<string, unknown>[];
    expect(items.map((r) => r.externalId)).toEqual(['M-1']);
    expect(items[0]).not.toHaveProperty('nationalId');
  });

  it('answers 404 for an unknown customer', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/customers/0195a3b2-0000-7000-8000-000000000000/source-records', headers: t.auth });
    expect(res.statusCode).toBe(404);
  });
});
