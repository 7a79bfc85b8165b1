import type { Database } from '../core/db/engine.js';
import { JobRunner } from '../core/jobs/runner.js';
import { AccessService } from '../modules/access/service.js';
import { OrgService } from '../modules/org/service.js';
import { CustomerService } from '../modules/identity/service.js';
import { HoldingsService } from '../modules/holdings/service.js';
import { InteractionService } from '../modules/interactions/service.js';

/** Every capability's service, wired to one database. The API, CLI and jobs all go through these. */
export function createServices(db: Database) {
  const jobs = new JobRunner(db);
  return {
    db,
    jobs,
    access: new AccessService(db),
    org: new OrgService(db),
    customers: new CustomerService(db),
    holdings: new HoldingsService(db),
    interactions: new InteractionService(db),
  };
}

export type Services = ReturnType<typeof createServices>;
