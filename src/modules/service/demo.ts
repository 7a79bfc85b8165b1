/**
 * The service side of the demo bank: a New York business calendar with US bank holidays, product skills for
 * routing, surveys, three years of cases (complaints with their recovery, surveys answered after closing),
 * open work today, and the two routing stories: a complaint from the most valuable customer goes to a senior
 * advisor within the SLA, a small customer's routine question goes to the general queue. Then the lifecycle
 * sweep, the SLA check and the alarm job run, so stages and alarms are there when the demo opens.
 *
 * Everything goes through the services, so the demo exercises the same rules as real use. Deterministic for
 * a given seed and data set.
 */
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import type { TouchPoint } from '../interactions/schema.js';
import type { ServiceModule } from './service.js';
import type { CaseKind, Priority, RootCause } from './cases/status.js';
import { fixedValueLookup, type CustomerValueLookup, type ValueTier } from './value.js';

export interface ServiceDemoOptions {
  tenantId?: string;
  /** The demo's today (default: now). */
  asOf?: Date;
  seed?: number;
  /** How many customers get a case history (default 300). */
  customersWithHistory?: number;
  /**
   * Customer value. Default: tiers by the total balance each customer holds across divisions, a stand-in
   * until economics publishes CLV tiers (then pass its lookup, or swap it in with service.useValueLookup).
   */
  value?: CustomerValueLookup;
  /** Who plays the stories; default: the customer with the largest total balance, and one with a single small product. */
  story?: { topValueCustomerId?: string; smallCustomerId?: string };
}

export interface ServiceDemoSummary {
  calendarId: string;
  surveys: number;
  historyCases: number;
  complaints: number;
  surveyResponses: number;
  openCases: number;
  story: { topValueCaseId: string | null; topValueOwner: string | null; smallCaseId: string | null; smallQueuedIn: string | null };
  lifecycle: { classified: number; moved: number };
  slaCheck: { examined: number; breaches: number };
  alarms: Record<string, number>;
}

const DAY = 86_400_000;
const MINUTE = 60_000;

/** US federal holidays banks close for, with the weekend rule (Saturday → Friday, Sunday → Monday). */
export function usBankHolidays(year: number): string[] {
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const fixed = (m: number, d: number) => {
    const date = new Date(Date.UTC(year, m - 1, d));
    const wd = date.getUTCDay();
    return iso(new Date(date.getTime() + (wd === 6 ? -DAY : wd === 0 ? DAY : 0)));
  };
  const nth = (m: number, weekday: number, n: number) => {
    const first = new Date(Date.UTC(year, m - 1, 1));
    const offset = (weekday - first.getUTCDay() + 7) % 7;
    return iso(new Date(Date.UTC(year, m - 1, 1 + offset + 7 * (n - 1))));
  };
  const last = (m: number, weekday: number) => {
    const end = new Date(Date.UTC(year, m, 0));
    return iso(new Date(end.getTime() - ((end.getUTCDay() - weekday + 7) % 7) * DAY));
  };
  return [fixed(1, 1), nth(1, 1, 3), nth(2, 1, 3), last(5, 1), fixed(6, 19), fixed(7, 4), nth(9, 1, 1), nth(10, 1, 2), fixed(11, 11), nth(11, 4, 4), fixed(12, 25)];
}

/** Skills that qualify for the demo bank's products (its staff list skills such as "mortgages" or "home_equity"). */
export const DEMO_PRODUCT_SKILLS: Record<string, string[]> = {
  MTG_HELOC: ['home_equity', 'mortgages'],
  LOAN_PERSONAL: ['loans', 'deposits'],
  INS_HOME: ['home', 'claims'],
  INS_AUTO: ['auto', 'claims'],
  INS_LIFE: ['life'],
  mortgage: ['mortgages'],
  card: ['cards'],
  deposit: ['deposits'],
  investment: ['investments'],
  insurance: ['home', 'auto', 'life', 'claims'],
};

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUBJECTS: Record<CaseKind, string[]> = {
  complaint: ['Charged a fee I was told was waived', 'Nobody called back as promised', 'Card blocked while travelling', 'Statement shows a payment twice', 'Rude treatment at the branch'],
  request: ['Raise my credit limit', 'Copy of last year’s statements', 'Change of address', 'Add my partner to the account', 'Switch to paperless'],
  incident: ['Online banking login fails', 'Direct debit bounced', 'App shows the wrong balance'],
  question: ['How do I reset my PIN?', 'What are the branch opening hours?', 'When is my next payment due?', 'Is there a fee for foreign transfers?'],
};

