import type { Actor } from '../../core/actor.js';
import type { Database } from '../../core/db/engine.js';
import type { JobRunner } from '../../core/jobs/runner.js';
import type { CustomerService } from '../identity/service.js';
import type { HoldingsService } from '../holdings/service.js';
import type { InteractionService } from '../interactions/service.js';
import type { OrgService } from '../org/service.js';
import { TaskService } from './tasks/service.js';
import { defaultConsents, type ConsentLookup } from '../privacy/consents.js';
import { AlarmService } from './alarms/service.js';
import { AssignmentService } from './assignment/service.js';
import { CareService } from './cases/care.js';
import { CaseService } from './cases/service.js';
import type { ServiceContext } from './context.js';
import { LifecycleService } from './lifecycle/service.js';
import { NotificationService } from './notifications.js';
import { ServiceSettings } from './settings.js';
import { SlaCheck, type SlaCheckOptions } from './sla/check.js';
import { SurveyService } from './surveys/service.js';
import { everyoneIsRest, type CustomerValueLookup } from './value.js';

export const JOB_KINDS = { slaCheck: 'sla-check', alarms: 'service-alarms', lifecycle: 'lifecycle-sweep', taskReminders: 'task-reminders' } as const;

/**
 * How often `serve` runs each service job by default, in minutes: SLA warnings and task reminders should not
 * wait long (a steady-state SLA check visits only the cases whose instant has come), while alarms and the
 * lifecycle sweep read every customer and change slowly.
 */
export const PERIODIC_JOB_MINUTES: Record<string, number> = {
  [JOB_KINDS.slaCheck]: 5,
  [JOB_KINDS.taskReminders]: 1,
  [JOB_KINDS.alarms]: 60,
  [JOB_KINDS.lifecycle]: 60,
};

export interface ServiceDeps {
  jobs: JobRunner;
  customers: CustomerService;
  holdings: HoldingsService;
  interactions: InteractionService;
  org: OrgService;
  value?: CustomerValueLookup;
  /** Who may be contacted on which channel (surveys, alarms); default: the privacy capability's defaults. */
  consents?: ConsentLookup;
}

/**
 * The service capability: cases with SLAs, intensive care, assignment, the lifecycle, surveys and neglect
 * alarms. Its parts share one context; its jobs are registered with the runner here.
 */
export class ServiceModule {
  readonly ctx: ServiceContext;

  constructor(db: Database, deps: ServiceDeps) {
    const ctx = { db, ...deps, value: deps.value ?? everyoneIsRest, consents: deps.consents ?? defaultConsents, settings: new ServiceSettings(db), notifications: new NotificationService(db) } as ServiceContext;
    ctx.assignment = new AssignmentService(ctx);
    ctx.cases = new CaseService(ctx);
    ctx.care = new CareService(ctx);
    ctx.sla = new SlaCheck(ctx);
    ctx.lifecycle = new LifecycleService(ctx);
    ctx.surveys = new SurveyService(ctx);
    ctx.alarms = new AlarmService(ctx);
    ctx.tasks = new TaskService(ctx);
    this.ctx = ctx;
    deps.jobs.register<SlaCheckOptions & { now?: string }, unknown>(JOB_KINDS.slaCheck, (job) =>
      ctx.sla.run(job.job.tenantId, { full: job.params?.full, now: job.params?.now ? new Date(job.params.now) : undefined }, job.progress, job.signal));
    deps.jobs.register<{ now?: string }, unknown>(JOB_KINDS.alarms, (job) => ctx.alarms.run(job.job.tenantId, { now: job.params?.now ? new Date(job.params.now) : undefined }, job.progress, job.signal));
    deps.jobs.register<{ now?: string }, unknown>(JOB_KINDS.taskReminders, (job) => ctx.tasks.remind(job.job.tenantId, { now: job.params?.now ? new Date(job.params.now) : undefined }));
    deps.jobs.register<{ now?: string }, unknown>(JOB_KINDS.lifecycle, (job) => ctx.lifecycle.sweep(job.job.tenantId, { now: job.params?.now ? new Date(job.params.now) : undefined }, job.progress, job.signal));
  }

  get cases() {
    return this.ctx.cases;
  }
  get care() {
    return this.ctx.care;
  }
  get sla() {
    return this.ctx.sla;
  }
  get settings() {
    return this.ctx.settings;
  }
  get assignment() {
    return this.ctx.assignment;
  }
  get lifecycle() {
    return this.ctx.lifecycle;
  }
  get surveys() {
    return this.ctx.surveys;
  }
  get alarms() {
    return this.ctx.alarms;
  }
  get tasks() {
    return this.ctx.tasks;
  }
  get notifications() {
    return this.ctx.notifications;
  }

  /**
   * Alarms say how the customer may be reached for service (what they consented to), so nobody suggests a call
   * to a customer who asked not to be called; an empty list means: do not contact.
   */
  async withContactChannels<T extends { customerId: string }>(tenantId: string, alarms: T[]): Promise<(T & { contactChannels: string[] })[]> {
    const allowed = await this.ctx.consents.allowedChannels(tenantId, [...new Set(alarms.map((a) => a.customerId))], 'service');
    return alarms.map((a) => ({ ...a, contactChannels: allowed.get(a.customerId) ?? [] }));
  }

  /** Swap in the economics-backed value lookup once its results exist. */
  useValueLookup(lookup: CustomerValueLookup) {
    this.ctx.value = lookup;
  }

  /**
   * The service side of one customer, for the 360 view: stage, open cases, intensive care, relationship
   * manager and open alarms, each scoped to what the actor may see.
   */
  async customerSummary(actor: Actor, customerId: string) {
    const customer = await this.ctx.customers.getCustomer(actor, customerId);
    const [stage, openCases, care, relationshipManager, alarms, tiers] = await Promise.all([
      this.ctx.lifecycle.current(actor, customerId),
      this.ctx.cases.list(actor, { customerId, open: true, limit: 50 }),
      this.ctx.care.ofCustomer(actor, customerId),
      this.ctx.assignment.getRelationshipManager(actor, customerId),
      this.ctx.alarms.list(actor, { customerId, limit: 50 }),
      this.ctx.value.tierOf(actor.tenantId, [customerId]),
    ]);
    return {
      customerId: customer.id,
      tier: tiers.get(customerId) ?? 'rest',
      stage,
      openCases: openCases.items,
      intensiveCare: care.filter((e) => !e.outcome),
      relationshipManager,
      alarms: alarms.items,
    };
  }

  /** Enqueues the periodic jobs (SLA check, alarms, lifecycle sweep, task reminders) for a tenant; the serve loop (or cron calling the CLI) decides how often. */
  async enqueuePeriodic(tenantId: string, createdBy: string | null = null) {
    const jobs = this.ctx.jobs;
    return Promise.all(Object.values(JOB_KINDS).map((kind) => jobs.enqueue(tenantId, kind, {}, createdBy)));
  }
}
