import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { systemActor } from '../../core/actor.js';
import type { Database } from '../../core/db/engine.js';
import { jobs, tenants } from '../../core/db/schema.js';
import { customerLinks, goldenCustomers, sourceRecords } from '../identity/schema.js';
import { accounts, products } from '../holdings/schema.js';
import { interactions } from '../interactions/schema.js';
import { teams } from '../org/schema.js';
import type { Services } from '../../api/services.js';
import { ROLES, type RoleName } from './roles.js';

/**
 * A small bank per tenant for the security suites: three divisions, records in each, customers that span
 * divisions, holdings with balances, contacts, jobs, and a user with an API key for every role in every
 * division. Every record knows its divisions, so a test can say exactly who may see it.
 */
export const DIVISIONS = ['MTG', 'CARDS', 'INS'] as const;
export type DivisionCode = (typeof DIVISIONS)[number];

export interface Principal {
  name: string;
  role: RoleName;
  userId: string;
  /** null: every division (the role's scope is 'all'). */
  divisionIds: string[] | null;
  teamId: string | null;
  auth: { authorization: string };
}

export interface OwnedRecord {
  id: string;
  /** Divisions whose staff may see it. */
  divisionIds: string[];
}

export interface Bank {
  tenantId: string;
  division: Record<DivisionCode, string>;
  sourceSystem: Record<DivisionCode, string>;
  team: Record<DivisionCode, string>;
  product: Record<DivisionCode, string>;
  divisions: OwnedRecord[];
  customers: OwnedRecord[];
  sourceRecords: OwnedRecord[];
  accounts: OwnedRecord[];
  interactions: OwnedRecord[];
  /** Jobs, each started by one principal (name). */
  jobs: { id: string; createdBy: string }[];
  principals: Principal[];
  /** Strings that must never reach a role that hides them (national ids, balances). */
  nationalIds: string[];
}

const NO_TEAM = null;

