import { sql } from 'drizzle-orm';
import { boolean, date, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, real, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { tenantColumns, timestamps } from '../../core/db/columns.js';
import { divisions, teams } from '../org/schema.js';
import { users } from '../access/schema.js';
import { goldenCustomers } from '../identity/schema.js';
import { products } from '../holdings/schema.js';
import { TOUCH_POINTS } from '../interactions/schema.js';
import { CASE_KINDS, CASE_STATUSES, PRIORITIES, ROOT_CAUSES } from './cases/status.js';
import type { EscalationRule } from './sla/policy.js';
import type { CandidateScore } from './assignment/engine.js';
import { VALUE_TIERS } from './value.js';
import { LIFECYCLE_EVENTS, STAGES } from './lifecycle/stages.js';
import { SURVEY_KINDS } from './surveys/scores.js';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const TIMER_STATES = ['running', 'warning', 'breached', 'paused', 'met', 'missed'] as const;

/** Per-tenant settings of the service capability; one row, created on first use. */
export const serviceSettings = pgTable('service_settings', {
  tenantId: text('tenant_id').notNull().primaryKey(),
  /** HMAC key for survey links; generated, never shown. */
  surveySecret: text('survey_secret').notNull(),
  defaultCalendarId: uuid('default_calendar_id'),
  /** Routing policy overrides (weights, seniority per tier, routine work to queues). */
  routing: jsonb('routing'),
  /** Lifecycle rules; null = the built-in defaults. */
  lifecycleRules: jsonb('lifecycle_rules'),
  /** Neglect-alarm thresholds; null = defaults. */
  alarms: jsonb('alarms'),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

/** Working days, hours and holidays in one time zone: the clock SLAs are counted in. */
export const serviceCalendars = pgTable(
  'service_calendars',
  {
    ...tenantColumns,
    name: text('name').notNull(),
    timeZone: text('time_zone').notNull(),
    week: jsonb('week').$type<Record<string, { start: string; end: string }[]>>().notNull(),
    holidays: jsonb('holidays').$type<string[]>().notNull().default([]),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), unique('service_calendars_name_uq').on(t.tenantId, t.name)],
);

export const slaPolicies = pgTable(
  'sla_policies',
  {
    ...tenantColumns,
    name: text('name').notNull(),
    /** null = any kind / priority / tier; the most specific match wins. */
    kind: text('kind', { enum: CASE_KINDS }),
    priority: text('priority', { enum: PRIORITIES }),
    tier: text('tier', { enum: VALUE_TIERS }),
    firstResponseMinutes: integer('first_response_minutes').notNull(),
    resolutionMinutes: integer('resolution_minutes').notNull(),
    warnAtFraction: real('warn_at_fraction').notNull().default(0.75),
    escalation: jsonb('escalation').$type<EscalationRule[]>().notNull().default([]),
    calendarId: uuid('calendar_id'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('sla_policies_name_uq').on(t.tenantId, t.name),
    foreignKey({ columns: [t.tenantId, t.calendarId], foreignColumns: [serviceCalendars.tenantId, serviceCalendars.id] }),
  ],
);

/** The service level a case was opened under, frozen so that later policy edits do not rewrite history. */
export interface PolicySnapshot {
  policyId: string | null;
  name: string;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  warnAtFraction: number;
  escalation: EscalationRule[];
  calendarId: string | null;
}

/** A pause as JSON: ISO instants, `to` null while still paused. */
export interface StoredPause {
  from: string;
  to: string | null;
}

export const cases = pgTable(
  'cases',
  {
    ...tenantColumns,
    customerId: uuid('customer_id').notNull(),
    kind: text('kind', { enum: CASE_KINDS }).notNull(),
    subject: text('subject').notNull(),
    description: text('description'),
    divisionId: uuid('division_id').notNull(),
    productId: uuid('product_id'),
    /** The channel the case came in through. */
    touchPoint: text('touch_point', { enum: TOUCH_POINTS }).notNull(),
    language: text('language'),
    priority: text('priority', { enum: PRIORITIES }).notNull().default('normal'),
    status: text('status', { enum: CASE_STATUSES }).notNull().default('open'),
    ownerUserId: uuid('owner_user_id'),
    /** Set when nobody owns the case: the queue it waits in. */
    queueTeamId: uuid('queue_team_id'),
    queueDivisionId: uuid('queue_division_id'),
    rootCause: text('root_cause', { enum: ROOT_CAUSES }),
    valueTier: text('value_tier', { enum: VALUE_TIERS }).notNull().default('rest'),
    sla: jsonb('sla').$type<PolicySnapshot>().notNull(),
    openedAt: at('opened_at').notNull().defaultNow(),
    firstRespondedAt: at('first_responded_at'),
    resolvedAt: at('resolved_at'),
    closedAt: at('closed_at'),
    waitingPauses: jsonb('waiting_pauses').$type<StoredPause[]>().notNull().default([]),
    resolvedPauses: jsonb('resolved_pauses').$type<StoredPause[]>().notNull().default([]),
    firstResponseState: text('first_response_state', { enum: TIMER_STATES }).notNull().default('running'),
    resolutionState: text('resolution_state', { enum: TIMER_STATES }).notNull().default('running'),
    firstResponseDueAt: at('first_response_due_at'),
    resolutionDueAt: at('resolution_due_at'),
    /** When a timer's state next changes by itself: the SLA check visits only cases whose instant has come. */
    slaNextCheckAt: at('sla_next_check_at'),
    escalationLevel: integer('escalation_level').notNull().default(0),
    origin: text('origin', { enum: ['staff', 'api', 'survey', 'escalation'] }).notNull().default('staff'),
    originRef: uuid('origin_ref'),
    createdBy: uuid('created_by'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [goldenCustomers.tenantId, goldenCustomers.id] }),
    foreignKey({ columns: [t.tenantId, t.divisionId], foreignColumns: [divisions.tenantId, divisions.id] }),
    foreignKey({ columns: [t.tenantId, t.productId], foreignColumns: [products.tenantId, products.id] }),
    foreignKey({ columns: [t.tenantId, t.ownerUserId], foreignColumns: [users.tenantId, users.id] }),
    foreignKey({ columns: [t.tenantId, t.queueTeamId], foreignColumns: [teams.tenantId, teams.id] }),
    index('cases_customer_idx').on(t.tenantId, t.customerId, t.openedAt),
    index('cases_opened_idx').on(t.tenantId, t.openedAt, t.id),
    index('cases_owner_idx').on(t.tenantId, t.ownerUserId, t.status),
    index('cases_status_idx').on(t.tenantId, t.status, t.id),
    index('cases_sla_next_idx').on(t.tenantId, t.slaNextCheckAt, t.id).where(sql`sla_next_check_at IS NOT NULL`),
    // The alarm job's "complaints past their SLA": few rows among a million, found without a scan.
    index('cases_overdue_complaints_idx').on(t.tenantId, t.id)
      .where(sql`kind = 'complaint' AND status IN ('open', 'in_progress', 'waiting_on_customer') AND (first_response_state = 'breached' OR resolution_state = 'breached')`),
  ],
);

/** The status history and everything else that happened to a case, append-only. */
export const caseEvents = pgTable(
  'case_events',
  {
    ...tenantColumns,
    caseId: uuid('case_id').notNull(),
    at: at('at').notNull().defaultNow(),
    kind: text('kind', {
      enum: ['opened', 'status', 'first_response', 'assigned', 'queued', 'reassigned', 'priority', 'updated', 'sla_warning', 'sla_breached', 'escalated', 'note'],
    }).notNull(),
    fromValue: text('from_value'),
    toValue: text('to_value'),
    note: text('note'),
    detail: jsonb('detail'),
    actorUserId: uuid('actor_user_id'),
    /** 'user', 'system', 'sla-check', 'survey'… */
    actorKind: text('actor_kind').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.caseId], foreignColumns: [cases.tenantId, cases.id] }).onDelete('cascade'),
    index('case_events_case_idx').on(t.tenantId, t.caseId, t.at),
  ],
);

