import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../api/testing.js';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { actorFor } from '../access/service.js';
import { seedServiceFixture } from '../service/testing.js';

let t: Awaited<ReturnType<typeof buildTestApp>>;
let f: Awaited<ReturnType<typeof seedServiceFixture>>;
let surveyId: string;
const admin = systemActor(DEFAULT_TENANT);
const call = (method: 'GET' | 'POST', url: string, body?: unknown) => t.app.inject({ method, url: `/api/v1${url}`, headers: t.auth, ...(body ? { payload: body as object } : {}) });
const invitations = async (customerId: string) => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM survey_invitations WHERE customer_id = $1', [customerId]))[0].n;

beforeAll(async () => {
  t = await buildTestApp();
  f = await seedServiceFixture(t.app.services);
  surveyId = (await t.app.services.service.surveys.create(admin, { name: 'After a case', kind: 'csat', trigger: 'case_closed', question: 'How satisfied are you?' })).id;
}, 120_000);
afterAll(() => t?.close());

describe('consent and contact preferences', () => {
  it('starts from the defaults: service and surveys allowed until the customer objects, marketing only with a yes', async () => {
    const res = await call('GET', `/customers/${f.customers.sam}/consents`);
    expect(res.statusCode, res.body).toBe(200);
    const current = res.json().current as { channel: string; purpose: string; granted: boolean; source: string }[];
    expect(current).toHaveLength(15);
    expect(current.filter((c) => c.purpose === 'marketing').every((c) => !c.granted)).toBe(true);
    expect(current.filter((c) => c.purpose !== 'marketing').every((c) => c.granted && c.source === 'default')).toBe(true);
    expect(res.json().history).toEqual([]);
  });

  it('records what the customer said, keeps the history, and shows it in the 360 view', async () => {
    const said = await call('POST', `/customers/${f.customers.sam}/consents`, {
      statements: [
        { channel: 'email', purpose: 'surveys', granted: false, source: 'call centre', note: 'too many emails' },
        { channel: 'email', purpose: 'marketing', granted: true, source: 'web preference centre' },
      ],
    });
    expect(said.statusCode, said.body).toBe(200);
    const now = said.json().current as { channel: string; purpose: string; granted: boolean; source: string }[];
    expect(now.find((c) => c.channel === 'email' && c.purpose === 'surveys')).toMatchObject({ granted: false, source: 'call centre' });
    expect(now.find((c) => c.channel === 'email' && c.purpose === 'marketing')).toMatchObject({ granted: true });
    // Changing one's mind adds to the history; the latest statement is in force.
    await call('POST', `/customers/${f.customers.sam}/consents`, { statements: [{ channel: 'email', purpose: 'marketing', granted: false, source: 'unsubscribe link' }] });
    const res = await call('GET', `/customers/${f.customers.sam}/consents`);
    expect(res.json().history).toHaveLength(3);
    expect(res.json().current.find((c: { channel: string; purpose: string }) => c.channel === 'email' && c.purpose === 'marketing').granted).toBe(false);
    const v360 = await call('GET', `/customers/${f.customers.sam}/360`);
    expect(v360.json().consents.find((c: { channel: string; purpose: string }) => c.channel === 'email' && c.purpose === 'surveys')).toMatchObject({ granted: false, source: 'call centre' });
  });

  it('surveys honour it: a refused channel is a 422 naming the field, another channel works, an automatic send skips', async () => {
    const byEmail = await call('POST', `/surveys/${surveyId}/invitations`, { customerId: f.customers.sam });
    expect(byEmail.statusCode).toBe(422);
    expect(byEmail.headers['content-type']).toContain('application/problem+json');
    expect(byEmail.json().errors[0].path).toBe('body/channel');
    const bySms = await call('POST', `/surveys/${surveyId}/invitations`, { customerId: f.customers.sam, channel: 'sms' });
    expect(bySms.statusCode, bySms.body).toBe(201);
    const before = await invitations(f.customers.sam);
    // A closed case sends the case_closed survey by email, which Sam refused: skipped, the case still closes.
    expect(await t.app.services.service.surveys.onEvent(DEFAULT_TENANT, 'case_closed', { customerId: f.customers.sam })).toEqual([]);
    expect(await invitations(f.customers.sam)).toBe(before);
    expect(await t.app.services.service.surveys.onEvent(DEFAULT_TENANT, 'case_closed', { customerId: f.customers.bill })).toHaveLength(1);
  });

  it('alarms say how a customer may be reached, and that one who asked for no contact is not to be called', async () => {
    await call('POST', `/customers/${f.customers.sam}/consents`, { statements: [{ channel: 'phone', purpose: 'service', granted: false, source: 'branch' }] });
    const [sam, bill] = await t.app.services.service.withContactChannels(DEFAULT_TENANT, [{ customerId: f.customers.sam }, { customerId: f.customers.bill }]);
    expect(sam.contactChannels).toEqual(['email', 'sms', 'mail', 'push']);
    expect(bill.contactChannels).toEqual(['email', 'phone', 'sms', 'mail', 'push']);
    await call('POST', `/customers/${f.customers.sam}/consents`, { statements: ['email', 'sms', 'mail', 'push'].map((channel) => ({ channel, purpose: 'service', granted: false, source: 'letter' })) });
    const [none] = await t.app.services.service.withContactChannels(DEFAULT_TENANT, [{ customerId: f.customers.sam }]);
    expect(none.contactChannels).toEqual([]);
  });

  it('keeps to divisions and rejects bad statements with the field path', async () => {
    const kevin = actorFor({ ...f.staff.kevin, tenantId: DEFAULT_TENANT });
    await expect(t.app.services.consents.current(kevin, f.customers.sam), 'Sam is a Cards customer; Kevin works in Mortgages').rejects.toMatchObject({ status: 404 });
    const bad = await call('POST', `/customers/${f.customers.sam}/consents`, { statements: [{ channel: 'pigeon', purpose: 'service', granted: true, source: 'x' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toMatch(/^body\/statements\/0\/channel/);
    const empty = await call('POST', `/customers/${f.customers.sam}/consents`, { statements: [] });
    expect(empty.statusCode).toBe(400);
  });
});
