import type { ContactChannel } from '../../privacy/schema.js';
import { divisionScope } from '../../../core/db/scope.js';
import { ConsentRefusedError } from '../../privacy/consents.js';
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { systemActor, type Actor } from '../../../core/actor.js';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError, ValidationError, type FieldIssue } from '../../../core/errors.js';
import { users } from '../../access/schema.js';
import type { TouchPoint } from '../../interactions/schema.js';
import type { ServiceContext } from '../context.js';
import { serviceSettings, surveyInvitations, surveyResponses, surveys, type CustomQuestion } from '../schema.js';
import { classify, SCALE, summaryFromCounts, type SurveyKind } from './scores.js';
import { peekSurveyToken, signSurveyToken, verifySurveyToken } from './token.js';

export type SurveyRow = typeof surveys.$inferSelect;
export type InvitationRow = typeof surveyInvitations.$inferSelect;
export type ResponseRow = typeof surveyResponses.$inferSelect;
export type SurveyTrigger = SurveyRow['trigger'];

export interface NewSurvey {
  name: string;
  kind: SurveyKind;
  trigger: SurveyTrigger;
  question: string;
  questions?: CustomQuestion[];
  scoring?: SurveyRow['scoring'];
  validDays?: number;
}

export interface SendFacts {
  customerId: string;
  caseId?: string | null;
  divisionId?: string | null;
  touchPoint?: TouchPoint | null;
  staffUserId?: string | null;
  /** How the link reaches the customer (default email); a customer who opted out of surveys there is not sent it. */
  channel?: ContactChannel;
}

export const PUBLIC_SURVEY_PATH = '/api/v1/public/surveys/';

/**
 * Feedback: surveys sent after events (a case closed, onboarding done, a purchase) or by hand, answered
 * once through a signed, expiring public link; responses attach to customer, case, touch point and staff
 * member, and a detractor opens a follow-up case so the loop is closed.
 */
export class SurveyService {
  constructor(private readonly ctx: ServiceContext) {}

  private get db() {
    return this.ctx.db;
  }

  async create(actor: Actor, input: NewSurvey): Promise<SurveyRow> {
    if (!actor.can('surveys', 'write') || actor.role === 'agent') throw new ForbiddenError('only managers and administrators design surveys');
    const issues = surveyIssues(input);
    if (issues.length) throw new ValidationError('the survey is not valid', issues);
    const clash = await this.db.orm.select({ id: surveys.id }).from(surveys).where(and(eq(surveys.tenantId, actor.tenantId), eq(surveys.name, input.name)));
    if (clash.length) throw new ConflictError(`a survey named ${input.name} exists`, [{ path: 'body/name', message: 'already taken' }]);
    const [row] = await this.db.orm.insert(surveys).values({ tenantId: actor.tenantId, ...input, questions: input.questions ?? [], scoring: input.scoring ?? {} }).returning();
    return row;
  }

  list(actor: Actor) {
    if (!actor.can('surveys', 'read')) throw new ForbiddenError('you may not read surveys');
    return this.db.orm.select().from(surveys).where(eq(surveys.tenantId, actor.tenantId)).orderBy(asc(surveys.name));
  }

  async update(actor: Actor, id: string, patch: { active?: boolean; validDays?: number; question?: string; trigger?: SurveyTrigger }) {
    if (!actor.can('surveys', 'write') || actor.role === 'agent') throw new ForbiddenError('only managers and administrators change surveys');
    const [row] = await this.db.orm.update(surveys).set({ ...patch, updatedAt: new Date() }).where(and(eq(surveys.tenantId, actor.tenantId), eq(surveys.id, id))).returning();
    if (!row) throw new NotFoundError('survey', id);
    return row;
  }

  private async survey(tenantId: string, id: string): Promise<SurveyRow> {
    const [row] = await this.db.orm.select().from(surveys).where(and(eq(surveys.tenantId, tenantId), eq(surveys.id, id)));
    if (!row) throw new NotFoundError('survey', id);
    return row;
  }

