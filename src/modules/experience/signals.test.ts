import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../core/db/engine.js';
import { openTestDatabase } from '../../core/db/testing.js';
import { newId } from '../../core/ids.js';
import { ExperienceSignals } from './signals.js';

const T = 'signals-test';
let db: Database;
const mortgages = newId();
const cards = newId();

async function customer(name: string, divisionIds: string[], stage?: string) {
  const id = newId();
  await db.query(`INSERT INTO golden_customers (tenant_id, id, display_name, division_ids) VALUES ($1, $2, $3, $4::uuid[])`, [T, id, name, `{${divisionIds.join(',')}}`]);
  if (stage) await db.query(`INSERT INTO customer_stages (tenant_id, customer_id, stage, since) VALUES ($1, $2, $3, '2026-01-01T00:00:00Z')`, [T, id, stage]);
  return id;
}

async function answer(surveyId: string, customerId: string, divisionId: string, touchPoint: string, sentiment: string, at: string) {
  const invitation = newId();
  await db.query(
    `INSERT INTO survey_invitations (tenant_id, id, survey_id, customer_id, division_id, touch_point, event, sent_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, 'case_closed', $7, $7::timestamptz + interval '14 days')`,
    [T, invitation, surveyId, customerId, divisionId, touchPoint, at],
  );
  await db.query(
    `INSERT INTO survey_responses (tenant_id, id, invitation_id, survey_id, customer_id, division_id, touch_point, sentiment, responded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [T, newId(), invitation, surveyId, customerId, divisionId, touchPoint, sentiment, at],
  );
}

beforeAll(async () => {
  db = await openTestDatabase();
  await db.query(`INSERT INTO tenants (id, name) VALUES ($1, $1), ('nobody', 'nobody')`, [T]);
  for (const [id, name] of [[mortgages, 'Mortgages'], [cards, 'Cards']]) await db.query(`INSERT INTO divisions (tenant_id, id, code, name) VALUES ($1, $2, $3, $3)`, [T, id, name]);
  const csat = newId();
  const nps = newId();
  await db.query(`INSERT INTO surveys (tenant_id, id, name, kind, question) VALUES ($1, $2, 'csat', 'csat', 'How satisfied?'), ($1, $3, 'nps', 'nps', 'Would you recommend us?')`, [T, csat, nps]);
  const bill = await customer('Bill Jackson', [mortgages, cards], 'account_management');
  const ann = await customer('Ann Lee', [cards], 'account_management');
  const left = await customer('Carl Gone', [cards], 'dissociation');
  await customer('Dora Mortgage', [mortgages], 'welcoming');
  // CSAT: branch 2 satisfied of 3 in October; call centre 1 dissatisfied in November. NPS: 2 promoters, 1 detractor, 1 passive.
  await answer(csat, bill, mortgages, 'branch', 'promoter', '2026-10-03T10:00:00Z');
  await answer(csat, bill, mortgages, 'branch', 'promoter', '2026-10-20T10:00:00Z');
  await answer(csat, ann, cards, 'branch', 'passive', '2026-10-21T10:00:00Z');
  await answer(csat, ann, cards, 'call_centre', 'detractor', '2026-11-02T10:00:00Z');
  await answer(nps, bill, mortgages, 'web', 'promoter', '2026-11-03T10:00:00Z');
  await answer(nps, ann, cards, 'web', 'promoter', '2026-11-04T10:00:00Z');
  await answer(nps, ann, cards, 'web', 'detractor', '2026-11-05T10:00:00Z');
  await answer(nps, bill, cards, 'web', 'passive', '2026-11-06T10:00:00Z');
  // Outside the window: never counted.
  await answer(nps, ann, cards, 'web', 'detractor', '2025-01-05T10:00:00Z');
  await db.query(`INSERT INTO stage_transitions (tenant_id, id, customer_id, from_stage, to_stage, at, cause) VALUES ($1, $2, $3, 'account_management', 'dissociation', '2026-11-10T09:00:00Z', 'rule')`, [T, newId(), left]);
  const run = newId();
  await db.query(
    `INSERT INTO customer_economics (tenant_id, customer_id, run_id, model_version, computed_at, tier, disposition, share_of_wallet) VALUES ($1, $2, $4, 'v', now(), 'top5', 'grow', 0.4), ($1, $3, $4, 'v', now(), 'rest', 'keep', 0.8)`,
    [T, bill, ann, run],
  );
}, 120_000);
afterAll(() => db?.close());

describe('experience signals', () => {
  const window = { from: new Date('2026-09-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };

  it('derives CSAT, NPS, churn and share of wallet for every division, overall, by touch point and by month', async () => {
    const s = await new ExperienceSignals(db).signals(T, { ...window, interval: 'month', divisionIds: null });
    expect(s.csat).toBe(50); // 2 satisfied of 4
    expect(s.nps).toBe(25); // (2 promoters − 1 detractor) / 4
    // One customer left in the window; three are still in a stage other than dissociation.
    expect(s.churnRate).toBe(0.25);
    expect(s.shareOfWallet).toBe(0.6);
    expect(s.referrals).toBe(0);
    expect(s.byTouchPoint.find((t) => t.touchPoint === 'branch')).toEqual({ touchPoint: 'branch', csatResponses: 3, csat: 66.7, npsResponses: 0, nps: null });
    expect(s.byTouchPoint.find((t) => t.touchPoint === 'web')).toMatchObject({ npsResponses: 4, nps: 25 });
    expect(s.series).toEqual([
      { period: '2026-10', csat: 66.7, nps: null, churned: 0, referrals: 0 },
      { period: '2026-11', csat: 0, nps: 25, churned: 1, referrals: 0 },
    ]);
  });

  it('keeps to the divisions asked for', async () => {
    const s = await new ExperienceSignals(db).signals(T, { ...window, interval: 'all', divisionIds: [mortgages] });
    expect(s.csat).toBe(100);
    expect(s.nps).toBe(100);
    // Bill and Dora hold mortgages; nobody in Mortgages left.
    expect(s.churnRate).toBe(0);
    expect(s.shareOfWallet).toBe(0.4);
    expect(s.series).toEqual([{ period: 'all', csat: 100, nps: 100, churned: 0, referrals: 0 }]);
  });

  it('answers nulls, not zeros, where there is nothing to measure', async () => {
    const s = await new ExperienceSignals(db).signals('nobody', { ...window, interval: 'month', divisionIds: null });
    expect(s).toMatchObject({ csat: null, nps: null, churnRate: null, shareOfWallet: null, referrals: 0, byTouchPoint: [], series: [] });
  });
});