export async function seedBank(app: FastifyInstance & { services: Services }, db: Database, tenantId: string): Promise<Bank> {
  const sys = systemActor(tenantId);
  const { org, access } = app.services;
  await db.orm.insert(tenants).values({ id: tenantId, name: tenantId }).onConflictDoNothing();
  const division = {} as Record<DivisionCode, string>;
  const sourceSystem = {} as Record<DivisionCode, string>;
  for (const code of DIVISIONS) {
    const s = await org.ensureSource(sys, { code: `${code}-SYS`, divisionCode: code, divisionName: code });
    division[code] = s.divisionId;
    sourceSystem[code] = s.id;
  }
  const teamRows = await db.orm.insert(teams).values(DIVISIONS.map((c) => ({ tenantId, divisionId: division[c], name: `${c} team` }))).returning();
  const team = Object.fromEntries(DIVISIONS.map((c, i) => [c, teamRows[i].id])) as Record<DivisionCode, string>;
  const productRows = await db.orm.insert(products)
    .values(DIVISIONS.map((c) => ({ tenantId, divisionId: division[c], code: `${c}-P`, name: `${c} product`, category: c.toLowerCase() })))
    .returning();
  const product = Object.fromEntries(DIVISIONS.map((c, i) => [c, productRows[i].id])) as Record<DivisionCode, string>;

  // Customers: one in MTG and CARDS (Bill Jackson's story), one in CARDS only, one in INS only, one in MTG only.
  const shapes: DivisionCode[][] = [['MTG', 'CARDS'], ['CARDS'], ['INS'], ['MTG']];
  const customers: OwnedRecord[] = [];
  const records: OwnedRecord[] = [];
  const accountRows: OwnedRecord[] = [];
  const contactRows: OwnedRecord[] = [];
  const nationalIds: string[] = [];
  let n = 0;
  for (const [i, shape] of shapes.entries()) {
    const divs = shape.map((c) => division[c]);
    const [customer] = await db.orm.insert(goldenCustomers)
      .values({ tenantId, displayName: `Customer ${tenantId} ${i}`, searchName: `customer ${tenantId} ${i}`, divisionIds: divs, sourceRecordCount: shape.length })
      .returning();
    customers.push({ id: customer.id, divisionIds: divs });
    const provenance: Record<string, unknown> = {};
    for (const code of shape) {
      n += 1;
      const nationalId = `NID-${tenantId}-${n}-${code}`;
      nationalIds.push(nationalId);
      const [record] = await db.orm.insert(sourceRecords).values({
        tenantId,
        sourceSystemId: sourceSystem[code],
        externalId: `${code}-${n}`,
        givenName: 'Pat',
        familyName: `Example${n}`,
        searchName: `pat example${n}`,
        nationalId,
        raw: { note: `record ${n}` },
      }).returning();
      records.push({ id: record.id, divisionIds: [division[code]] });
      provenance[code === 'MTG' ? 'displayName' : 'email'] = { sourceRecordId: record.id, source: `${code}-SYS`, division: division[code], updatedAt: null, rule: 'only value' };
      await db.orm.insert(customerLinks).values({ tenantId, sourceRecordId: record.id, customerId: customer.id, method: 'seed' });
      const [account] = await db.orm.insert(accounts)
        .values({ tenantId, sourceRecordId: record.id, productId: product[code], divisionId: division[code], accountNumber: `${code}-${n}-A`, balance: 1000 + n })
        .returning();
      accountRows.push({ id: account.id, divisionIds: [division[code]] });
      const [contact] = await db.orm.insert(interactions).values({
        tenantId, sourceRecordId: record.id, divisionId: division[code], touchPoint: 'branch', direction: 'inbound', occurredAt: new Date(Date.UTC(2024, 0, n)), subject: `visit ${n}`,
      }).returning();
      contactRows.push({ id: contact.id, divisionIds: [division[code]] });
    }
    await db.orm.update(goldenCustomers).set({ provenance }).where(and(eq(goldenCustomers.tenantId, tenantId), eq(goldenCustomers.id, customer.id)));
  }

  const principals: Principal[] = [];
  const addPrincipal = async (name: string, role: RoleName, divs: DivisionCode[], teamCode: DivisionCode | null) => {
    const user = await access.createUser(tenantId, {
      email: `${name}@${tenantId}.example.org`,
      displayName: name,
      // No password: the suites sign in with API keys, and hashing two dozen passwords would cost seconds.
      role,
      divisionIds: divs.map((c) => division[c]),
      teamId: teamCode ? team[teamCode] : NO_TEAM,
    });
    const key = await access.createApiKey(sys, user.id, `${name} key`);
    principals.push({
      name,
      role,
      userId: user.id,
      divisionIds: ROLES[role].scope === 'all' ? null : divs.map((c) => division[c]),
      teamId: user.teamId,
      auth: { authorization: `Bearer ${key.secret}` },
    });
  };
  await addPrincipal('admin', 'admin', [], null);
  for (const code of DIVISIONS) {
    await addPrincipal(`manager-${code}`, 'manager', [code], code);
    await addPrincipal(`agent-${code}`, 'agent', [code], code);
  }
  await addPrincipal('agent-MTG-CARDS', 'agent', ['MTG', 'CARDS'], null);
  await addPrincipal('agent-nowhere', 'agent', [], null);
  await addPrincipal('analyst', 'analyst', [], null);
  await addPrincipal('integration', 'integration', [], null);

  const jobRows = await db.orm.insert(jobs)
    .values(principals.map((p) => ({ tenantId, kind: 'security-fixture', status: 'succeeded' as const, createdBy: p.userId, result: { owner: p.name } })))
    .returning();
  return {
    tenantId,
    division,
    sourceSystem,
    team,
    product,
    divisions: DIVISIONS.map((c) => ({ id: division[c], divisionIds: [division[c]] })),
    customers,
    sourceRecords: records,
    accounts: accountRows,
    interactions: contactRows,
    jobs: jobRows.map((j, i) => ({ id: j.id, createdBy: principals[i].name })),
    principals,
    nationalIds,
  };
}

/** Whether a principal's divisions reach a record. */
export function sees(p: Pick<Principal, 'divisionIds'>, record: OwnedRecord): boolean {
  return p.divisionIds === null || record.divisionIds.some((d) => p.divisionIds!.includes(d));
}