  /** Creates the invitation and its link. Delivery (email, SMS) is the caller's: the link is returned. */
  async send(actor: Actor, surveyId: string, facts: SendFacts, event = 'manual', now = new Date()) {
    if (!actor.can('surveys', 'write')) throw new ForbiddenError('you may not send surveys');
    const survey = await this.survey(actor.tenantId, surveyId);
    if (!survey.active) throw new UnprocessableError(`survey ${survey.name} is not active`);
    await this.ctx.customers.getCustomer(actor, facts.customerId);
    if (facts.caseId) {
      const c = await this.ctx.cases.row(actor, facts.caseId);
      if (c.customerId !== facts.customerId) throw new UnprocessableError('that case belongs to another customer', [{ path: 'body/caseId', message: 'not this customer’s case' }]);
    }
    const channel = facts.channel ?? 'email';
    const allowed = (await this.ctx.consents.allowedChannels(actor.tenantId, [facts.customerId], 'surveys')).get(facts.customerId) ?? [];
    if (!allowed.includes(channel)) {
      throw new ConsentRefusedError(`the customer has opted out of surveys by ${channel}`, [{ path: 'body/channel', message: allowed.length ? `surveys allowed by ${allowed.join(', ')}` : 'no survey by any channel' }]);
    }
    const expiresAt = new Date(now.getTime() + survey.validDays * 86_400_000);
    const [invitation] = await this.db.orm.insert(surveyInvitations).values({
      tenantId: actor.tenantId,
      surveyId,
      customerId: facts.customerId,
      caseId: facts.caseId ?? null,
      divisionId: facts.divisionId ?? null,
      touchPoint: facts.touchPoint ?? null,
      staffUserId: facts.staffUserId ?? null,
      event,
      sentAt: now,
      expiresAt,
    }).returning();
    const { surveySecret } = await this.ctx.settings.settings(actor.tenantId);
    const token = signSurveyToken(surveySecret, { t: actor.tenantId, i: invitation.id, e: Math.floor(expiresAt.getTime() / 1000) });
    return { invitation, token, path: `${PUBLIC_SURVEY_PATH}${token}` };
  }

  /** Sends every active survey whose trigger is this event. */
  async onEvent(tenantId: string, trigger: Exclude<SurveyTrigger, 'manual'>, facts: SendFacts) {
    const due = await this.db.orm.select().from(surveys).where(and(eq(surveys.tenantId, tenantId), eq(surveys.trigger, trigger), eq(surveys.active, true)));
    const sent = [];
    for (const s of due) {
      try {
        sent.push(await this.send(systemActor(tenantId), s.id, facts, trigger));
      } catch (err) {
        // A customer who said no to surveys is simply not asked; the event goes on.
        if (err instanceof ConsentRefusedError) continue;
        throw err;
      }
    }
    return sent;
  }

  private async open(token: string, now: Date) {
    const claims = peekSurveyToken(token);
    const [settings] = await this.db.orm.select({ secret: serviceSettings.surveySecret }).from(serviceSettings).where(eq(serviceSettings.tenantId, claims.t));
    if (!settings) throw new NotFoundError('survey link');
    verifySurveyToken(settings.secret, token, now);
    const [invitation] = await this.db.orm.select().from(surveyInvitations).where(and(eq(surveyInvitations.tenantId, claims.t), eq(surveyInvitations.id, claims.i)));
    if (!invitation) throw new NotFoundError('survey link');
    const survey = await this.survey(claims.t, invitation.surveyId);
    return { invitation, survey };
  }

  /** What the public page shows: the questions, never who the customer is. */
  async view(token: string, now = new Date()) {
    const { invitation, survey } = await this.open(token, now);
    if (invitation.answeredAt) throw new ConflictError('this survey has already been answered; thank you');
    return {
      name: survey.name,
      kind: survey.kind,
      question: survey.question,
      scale: survey.kind === 'custom' ? null : SCALE[survey.kind],
      questions: survey.questions,
      expiresAt: invitation.expiresAt,
    };
  }

  async answer(token: string, input: { score?: number | null; answers?: Record<string, unknown>; comment?: string | null }, now = new Date()) {
    const { invitation, survey } = await this.open(token, now);
    const { score, answers } = checkAnswer(survey, input);
    // Single use: whoever sets answered_at first wins; a second submission finds it set.
    const claimed = await this.db.orm.update(surveyInvitations).set({ answeredAt: now })
      .where(and(eq(surveyInvitations.tenantId, invitation.tenantId), eq(surveyInvitations.id, invitation.id), isNull(surveyInvitations.answeredAt))).returning({ id: surveyInvitations.id });
    if (!claimed.length) throw new ConflictError('this survey has already been answered; a link can be used once', [{ path: 'params/token', message: 'already used' }]);
    const sentiment = classify(survey.kind, score, survey.scoring);
    const [response] = await this.db.orm.insert(surveyResponses).values({
      tenantId: invitation.tenantId,
      invitationId: invitation.id,
      surveyId: survey.id,
      customerId: invitation.customerId,
      caseId: invitation.caseId,
      divisionId: invitation.divisionId,
      touchPoint: invitation.touchPoint,
      staffUserId: invitation.staffUserId,
      score,
      sentiment,
      answers,
      comment: input.comment ?? null,
      respondedAt: now,
    }).returning();
    if (sentiment === 'detractor') return this.closeTheLoop(survey, invitation, response);
    return response;
  }

