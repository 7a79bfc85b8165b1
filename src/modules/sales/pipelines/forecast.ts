/**
 * Pipeline forecast: open opportunities expected to close in the period, at face value and weighted by
 * their stage's probability, next to what was won and lost in it. Grouped by pipeline, owner and currency
 * (amounts in different currencies are never added: converting them is a treasury decision, not ours).
 */

export interface ForecastOpportunity {
  pipelineId: string;
  ownerUserId: string | null;
  currency: string;
  amount: number;
  /** The stage's probability of closing, 0–100. */
  probability: number;
  outcome: 'open' | 'won' | 'lost';
  expectedClose: string;
  closedOn: string | null;
}

export interface ForecastRow {
  pipelineId: string;
  ownerUserId: string | null;
  currency: string;
  open: { count: number; amount: number; weighted: number };
  won: { count: number; amount: number };
  lost: { count: number; amount: number };
  /** Won / (won + lost) by count in the period; null when nothing closed. */
  winRate: number | null;
  /** Open weighted amount by month of expected close (YYYY-MM). */
  byMonth: { month: string; amount: number; weighted: number }[];
}

const r2 = (x: number) => Math.round(x * 100) / 100;

export function forecast(opportunities: readonly ForecastOpportunity[], period: { from: string; to: string }, groupBy: 'pipeline' | 'owner' | 'pipeline-owner' = 'pipeline-owner'): ForecastRow[] {
  const rows = new Map<string, ForecastRow & { months: Map<string, { amount: number; weighted: number }> }>();
  const within = (d: string | null) => d !== null && d >= period.from && d <= period.to;
  for (const o of opportunities) {
    const counted = o.outcome === 'open' ? within(o.expectedClose) : within(o.closedOn);
    if (!counted) continue;
    const pipelineId = groupBy === 'owner' ? '*' : o.pipelineId;
    const ownerUserId = groupBy === 'pipeline' ? '*' : o.ownerUserId;
    const key = `${pipelineId}|${ownerUserId}|${o.currency}`;
    let row = rows.get(key);
    if (!row) {
      row = { pipelineId, ownerUserId, currency: o.currency, open: { count: 0, amount: 0, weighted: 0 }, won: { count: 0, amount: 0 }, lost: { count: 0, amount: 0 }, winRate: null, byMonth: [], months: new Map() };
      rows.set(key, row);
    }
    if (o.outcome === 'open') {
      const weighted = (o.amount * o.probability) / 100;
      row.open.count++;
      row.open.amount += o.amount;
      row.open.weighted += weighted;
      const m = o.expectedClose.slice(0, 7);
      const bucket = row.months.get(m) ?? { amount: 0, weighted: 0 };
      bucket.amount += o.amount;
      bucket.weighted += weighted;
      row.months.set(m, bucket);
    } else {
      row[o.outcome].count++;
      row[o.outcome].amount += o.amount;
    }
  }
  return [...rows.values()]
    .map(({ months, ...row }) => ({
      ...row,
      open: { count: row.open.count, amount: r2(row.open.amount), weighted: r2(row.open.weighted) },
      won: { count: row.won.count, amount: r2(row.won.amount) },
      lost: { count: row.lost.count, amount: r2(row.lost.amount) },
      winRate: row.won.count + row.lost.count ? r2(row.won.count / (row.won.count + row.lost.count)) : null,
      byMonth: [...months].sort(([a], [b]) => (a < b ? -1 : 1)).map(([month, v]) => ({ month, amount: r2(v.amount), weighted: r2(v.weighted) })),
    }))
    .sort((a, b) => b.open.weighted - a.open.weighted || (a.pipelineId + (a.ownerUserId ?? '') < b.pipelineId + (b.ownerUserId ?? '') ? -1 : 1));
}
