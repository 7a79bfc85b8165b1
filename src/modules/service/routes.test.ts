import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../api/testing.js';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { seedServiceFixture } from './testing.js';

let t: Awaited<ReturnType<typeof buildTestApp>>;
let f: Awaited<ReturnType<typeof seedServiceFixture>>;
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  t = await buildTestApp();
  f = await seedServiceFixture(t.app.services);
});
afterAll(() => t.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = t.auth) => t.app.inject({ method: 'POST', url, headers: { ...headers, ...json }, payload: JSON.stringify(payload) });
const get = (url: string, headers: Record<string, string> = t.auth) => t.app.inject({ method: 'GET', url, headers });

describe('cases over HTTP', () => {
  let caseId: string;

  it('opens a complaint, explains the routing and shows live timers', async () => {
    const res = await post('/api/v1/cases', { customerId: f.customers.bill, kind: 'complaint', subject: 'Nobody called back about the home-equity loan', productId: f.products.mortgage, touchPoint: 'call_centre' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    caseId = body.id;
    expect(body).toMatchObject({ ownerUserId: f.staff.grace.id, ownerName: 'Grace Whitfield', valueTier: 'top1', status: 'open' });
    expect(body.timers.firstResponse.state).toMatch(/running|warning|breached/);
    expect(typeof body.timers.resolution.remainingMinutes).toBe('number');
    const decisions = (await get(`/api/v1/cases/${caseId}/assignment`)).json().items;
    expect(decisions[0].candidates.find((c: { userId: string }) => c.userId === f.staff.kevin.id).reasons[0]).toContain('below the 4 needed');
  });

  it('answers forbidden moves with 422 and a second close with 409, as problem+json', async () => {
    const bad = await post(`/api/v1/cases/${caseId}/status`, { status: 'closed' });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json()).toMatchObject({ status: 422, errors: [{ path: 'body/status' }] });
    expect((await post(`/api/v1/cases/${caseId}/responses`, { note: 'Called Bill, apologised' })).json().firstRespondedAt).not.toBeNull();
    expect((await post(`/api/v1/cases/${caseId}/status`, { status: 'resolved', rootCause: 'process' })).statusCode).toBe(200);
    expect((await post(`/api/v1/cases/${caseId}/status`, { status: 'closed' })).statusCode).toBe(200);
    const twice = await post(`/api/v1/cases/${caseId}/status`, { status: 'closed' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().detail).toBe('the case is already closed');
    const events = (await get(`/api/v1/cases/${caseId}/events`)).json().items.map((e: { kind: string }) => e.kind);
    expect(events).toEqual(['opened', 'assigned', 'first_response', 'status', 'status']);
  });

  it('rejects unknown fields and NUL characters', async () => {
    expect((await post('/api/v1/cases', { customerId: f.customers.sam, kind: 'question', subject: 'x', touchPoint: 'web', colour: 'red' })).statusCode).toBe(400);
    expect((await post('/api/v1/cases', { customerId: f.customers.sam, kind: 'question', subject: 'a\u0000b', touchPoint: 'web' })).statusCode).toBe(400);
  });

  it('shows the customer’s service side: stage, open cases, care, relationship manager', async () => {
    const res = await get(`/api/v1/customers/${f.customers.bill}/service`);
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s).toMatchObject({ tier: 'top1', relationshipManager: { displayName: 'Grace Whitfield' } });
    expect(['intensive_care', 'account_management']).toContain(s.stage.stage);
  });

  it('moves stages by hand within the graph, and refuses the rest', async () => {
    const bad = await post(`/api/v1/customers/${f.customers.sam}/lifecycle/moves`, { stage: 'recruitment', note: 'start over' });
    expect(bad.statusCode).toBe(422);
    const ok = await post(`/api/v1/customers/${f.customers.sam}/lifecycle/moves`, { stage: 'dissociation', note: 'moved abroad', winBackOn: '2027-01-01' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ stage: 'dissociation', winBackOn: '2027-01-01' });
    const history = (await get(`/api/v1/customers/${f.customers.sam}/lifecycle`)).json().history;
    expect(history.at(-1)).toMatchObject({ cause: 'manual', toStage: 'dissociation', note: 'moved abroad', actorUserId: t.admin.id });
  });
});

describe('surveys through the public link', () => {
  it('answers once with a signed link, opens a follow-up case for a detractor and refuses reuse, expiry and forgery', async () => {
    const survey = await post('/api/v1/surveys', { name: 'After the case', kind: 'nps', question: 'How likely are you to recommend us to a friend?' });
    expect(survey.statusCode).toBe(201);
    const sent = await post(`/api/v1/surveys/${survey.json().id}/invitations`, { customerId: f.customers.sam, divisionId: f.divisions.cards, touchPoint: 'branch', staffUserId: f.staff.lucy.id });
    expect(sent.statusCode).toBe(201);
    const { path } = sent.json();

    const view = await t.app.inject({ method: 'GET', url: path });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ kind: 'nps', scale: { min: 0, max: 10 } });
    expect(view.body).not.toContain(f.customers.sam);

    expect((await t.app.inject({ method: 'POST', url: path, headers: json, payload: JSON.stringify({ score: 11 }) })).statusCode).toBe(400);
    const answered = await t.app.inject({ method: 'POST', url: path, headers: json, payload: JSON.stringify({ score: 3, comment: 'The branch lost my papers' }) });
    expect(answered.statusCode).toBe(201);
    expect(answered.json()).toEqual({ thanks: 'Thank you for your feedback.', followUp: true });
    const reused = await t.app.inject({ method: 'POST', url: path, headers: json, payload: JSON.stringify({ score: 10 }) });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().detail).toContain('already been answered');

    const [response] = (await get(`/api/v1/customers/${f.customers.sam}/survey-responses`)).json().items;
    expect(response).toMatchObject({ score: 3, sentiment: 'detractor', touchPoint: 'branch', staffUserId: f.staff.lucy.id });
    const followUp = (await get(`/api/v1/cases/${response.followUpCaseId}`)).json();
    expect(followUp).toMatchObject({ origin: 'survey', kind: 'request', priority: 'high', divisionId: f.divisions.cards, description: 'The branch lost my papers' });

    const byStaff = (await get('/api/v1/surveys/results?kind=nps&groupBy=staff')).json();
    expect(byStaff.groups).toEqual([expect.objectContaining({ key: f.staff.lucy.id, label: 'Lucy Alvarez', responses: 1, detractors: 1, score: -100 })]);

    const old = await t.app.services.service.surveys.send(systemActor(DEFAULT_TENANT), survey.json().id, { customerId: f.customers.sam }, 'manual', new Date(Date.now() - 30 * 86_400_000));
    const expired = await t.app.inject({ method: 'GET', url: old.path });
    expect(expired.statusCode).toBe(422);
    expect(expired.json().detail).toContain('expired');
    const [payload, mac] = old.token.split('.');
    const forged = `${payload.slice(0, -2)}AA.${mac}`;
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/public/surveys/${forged}` })).statusCode).toBe(404);
  });
});

describe('alarms over HTTP', () => {
  it('runs the alarm job and lists each alarm with its reason and a link to the customer', async () => {
    const job = await post('/api/v1/alarms/run', {});
    expect(job.statusCode).toBe(202);
    const done = await t.app.services.jobs.waitFor(DEFAULT_TENANT, job.json().id);
    expect(done.status).toBe('succeeded');
    const alarms = (await get(`/api/v1/alarms?customerId=${f.customers.bill}`)).json().items;
    const kinds = alarms.map((a: { kind: string }) => a.kind).sort();
    // No neglect alarm: the complaint Bill raised above counts as a meaningful contact.
    expect(kinds).toEqual(['offer_conflict']);
    const conflict = alarms.find((a: { kind: string }) => a.kind === 'offer_conflict');
    expect(conflict.reason).toBe('Cards is offering Gold Card, but the customer already holds Platinum Card (Cards)');
    expect(conflict.customerPath).toBe(`/api/v1/customers/${f.customers.bill}/360`);
  });

  it('documents the service routes in OpenAPI', async () => {
    const spec = (await get('/api/v1/openapi.json')).json();
    for (const p of ['/api/v1/cases', '/api/v1/cases/{id}/status', '/api/v1/sla/policies', '/api/v1/alarms', '/api/v1/public/surveys/{token}', '/api/v1/lifecycle/measures']) expect(spec.paths[p], p).toBeDefined();
  });
});
