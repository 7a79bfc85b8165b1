import { CONTACT_CHANNELS } from '../../privacy/schema.js';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { noteChange, redact } from '../../../core/actor.js';
import { idParams, isoDateTime } from '../../../core/http/schemas.js';
import { TOUCH_POINTS } from '../../interactions/schema.js';
import { plainText, requiredText } from '../http.js';
import type { ServiceModule } from '../service.js';
import { SURVEY_KINDS } from './scores.js';

const tags = ['feedback'];
const TRIGGERS = ['case_closed', 'onboarding_done', 'purchase', 'manual'] as const;
const question = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]{1,32}$/, 'lower-case letters, digits and _'),
  text: requiredText(500),
  type: z.enum(['scale', 'text', 'choice']),
  min: z.number().int().min(0).max(100).optional(),
  max: z.number().int().min(1).max(100).optional(),
  options: z.array(requiredText(100)).max(20).optional(),
  required: z.boolean().optional(),
});
const surveySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(SURVEY_KINDS),
    trigger: z.enum(TRIGGERS),
    question: z.string(),
    questions: z.array(z.object({ id: z.string(), text: z.string(), type: z.string(), min: z.number().optional(), max: z.number().optional(), options: z.array(z.string()).optional(), required: z.boolean().optional() })),
    scoring: z.object({ questionId: z.string().optional(), detractorAtOrBelow: z.number().optional(), promoterAtOrAbove: z.number().optional() }),
    validDays: z.number().int(),
    active: z.boolean(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Survey' });
const responseSchema = z
  .object({
    id: z.uuid(),
    surveyId: z.uuid(),
    customerId: z.uuid(),
    caseId: z.uuid().nullable(),
    divisionId: z.uuid().nullable(),
    touchPoint: z.enum(TOUCH_POINTS).nullable(),
    staffUserId: z.uuid().nullable(),
    score: z.number().nullable(),
    sentiment: z.enum(['promoter', 'passive', 'detractor']).nullable(),
    answers: z.record(z.string(), z.unknown()),
    comment: z.string().nullable(),
    followUpCaseId: z.uuid().nullable(),
    respondedAt: isoDateTime,
  })
  .meta({ id: 'SurveyResponse' });
const tokenParams = z.object({ token: z.string().min(10).max(1000).regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'not a survey link') });