export async function seedServiceDemo(services: { service: ServiceModule }, opts: ServiceDemoOptions = {}): Promise<ServiceDemoSummary> {
  const svc = services.service;
  const db = svc.ctx.db;
  const tenantId = opts.tenantId ?? DEFAULT_TENANT;
  const admin = systemActor(tenantId);
  const asOf = opts.asOf ?? new Date();
  const rand = mulberry32(opts.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

  // Calendar and routing.
  const year = asOf.getUTCFullYear();
  const holidays = [year - 3, year - 2, year - 1, year, year + 1].flatMap(usBankHolidays);
  const weekday = [{ start: '09:00', end: '17:00' }];
  const existing = (await svc.settings.listCalendars(admin)).find((c) => c.name === 'Bank hours (New York)');
  const calendar = await svc.settings.saveCalendar(admin, { name: 'Bank hours (New York)', timeZone: 'America/New_York', week: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday }, holidays }, existing?.id);
  const routing = await svc.settings.routing(tenantId);
  await svc.settings.update(admin, { defaultCalendarId: calendar.id, routing: { ...routing, productSkills: { ...DEMO_PRODUCT_SKILLS, ...(routing.productSkills ?? {}) } } });

  // Value: by total balance across divisions unless economics is given.
  const balances = await db.query<{ customer_id: string; total: number; products: number }>(
    `SELECT l.customer_id, coalesce(sum(abs(a.balance)), 0)::float8 AS total, count(*)::int AS products
       FROM customer_links l JOIN accounts a ON a.tenant_id = l.tenant_id AND a.source_record_id = l.source_record_id AND a.status = 'open'
       JOIN golden_customers g ON g.tenant_id = l.tenant_id AND g.id = l.customer_id AND g.status = 'active'
      WHERE l.tenant_id = $1 GROUP BY l.customer_id ORDER BY total DESC, l.customer_id`,
    [tenantId],
  );
  if (opts.value) svc.useValueLookup(opts.value);
  else {
    const tiers = new Map<string, ValueTier>();
    balances.forEach((b, i) => {
      const share = (i + 1) / balances.length;
      tiers.set(b.customer_id, share <= 0.01 ? 'top1' : share <= 0.05 ? 'top5' : share <= 0.2 ? 'top20' : 'rest');
    });
    svc.useValueLookup(fixedValueLookup(tiers));
  }

  // Surveys (NPS after a case is closed is switched on once the history is in, so history answers are explicit).
  const surveyDefs = [
    { name: 'After your case (NPS)', kind: 'nps' as const, trigger: 'case_closed' as const, question: 'How likely are you to recommend us to a friend or colleague?' },
    { name: 'Welcome (CES)', kind: 'ces' as const, trigger: 'onboarding_done' as const, question: 'The bank made it easy for me to get started.' },
    { name: 'Branch visit (CSAT)', kind: 'csat' as const, trigger: 'manual' as const, question: 'How satisfied were you with your visit today?' },
  ];
  const known = await svc.surveys.list(admin);
  const surveys = [];
  for (const d of surveyDefs) surveys.push(known.find((s) => s.name === d.name) ?? (await svc.surveys.create(admin, { ...d, trigger: d.trigger === 'case_closed' ? 'manual' : d.trigger })));
  const nps = surveys[0];

  // Who gets a history: a deterministic sample of customers who hold something.
  const products = await svc.ctx.holdings.listProducts(admin);
  const holdings = await db.query<{ customer_id: string; division_id: string; product_id: string }>(
    `SELECT l.customer_id, a.division_id, a.product_id FROM customer_links l JOIN accounts a ON a.tenant_id = l.tenant_id AND a.source_record_id = l.source_record_id
      WHERE l.tenant_id = $1 AND a.status <> 'offered'`,
    [tenantId],
  );
  const heldBy = new Map<string, { division_id: string; product_id: string }[]>();
  for (const h of holdings) heldBy.set(h.customer_id, [...(heldBy.get(h.customer_id) ?? []), h]);
  const candidates = [...heldBy.keys()].sort();
  const sample = new Set<string>();
  const wanted = Math.min(opts.customersWithHistory ?? 300, candidates.length);
  while (sample.size < wanted) sample.add(pick(candidates));

  const summary: ServiceDemoSummary = {
    calendarId: calendar.id,
    surveys: surveys.length,
    historyCases: 0,
    complaints: 0,
    surveyResponses: 0,
    openCases: 0,
    story: { topValueCaseId: null, topValueOwner: null, smallCaseId: null, smallQueuedIn: null },
    lifecycle: { classified: 0, moved: 0 },
    slaCheck: { examined: 0, breaches: 0 },
    alarms: {},
  };
  const clock = await svc.settings.clock(tenantId, calendar.id);
  const later = (from: Date, businessMinutes: number) => clock.addMinutes(from, businessMinutes) ?? new Date(from.getTime() + businessMinutes * MINUTE);
  const KINDS: CaseKind[] = ['complaint', 'request', 'request', 'incident', 'question', 'question'];
  const CAUSES: RootCause[] = ['process', 'people', 'system', 'communication', 'pricing', 'product'];
  const TOUCH: TouchPoint[] = ['branch', 'call_centre', 'web', 'email', 'mobile', 'chat'];

  for (const customerId of sample) {
    const held = heldBy.get(customerId)!;
    const cases = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < cases; k++) {
      const h = pick(held);
      const kind = pick(KINDS);
      const openedAt = new Date(asOf.getTime() - (7 + Math.floor(rand() * (3 * 365 - 7))) * DAY - Math.floor(rand() * DAY));
      const c = await svc.cases.open(admin, {
        customerId,
        kind,
        subject: pick(SUBJECTS[kind]),
        divisionId: h.division_id,
        productId: products.some((p) => p.id === h.product_id) ? h.product_id : null,
        touchPoint: pick(TOUCH),
        priority: kind === 'complaint' ? 'high' : pick<Priority>(['low', 'normal', 'normal', 'high']),
        openedAt,
      });
      summary.historyCases += 1;
      // Most first responses come within the SLA, some late; a fifth wait on the customer for a while.
      const responded = later(openedAt, Math.round(c.sla.firstResponseMinutes * (rand() < 0.8 ? 0.2 + rand() * 0.6 : 1.2 + rand())));
      await svc.cases.changeStatus(admin, c.id, { status: 'in_progress', at: responded });
      let t = responded;
      if (rand() < 0.2) {
        const waitFrom = later(t, 60 + Math.floor(rand() * 240));
        await svc.cases.changeStatus(admin, c.id, { status: 'waiting_on_customer', at: waitFrom });
        t = new Date(waitFrom.getTime() + (1 + Math.floor(rand() * 5)) * DAY);
        await svc.cases.changeStatus(admin, c.id, { status: 'in_progress', at: t });
      }
      const resolvedAt = later(t, Math.round(c.sla.resolutionMinutes * (rand() < 0.85 ? 0.1 + rand() * 0.7 : 1.1 + rand())));
      if (resolvedAt >= asOf) {
        summary.openCases += 1; // still being worked on today
        continue;
      }
      await svc.cases.changeStatus(admin, c.id, { status: 'resolved', at: resolvedAt, rootCause: pick(CAUSES), note: 'resolved with the customer' });
      if (kind === 'complaint') {
        summary.complaints += 1;
        const [episode] = (await svc.care.ofCustomer(admin, customerId)).filter((e) => e.caseId === c.id);
        if (episode && !episode.outcome) {
          if (rand() < 0.12) await svc.care.closeEpisode(admin, episode.id, 'lost', 'closed every account after the complaint');
          else {
            for (const a of episode.actions) {
              const status = a.kind === 'compensation' && rand() < 0.5 ? 'skipped' : 'done';
              await svc.care.updateAction(admin, a.id, { status, amount: a.kind === 'compensation' && status === 'done' ? 25 + Math.floor(rand() * 20) * 5 : undefined, at: new Date(resolvedAt.getTime() + DAY) });
            }
          }
        }
      }
      const closedAt = new Date(resolvedAt.getTime() + (1 + Math.floor(rand() * 3)) * DAY);
      if (closedAt < asOf) {
        const closed = await svc.cases.changeStatus(admin, c.id, { status: 'closed', at: closedAt });
        if (rand() < 0.45) {
          const sent = await svc.surveys.send(admin, nps.id, { customerId, caseId: c.id, divisionId: closed.divisionId, touchPoint: closed.touchPoint, staffUserId: closed.ownerUserId }, 'case_closed', closedAt);
          const base = kind === 'complaint' ? 4 : 7;
          const score = Math.max(0, Math.min(10, base + Math.floor(rand() * 5) - (closed.resolutionState === 'missed' ? 3 : 0)));
          // Detractors are left out of the history: each would open a follow-up case dated today.
          if (score >= 7) {
            await svc.surveys.answer(sent.token, { score, comment: score >= 9 ? 'Sorted quickly, thank you.' : null }, new Date(closedAt.getTime() + 2 * DAY));
            summary.surveyResponses += 1;
          }
        }
      }
    }
  }
  await svc.surveys.update(admin, nps.id, { trigger: 'case_closed' });

  // Work open today: a tenth of the sample has something in progress.
  for (const customerId of [...sample].filter(() => rand() < 0.1)) {
    const h = pick(heldBy.get(customerId)!);
    const kind = pick(KINDS);
    await svc.cases.open(admin, { customerId, kind, subject: pick(SUBJECTS[kind]), divisionId: h.division_id, productId: h.product_id, touchPoint: pick(TOUCH), openedAt: new Date(asOf.getTime() - Math.floor(rand() * 5 * DAY)) });
    summary.openCases += 1;
  }

  // The two stories.
  const top = opts.story?.topValueCustomerId ?? balances[0]?.customer_id;
  const small = opts.story?.smallCustomerId ?? [...balances].reverse().find((b) => b.products === 1 && b.customer_id !== top)?.customer_id;
  if (top) {
    const held = heldBy.get(top) ?? [];
    const heloc = products.find((p) => p.code === 'MTG_HELOC' && held.some((h) => h.product_id === p.id)) ?? products.find((p) => held.some((h) => h.product_id === p.id));
    const c = await svc.cases.open(admin, { customerId: top, kind: 'complaint', subject: 'Asked twice about a home-equity loan and was treated as a stranger', divisionId: heloc?.divisionId ?? held[0]?.division_id, productId: heloc?.id ?? null, touchPoint: 'call_centre' });
    summary.story.topValueCaseId = c.id;
    summary.story.topValueOwner = c.ownerUserId;
    summary.openCases += 1;
  }
  if (small) {
    const h = heldBy.get(small)?.[0];
    const c = await svc.cases.open(admin, { customerId: small, kind: 'question', subject: 'What are the branch opening hours?', divisionId: h?.division_id, touchPoint: 'web', priority: 'normal' });
    summary.story.smallCaseId = c.id;
    summary.story.smallQueuedIn = c.ownerUserId ? null : (c.queueTeamId ?? c.queueDivisionId);
    summary.openCases += 1;
  }

  const sweep = await svc.lifecycle.sweep(tenantId, { now: asOf });
  summary.lifecycle = { classified: sweep.classified, moved: sweep.moved };
  const check = await svc.sla.run(tenantId, { now: asOf });
  summary.slaCheck = { examined: check.examined, breaches: check.breaches };
  const alarms = await svc.alarms.run(tenantId, { now: asOf });
  summary.alarms = alarms.raised;
  return summary;
}
