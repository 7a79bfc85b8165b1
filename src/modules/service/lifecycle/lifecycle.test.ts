import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { buildTestApp } from '../../../api/testing.js';
import { systemActor } from '../../../core/actor.js';
import { DEFAULT_TENANT } from '../../../core/ids.js';
import { goldenCustomers, sourceRecords, customerLinks } from '../../identity/schema.js';
import { accounts } from '../../holdings/schema.js';
import { seedServiceFixture } from '../testing.js';

let t: Awaited<ReturnType<typeof buildTestApp>>;
let f: Awaited<ReturnType<typeof seedServiceFixture>>;
const admin = systemActor(DEFAULT_TENANT);
const svc = () => t.app.services.service;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await buildTestApp();
  f = await seedServiceFixture(t.app.services, { trends: {} });
});
afterAll(() => t.close());

describe('lifecycle sweep', () => {
  it('classifies, then moves customers as products open and close, onboarding ends and win-back dates come', async () => {
    const orm = t.db.orm;
    const [pat] = await orm.insert(goldenCustomers).values({ tenantId: DEFAULT_TENANT, displayName: 'Pat Prospect', searchName: 'pat prospect', divisionIds: [f.divisions.cards] }).returning();
    const src = (await t.app.services.org.listSourceSystems(admin)).find((s) => s.divisionId === f.divisions.cards)!;
    const [rec] = await orm.insert(sourceRecords).values({ tenantId: DEFAULT_TENANT, sourceSystemId: src.id, externalId: 'C-PAT', givenName: 'Pat', searchName: 'pat prospect' }).returning();
    await orm.insert(customerLinks).values({ tenantId: DEFAULT_TENANT, sourceRecordId: rec.id, customerId: pat.id, method: 'seed' });

    const first = await svc().lifecycle.sweep(DEFAULT_TENANT);
    expect(first).toMatchObject({ examined: 3, classified: 3, moved: 0 });
    expect((await svc().lifecycle.current(admin, pat.id)).stage).toBe('recruitment');
    expect((await svc().lifecycle.current(admin, f.customers.bill)).stage).toBe('account_management');
    const samStart = await svc().lifecycle.current(admin, f.customers.sam);
    expect(samStart.stage).toBe('account_management'); // card opened 2024-01-15: onboarding and getting to know are over

    // Pat opens a card: welcoming.
    const today = new Date().toISOString().slice(0, 10);
    const [patCard] = await orm.insert(accounts).values({ tenantId: DEFAULT_TENANT, sourceRecordId: rec.id, productId: f.products.gold, divisionId: f.divisions.cards, accountNumber: 'C-PAT-1', openedOn: today }).returning();
    expect((await svc().lifecycle.sweep(DEFAULT_TENANT)).byEvent).toEqual({ first_product_opened: 1 });
    expect((await svc().lifecycle.current(admin, pat.id)).stage).toBe('welcoming');

    // 91 days later onboarding is over.
    const later = new Date(Date.now() + 91 * DAY);
    expect((await svc().lifecycle.sweep(DEFAULT_TENANT, { now: later })).byEvent).toEqual({ onboarding_elapsed: 1 });
    expect((await svc().lifecycle.current(admin, pat.id)).stage).toBe('getting_to_know');

    // Pat closes everything: dissociation with a win-back date 180 days on, then recruitment again when it comes.
    await orm.update(accounts).set({ status: 'closed', closedOn: today }).where(and(eq(accounts.tenantId, DEFAULT_TENANT), eq(accounts.id, patCard.id)));
    await svc().lifecycle.sweep(DEFAULT_TENANT, { now: later });
    const gone = await svc().lifecycle.current(admin, pat.id);
    expect(gone).toMatchObject({ stage: 'dissociation', previousStage: 'getting_to_know', winBackOn: new Date(later.getTime() + 180 * DAY).toISOString().slice(0, 10) });
    await svc().lifecycle.sweep(DEFAULT_TENANT, { now: new Date(later.getTime() + 181 * DAY) });
    expect((await svc().lifecycle.current(admin, pat.id)).stage).toBe('recruitment');

    const history = await svc().lifecycle.history(admin, pat.id);
    expect(history.map((h) => `${h.fromStage ?? '-'}>${h.toStage}:${h.event ?? h.cause}`)).toEqual([
      '->recruitment:initial',
      'recruitment>welcoming:first_product_opened',
      'welcoming>getting_to_know:onboarding_elapsed',
      'getting_to_know>dissociation:all_products_closed',
      'dissociation>recruitment:win_back_due',
    ]);
  });

  it('moves at-risk customers into intensive care when P(alive) falls below the rule’s threshold', async () => {
    svc().useValueLookup({ tierOf: async (_t, ids) => new Map(ids.map((id) => [id, 'rest'])), trendsOf: async (_t, ids) => new Map(ids.map((id) => [id, { pAlive: id === f.customers.sam ? 0.1 : 0.9 }])) });
    const r = await svc().lifecycle.sweep(DEFAULT_TENANT);
    expect(r.byEvent.p_alive_fell).toBe(1);
    expect(await svc().lifecycle.current(admin, f.customers.sam)).toMatchObject({ stage: 'intensive_care', previousStage: 'account_management' });
  });

  it('measures stages, conversion and recovery', async () => {
    await svc().lifecycle.applyEvent(DEFAULT_TENANT, f.customers.sam, 'complaint_resolved', { note: 'called back, happy again' });
    const m = await svc().lifecycle.measures(admin, { from: new Date(Date.now() - DAY), to: new Date(Date.now() + 400 * DAY) });
    expect(m.stages.find((s) => s.stage === 'account_management')?.customers).toBe(2);
    expect(m.conversion.intensive_care).toEqual({ account_management: 1 });
    expect(m.recoveryRate).toBe(1);
    expect(m.conversion.welcoming).toEqual({ getting_to_know: 1 });
  });
});