  /** A detractor gets a follow-up case, routed like any other, so somebody calls them back. */
  private async closeTheLoop(survey: SurveyRow, invitation: InvitationRow, response: ResponseRow): Promise<ResponseRow> {
    const system = systemActor(invitation.tenantId);
    const customer = await this.ctx.customers.getCustomer(system, invitation.customerId);
    const divisionId = invitation.divisionId ?? customer.divisionIds[0];
    if (!divisionId) {
      await this.ctx.notifications.add([{ tenantId: invitation.tenantId, customerId: customer.id, kind: 'detractor', message: `${customer.displayName} answered ${survey.name} with ${response.score}: no division to follow up` }]);
      return response;
    }
    const followUp = await this.ctx.cases.open(system, {
      customerId: customer.id,
      kind: 'request',
      subject: `Follow up a detractor: ${survey.name} scored ${response.score}`,
      description: response.comment ?? null,
      divisionId,
      touchPoint: invitation.touchPoint ?? 'email',
      priority: 'high',
      origin: 'survey',
      originRef: response.id,
    });
    const [updated] = await this.db.orm.update(surveyResponses).set({ followUpCaseId: followUp.id })
      .where(and(eq(surveyResponses.tenantId, response.tenantId), eq(surveyResponses.id, response.id))).returning();
    return updated;
  }

  async responsesOf(actor: Actor, customerId: string) {
    if (!actor.can('surveys', 'read')) throw new ForbiddenError('you may not read survey responses');
    await this.ctx.customers.getCustomer(actor, customerId);
    return this.db.orm.select().from(surveyResponses)
      .where(and(eq(surveyResponses.tenantId, actor.tenantId), eq(surveyResponses.customerId, customerId), this.scope(actor)))
      .orderBy(desc(surveyResponses.respondedAt));
  }

  private scope(actor: Actor): SQL | undefined {
    return divisionScope(actor, surveyResponses.divisionId);
  }

  /** NPS, CSAT or CES by division, touch point or staff member over a period. */
  async results(actor: Actor, q: { kind: SurveyKind; surveyId?: string; groupBy: 'division' | 'touchPoint' | 'staff' | 'none'; from?: Date; to?: Date }) {
    if (!actor.can('surveys', 'read')) throw new ForbiddenError('you may not read survey results');
    const key = { division: surveyResponses.divisionId, touchPoint: surveyResponses.touchPoint, staff: surveyResponses.staffUserId, none: sql<string | null>`NULL` }[q.groupBy];
    const rows = await this.db.orm
      .select({
        key,
        responses: sql<number>`count(*)::int`,
        scored: sql<number>`count(${surveyResponses.score})::int`,
        promoters: sql<number>`count(*) FILTER (WHERE ${surveyResponses.sentiment} = 'promoter')::int`,
        passives: sql<number>`count(*) FILTER (WHERE ${surveyResponses.sentiment} = 'passive')::int`,
        detractors: sql<number>`count(*) FILTER (WHERE ${surveyResponses.sentiment} = 'detractor')::int`,
        mean: sql<number | null>`avg(${surveyResponses.score})::float8`,
      })
      .from(surveyResponses)
      .innerJoin(surveys, and(eq(surveys.tenantId, surveyResponses.tenantId), eq(surveys.id, surveyResponses.surveyId)))
      .where(and(
        eq(surveyResponses.tenantId, actor.tenantId),
        eq(surveys.kind, q.kind),
        q.surveyId ? eq(surveyResponses.surveyId, q.surveyId) : undefined,
        q.from ? sql`${surveyResponses.respondedAt} >= ${q.from.toISOString()}` : undefined,
        q.to ? sql`${surveyResponses.respondedAt} < ${q.to.toISOString()}` : undefined,
        this.scope(actor),
      ))
      .groupBy(key);
    const names = await this.groupNames(actor, q.groupBy, rows.map((r) => r.key).filter((k): k is string => !!k));
    return {
      kind: q.kind,
      groupBy: q.groupBy,
      groups: rows
        .map((r) => ({ key: r.key, label: r.key ? (names.get(r.key) ?? r.key) : q.groupBy === 'none' ? 'all' : 'unknown', ...summaryFromCounts(q.kind, { ...r, mean: r.mean === null ? null : Number(r.mean) }) }))
        .sort((a, b) => b.responses - a.responses || String(a.label).localeCompare(String(b.label))),
    };
  }

