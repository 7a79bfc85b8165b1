/**
 * The demo bank as COPY-ready CSV, in batches: pure apart from hashing, so it runs the same in the loader's
 * thread or in a worker (csvWorker.ts) while the database ingests the previous batch.
 */
import { sha256, stableStringify } from '../identity/import/hashing.js';
import { normalisePerson } from '../identity/normalise.js';
import { DIVISIONS, type DivisionCode } from './divisions.js';
import { generateBank, type DemoHousehold, type DemoOptions } from './generator.js';

export const BULK_TABLES = ['source_records', 'demo_truth', 'accounts', 'interactions'] as const;
export type BulkTable = (typeof BULK_TABLES)[number];

export const COLUMNS: Record<BulkTable, string[]> = {
  source_records: [
    'tenant_id', 'id', 'source_system_id', 'external_id', 'given_name', 'family_name', 'full_name', 'search_name', 'date_of_birth',
    'email', 'phone', 'street_number', 'address_line1', 'address_line2', 'locality', 'postcode', 'region', 'country', 'national_id',
    'raw', 'content_hash', 'source_updated_at',
  ],
  demo_truth: ['tenant_id', 'source_record_id', 'person_key', 'household_key', 'quirks'],
  accounts: ['tenant_id', 'id', 'source_record_id', 'product_id', 'division_id', 'account_number', 'status', 'opened_on', 'closed_on', 'balance'],
  interactions: [
    'tenant_id', 'id', 'source_record_id', 'division_id', 'touch_point', 'direction', 'occurred_at', 'subject', 'outcome', 'sentiment', 'cost',
    'staff_user_id',
  ],
};

/** One CSV field for COPY: unquoted empty is NULL, so empty strings must be quoted. */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  if (v === '' || /[",\n\r\\]/.test(v)) return `"${v.replace(/"/g, '""')}"`;
  return v;
}

const csvLine = (fields: (string | number | null | undefined)[]) => `${fields.map(csvField).join(',')}\n`;

/** Ids of everything the bulk rows point at, keyed by the codes the generator uses. */
export interface DemoOrg {
  divisionId: Record<DivisionCode, string>;
  sourceSystemId: Record<DivisionCode, string>;
  productId: Record<string, string>;
  userId: Record<string, string>;
}

const DATE_FORMATS = Object.fromEntries(DIVISIONS.map((d) => [d.code, d.dateFormats])) as Record<DivisionCode, string[]>;

/** Turns one generated household into CSV lines per table. */
export function householdCsv(tenantId: string, org: DemoOrg, h: DemoHousehold, out: Record<BulkTable, string[]>) {
  for (const r of h.records) {
    const { person } = normalisePerson(r.canonical, { dateFormats: DATE_FORMATS[r.division], defaultCountry: 'US' });
    const contentHash = sha256(stableStringify({ person, raw: r.raw }));
    out.source_records.push(csvLine([
      tenantId, r.id, org.sourceSystemId[r.division], person.externalId, person.givenName, person.familyName, person.fullName, person.searchName,
      person.dateOfBirth, person.email, person.phone, person.streetNumber, person.addressLine1, person.addressLine2, person.locality,
      person.postcode, person.region, person.country, person.nationalId, JSON.stringify(r.raw), contentHash, r.sourceUpdatedAt,
    ]));
    out.demo_truth.push(csvLine([tenantId, r.id, r.personKey, r.householdKey, `{${r.quirks.join(',')}}`]));
  }
  for (const a of h.accounts) {
    out.accounts.push(csvLine([
      tenantId, a.id, a.sourceRecordId, org.productId[a.productCode], org.divisionId[a.division], a.accountNumber, a.status, a.openedOn,
      a.closedOn, a.balance,
    ]));
  }
  for (const i of h.interactions) {
    out.interactions.push(csvLine([
      tenantId, i.id, i.sourceRecordId, org.divisionId[i.division], i.touchPoint, i.direction, i.occurredAt, i.subject, i.outcome,
      i.sentiment, i.cost, i.staffEmail ? org.userId[i.staffEmail] : null,
    ]));
  }
}

export interface CsvBatch {
  /** CSV text per table; parents (source_records) must be copied before the tables that refer to them. */
  csv: Record<BulkTable, string>;
  rows: Record<BulkTable, number>;
  /** People generated so far, this batch included. */
  people: number;
}

/** Cuts the generated bank into batches of about `batchRows` rows over all tables. */
export function* csvBatches(tenantId: string, org: DemoOrg, options: DemoOptions, batchRows: number): Generator<CsvBatch> {
  let pending = emptyLines();
  let rows = 0;
  let people = 0;
  const cut = (): CsvBatch => {
    const batch = {
      csv: Object.fromEntries(BULK_TABLES.map((t) => [t, pending[t].join('')])) as Record<BulkTable, string>,
      rows: Object.fromEntries(BULK_TABLES.map((t) => [t, pending[t].length])) as Record<BulkTable, number>,
      people,
    };
    pending = emptyLines();
    rows = 0;
    return batch;
  };
  for (const household of generateBank(options)) {
    householdCsv(tenantId, org, household, pending);
    people += household.people.length;
    rows += household.records.length * 2 + household.accounts.length + household.interactions.length;
    if (rows >= batchRows) yield cut();
  }
  if (rows > 0) yield cut();
}

const emptyLines = (): Record<BulkTable, string[]> => ({ source_records: [], demo_truth: [], accounts: [], interactions: [] });
