import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../api/testing.js';
import { systemActor } from '../../../core/actor.js';
import { DEFAULT_TENANT, newId } from '../../../core/ids.js';
import { actorFor } from '../../access/service.js';
import { seedServiceFixture } from '../testing.js';
import { createServices } from '../../../api/services.js';
import { JOB_KINDS } from '../service.js';

let t: Awaited<ReturnType<typeof buildTestApp>>;
let f: Awaited<ReturnType<typeof seedServiceFixture>>;
const admin = systemActor(DEFAULT_TENANT);
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const post = (url: string, body: unknown) => t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: t.auth, payload: body as object });
const reminders = async (userId: string) =>
  (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM service_notifications WHERE kind = 'task_reminder' AND user_id = $1", [userId]))[0].n;

beforeAll(async () => {
  t = await buildTestApp();
  f = await seedServiceFixture(t.app.services);
}, 120_000);
afterAll(() => t?.close());

describe('tasks', () => {
  let billTask: { id: string; assigneeUserId: string };

  it('routes a task on a top-value customer to a senior person of the division, and says why', async () => {
    const res = await post('/tasks', { title: 'Call Bill about the renewal', customerId: f.customers.bill, divisionId: f.divisions.mortgages, dueAt: inHours(48), remindAt: inHours(24) });
    expect(res.statusCode, res.body).toBe(201);
    const task = res.json();
    expect(task).toMatchObject({ status: 'open', divisionId: f.divisions.mortgages, customerId: f.customers.bill, assignment: { outcome: 'assigned' } });
    expect([f.staff.grace.id, f.staff.daniel.id], 'a top-1 % customer gets a senior broker').toContain(task.assigneeUserId);
    expect(task.assignment.reasons.length).toBeGreaterThan(0);
    billTask = task;
  });

  it('takes a case’s division and customer from the case', async () => {
    const opened = await post('/cases', { customerId: f.customers.sam, kind: 'request', subject: 'Raise my limit', divisionId: f.divisions.cards, touchPoint: 'web' });
    expect(opened.statusCode, opened.body).toBe(201);
    const res = await post('/tasks', { title: 'Check the new limit took effect', caseId: opened.json().id, dueAt: inHours(72) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ divisionId: f.divisions.cards, customerId: f.customers.sam, caseId: opened.json().id });
  });

  it('rejects tasks about nothing, reminders after the due time, and an ambiguous division, each naming the field', async () => {
    const none = await post('/tasks', { title: 'Orphan', dueAt: inHours(1) });
    expect(none.statusCode).toBe(400);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(none.json().errors[0].path).toBe('body/customerId');
    const late = await post('/tasks', { title: 'Late reminder', customerId: f.customers.sam, dueAt: inHours(1), remindAt: inHours(2) });
    expect(late.statusCode).toBe(400);
    expect(late.json().errors[0].path).toBe('body/remindAt');
    const ambiguous = await post('/tasks', { title: 'Which division?', customerId: f.customers.bill, dueAt: inHours(1) });
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json().errors[0].path).toBe('body/divisionId');
    const unknown = await post('/tasks', { title: 'Typo', customerId: f.customers.sam, dueAt: inHours(1), colour: 'red' });
    expect(unknown.statusCode).toBe(400);
  });

  it('reminds the assignee once, however often the job runs, and again after a reassignment', async () => {
    const tasks = t.app.services.service.tasks;
    const assignee = billTask.assigneeUserId;
    const before = await reminders(assignee);
    expect((await tasks.remind(DEFAULT_TENANT, { now: new Date() })).reminded, 'not due yet').toBe(0);
    const later = new Date(Date.now() + 25 * 3_600_000);
    // Two runs at once (an overlapping schedule, a retry after a crash): one reminder.
    const runs = await Promise.all([tasks.remind(DEFAULT_TENANT, { now: later }), tasks.remind(DEFAULT_TENANT, { now: later })]);
    expect(runs[0].reminded + runs[1].reminded).toBe(1);
    expect(await reminders(assignee)).toBe(before + 1);
    expect((await tasks.remind(DEFAULT_TENANT, { now: later })).reminded).toBe(0);

    const other = assignee === f.staff.grace.id ? f.staff.daniel.id : f.staff.grace.id;
    const moved = await post(`/tasks/${billTask.id}/assignment`, { userId: other, reason: 'Grace is on leave' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ assigneeUserId: other, assignment: { outcome: 'assigned' } });
    expect((await tasks.remind(DEFAULT_TENANT, { now: later })).reminded).toBe(1);
    expect(await reminders(other)).toBeGreaterThanOrEqual(1);
    const foreign = await post(`/tasks/${billTask.id}/assignment`, { userId: f.staff.lucy.id, reason: 'wrong division' });
    expect(foreign.statusCode).toBe(422);
  });

  it('lists overdue tasks and keeps each division’s tasks to itself', async () => {
    const past = await post('/tasks', { title: 'Send the papers', customerId: f.customers.bill, divisionId: f.divisions.mortgages, dueAt: inHours(-2) });
    expect(past.statusCode, past.body).toBe(201);
    const overdue = await t.app.inject({ method: 'GET', url: '/api/v1/tasks?overdue=true', headers: t.auth });
    expect(overdue.json().items.map((x: { id: string }) => x.id)).toEqual([past.json().id]);

    const lucy = actorFor({ ...f.staff.lucy, tenantId: DEFAULT_TENANT });
    const hers = await t.app.services.service.tasks.list(lucy, { limit: 50 });
    expect(hers.items.every((x) => x.divisionId === f.divisions.cards)).toBe(true);
    await expect(t.app.services.service.tasks.get(lucy, past.json().id)).rejects.toMatchObject({ status: 404 });
    const all = await t.app.services.service.tasks.list(admin, { limit: 2 });
    expect(all.nextCursor).not.toBeNull();
    const rest = await t.app.services.service.tasks.list(admin, { limit: 50, cursor: all.nextCursor! });
    expect(new Set([...all.items, ...rest.items].map((x) => x.id)).size).toBe(all.items.length + rest.items.length);
  });

  it('completes a task once; a second completion is a conflict', async () => {
    const done = await post(`/tasks/${billTask.id}/completion`, { status: 'done', note: 'Renewal agreed' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done' });
    expect(done.json().completedAt).toBeTruthy();
    const again = await post(`/tasks/${billTask.id}/completion`, { status: 'done' });
    expect(again.statusCode).toBe(409);
    expect((await t.app.services.service.tasks.remind(DEFAULT_TENANT, { now: new Date(Date.now() + 100 * 3_600_000) })).reminded, 'a finished task is never reminded').toBe(0);
  });

  it('routes a lead opened without an owner through the same engine, and records why', async () => {
    const pipeline = await post('/sales/pipelines', {
      divisionId: f.divisions.mortgages,
      code: 'REMORTGAGE',
      name: 'Remortgage',
      stages: [{ code: 'lead', name: 'Lead', probability: 10 }, { code: 'won', name: 'Won', probability: 100, outcome: 'won' }, { code: 'lost', name: 'Lost', probability: 0, outcome: 'lost' }],
    });
    expect(pipeline.statusCode, pipeline.body).toBe(201);
    const lead = { pipelineId: pipeline.json().id, name: 'Bill: remortgage at renewal', customerId: f.customers.bill, amount: 400_000, currency: 'USD', expectedClose: '2027-03-31' };
    const res = await post('/sales/opportunities', { ...lead, autoAssign: true });
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json();
    expect([f.staff.grace.id, f.staff.daniel.id], 'a top-1 % customer’s lead goes to a senior broker').toContain(o.ownerUserId);
    expect(o.assignment.userId).toBe(o.ownerUserId);
    expect(o.assignment.reasons.length).toBeGreaterThan(0);
    const [decision] = await t.db.query<{ subject_kind: string; user_id: string }>('SELECT subject_kind, user_id FROM assignment_decisions WHERE subject_id = $1', [o.id]);
    expect(decision).toEqual({ subject_kind: 'lead', user_id: o.ownerUserId });
    const both = await post('/sales/opportunities', { ...lead, autoAssign: true, ownerUserId: f.staff.kevin.id });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors[0].path).toBe('body/autoAssign');
    const named = await post('/sales/opportunities', { ...lead, ownerUserId: f.staff.kevin.id });
    expect(named.json()).toMatchObject({ ownerUserId: f.staff.kevin.id, assignment: null });
  });
});

describe('task reminders across a restart', () => {
  it('the job sends a reminder once; a new process (new runner, new services) re-running it, or taking over a crashed run, sends none', async () => {
    const res = await post('/tasks', { title: 'Restart-proof reminder', customerId: f.customers.sam, dueAt: inHours(2), remindAt: inHours(-1) });
    expect(res.statusCode, res.body).toBe(201);
    const taskId: string = res.json().id;
    const noticesOf = async () =>
      (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM service_notifications WHERE kind = 'task_reminder' AND message LIKE 'Reminder: Restart-proof reminder%'"))[0].n;

    const first = t.app.services;
    const job = await first.jobs.enqueue(DEFAULT_TENANT, JOB_KINDS.taskReminders, {}, null);
    expect((await first.jobs.waitFor(DEFAULT_TENANT, job.id)).status).toBe('succeeded');
    expect(await noticesOf()).toBe(1);

    // "Restart": the same database, a fresh set of services and runner. A run left 'running' by the dead process
    // (its heartbeat stopped long ago) is taken over, and a newly scheduled run follows.
    const second = createServices(t.db);
    await t.db.query(
      "INSERT INTO jobs (id, tenant_id, kind, params, status, attempts, started_at, heartbeat_at) VALUES ($3, $1, $2, '{}', 'running', 1, now() - interval '10 minutes', now() - interval '10 minutes')",
      [DEFAULT_TENANT, JOB_KINDS.taskReminders, newId()],
    );
    await second.jobs.enqueue(DEFAULT_TENANT, JOB_KINDS.taskReminders, {}, null);
    await second.jobs.drain();
    const runs = await t.db.query<{ status: string }>('SELECT status FROM jobs WHERE tenant_id = $1 AND kind = $2 ORDER BY created_at', [DEFAULT_TENANT, JOB_KINDS.taskReminders]);
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(await noticesOf(), 'still one reminder').toBe(1);
    const [row] = await t.db.query<{ reminded_at: Date | null }>('SELECT reminded_at FROM service_tasks WHERE id = $1', [taskId]);
    expect(row.reminded_at).not.toBeNull();
  });
});
