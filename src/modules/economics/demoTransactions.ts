/**
 * Revenue transactions for the demo bank, generated from what the demo loaded (accounts with products,
 * balances and opening and closing dates) over the three years up to the demo's "today": monthly interest
 * margin on mortgages, loans and deposits, monthly checking fees, card interchange on each statement and
 * interest from revolvers, the Platinum card's annual fee, quarterly advisory fees, brokerage commissions and
 * monthly insurance premiums. Amounts follow balances, so value is as concentrated as the demo's wealth.
 * Deterministic: the same accounts give the same transactions, ids included.
 */
import { systemActor } from '../../core/actor.js';
import type { Database } from '../../core/db/engine.js';
import { demoUuid, mix32, Random } from '../demo/random.js';
import type { TransactionKind } from './schema.js';
import type { EconomicsService } from './service.js';
import type { EconomicsSettingsInput } from './settings.js';

export interface DemoAccount {
  id: string;
  sourceRecordId: string;
  sourceSystemId: string;
  accountNumber: string;
  productCode: string;
  status: 'open' | 'closed' | 'offered';
  openedOn: string | null;
  closedOn: string | null;
  balance: number | null;
}

export interface DemoTransaction {
  externalId: string;
  sourceRecordId: string;
  sourceSystemId: string;
  day: string;
  amount: number;
  kind: TransactionKind;
  product: string;
}

/** Annual rates the bank earns on a balance (net interest margin, or the advisory fee on assets). */
const MARGIN_RATE: Record<string, number> = {
  MTG_FIXED30: 0.016,
  MTG_ARM51: 0.018,
  MTG_HELOC: 0.03,
  LOAN_PERSONAL: 0.05,
  DDA_SAVINGS: 0.015,
  DDA_CD12: 0.01,
  DDA_CHECKING: 0.02,
  WM_MANAGED: 0.01,
  WM_IRA: 0.005,
};

/** A closed account's balance was zeroed on closing: while it was open, a typical one for the product is assumed. */
const TYPICAL_BALANCE: Record<string, number> = {
  MTG_FIXED30: 220_000, MTG_ARM51: 240_000, MTG_HELOC: 40_000, LOAN_PERSONAL: 11_000, DDA_SAVINGS: 9_000, DDA_CD12: 20_000, DDA_CHECKING: 2_500,
  WM_MANAGED: 150_000, WM_IRA: 90_000, WM_BROKERAGE: 40_000, CARD_CLASSIC: 900, CARD_CASHBACK: 1_200, CARD_PLATINUM: 2_500, INS_HOME: 1_400, INS_AUTO: 1_100, INS_LIFE: 500,
};

/** Margins the demo tenant's settings give purchases: interchange net of rewards, premiums net of claims. */
export const DEMO_ECONOMICS_SETTINGS: EconomicsSettingsInput = {
  period: 'week',
  productMargins: { CARD_CLASSIC: 0.8, CARD_CASHBACK: 0.6, CARD_PLATINUM: 0.55, INS_HOME: 0.25, INS_AUTO: 0.2, INS_LIFE: 0.35 },
  caseCost: 35,
};

const MS_PER_DAY = 86_400_000;
const dayOf = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY);
const isoOf = (day: number) => new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
const money = (v: number) => Math.round(v * 100) / 100;

