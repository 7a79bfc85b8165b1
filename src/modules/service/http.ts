/** Wire shapes shared by the service capability's routes. */
import { z } from 'zod';
import { isoDateTime } from '../../core/http/schemas.js';
import { TOUCH_POINTS } from '../interactions/schema.js';
import { CASE_KINDS, CASE_STATUSES, PRIORITIES, ROOT_CAUSES } from './cases/status.js';
import { VALUE_TIERS } from './value.js';
import { STAGES } from './lifecycle/stages.js';

/** Free text: no NUL characters (PostgreSQL text cannot hold them), trimmed, bounded. */
export const plainText = (max: number) =>
  z.string().trim().max(max).refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');
export const requiredText = (max: number) => plainText(max).pipe(z.string().min(1, 'must not be empty'));

export const TIMER_STATES = ['running', 'warning', 'breached', 'paused', 'met', 'missed'] as const;

export const escalationRule = z.strictObject({
  on: z.enum(['first_response', 'resolution']),
  when: z.enum(['warning', 'breached']),
  action: z.enum(['notify', 'raise_priority', 'reassign']),
  target: z.enum(['owner', 'manager', 'relationship_manager', 'queue']).optional(),
});

export const policySnapshot = z
  .object({
    policyId: z.uuid().nullable(),
    name: z.string(),
    firstResponseMinutes: z.number(),
    resolutionMinutes: z.number(),
    warnAtFraction: z.number(),
    escalation: z.array(escalationRule),
    calendarId: z.uuid().nullable(),
  })
  .meta({ id: 'SlaSnapshot' });

export const timerReading = z
  .object({
    state: z.enum(TIMER_STATES),
    elapsedMinutes: z.number(),
    remainingMinutes: z.number(),
    dueAt: isoDateTime.nullable(),
    warnAt: isoDateTime.nullable(),
    nextChangeAt: isoDateTime.nullable(),
  })
  .meta({ id: 'SlaTimer' });

export const caseSchema = z
  .object({
    id: z.uuid(),
    customerId: z.uuid(),
    kind: z.enum(CASE_KINDS),
    subject: z.string(),
    description: z.string().nullable(),
    divisionId: z.uuid(),
    productId: z.uuid().nullable(),
    touchPoint: z.enum(TOUCH_POINTS),
    language: z.string().nullable(),
    priority: z.enum(PRIORITIES),
    status: z.enum(CASE_STATUSES),
    ownerUserId: z.uuid().nullable(),
    queueTeamId: z.uuid().nullable(),
    queueDivisionId: z.uuid().nullable(),
    rootCause: z.enum(ROOT_CAUSES).nullable(),
    valueTier: z.enum(VALUE_TIERS),
    sla: policySnapshot,
    openedAt: isoDateTime,
    firstRespondedAt: isoDateTime.nullable(),
    resolvedAt: isoDateTime.nullable(),
    closedAt: isoDateTime.nullable(),
    firstResponseState: z.enum(TIMER_STATES),
    resolutionState: z.enum(TIMER_STATES),
    firstResponseDueAt: isoDateTime.nullable(),
    resolutionDueAt: isoDateTime.nullable(),
    escalationLevel: z.number().int(),
    origin: z.enum(['staff', 'api', 'survey', 'escalation']),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Case' });

export const caseDetail = caseSchema
  .extend({ ownerName: z.string().nullable(), timers: z.object({ firstResponse: timerReading, resolution: timerReading }) })
  .meta({ id: 'CaseDetail' });

export const caseEvent = z
  .object({
    id: z.uuid(),
    at: isoDateTime,
    kind: z.string(),
    fromValue: z.string().nullable(),
    toValue: z.string().nullable(),
    note: z.string().nullable(),
    detail: z.unknown().nullable(),
    actorUserId: z.uuid().nullable(),
    actorKind: z.string(),
  })
  .meta({ id: 'CaseEvent' });

export const candidate = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  eligible: z.boolean(),
  score: z.number().nullable(),
  parts: z.object({ seniority: z.number(), continuity: z.number(), workload: z.number() }).nullable(),
  reasons: z.array(z.string()),
});

export const decisionSchema = z
  .object({
    id: z.uuid(),
    subjectKind: z.enum(['case', 'lead', 'task', 'relationship']),
    subjectId: z.uuid(),
    outcome: z.enum(['assigned', 'queued', 'overridden']),
    userId: z.uuid().nullable(),
    queueTeamId: z.uuid().nullable(),
    queueDivisionId: z.uuid().nullable(),
    reasons: z.array(z.string()),
    candidates: z.array(candidate),
    decidedBy: z.uuid().nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'AssignmentDecision' });

export const stagePosition = z
  .object({ customerId: z.uuid(), stage: z.enum(STAGES), previousStage: z.enum(STAGES).nullable(), since: isoDateTime, winBackOn: z.string().nullable() })
  .meta({ id: 'LifecyclePosition' });

export const stageTransition = z
  .object({
    id: z.uuid(),
    fromStage: z.enum(STAGES).nullable(),
    toStage: z.enum(STAGES),
    at: isoDateTime,
    cause: z.enum(['rule', 'manual', 'initial']),
    event: z.string().nullable(),
    ruleName: z.string().nullable(),
    actorUserId: z.uuid().nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'LifecycleTransition' });

export const alarmSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(['neglected', 'complaint_overdue', 'p_alive_falling', 'spend_falling', 'offer_conflict']),
    customerId: z.uuid(),
    severity: z.enum(['info', 'warning', 'critical']),
    reason: z.string(),
    details: z.unknown(),
    caseId: z.uuid().nullable(),
    firstRaisedAt: isoDateTime,
    lastSeenAt: isoDateTime,
    resolvedAt: isoDateTime.nullable(),
    /** Where the alarm points: the customer's page in the API. */
    customerPath: z.string(),
    /** Channels the customer may be contacted on for service; empty: the customer asked not to be contacted. */
    contactChannels: z.array(z.string()).optional(),
  })
  .meta({ id: 'Alarm' });

export const recoveryAction = z
  .object({
    id: z.uuid(),
    kind: z.enum(['apology', 'fix', 'compensation', 'follow_up_call']),
    status: z.enum(['pending', 'done', 'skipped']),
    dueAt: isoDateTime.nullable(),
    doneAt: isoDateTime.nullable(),
    doneBy: z.uuid().nullable(),
    note: z.string().nullable(),
    amount: z.number().nullable(),
  })
  .meta({ id: 'RecoveryAction' });

export const careEpisode = z
  .object({
    id: z.uuid(),
    customerId: z.uuid(),
    caseId: z.uuid(),
    openedAt: isoDateTime,
    outcome: z.enum(['recovered', 'lost']).nullable(),
    closedAt: isoDateTime.nullable(),
    note: z.string().nullable(),
    actions: z.array(recoveryAction),
  })
  .meta({ id: 'CareEpisode' });

export const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .max(500)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item));

export const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