  private async groupNames(actor: Actor, groupBy: string, keys: string[]): Promise<Map<string, string>> {
    if (groupBy === 'division') return new Map((await this.ctx.org.listDivisions(systemActor(actor.tenantId))).map((d) => [d.id, d.name]));
    if (groupBy === 'staff' && keys.length) {
      const rows = await this.db.orm.select({ id: users.id, name: users.displayName }).from(users).where(and(eq(users.tenantId, actor.tenantId), inArray(users.id, keys)));
      return new Map(rows.map((r) => [r.id, r.name]));
    }
    return new Map();
  }
}

function surveyIssues(s: NewSurvey): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (s.kind === 'custom') {
    if (!s.questions?.length) issues.push({ path: 'body/questions', message: 'a custom survey needs questions' });
    const ids = new Set<string>();
    for (const [i, q] of (s.questions ?? []).entries()) {
      if (ids.has(q.id)) issues.push({ path: `body/questions/${i}/id`, message: 'duplicate question id' });
      ids.add(q.id);
      if (q.type === 'scale' && !(q.min !== undefined && q.max !== undefined && q.min < q.max)) issues.push({ path: `body/questions/${i}`, message: 'a scale needs min < max' });
      if (q.type === 'choice' && !q.options?.length) issues.push({ path: `body/questions/${i}/options`, message: 'a choice needs options' });
    }
    const scored = s.scoring?.questionId ? s.questions?.find((q) => q.id === s.scoring?.questionId) : undefined;
    if (s.scoring?.questionId && scored?.type !== 'scale') issues.push({ path: 'body/scoring/questionId', message: 'must name a scale question' });
  } else if (s.questions?.length) {
    issues.push({ path: 'body/questions', message: `${s.kind.toUpperCase()} surveys ask their one standard question` });
  }
  return issues;
}

function checkAnswer(survey: SurveyRow, input: { score?: number | null; answers?: Record<string, unknown> }): { score: number | null; answers: Record<string, unknown> } {
  const issues: FieldIssue[] = [];
  const answers = input.answers ?? {};
  if (survey.kind !== 'custom') {
    const { min, max } = SCALE[survey.kind];
    const s = input.score;
    if (s === undefined || s === null || !Number.isInteger(s) || s < min || s > max) issues.push({ path: 'body/score', message: `a whole number from ${min} to ${max}` });
    if (issues.length) throw new ValidationError('the answer is not valid', issues);
    return { score: s as number, answers };
  }
  const known = new Set(survey.questions.map((q) => q.id));
  for (const k of Object.keys(answers)) if (!known.has(k)) issues.push({ path: `body/answers/${k}`, message: 'no such question' });
  for (const q of survey.questions) {
    const a = answers[q.id];
    if (a === undefined || a === null || a === '') {
      if (q.required) issues.push({ path: `body/answers/${q.id}`, message: 'required' });
      continue;
    }
    if (q.type === 'scale' && !(typeof a === 'number' && Number.isInteger(a) && a >= (q.min ?? 0) && a <= (q.max ?? 10))) issues.push({ path: `body/answers/${q.id}`, message: `a whole number from ${q.min} to ${q.max}` });
    if (q.type === 'choice' && !(typeof a === 'string' && q.options?.includes(a))) issues.push({ path: `body/answers/${q.id}`, message: `one of ${q.options?.join(', ')}` });
    if (q.type === 'text' && !(typeof a === 'string' && a.length <= 2000)) issues.push({ path: `body/answers/${q.id}`, message: 'text up to 2000 characters' });
  }
  if (issues.length) throw new ValidationError('the answers are not valid', issues);
  const scoreQ = survey.scoring.questionId;
  const score = scoreQ && typeof answers[scoreQ] === 'number' ? (answers[scoreQ] as number) : null;
  return { score, answers };
}
