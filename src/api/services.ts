import type { Database } from '../core/db/engine.js';
import { JobRunner } from '../core/jobs/runner.js';
import { JobScheduler } from '../core/jobs/schedule.js';
import { AccessService } from '../modules/access/service.js';
import { AuditService } from '../modules/audit/service.js';
import { OrgService } from '../modules/org/service.js';
import { registerImportJobs } from '../modules/identity/import/jobs.js';
import { CustomerService } from '../modules/identity/service.js';
import { ResolutionService } from '../modules/identity/resolution.js';
import { systemActor } from '../core/actor.js';
import { HoldingsService } from '../modules/holdings/service.js';
import { InteractionService } from '../modules/interactions/service.js';
import { Customer360Service } from '../modules/customer360/service.js';
import { ServiceModule } from '../modules/service/service.js';
import { SalesService } from '../modules/sales/service.js';
import { EconomicsService } from '../modules/economics/service.js';
import { registerEconomicsJobs } from '../modules/economics/jobs.js';
import { ExperienceSignals } from '../modules/experience/signals.js';
import { ConsentService } from '../modules/privacy/consents.js';
import { PrivacyService } from '../modules/privacy/subjects.js';
import { registerWebhookJobs, WebhookService } from '../modules/webhooks/service.js';

/** Every capability's service, wired to one database. The API, CLI and jobs all go through these. */
export function createServices(db: Database) {
  const jobs = new JobRunner(db);
  const org = new OrgService(db);
  const webhooks = new WebhookService(db);
  registerWebhookJobs(jobs, webhooks);
  registerImportJobs(jobs, db, org);
  const customers = new CustomerService(db);
  const holdings = new HoldingsService(db);
  const interactions = new InteractionService(db);
  const resolution = new ResolutionService(db);
  jobs.register<{ full?: boolean }, unknown>('resolution', async (ctx) =>
    resolution.run(systemActor(ctx.job.tenantId), { full: ctx.params.full, progress: (done, total) => ctx.progress(done, total) }),
  );
  const economics = new EconomicsService(db, { customers, org });
  registerEconomicsJobs(jobs, economics);
  const consents = new ConsentService(db, customers);
  const service = new ServiceModule(db, { jobs, customers, holdings, interactions, org, value: economics.valueLookup, consents });
  const sales = new SalesService(db, { customers, org }, {
    economics: economics.pricingLookup,
    signals: new ExperienceSignals(db),
    // Leads opened without an owner go through service's assignment engine.
    leadRouter: (tenantId, lead) => service.assignment.routeLead(tenantId, lead),
  });
  // Tasks on opportunities ask sales where an opportunity lives (service does not read sales' tables).
  service.tasks.opportunities = async (actor, id) => {
    const o = await sales.pipelines.getOpportunity(actor, id);
    return { divisionId: o.divisionId, customerId: o.customerId, name: o.name };
  };
  return {
    db,
    jobs,
    // Enqueues the periodic jobs for every tenant; `serve` starts it, /health shows what it did.
    scheduler: new JobScheduler(db, jobs, async () => (await db.query<{ id: string }>('SELECT id FROM tenants ORDER BY id')).map((t) => t.id)),
    access: new AccessService(db),
    audit: new AuditService(db),
    org,
    customers,
    resolution,
    holdings,
    interactions,
    customer360: new Customer360Service(customers, holdings, interactions, org, economics, service, consents),
    consents,
    privacy: new PrivacyService(db),
    service,
    sales,
    economics,
    webhooks,
  };
}

export type Services = ReturnType<typeof createServices>;
