import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { buildTestApp } from '../../../api/testing.js';
import { systemActor } from '../../../core/actor.js';
import { DEFAULT_TENANT } from '../../../core/ids.js';
import { serviceNotifications } from '../schema.js';
import { seedServiceFixture } from '../testing.js';

let t: Awaited<ReturnType<typeof buildTestApp>>;
let f: Awaited<ReturnType<typeof seedServiceFixture>>;
const admin = systemActor(DEFAULT_TENANT);
const svc = () => t.app.services.service;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await buildTestApp();
  f = await seedServiceFixture(t.app.services);
});
afterAll(() => t.close());

const notesFor = (caseId: string) => t.db.orm.select().from(serviceNotifications).where(and(eq(serviceNotifications.tenantId, DEFAULT_TENANT), eq(serviceNotifications.caseId, caseId)));

describe('SLA check', () => {
  it('warns the owner, then on breach raises the priority and tells the manager, once', async () => {
    const c = await svc().cases.open(admin, { customerId: f.customers.sam, kind: 'request', subject: 'Replace my card', divisionId: f.divisions.cards, touchPoint: 'web', priority: 'normal', ownerUserId: f.staff.lucy.id });
    const { timers } = await svc().cases.detail(admin, c.id);
    const warnAt = timers.firstResponse.warnAt!;
    const dueAt = timers.firstResponse.dueAt!;

    const early = await svc().sla.run(DEFAULT_TENANT, { now: new Date(warnAt.getTime() - 60_000) });
    expect(early.changed).toBe(0);

    const warned = await svc().sla.run(DEFAULT_TENANT, { now: new Date(warnAt.getTime() + 60_000) });
    expect(warned).toMatchObject({ warnings: 1, breaches: 0 });
    let row = await svc().cases.row(admin, c.id);
    expect(row.firstResponseState).toBe('warning');
    expect(row.slaNextCheckAt?.getTime()).toBe(dueAt.getTime());
    expect((await notesFor(c.id)).filter((n) => n.kind === 'sla_warning').map((n) => n.userId)).toEqual([f.staff.lucy.id]);

    // Just past the first-response due time: breached, the division's manager hears about it.
    const justLate = await svc().sla.run(DEFAULT_TENANT, { now: new Date(dueAt.getTime() + 60_000) });
    expect(justLate).toMatchObject({ breaches: 1, staleBreaches: 0 });
    expect((await notesFor(c.id)).filter((n) => n.kind === 'sla_breach').map((n) => n.userId)).toEqual([f.staff.helen.id]);

    // A month later the resolution has breached too, found long after the fact: the priority goes up, and the
    // managers get one digest for the division instead of a notice per case.
    const later = new Date(dueAt.getTime() + 30 * DAY);
    const breached = await svc().sla.run(DEFAULT_TENANT, { now: later });
    expect(breached).toMatchObject({ breaches: 1, priorityRaised: 1, staleBreaches: 1 });
    row = await svc().cases.row(admin, c.id);
    expect(row).toMatchObject({ firstResponseState: 'breached', resolutionState: 'breached', priority: 'high', escalationLevel: 2, slaNextCheckAt: null });
    expect((await notesFor(c.id)).filter((n) => n.kind === 'sla_breach')).toHaveLength(1);
    const digest = await t.db.orm.select().from(serviceNotifications).where(and(eq(serviceNotifications.tenantId, DEFAULT_TENANT), isNull(serviceNotifications.caseId)));
    expect(digest).toEqual([expect.objectContaining({ divisionId: f.divisions.cards, userId: null, message: expect.stringContaining('1 cases had already missed their SLA') })]);
    const events = await svc().cases.events(admin, c.id);
    expect(events.filter((e) => e.kind === 'sla_breached')).toHaveLength(2);
    expect(events.find((e) => e.kind === 'priority')).toMatchObject({ fromValue: 'normal', toValue: 'high', actorKind: 'sla-check' });
    const again = await svc().sla.run(DEFAULT_TENANT, { now: later });
    expect(again.examined).toBe(0);
    expect((await svc().sla.run(DEFAULT_TENANT, { now: later, full: true })).changed).toBe(0);
  });

  it('reassigns to the division manager when a policy says so', async () => {
    await svc().settings.savePolicy(admin, { name: 'incidents', kind: 'incident', priority: null, tier: null, firstResponseMinutes: 30, resolutionMinutes: 120, warnAtFraction: 1, escalation: [{ on: 'resolution', when: 'breached', action: 'reassign', target: 'manager' }], calendarId: null });
    const c = await svc().cases.open(admin, { customerId: f.customers.sam, kind: 'incident', subject: 'App down', divisionId: f.divisions.cards, touchPoint: 'mobile', ownerUserId: f.staff.lucy.id });
    expect(c.sla).toMatchObject({ name: 'incidents', resolutionMinutes: 120 });
    const r = await svc().sla.run(DEFAULT_TENANT, { now: new Date(Date.now() + 30 * DAY) });
    expect(r.reassigned).toBe(1);
    const row = await svc().cases.row(admin, c.id);
    expect(row.ownerUserId).toBe(f.staff.helen.id);
    expect((await svc().cases.events(admin, c.id)).find((e) => e.kind === 'reassigned')).toMatchObject({ fromValue: f.staff.lucy.id, toValue: f.staff.helen.id });
  });

  it('leaves a paused case alone and counts in the calendar the case was opened under', async () => {
    const london = await svc().settings.saveCalendar(admin, { name: 'London office', timeZone: 'Europe/London', week: { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }], thu: [{ start: '09:00', end: '17:00' }], fri: [{ start: '09:00', end: '17:00' }] }, holidays: ['2030-12-25'] });
    await svc().settings.update(admin, { defaultCalendarId: london.id });
    const c = await svc().cases.open(admin, { customerId: f.customers.sam, kind: 'request', subject: 'Waiting for documents', divisionId: f.divisions.cards, touchPoint: 'email' });
    expect(c.sla.calendarId).toBe(london.id);
    await svc().cases.changeStatus(admin, c.id, { status: 'waiting_on_customer' });
    const r = await svc().sla.run(DEFAULT_TENANT, { now: new Date(Date.now() + 60 * DAY), full: true });
    const row = await svc().cases.row(admin, c.id);
    expect(row.resolutionState).toBe('paused');
    expect(r.examined).toBeGreaterThan(0);
    await svc().settings.update(admin, { defaultCalendarId: null });
  });
});