function hashText(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Posting days of each month from `from` to `to` (inclusive): the given day of month, or the month's last day. */
function monthlyDays(from: number, to: number, dayOfMonth: number | 'last'): { day: number; month: number }[] {
  const out: { day: number; month: number }[] = [];
  const start = new Date(from * MS_PER_DAY);
  for (let y = start.getUTCFullYear(), m = start.getUTCMonth(); ; m++) {
    const d = dayOfMonth === 'last' ? Date.UTC(y, m + 1, 0) / MS_PER_DAY : Date.UTC(y, m, dayOfMonth) / MS_PER_DAY;
    if (d > to) break;
    if (d >= from) out.push({ day: d, month: new Date(d * MS_PER_DAY).getUTCMonth() + 1 });
  }
  return out;
}

/** One account's transactions in [windowStart, asOf]. */
export function transactionsForAccount(a: DemoAccount, windowStart: string, asOf: string): DemoTransaction[] {
  if (a.status === 'offered' || !a.openedOn) return [];
  const from = Math.max(dayOf(a.openedOn), dayOf(windowStart));
  const to = Math.min(a.closedOn ? dayOf(a.closedOn) : Infinity, dayOf(asOf));
  if (from > to) return [];
  const rnd = new Random(mix32(hashText(a.id), 0xec0));
  const balance = a.balance && a.balance > 0 ? a.balance : (TYPICAL_BALANCE[a.productCode] ?? 1_000) * rnd.logNormal(1, 0.5);
  const out: DemoTransaction[] = [];
  const noise = () => Math.max(0.2, 1 + 0.06 * rnd.normal());
  const add = (day: number, kind: TransactionKind, amount: number, tag: string) => {
    const value = money(amount);
    if (value <= 0) return;
    out.push({ externalId: `${a.accountNumber}:${isoOf(day)}:${tag}`, sourceRecordId: a.sourceRecordId, sourceSystemId: a.sourceSystemId, day: isoOf(day), amount: value, kind, product: a.productCode });
  };
  const code = a.productCode;
  const anniversaryMonth = new Date(dayOf(a.openedOn) * MS_PER_DAY).getUTCMonth() + 1;
  if (code.startsWith('CARD_')) {
    // Interchange on each monthly statement; quiet cards are used in few months, revolvers pay interest.
    const statementDay = 1 + (hashText(a.accountNumber) % 28);
    const usage = rnd.next() < 0.15 ? 0.15 : 0.6 + 0.4 * rnd.next();
    const revolver = rnd.next() < 0.4;
    const monthlySpend = (balance + 400) * (0.6 + rnd.next());
    for (const { day, month } of monthlyDays(from, to, statementDay)) {
      if (rnd.next() < usage) add(day, 'purchase', monthlySpend * 0.016 * noise(), 'interchange');
      if (revolver) add(day, 'interest_margin', ((balance * 0.14) / 12) * noise(), 'interest');
      if (code === 'CARD_PLATINUM' && month === anniversaryMonth) add(day, 'fee', 95, 'annual-fee');
    }
  } else if (code.startsWith('WM_')) {
    for (const { day, month } of monthlyDays(from, to, 'last')) {
      if (code === 'WM_BROKERAGE') {
        const trades = rnd.next() < 0.4 ? rnd.poisson(1.5 + balance / 50_000) : 0;
        if (trades > 0) add(day, 'fee', 9.95 * trades, 'commission');
      } else if (month % 3 === 0) add(day, 'fee', ((balance * MARGIN_RATE[code]) / 4) * noise(), 'advisory-fee');
    }
  } else if (code.startsWith('INS_')) {
    const premiumDay = 1 + (hashText(a.id) % 28);
    for (const { day } of monthlyDays(from, to, premiumDay)) add(day, 'purchase', balance / 12, 'premium');
  } else {
    // Deposits and loans: interest margin at each month end; low-balance checking also pays its maintenance fee.
    const rate = MARGIN_RATE[code] ?? 0.01;
    for (const { day } of monthlyDays(from, to, 'last')) {
      add(day, 'interest_margin', ((balance * rate) / 12) * noise(), 'interest');
      if (code === 'DDA_CHECKING' && balance < 1_500) add(day, 'fee', 12, 'maintenance-fee');
    }
  }
  return out;
}

const COLUMNS = ['tenant_id', 'id', 'source_system_id', 'source_record_id', 'external_id', 'occurred_at', 'amount', 'kind', 'product'];
const PAGE = 5_000;
const FLUSH_ROWS = 50_000;

export interface DemoTransactionsSummary {
  asOf: string;
  accounts: number;
  transactions: number;
  skipped: boolean;
  seconds: number;
  /** Generating and COPYing, rebuilding the indexes, checking the keys (seconds). */
  timings?: { copy: number; indexes: number; keys: number };
}

/**
 * The demo's "today" (the loader's --as-of): contacts run up to the day before it, so it is the day after the last
 * contact, or today when that is within a week (a small demo may have no contact on its last days). Never after today.
 */
export async function demoAsOf(db: Database, tenantId: string): Promise<string> {
  const [row] = await db.query<{ d: string | null }>(
    `SELECT to_char(max(occurred_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS d FROM interactions WHERE tenant_id = $1`,
    [tenantId],
  );
  const today = new Date().toISOString().slice(0, 10);
  if (!row?.d) return today;
  const next = isoOf(dayOf(row.d) + 1);
  return next >= today || dayOf(today) - dayOf(next) <= 7 ? today : next;
}

/**
 * Generates and COPYs the demo bank's transactions. Skipped when the tenant already has transactions. On PGlite
 * the load runs in one transaction with row-by-row foreign-key triggers off (the rows come from existing accounts
 * and records; both keys are verified with one anti-join each before committing), as the demo loader does.
 */
export async function loadDemoTransactions(db: Database, tenantId: string, opts: { asOf?: string; onProgress?: (done: number, total: number) => void } = {}): Promise<DemoTransactionsSummary> {
  const started = performance.now();
  const asOf = opts.asOf ?? (await demoAsOf(db, tenantId));
  const [{ n: existing }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT 1 FROM transactions WHERE tenant_id = $1 LIMIT 1) t', [tenantId]);
  if (existing) return { asOf, accounts: 0, transactions: 0, skipped: true, seconds: 0 };
  const [{ total }] = await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM accounts WHERE tenant_id = $1 AND status <> 'offered'`, [tenantId]);
  const windowStart = isoOf(dayOf(asOf) - Math.round(3 * 365.25));
  const bulk = db.engine === 'pglite';
  if (bulk) {
    await db.query('BEGIN');
    await db.query('SET LOCAL session_replication_role = replica');
    // Built once, sorted, after the COPY instead of row by row at random places (rolled back with everything else).
    await db.query('DROP INDEX transactions_record_time_idx');
    await db.query('ALTER TABLE transactions DROP CONSTRAINT transactions_external_uq');
  }
  let counter = 0;
  let accounts = 0;
  let timings: DemoTransactionsSummary['timings'];
  const secs = (ms: number) => Math.round(ms) / 1000;
  let lines: string[] = [];
  const flush = async () => {
    if (!lines.length) return;
    const csv = `${lines.join('\n')}\n`;
    lines = [];
    await db.copyCsv('transactions', COLUMNS, csv);
  };
  try {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const page = await db.query<DemoAccount>(
        `SELECT a.id::text AS id, a.source_record_id::text AS "sourceRecordId", r.source_system_id::text AS "sourceSystemId", a.account_number AS "accountNumber",
                p.code AS "productCode", a.status, a.opened_on::text AS "openedOn", a.closed_on::text AS "closedOn", a.balance
           FROM accounts a
           JOIN products p ON p.tenant_id = a.tenant_id AND p.id = a.product_id
           JOIN source_records r ON r.tenant_id = a.tenant_id AND r.id = a.source_record_id
          WHERE a.tenant_id = $1 AND a.status <> 'offered' AND a.id > $2::uuid ORDER BY a.id LIMIT $3`,
        [tenantId, after, PAGE],
      );
      if (!page.length) break;
      after = page[page.length - 1].id;
      for (const a of page) {
        for (const t of transactionsForAccount(a, windowStart, asOf)) {
          const id = demoUuid(0xec0, 90, counter++);
          lines.push(`${tenantId},${id},${t.sourceSystemId},${t.sourceRecordId},"${t.externalId.replace(/"/g, '""')}",${t.day}T12:00:00Z,${t.amount},${t.kind},${t.product}`);
        }
        if (lines.length >= FLUSH_ROWS) await flush();
      }
      accounts += page.length;
      opts.onProgress?.(accounts, total);
    }
    await flush();
    const copied = performance.now();
    let indexed = copied;
    if (bulk) {
      await db.query('ALTER TABLE transactions ADD CONSTRAINT transactions_external_uq UNIQUE (tenant_id, source_system_id, external_id)');
      await db.query('CREATE INDEX transactions_record_time_idx ON transactions USING btree (tenant_id, source_record_id, occurred_at)');
      indexed = performance.now();
      for (const [column, parent] of [['source_record_id', 'source_records'], ['source_system_id', 'source_systems']]) {
        const [{ n }] = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM transactions t WHERE t.tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM ${parent} p WHERE p.tenant_id = t.tenant_id AND p.id = t.${column})`,
          [tenantId],
        );
        if (n) throw new Error(`${n} demo transactions refer to a missing ${parent} row`);
      }
      await db.query('COMMIT');
    }
    timings = { copy: secs(copied - started), indexes: secs(indexed - copied), keys: secs(performance.now() - indexed) };
  } catch (err) {
    if (bulk) await db.query('ROLLBACK');
    throw err;
  }
  await db.query('ANALYZE transactions');
  return { asOf, accounts, transactions: counter, skipped: false, seconds: secs(performance.now() - started), timings };
}

interface Bar {
  update(done: number, total?: number): void;
  stop(): void;
}

/**
 * The demo's economics step (after resolution): the bank's transactions, the demo tenant's margins and case cost,
 * then one scoring run as of the demo's today, so every demo customer has economics in the API and the 360 view.
 */
export async function seedEconomicsDemo(
  db: Database,
  economics: Pick<EconomicsService, 'updateSettings' | 'score'>,
  tenantId: string,
  bars: { transactions?: Bar; score?: Bar } = {},
  asOf?: string,
) {
  const tx = await loadDemoTransactions(db, tenantId, { asOf, onProgress: (d, t) => bars.transactions?.update(d, t) });
  bars.transactions?.stop();
  const actor = systemActor(tenantId);
  await economics.updateSettings(actor, DEMO_ECONOMICS_SETTINGS);
  const run = await economics.score(actor, { asOf: tx.asOf }, (d, t) => bars.score?.update(d, t));
  bars.score?.stop();
  return { transactions: tx.transactions, asOf: tx.asOf, customers: run.customers, tiers: run.tiers, dispositions: run.dispositions, warnings: run.warnings, seconds: Math.round((tx.seconds + run.seconds) * 10) / 10 };
}
