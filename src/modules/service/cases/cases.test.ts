import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../api/testing.js';
import { systemActor } from '../../../core/actor.js';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../../../core/errors.js';
import { DEFAULT_TENANT } from '../../../core/ids.js';
import { actorFor } from '../../access/service.js';
import { seedServiceFixture } from '../testing.js';

let t: Awaited<ReturnType<typeof buildTestApp>>;
let f: Awaited<ReturnType<typeof seedServiceFixture>>;
const admin = systemActor(DEFAULT_TENANT);
const svc = () => t.app.services.service;

beforeAll(async () => {
  t = await buildTestApp();
  f = await seedServiceFixture(t.app.services);
});
afterAll(() => t.close());

describe('opening cases', () => {
  it('routes a complaint from the top-value customer to the senior broker, names a relationship manager and starts intensive care', async () => {
    const c = await svc().cases.open(admin, { customerId: f.customers.bill, kind: 'complaint', subject: 'Home-equity application ignored', productId: f.products.mortgage, touchPoint: 'call_centre' });
    expect(c).toMatchObject({ divisionId: f.divisions.mortgages, priority: 'high', valueTier: 'top1', ownerUserId: f.staff.grace.id, status: 'open' });
    // top1 + high + complaint: 120 min × 0.25 × 0.5 = 15 min first response.
    expect(c.sla).toMatchObject({ firstResponseMinutes: 15, policyId: null });
    const rm = await svc().assignment.getRelationshipManager(admin, f.customers.bill);
    expect(rm?.userId).toBe(f.staff.grace.id);
    const [decision] = await svc().assignment.decisionsFor(admin, c.id);
    expect(decision.outcome).toBe('assigned');
    expect(decision.reasons[0]).toMatch(/^Grace Whitfield scores/);
    expect((decision.candidates as { userId: string; eligible: boolean; reasons: string[] }[]).find((x) => x.userId === f.staff.kevin.id)).toMatchObject({ eligible: false });

    const care = await svc().care.ofCustomer(admin, f.customers.bill);
    expect(care).toHaveLength(1);
    expect(care[0].actions.map((a) => a.kind).sort()).toEqual(['apology', 'compensation', 'fix', 'follow_up_call']);
    expect(care[0].actions.find((a) => a.kind === 'apology')?.dueAt).toBeInstanceOf(Date);
    const stage = await svc().lifecycle.current(admin, f.customers.bill);
    expect(stage).toMatchObject({ stage: 'intensive_care', previousStage: 'account_management' });
    const history = await svc().lifecycle.history(admin, f.customers.bill);
    expect(history.map((h) => [h.cause, h.toStage, h.ruleName])).toEqual([['initial', 'account_management', null], ['rule', 'intensive_care', 'complaint']]);

    const events = await svc().cases.events(admin, c.id);
    expect(events.map((e) => e.kind)).toEqual(['opened', 'assigned']);
  });

  it('sends a small customer’s routine question to the general queue, with the reason', async () => {
    const c = await svc().cases.open(admin, { customerId: f.customers.sam, kind: 'question', subject: 'How do I change my PIN?', touchPoint: 'web' });
    expect(c).toMatchObject({ ownerUserId: null, queueDivisionId: f.divisions.cards, valueTier: 'rest', priority: 'normal' });
    const events = await svc().cases.events(admin, c.id);
    expect(events.at(-1)).toMatchObject({ kind: 'queued', toValue: 'the Cards general queue', note: 'a routine question (normal) from a standard value customer goes to the Cards general queue' });
    const queues = await svc().cases.queues(admin);
    expect(queues.find((q) => q.queueDivisionId === f.divisions.cards)).toMatchObject({ waiting: 1, breached: 0 });
  });

  it('falls back to the team queue when nobody has the skill, never losing the case', async () => {
    const c = await svc().cases.open(admin, { customerId: f.customers.sam, kind: 'request', subject: 'Travel insurance on my card', productId: f.products.gold, touchPoint: 'email', language: 'fr', teamId: f.teams.cards });
    expect(c).toMatchObject({ ownerUserId: null, queueTeamId: f.teams.cards });
    const [d] = await svc().assignment.decisionsFor(admin, c.id);
    expect(d.reasons[0]).toContain('nobody qualifies');
  });

  it('asks which division when the customer is known to several and none is given', async () => {
    await expect(svc().cases.open(admin, { customerId: f.customers.bill, kind: 'question', subject: 'x', touchPoint: 'web' })).rejects.toMatchObject({ issues: [{ path: 'body/divisionId' }] });
  });

  it('keeps division-scoped staff to their divisions', async () => {
    const cardAgent = actorFor(f.staff.lucy);
    const mortgageCase = await svc().cases.open(admin, { customerId: f.customers.bill, kind: 'request', subject: 'Statement copy', divisionId: f.divisions.mortgages, touchPoint: 'web' });
    await expect(svc().cases.row(cardAgent, mortgageCase.id)).rejects.toThrow(NotFoundError);
    const mine = await svc().cases.list(cardAgent, { limit: 100 });
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((c) => c.divisionId === f.divisions.cards)).toBe(true);
    await expect(svc().cases.open(cardAgent, { customerId: f.customers.bill, kind: 'request', subject: 'x', divisionId: f.divisions.mortgages, touchPoint: 'web' })).rejects.toThrow(ForbiddenError);
  });
});