export const surveyRoutes: FastifyPluginAsyncZod<{ service: ServiceModule }> = async (app, { service }) => {
  app.get('/surveys', { schema: { tags, summary: 'Surveys and the events that send them', response: { 200: z.object({ items: z.array(surveySchema) }) } } }, async (req) => ({ items: await service.surveys.list(req.actor) }));

  app.post(
    '/surveys',
    {
      schema: {
        tags,
        summary: 'Design a survey: NPS (0–10), CSAT (1–5), CES (1–7) or custom questions, sent by hand or after an event',
        body: z.strictObject({
          name: requiredText(100),
          kind: z.enum(SURVEY_KINDS),
          trigger: z.enum(TRIGGERS).default('manual'),
          question: requiredText(500),
          questions: z.array(question).max(30).optional(),
          scoring: z.strictObject({ questionId: z.string().max(32).optional(), detractorAtOrBelow: z.number().optional(), promoterAtOrAbove: z.number().optional() }).optional(),
          validDays: z.number().int().min(1).max(365).default(14),
        }),
        response: { 201: surveySchema },
      },
    },
    async (req, reply) => {
      const row = await service.surveys.create(req.actor, req.body);
      noteChange(req.actor, { resource: 'surveys', resourceId: row.id, action: 'create', after: row });
      return reply.code(201).send(row);
    },
  );

  app.patch(
    '/surveys/:id',
    {
      schema: {
        tags,
        summary: 'Switch a survey on or off, change its trigger, wording or validity',
        params: idParams,
        body: z.strictObject({ active: z.boolean().optional(), trigger: z.enum(TRIGGERS).optional(), question: requiredText(500).optional(), validDays: z.number().int().min(1).max(365).optional() }).refine((b) => Object.keys(b).length > 0, 'send at least one field'),
        response: { 200: surveySchema },
      },
    },
    async (req) => {
      const row = await service.surveys.update(req.actor, req.params.id, req.body);
      noteChange(req.actor, { resource: 'surveys', resourceId: row.id, action: 'update', after: row });
      return row;
    },
  );

  app.post(
    '/surveys/:id/invitations',
    {
      schema: {
        tags,
        summary: 'Send a survey to a customer: returns the single-use public link (signed, expiring) for delivery',
        params: idParams,
        body: z.strictObject({
          customerId: z.uuid(),
          caseId: z.uuid().optional(),
          divisionId: z.uuid().optional(),
          touchPoint: z.enum(TOUCH_POINTS).optional(),
          staffUserId: z.uuid().optional(),
          channel: z.enum(CONTACT_CHANNELS).optional().describe('How the link will reach the customer (default email); refused (422) if the customer opted out of surveys there'),
        }),
        response: { 201: z.object({ invitationId: z.uuid(), path: z.string(), token: z.string(), expiresAt: isoDateTime }) },
      },
    },
    async (req, reply) => {
      const sent = await service.surveys.send(req.actor, req.params.id, req.body);
      return reply.code(201).send({ invitationId: sent.invitation.id, path: sent.path, token: sent.token, expiresAt: sent.invitation.expiresAt });
    },
  );

  app.get(
    '/surveys/results',
    {
      schema: {
        tags,
        summary: 'NPS, CSAT or CES by division, touch point or staff member (default: NPS by division, all time)',
        querystring: z.strictObject({
          kind: z.enum(SURVEY_KINDS).default('nps'),
          surveyId: z.uuid().optional(),
          groupBy: z.enum(['division', 'touchPoint', 'staff', 'none']).default('division'),
          from: isoDateTime.optional(),
          to: isoDateTime.optional(),
        }),
        response: {
          200: z.object({
            kind: z.enum(SURVEY_KINDS),
            groupBy: z.string(),
            groups: z.array(z.object({ key: z.string().nullable(), label: z.string(), responses: z.number().int(), promoters: z.number().int(), passives: z.number().int(), detractors: z.number().int(), mean: z.number().nullable(), score: z.number().nullable() })),
          }),
        },
      },
    },
    async (req) => service.surveys.results(req.actor, req.query),
  );

  app.get('/customers/:id/survey-responses', { schema: { tags, summary: 'What the customer told us, newest first', params: idParams, response: { 200: z.object({ items: z.array(responseSchema) }) } } }, async (req) =>
    redact(req.actor, { items: await service.surveys.responsesOf(req.actor, req.params.id) }),
  );

  app.get(
    '/public/surveys/:token',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The survey behind a public link (no sign-in): 404 for a link we did not issue, 422 once expired, 409 once answered',
        security: [],
        params: tokenParams,
        response: {
          200: z.object({ name: z.string(), kind: z.enum(SURVEY_KINDS), question: z.string(), scale: z.object({ min: z.number(), max: z.number() }).nullable(), questions: z.array(z.unknown()), expiresAt: isoDateTime }),
        },
      },
    },
    async (req) => service.surveys.view(req.params.token),
  );

  app.post(
    '/public/surveys/:token',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Answer a survey through its public link, once',
        security: [],
        params: tokenParams,
        body: z.strictObject({ score: z.number().int().min(0).max(100).nullable().optional(), answers: z.record(z.string().max(32), z.union([z.number(), plainText(2000), z.null()])).optional(), comment: plainText(2000).nullable().optional() }),
        response: { 201: z.object({ thanks: z.string(), followUp: z.boolean() }) },
      },
    },
    async (req, reply) => {
      const r = await service.surveys.answer(req.params.token, req.body);
      // The public answer says nothing about the customer or the case; it only acknowledges.
      return reply.code(201).send({ thanks: 'Thank you for your feedback.', followUp: !!r.followUpCaseId });
    },
  );
};
