import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../api/testing.js';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { seedServiceDemo, usBankHolidays } from './demo.js';
import { seedServiceFixture } from './testing.js';
import { fixedValueLookup } from './value.js';

describe('usBankHolidays', () => {
  it('knows the floating Mondays and Thursdays and moves weekend holidays', () => {
    const h = usBankHolidays(2025);
    expect(h).toEqual(expect.arrayContaining(['2025-01-01', '2025-01-20', '2025-02-17', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-10-13', '2025-11-11', '2025-11-27', '2025-12-25']));
    expect(usBankHolidays(2026)).toContain('2026-07-03'); // 4 July 2026 is a Saturday
    expect(usBankHolidays(2027)).toContain('2027-12-24'); // 25 December 2027 is a Saturday
  });
});

describe('seedServiceDemo', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  let f: Awaited<ReturnType<typeof seedServiceFixture>>;
  beforeAll(async () => {
    t = await buildTestApp();
    f = await seedServiceFixture(t.app.services);
  });
  afterAll(() => t.close());

  it('tells both routing stories, builds history, stages and alarms', async () => {
    const s = await seedServiceDemo(t.app.services, { seed: 7, customersWithHistory: 2, value: fixedValueLookup(new Map([[f.customers.bill, 'top1']])) });
    expect(s.story.topValueOwner).toBe(f.staff.grace.id);
    expect(s.story.smallQueuedIn).toBe(f.divisions.cards);
    expect(s.historyCases).toBeGreaterThanOrEqual(2);
    const admin = systemActor(DEFAULT_TENANT);
    const bill = await t.app.services.service.customerSummary(admin, f.customers.bill);
    expect(bill.stage.stage).toBe('intensive_care');
    expect(bill.openCases.map((c) => c.id)).toContain(s.story.topValueCaseId);
    expect(Object.values(s.alarms).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // The 360 view carries the same service side: his stage (with its cause) and his open complaint.
    const v360 = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${f.customers.bill}/360`, headers: t.auth });
    expect(v360.statusCode).toBe(200);
    expect(v360.json().service.stage.stage).toBe('intensive_care');
    expect(v360.json().service.openCases.map((c: { id: string }) => c.id)).toContain(s.story.topValueCaseId);
    expect(Array.isArray(v360.json().service.alarms)).toBe(true);
    const cal = await t.app.services.service.settings.listCalendars(admin);
    expect(cal.map((c) => c.timeZone)).toEqual(['America/New_York']);
    // Run twice: it reuses the calendar and the surveys.
    const again = await seedServiceDemo(t.app.services, { seed: 8, customersWithHistory: 1, value: fixedValueLookup(new Map([[f.customers.bill, 'top1']])) });
    expect(again.calendarId).toBe(s.calendarId);
    expect((await t.app.services.service.surveys.list(admin)).length).toBe(3);
  });
});