/** Every routing decision with its reasons and per-candidate scores, and every override of one. */
export const assignmentDecisions = pgTable(
  'assignment_decisions',
  {
    ...tenantColumns,
    subjectKind: text('subject_kind', { enum: ['case', 'lead', 'task', 'relationship'] }).notNull(),
    subjectId: uuid('subject_id').notNull(),
    customerId: uuid('customer_id'),
    outcome: text('outcome', { enum: ['assigned', 'queued', 'overridden'] }).notNull(),
    userId: uuid('user_id'),
    queueTeamId: uuid('queue_team_id'),
    queueDivisionId: uuid('queue_division_id'),
    reasons: jsonb('reasons').$type<string[]>().notNull(),
    candidates: jsonb('candidates').$type<CandidateScore[]>().notNull().default([]),
    decidedBy: uuid('decided_by'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('assignment_decisions_subject_idx').on(t.tenantId, t.subjectId, t.createdAt)],
);

/** Routing facts about staff that access does not hold: availability and how many cases they can carry. */
export const staffAvailability = pgTable(
  'staff_availability',
  {
    tenantId: text('tenant_id').notNull(),
    userId: uuid('user_id').notNull(),
    available: boolean('available').notNull().default(true),
    awayUntil: at('away_until'),
    capacity: integer('capacity').notNull().default(25),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] }), foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete('cascade')],
);