describe('status, SLA clocks and recovery', () => {
  // Monday 3 March 2025, 09:00 UTC, in the built-in Monday–Friday 09–17 UTC calendar.
  const mon = (h: number, m = 0, day = 3) => new Date(Date.UTC(2025, 2, day, h, m));

  it('rejects forbidden transitions and a second close, and demands a root cause to resolve a complaint', async () => {
    const c = await svc().cases.open(admin, { customerId: f.customers.sam, kind: 'complaint', subject: 'Charged twice', divisionId: f.divisions.cards, touchPoint: 'branch', openedAt: mon(9) });
    await expect(svc().cases.changeStatus(admin, c.id, { status: 'closed' })).rejects.toThrow(UnprocessableError);
    await svc().cases.changeStatus(admin, c.id, { status: 'in_progress', at: mon(9, 10) });
    await expect(svc().cases.changeStatus(admin, c.id, { status: 'resolved', at: mon(10) })).rejects.toThrow('name the root cause');
    await svc().cases.changeStatus(admin, c.id, { status: 'resolved', rootCause: 'system', at: mon(10) });
    const closed = await svc().cases.changeStatus(admin, c.id, { status: 'closed', at: mon(11) });
    expect(closed).toMatchObject({ status: 'closed', rootCause: 'system', firstResponseState: 'met', resolutionState: 'met' });
    await expect(svc().cases.changeStatus(admin, c.id, { status: 'closed' })).rejects.toThrow(ConflictError);
    await expect(svc().cases.changeStatus(admin, c.id, { status: 'closed' })).rejects.toThrow('already closed');
    const events = await svc().cases.events(admin, c.id);
    expect(events.filter((e) => e.kind === 'status').map((e) => `${e.fromValue}>${e.toValue}`)).toEqual(['open>in_progress', 'in_progress>resolved', 'resolved>closed']);
    expect(events.find((e) => e.kind === 'first_response')?.note).toBe('first response after 10 business minutes');
  });

  it('pauses both clocks while waiting on the customer and resumes them after', async () => {
    const c = await svc().cases.open(admin, { customerId: f.customers.sam, kind: 'request', subject: 'Limit increase', divisionId: f.divisions.cards, touchPoint: 'web', priority: 'normal', openedAt: mon(9) });
    // normal / rest: first response 240, resolution 2400 business minutes.
    await svc().cases.changeStatus(admin, c.id, { status: 'waiting_on_customer', at: mon(10) });
    const waiting = await svc().cases.detail(admin, c.id);
    expect(waiting.timers.resolution).toMatchObject({ state: 'paused', elapsedMinutes: 60, dueAt: null });
    expect(waiting.timers.firstResponse.state).toBe('met');
    expect(waiting.slaNextCheckAt).toBeNull();
    // The customer answers on Wednesday at 09:00: two working days of waiting do not count.
    const resumed = await svc().cases.changeStatus(admin, c.id, { status: 'in_progress', at: mon(9, 0, 5) });
    expect(resumed.resolutionDueAt?.toISOString()).toBe(new Date(Date.UTC(2025, 2, 11, 16, 0)).toISOString());
  });

  it('recovers the customer when every recovery action is done and the complaint resolved', async () => {
    const c = await svc().cases.open(admin, { customerId: f.customers.sam, kind: 'complaint', subject: 'Rude branch staff', divisionId: f.divisions.cards, touchPoint: 'branch' });
    expect((await svc().lifecycle.current(admin, f.customers.sam)).stage).toBe('intensive_care');
    const [episode] = (await svc().care.ofCustomer(admin, f.customers.sam)).filter((e) => e.caseId === c.id);
    for (const a of episode.actions.filter((x) => x.kind !== 'compensation')) await svc().care.updateAction(admin, a.id, { status: 'done', note: `${a.kind} done` });
    await expect(svc().care.updateAction(admin, episode.actions.find((x) => x.kind === 'apology')!.id, { status: 'done', amount: 50 })).rejects.toThrow('only compensation has an amount');
    await svc().care.updateAction(admin, episode.actions.find((x) => x.kind === 'compensation')!.id, { status: 'done', amount: 25 });
    // Still in care: the complaint is not resolved yet (and another complaint of Sam's is open).
    expect((await svc().care.ofCustomer(admin, f.customers.sam)).find((e) => e.caseId === c.id)?.outcome).toBeNull();
    await svc().cases.changeStatus(admin, c.id, { status: 'resolved', rootCause: 'people' });
    const after = (await svc().care.ofCustomer(admin, f.customers.sam)).find((e) => e.caseId === c.id);
    expect(after?.outcome).toBe('recovered');
    await expect(svc().care.closeEpisode(admin, after!.id, 'lost', 'changed my mind')).rejects.toThrow(ConflictError);
  });
});

describe('assignment overrides', () => {
  it('records a manual reassignment as an override and refuses someone outside the division', async () => {
    const c = await svc().cases.open(admin, { customerId: f.customers.sam, kind: 'incident', subject: 'Card declined abroad', divisionId: f.divisions.cards, touchPoint: 'mobile' });
    const moved = await svc().cases.assign(admin, c.id, { userId: f.staff.marcus.id, reason: 'speaks to the merchant bank daily' });
    expect(moved.ownerUserId).toBe(f.staff.marcus.id);
    const [latest] = await svc().assignment.decisionsFor(admin, c.id);
    expect(latest).toMatchObject({ outcome: 'overridden', userId: f.staff.marcus.id });
    await expect(svc().cases.assign(admin, c.id, { userId: f.staff.daniel.id, reason: 'x' })).rejects.toThrow('does not serve this case');
    await expect(svc().cases.assign(admin, c.id, { userId: f.staff.marcus.id, reason: 'x' })).rejects.toThrow(ConflictError);
  });
});
