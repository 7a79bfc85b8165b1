import { businessDaysBetween, toIsoDate } from '../fulfilment/calendar.js';

/**
 * The short-term measures of the total customer experience that selling itself produces: how fast a
 * request becomes a quote and a quote a delivery, how many orders are mishandled, and how much is made to
 * measure. The long-term ones (CSAT, NPS, churn, share of wallet, referrals) come from other capabilities
 * through ExperienceSignalsSource.
 */

export type Interval = 'week' | 'month' | 'quarter' | 'all';

export interface QuoteFact {
  divisionId: string;
  requestedAt: Date;
  /** When the first version was issued to the customer (after approval, if it needed one). */
  issuedAt: Date | null;
}

export interface OrderFact {
  divisionId: string;
  requestedAt: Date;
  quotedAt: Date;
  acceptedAt: Date;
  promisedDate: string;
  deliveredAt: Date | null;
  custom: boolean;
  mishandlings: readonly { kind: string }[];
}

export interface Distribution {
  count: number;
  median: number | null;
  p90: number | null;
}

export interface PeriodMeasures {
  period: string;
  /** Set when measures are split by division; null for all divisions together. */
  divisionId: string | null;
  quotes: { requested: number; issued: number; requestToQuoteHours: Distribution };
  orders: {
    accepted: number;
    delivered: number;
    quoteToDeliveryDays: Distribution;
    requestToDeliveryDays: Distribution;
    onTimeRate: number | null;
    /** Of the orders accepted in the period, the share with at least one mishandling recorded so far. */
    mishandledRate: number | null;
    mishandledByKind: Record<string, number>;
    /** Of the orders accepted in the period, the share with at least one line configured to measure. */
    customShare: number | null;
  };
}

const HOUR = 3_600_000;
const r2 = (x: number) => Math.round(x * 100) / 100;

function distribution(values: number[]): Distribution {
  if (!values.length) return { count: 0, median: null, p90: null };
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => {
    const pos = (s.length - 1) * p;
    const lo = Math.floor(pos);
    return r2(s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo));
  };
  return { count: s.length, median: q(0.5), p90: q(0.9) };
}

export function periodOf(d: Date, interval: Interval): string {
  const iso = toIsoDate(d);
  if (interval === 'all') return 'all';
  if (interval === 'month') return iso.slice(0, 7);
  if (interval === 'quarter') return `${iso.slice(0, 4)}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
  // ISO week: Thursday decides the year.
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * Quotes count in the period of their request, orders in the period they were accepted (custom share,
 * mishandled rate) and, separately, in the period they were delivered (turnaround, on time). With a
 * window, only events inside it count, so an order accepted before it but delivered inside counts once.
 */
export function experienceMeasures(
  quotes: readonly QuoteFact[],
  orders: readonly OrderFact[],
  interval: Interval,
  window?: { from: Date; to: Date },
  byDivision = false,
): PeriodMeasures[] {
  const inside = (d: Date) => !window || (d >= window.from && d < window.to);
  const keyOf = (d: Date, divisionId: string) => (byDivision ? `${periodOf(d, interval)}|${divisionId}` : periodOf(d, interval));
  interface Acc {
    requested: number;
    issued: number;
    r2q: number[];
    accepted: number;
    delivered: number;
    q2d: number[];
    r2d: number[];
    onTime: number;
    mishandled: number;
    byKind: Record<string, number>;
    custom: number;
  }
  const acc = new Map<string, Acc>();
  const at = (p: string) => {
    let a = acc.get(p);
    if (!a) acc.set(p, (a = { requested: 0, issued: 0, r2q: [], accepted: 0, delivered: 0, q2d: [], r2d: [], onTime: 0, mishandled: 0, byKind: {}, custom: 0 }));
    return a;
  };
  for (const q of quotes) {
    if (!inside(q.requestedAt)) continue;
    const a = at(keyOf(q.requestedAt, q.divisionId));
    a.requested++;
    if (q.issuedAt) {
      a.issued++;
      a.r2q.push(Math.max(0, (q.issuedAt.getTime() - q.requestedAt.getTime()) / HOUR));
    }
  }
  for (const o of orders) {
    if (inside(o.acceptedAt)) {
      const a = at(keyOf(o.acceptedAt, o.divisionId));
      a.accepted++;
      if (o.custom) a.custom++;
      if (o.mishandlings.length) a.mishandled++;
      for (const m of o.mishandlings) a.byKind[m.kind] = (a.byKind[m.kind] ?? 0) + 1;
    }
    if (o.deliveredAt && inside(o.deliveredAt)) {
      const d = at(keyOf(o.deliveredAt, o.divisionId));
      d.delivered++;
      d.q2d.push((o.deliveredAt.getTime() - o.quotedAt.getTime()) / (24 * HOUR));
      d.r2d.push((o.deliveredAt.getTime() - o.requestedAt.getTime()) / (24 * HOUR));
      if (businessDaysBetween(o.promisedDate, toIsoDate(o.deliveredAt)) <= 0) d.onTime++;
    }
  }
  return [...acc]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, a]) => ({
      period: byDivision ? key.split('|')[0] : key,
      divisionId: byDivision ? key.split('|')[1] : null,
      quotes: { requested: a.requested, issued: a.issued, requestToQuoteHours: distribution(a.r2q) },
      orders: {
        accepted: a.accepted,
        delivered: a.delivered,
        quoteToDeliveryDays: distribution(a.q2d),
        requestToDeliveryDays: distribution(a.r2d),
        onTimeRate: a.delivered ? r2(a.onTime / a.delivered) : null,
        mishandledRate: a.accepted ? r2(a.mishandled / a.accepted) : null,
        mishandledByKind: a.byKind,
        customShare: a.accepted ? r2(a.custom / a.accepted) : null,
      },
    }));
}

/** The long-term measures other capabilities own; null where nobody has connected a source yet. */
export interface ExternalSignals {
  /** % satisfied (CSAT 4–5) over the window's CSAT responses. */
  csat: number | null;
  /** % promoters − % detractors over the window's NPS responses. */
  nps: number | null;
  /** Customers who left (moved to dissociation) in the window over the customers in a lifecycle stage. */
  churnRate: number | null;
  /** Mean estimated share of wallet of the customers in scope (latest economics run). */
  shareOfWallet: number | null;
  /** Opportunities opened in the window that an existing customer referred. */
  referrals: number | null;
  /** CSAT and NPS by touch point, and every signal over time (same period labels as the measures). */
  byTouchPoint: { touchPoint: string; csatResponses: number; csat: number | null; npsResponses: number; nps: number | null }[];
  series: { period: string; csat: number | null; nps: number | null; churned: number; referrals: number }[];
}

export interface SignalsQuery {
  from: Date;
  to: Date;
  interval: Interval;
  /** Only these divisions; null = every division. */
  divisionIds: readonly string[] | null;
}

/**
 * Extension point: surveys (CSAT, NPS by touch point), economics (churn, share of wallet) and referrals
 * plug in here. The default answers null for everything and says so, rather than inventing numbers.
 */
export interface ExperienceSignalsSource {
  readonly name: string;
  signals(tenantId: string, q: SignalsQuery): Promise<ExternalSignals>;
}

export const noExperienceSignals: ExperienceSignalsSource = {
  name: 'not-connected',
  async signals() {
    return { csat: null, nps: null, churnRate: null, shareOfWallet: null, referrals: null, byTouchPoint: [], series: [] };
  },
};