/** The named person a valuable customer can always reach. */
export const relationshipManagers = pgTable(
  'relationship_managers',
  {
    tenantId: text('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    userId: uuid('user_id').notNull(),
    since: at('since').notNull().defaultNow(),
    reason: text('reason').notNull(),
    decisionId: uuid('decision_id'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [goldenCustomers.tenantId, goldenCustomers.id] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }),
    index('relationship_managers_user_idx').on(t.tenantId, t.userId),
  ],
);

/** Intensive care: a complaint's service recovery, open until the customer is recovered or lost. */
export const careEpisodes = pgTable(
  'care_episodes',
  {
    ...tenantColumns,
    customerId: uuid('customer_id').notNull(),
    caseId: uuid('case_id').notNull(),
    openedAt: at('opened_at').notNull().defaultNow(),
    outcome: text('outcome', { enum: ['recovered', 'lost'] }),
    closedAt: at('closed_at'),
    closedBy: uuid('closed_by'),
    note: text('note'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('care_episodes_case_uq').on(t.tenantId, t.caseId),
    foreignKey({ columns: [t.tenantId, t.caseId], foreignColumns: [cases.tenantId, cases.id] }),
    index('care_episodes_customer_idx').on(t.tenantId, t.customerId, t.openedAt),
  ],
);

export const RECOVERY_ACTIONS = ['apology', 'fix', 'compensation', 'follow_up_call'] as const;

export const recoveryActions = pgTable(
  'recovery_actions',
  {
    ...tenantColumns,
    episodeId: uuid('episode_id').notNull(),
    kind: text('kind', { enum: RECOVERY_ACTIONS }).notNull(),
    status: text('status', { enum: ['pending', 'done', 'skipped'] }).notNull().default('pending'),
    dueAt: at('due_at'),
    doneAt: at('done_at'),
    doneBy: uuid('done_by'),
    note: text('note'),
    amount: numeric('amount', { precision: 12, scale: 2, mode: 'number' }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('recovery_actions_kind_uq').on(t.tenantId, t.episodeId, t.kind),
    foreignKey({ columns: [t.tenantId, t.episodeId], foreignColumns: [careEpisodes.tenantId, careEpisodes.id] }).onDelete('cascade'),
  ],
);

/** Where each customer is in the relationship now. */
export const customerStages = pgTable(
  'customer_stages',
  {
    tenantId: text('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    stage: text('stage', { enum: STAGES }).notNull(),
    previousStage: text('previous_stage', { enum: STAGES }),
    since: at('since').notNull(),
    winBackOn: date('win_back_on', { mode: 'string' }),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [goldenCustomers.tenantId, goldenCustomers.id] }),
    index('customer_stages_stage_idx').on(t.tenantId, t.stage, t.since),
  ],
);

/** Every stage change with its cause: a rule and the event that fired it, or a person's decision. */
export const stageTransitions = pgTable(
  'stage_transitions',
  {
    ...tenantColumns,
    customerId: uuid('customer_id').notNull(),
    fromStage: text('from_stage', { enum: STAGES }),
    toStage: text('to_stage', { enum: STAGES }).notNull(),
    at: at('at').notNull().defaultNow(),
    cause: text('cause', { enum: ['rule', 'manual', 'initial'] }).notNull(),
    event: text('event', { enum: LIFECYCLE_EVENTS }),
    ruleName: text('rule_name'),
    actorUserId: uuid('actor_user_id'),
    note: text('note'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('stage_transitions_customer_idx').on(t.tenantId, t.customerId, t.at),
    index('stage_transitions_at_idx').on(t.tenantId, t.at),
  ],
);

export interface CustomQuestion {
  id: string;
  text: string;
  type: 'scale' | 'text' | 'choice';
  min?: number;
  max?: number;
  options?: string[];
  required?: boolean;
}

export const surveys = pgTable(
  'surveys',
  {
    ...tenantColumns,
    name: text('name').notNull(),
    kind: text('kind', { enum: SURVEY_KINDS }).notNull(),
    /** The event that sends it automatically; 'manual' = only when someone sends it. */
    trigger: text('trigger', { enum: ['case_closed', 'onboarding_done', 'purchase', 'manual'] }).notNull().default('manual'),
    question: text('question').notNull(),
    questions: jsonb('questions').$type<CustomQuestion[]>().notNull().default([]),
    /** For custom surveys: which question carries the score and where detractors and promoters start. */
    scoring: jsonb('scoring').$type<{ questionId?: string; detractorAtOrBelow?: number; promoterAtOrAbove?: number }>().notNull().default({}),
    validDays: integer('valid_days').notNull().default(14),
    active: boolean('active').notNull().default(true),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), unique('surveys_name_uq').on(t.tenantId, t.name)],
);

export const surveyInvitations = pgTable(
  'survey_invitations',
  {
    ...tenantColumns,
    surveyId: uuid('survey_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    caseId: uuid('case_id'),
    divisionId: uuid('division_id'),
    touchPoint: text('touch_point', { enum: TOUCH_POINTS }),
    staffUserId: uuid('staff_user_id'),
    event: text('event').notNull(),
    sentAt: at('sent_at').notNull().defaultNow(),
    expiresAt: at('expires_at').notNull(),
    answeredAt: at('answered_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.surveyId], foreignColumns: [surveys.tenantId, surveys.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [goldenCustomers.tenantId, goldenCustomers.id] }),
    index('survey_invitations_customer_idx').on(t.tenantId, t.customerId, t.sentAt),
  ],
);

export const surveyResponses = pgTable(
  'survey_responses',
  {
    ...tenantColumns,
    invitationId: uuid('invitation_id').notNull(),
    surveyId: uuid('survey_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    caseId: uuid('case_id'),
    divisionId: uuid('division_id'),
    touchPoint: text('touch_point', { enum: TOUCH_POINTS }),
    staffUserId: uuid('staff_user_id'),
    score: real('score'),
    sentiment: text('sentiment', { enum: ['promoter', 'passive', 'detractor'] }),
    answers: jsonb('answers').$type<Record<string, unknown>>().notNull().default({}),
    comment: text('comment'),
    followUpCaseId: uuid('follow_up_case_id'),
    respondedAt: at('responded_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('survey_responses_invitation_uq').on(t.tenantId, t.invitationId),
    foreignKey({ columns: [t.tenantId, t.invitationId], foreignColumns: [surveyInvitations.tenantId, surveyInvitations.id] }),
    index('survey_responses_survey_idx').on(t.tenantId, t.surveyId, t.respondedAt),
  ],
);

export const ALARM_KINDS = ['neglected', 'complaint_overdue', 'p_alive_falling', 'spend_falling', 'offer_conflict'] as const;

/** Customers who need attention, raised by the scheduled alarm job; resolved when the cause goes away. */
export const serviceAlarms = pgTable(
  'service_alarms',
  {
    ...tenantColumns,
    kind: text('kind', { enum: ALARM_KINDS }).notNull(),
    customerId: uuid('customer_id').notNull(),
    /** What inside the customer the alarm is about (a case id, an offered account id), '' for the customer as a whole. */
    subjectKey: text('subject_key').notNull().default(''),
    severity: text('severity', { enum: ['info', 'warning', 'critical'] }).notNull(),
    reason: text('reason').notNull(),
    details: jsonb('details').notNull().default({}),
    caseId: uuid('case_id'),
    firstRaisedAt: at('first_raised_at').notNull().defaultNow(),
    lastSeenAt: at('last_seen_at').notNull().defaultNow(),
    resolvedAt: at('resolved_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('service_alarms_subject_uq').on(t.tenantId, t.kind, t.customerId, t.subjectKey),
    index('service_alarms_open_idx').on(t.tenantId, t.resolvedAt, t.kind),
    index('service_alarms_customer_idx').on(t.tenantId, t.customerId),
  ],
);

/** In-app notices from SLA warnings, escalations and alarms, to a person or to a division's managers. */
export const serviceNotifications = pgTable(
  'service_notifications',
  {
    ...tenantColumns,
    userId: uuid('user_id'),
    divisionId: uuid('division_id'),
    caseId: uuid('case_id'),
    customerId: uuid('customer_id'),
    kind: text('kind', { enum: ['sla_warning', 'sla_breach', 'escalation', 'assignment', 'alarm', 'detractor', 'task_reminder'] }).notNull(),
    message: text('message').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    readAt: at('read_at'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('service_notifications_user_idx').on(t.tenantId, t.userId, t.createdAt)],
);

export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;

/**
 * A piece of work with a due date on a customer, a case or an opportunity: call back, send the papers, check the
 * fix held. Owned by a person or waiting in a team's queue; a reminder fires once at `remind_at`.
 */
export const serviceTasks = pgTable(
  'service_tasks',
  {
    ...tenantColumns,
    title: text('title').notNull(),
    notes: text('notes'),
    divisionId: uuid('division_id').notNull(),
    customerId: uuid('customer_id'),
    caseId: uuid('case_id'),
    /** A sales opportunity (on a customer or a prospect). */
    opportunityId: uuid('opportunity_id'),
    assigneeUserId: uuid('assignee_user_id'),
    queueTeamId: uuid('queue_team_id'),
    dueAt: at('due_at').notNull(),
    remindAt: at('remind_at'),
    remindedAt: at('reminded_at'),
    status: text('status', { enum: TASK_STATUSES }).notNull().default('open'),
    completedAt: at('completed_at'),
    completedBy: uuid('completed_by'),
    createdBy: uuid('created_by'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.divisionId], foreignColumns: [divisions.tenantId, divisions.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [goldenCustomers.tenantId, goldenCustomers.id] }),
    foreignKey({ columns: [t.tenantId, t.caseId], foreignColumns: [cases.tenantId, cases.id] }),
    foreignKey({ columns: [t.tenantId, t.assigneeUserId], foreignColumns: [users.tenantId, users.id] }),
    index('service_tasks_assignee_idx').on(t.tenantId, t.assigneeUserId, t.status, t.dueAt),
    index('service_tasks_customer_idx').on(t.tenantId, t.customerId),
    // The reminder job reads only what is due and not yet reminded.
    index('service_tasks_remind_idx').on(t.tenantId, t.remindAt).where(sql`status = 'open' AND reminded_at IS NULL AND remind_at IS NOT NULL`),
  ],
);
