import type { Database } from '../../core/db/engine.js';
import type { JobRunner } from '../../core/jobs/runner.js';
import type { CustomerService } from '../identity/service.js';
import type { HoldingsService } from '../holdings/service.js';
import type { InteractionService } from '../interactions/service.js';
import type { OrgService } from '../org/service.js';
import type { AssignmentService } from './assignment/service.js';
import type { CaseService } from './cases/service.js';
import type { CareService } from './cases/care.js';
import type { LifecycleService } from './lifecycle/service.js';
import type { SurveyService } from './surveys/service.js';
import type { AlarmService } from './alarms/service.js';
import type { TaskService } from './tasks/service.js';
import type { ConsentLookup } from '../privacy/consents.js';
import type { SlaCheck } from './sla/check.js';
import type { NotificationService } from './notifications.js';
import type { ServiceSettings } from './settings.js';
import type { CustomerValueLookup } from './value.js';

/** What the service capability's parts share: the database, the other capabilities' services, and each other. */
export interface ServiceContext {
  db: Database;
  jobs: JobRunner;
  customers: CustomerService;
  holdings: HoldingsService;
  interactions: InteractionService;
  org: OrgService;
  /** Swappable: economics replaces the default ('rest' for everyone) once its results land. */
  value: CustomerValueLookup;
  settings: ServiceSettings;
  notifications: NotificationService;
  assignment: AssignmentService;
  cases: CaseService;
  care: CareService;
  sla: SlaCheck;
  lifecycle: LifecycleService;
  surveys: SurveyService;
  alarms: AlarmService;
  tasks: TaskService;
  consents: ConsentLookup;
}
