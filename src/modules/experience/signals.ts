/**
 * The long-term measures of the total customer experience, read from the capabilities that own them and handed
 * to sales' measures (`ExperienceSignalsSource`): satisfaction from survey responses, churn from lifecycle moves,
 * share of wallet from economics, referrals from opportunities. Aggregated in SQL per day and bucketed here into
 * the same period labels the order measures use, so one chart can carry both.
 */
import type { Database } from '../../core/db/engine.js';
import { periodOf, type ExperienceSignalsSource, type ExternalSignals, type SignalsQuery } from '../sales/measures/experience.js';

interface Tally {
  responses: number;
  promoters: number;
  detractors: number;
}

const empty = (): Tally => ({ responses: 0, promoters: 0, detractors: 0 });
const r1 = (v: number) => Math.round(v * 10) / 10;
/** CSAT: % satisfied (the promoters of a 1–5 scale); NPS: % promoters − % detractors. */
const csatOf = (t: Tally) => (t.responses ? r1((t.promoters / t.responses) * 100) : null);
const npsOf = (t: Tally) => (t.responses ? r1(((t.promoters - t.detractors) / t.responses) * 100) : null);

export class ExperienceSignals implements ExperienceSignalsSource {
  readonly name = 'rapport';

  constructor(private readonly db: Database) {}

  async signals(tenantId: string, q: SignalsQuery): Promise<ExternalSignals> {
    const divisions = q.divisionIds ? [...q.divisionIds] : null;
    const params = [tenantId, q.from.toISOString(), q.to.toISOString(), divisions];
    const [responses, churn, base, wallet, referrals] = await Promise.all([
      this.db.query<{ day: string; kind: string; touchPoint: string | null; sentiment: string; n: number }>(
        `SELECT to_char(date_trunc('day', r.responded_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, s.kind, r.touch_point AS "touchPoint", r.sentiment, count(*)::int AS n
           FROM survey_responses r JOIN surveys s ON s.tenant_id = r.tenant_id AND s.id = r.survey_id
          WHERE r.tenant_id = $1 AND r.responded_at >= $2::timestamptz AND r.responded_at < $3::timestamptz
            AND s.kind IN ('csat', 'nps') AND r.sentiment IS NOT NULL
            AND ($4::uuid[] IS NULL OR r.division_id = ANY($4::uuid[]))
          GROUP BY 1, 2, 3, 4`,
        params,
      ),
      this.db.query<{ day: string; n: number }>(
        `SELECT to_char(date_trunc('day', t.at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, count(DISTINCT t.customer_id)::int AS n
           FROM stage_transitions t JOIN golden_customers g ON g.tenant_id = t.tenant_id AND g.id = t.customer_id
          WHERE t.tenant_id = $1 AND t.to_stage = 'dissociation' AND t.at >= $2::timestamptz AND t.at < $3::timestamptz
            AND ($4::uuid[] IS NULL OR g.division_ids && $4::uuid[])
          GROUP BY 1`,
        params,
      ),
      // The customers the churn is counted against: those in a lifecycle stage other than dissociation now, plus
      // those who left during the window.
      this.db.query<{ staying: number }>(
        `SELECT count(*)::int AS staying FROM customer_stages c JOIN golden_customers g ON g.tenant_id = c.tenant_id AND g.id = c.customer_id
          WHERE c.tenant_id = $1 AND c.stage <> 'dissociation' AND g.status = 'active' AND ($2::uuid[] IS NULL OR g.division_ids && $2::uuid[])`,
        [tenantId, divisions],
      ),
      this.db.query<{ share: number | null }>(
        `SELECT avg(e.share_of_wallet)::float8 AS share FROM customer_economics e JOIN golden_customers g ON g.tenant_id = e.tenant_id AND g.id = e.customer_id
          WHERE e.tenant_id = $1 AND e.share_of_wallet IS NOT NULL AND g.status = 'active' AND ($2::uuid[] IS NULL OR g.division_ids && $2::uuid[])`,
        [tenantId, divisions],
      ),
      this.db.query<{ day: string; n: number }>(
        `SELECT to_char(date_trunc('day', o.created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, count(*)::int AS n
           FROM sales_opportunities o
          WHERE o.tenant_id = $1 AND o.referred_by_customer_id IS NOT NULL AND o.created_at >= $2::timestamptz AND o.created_at < $3::timestamptz
            AND ($4::uuid[] IS NULL OR o.division_id = ANY($4::uuid[]))
          GROUP BY 1`,
        params,
      ),
    ]);

    const period = (day: string) => periodOf(new Date(`${day}T00:00:00Z`), q.interval);
    const overall = { csat: empty(), nps: empty() };
    const byTouchPoint = new Map<string, { csat: Tally; nps: Tally }>();
    const series = new Map<string, { csat: Tally; nps: Tally; churned: number; referrals: number }>();
    const at = (p: string) => {
      let s = series.get(p);
      if (!s) series.set(p, (s = { csat: empty(), nps: empty(), churned: 0, referrals: 0 }));
      return s;
    };
    for (const r of responses) {
      const kind = r.kind as 'csat' | 'nps';
      const tp = r.touchPoint ?? 'unknown';
      let t = byTouchPoint.get(tp);
      if (!t) byTouchPoint.set(tp, (t = { csat: empty(), nps: empty() }));
      for (const tally of [overall[kind], t[kind], at(period(r.day))[kind]]) {
        tally.responses += r.n;
        if (r.sentiment === 'promoter') tally.promoters += r.n;
        if (r.sentiment === 'detractor') tally.detractors += r.n;
      }
    }
    let churned = 0;
    for (const c of churn) {
      churned += c.n;
      at(period(c.day)).churned += c.n;
    }
    let referred = 0;
    for (const r of referrals) {
      referred += r.n;
      at(period(r.day)).referrals += r.n;
    }
    const population = base[0].staying + churned;
    return {
      csat: csatOf(overall.csat),
      nps: npsOf(overall.nps),
      churnRate: population ? Math.round((churned / population) * 10_000) / 10_000 : null,
      shareOfWallet: wallet[0]?.share === null || wallet[0]?.share === undefined ? null : Math.round(wallet[0].share * 1000) / 1000,
      referrals: referred,
      byTouchPoint: [...byTouchPoint]
        .map(([touchPoint, t]) => ({ touchPoint, csatResponses: t.csat.responses, csat: csatOf(t.csat), npsResponses: t.nps.responses, nps: npsOf(t.nps) }))
        .sort((a, b) => b.csatResponses + b.npsResponses - (a.csatResponses + a.npsResponses) || a.touchPoint.localeCompare(b.touchPoint)),
      series: [...series]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([p, s]) => ({ period: p, csat: csatOf(s.csat), nps: npsOf(s.nps), churned: s.churned, referrals: s.referrals })),
    };
  }
}
