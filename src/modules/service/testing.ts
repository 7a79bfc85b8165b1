/**
 * A small bank for the service tests: two divisions (Mortgages, Cards) with teams and staff of every
 * seniority, Bill Jackson (a top-1 % customer known to both divisions, holding a mortgage and a card and
 * being offered a second card) and Sam Small (a standard customer of Cards).
 */
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import type { Services } from '../../api/services.js';
import { customerLinks, goldenCustomers, sourceRecords } from '../identity/schema.js';
import { accounts, products } from '../holdings/schema.js';
import { teams } from '../org/schema.js';
import { fixedValueLookup, type ValueTier, type ValueTrend } from './value.js';

export async function seedServiceFixture(services: Services, opts: { tiers?: Record<string, ValueTier>; trends?: Record<string, ValueTrend> } = {}) {
  const admin = systemActor(DEFAULT_TENANT);
  const orm = services.db.orm;
  const mtg = await services.org.ensureSource(admin, { code: 'mortgage-core', divisionCode: 'MTG', divisionName: 'Mortgages' });
  const crd = await services.org.ensureSource(admin, { code: 'card-platform', divisionCode: 'CARDS', divisionName: 'Cards' });
  const [brokers, cardTeam] = await orm.insert(teams).values([
    { tenantId: DEFAULT_TENANT, divisionId: mtg.divisionId, name: 'Mortgage Brokers' },
    { tenantId: DEFAULT_TENANT, divisionId: crd.divisionId, name: 'Card Services' },
  ]).returning();
  const user = (email: string, displayName: string, role: 'agent' | 'manager', divisionId: string, teamId: string, seniority: number, skills: string[]) =>
    services.access.createUser(DEFAULT_TENANT, { email, displayName, role, divisionIds: [divisionId], teamId, seniority, skills });
  const grace = await user('grace@bank.test', 'Grace Whitfield', 'manager', mtg.divisionId, brokers.id, 5, ['mortgages', 'home_equity', 'lang:es']);
  const daniel = await user('daniel@bank.test', 'Daniel Osei', 'agent', mtg.divisionId, brokers.id, 4, ['mortgages', 'home_equity']);
  const kevin = await user('kevin@bank.test', 'Kevin Marsh', 'agent', mtg.divisionId, brokers.id, 1, ['mortgages']);
  const helen = await user('helen@bank.test', 'Helen Cho', 'manager', crd.divisionId, cardTeam.id, 5, ['cards', 'disputes']);
  const lucy = await user('lucy@bank.test', 'Lucy Alvarez', 'agent', crd.divisionId, cardTeam.id, 1, ['cards']);
  const marcus = await user('marcus@bank.test', 'Marcus Reid', 'agent', crd.divisionId, cardTeam.id, 3, ['cards', 'disputes']);

  const [bill, sam] = await orm.insert(goldenCustomers).values([
    { tenantId: DEFAULT_TENANT, displayName: 'William Jackson', searchName: 'william jackson', givenName: 'William', familyName: 'Jackson', divisionIds: [mtg.divisionId, crd.divisionId], sourceRecordCount: 2 },
    { tenantId: DEFAULT_TENANT, displayName: 'Sam Small', searchName: 'sam small', givenName: 'Sam', familyName: 'Small', divisionIds: [crd.divisionId], sourceRecordCount: 1 },
  ]).returning();
  const [billM, billC, samC] = await orm.insert(sourceRecords).values([
    { tenantId: DEFAULT_TENANT, sourceSystemId: mtg.id, externalId: 'M-1', givenName: 'William', familyName: 'Jackson', searchName: 'william jackson' },
    { tenantId: DEFAULT_TENANT, sourceSystemId: crd.id, externalId: 'C-9', givenName: 'Bill', familyName: 'Jackson', searchName: 'bill jackson' },
    { tenantId: DEFAULT_TENANT, sourceSystemId: crd.id, externalId: 'C-77', givenName: 'Sam', familyName: 'Small', searchName: 'sam small' },
  ]).returning();
  await orm.insert(customerLinks).values([
    { tenantId: DEFAULT_TENANT, sourceRecordId: billM.id, customerId: bill.id, method: 'seed' },
    { tenantId: DEFAULT_TENANT, sourceRecordId: billC.id, customerId: bill.id, method: 'seed' },
    { tenantId: DEFAULT_TENANT, sourceRecordId: samC.id, customerId: sam.id, method: 'seed' },
  ]);
  const [mortgage, platinum, gold] = await orm.insert(products).values([
    { tenantId: DEFAULT_TENANT, divisionId: mtg.divisionId, code: 'MTG-30', name: '30-year mortgage', category: 'mortgage' },
    { tenantId: DEFAULT_TENANT, divisionId: crd.divisionId, code: 'CARD-PLAT', name: 'Platinum Card', category: 'card' },
    { tenantId: DEFAULT_TENANT, divisionId: crd.divisionId, code: 'CARD-GOLD', name: 'Gold Card', category: 'card' },
  ]).returning();
  const [billMortgage, , billGoldOffer] = await orm.insert(accounts).values([
    { tenantId: DEFAULT_TENANT, sourceRecordId: billM.id, productId: mortgage.id, divisionId: mtg.divisionId, accountNumber: 'M-1-1', openedOn: '2010-04-01', balance: -412000 },
    { tenantId: DEFAULT_TENANT, sourceRecordId: billC.id, productId: platinum.id, divisionId: crd.divisionId, accountNumber: 'C-9-1', openedOn: '2015-06-01', balance: 1800 },
    { tenantId: DEFAULT_TENANT, sourceRecordId: billC.id, productId: gold.id, divisionId: crd.divisionId, accountNumber: 'C-9-2', status: 'offered' },
    { tenantId: DEFAULT_TENANT, sourceRecordId: samC.id, productId: gold.id, divisionId: crd.divisionId, accountNumber: 'C-77-1', openedOn: '2024-01-15', balance: 120 },
  ]).returning();

  const tiers = new Map<string, ValueTier>(Object.entries({ [bill.id]: 'top1', [sam.id]: 'rest', ...(opts.tiers ?? {}) }));
  services.service.useValueLookup(fixedValueLookup(tiers, new Map(Object.entries(opts.trends ?? {}))));
  return {
    divisions: { mortgages: mtg.divisionId, cards: crd.divisionId },
    teams: { brokers: brokers.id, cards: cardTeam.id },
    staff: { grace, daniel, kevin, helen, lucy, marcus },
    customers: { bill: bill.id, sam: sam.id },
    records: { billM: billM.id, billC: billC.id, samC: samC.id },
    products: { mortgage: mortgage.id, platinum: platinum.id, gold: gold.id },
    accounts: { billMortgage: billMortgage.id, billGoldOffer: billGoldOffer.id },
  };
}
