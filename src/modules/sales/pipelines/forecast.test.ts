import { describe, expect, it } from 'vitest';
import { forecast, type ForecastOpportunity } from './forecast.js';

const opp = (o: Partial<ForecastOpportunity>): ForecastOpportunity => ({
  pipelineId: 'p1',
  ownerUserId: 'ann',
  currency: 'USD',
  amount: 1000,
  probability: 50,
  outcome: 'open',
  expectedClose: '2026-12-15',
  closedOn: null,
  ...o,
});
const period = { from: '2026-12-01', to: '2027-02-28' };

describe('forecast', () => {
  it('weights open opportunities by stage probability, by pipeline and owner', () => {
    const rows = forecast(
      [
        opp({ amount: 1000, probability: 50 }),
        opp({ amount: 4000, probability: 25, expectedClose: '2027-01-10' }),
        opp({ ownerUserId: 'bob', amount: 10_000, probability: 90 }),
        opp({ pipelineId: 'p2', amount: 500, probability: 10 }),
      ],
      period,
    );
    expect(rows.map((r) => [r.pipelineId, r.ownerUserId, r.open.count, r.open.amount, r.open.weighted])).toEqual([
      ['p1', 'bob', 1, 10_000, 9000],
      ['p1', 'ann', 2, 5000, 1500],
      ['p2', 'ann', 1, 500, 50],
    ]);
    expect(rows[1].byMonth).toEqual([
      { month: '2026-12', amount: 1000, weighted: 500 },
      { month: '2027-01', amount: 4000, weighted: 1000 },
    ]);
  });

  it('counts won and lost by the date they closed, and the win rate', () => {
    const rows = forecast(
      [
        opp({ outcome: 'won', probability: 100, closedOn: '2026-12-02', amount: 3000 }),
        opp({ outcome: 'lost', probability: 0, closedOn: '2026-12-20' }),
        opp({ outcome: 'won', probability: 100, closedOn: '2026-11-30' }), // before the period
        opp({ expectedClose: '2027-03-01' }), // after the period
      ],
      period,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ open: { count: 0 }, won: { count: 1, amount: 3000 }, lost: { count: 1, amount: 1000 }, winRate: 0.5 });
  });

  it('keeps currencies apart and can roll up by pipeline or by owner', () => {
    const data = [opp({}), opp({ currency: 'EUR' }), opp({ ownerUserId: 'bob' })];
    expect(forecast(data, period).length).toBe(3);
    const byPipeline = forecast(data, period, 'pipeline');
    expect(byPipeline.map((r) => [r.ownerUserId, r.currency, r.open.count])).toEqual([['*', 'USD', 2], ['*', 'EUR', 1]]);
    const byOwner = forecast([...data, opp({ pipelineId: 'p2' })], period, 'owner');
    expect(byOwner.find((r) => r.ownerUserId === 'ann' && r.currency === 'USD')!.open.count).toBe(2);
  });
});
