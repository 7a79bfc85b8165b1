import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { code, idParams, isoDateTime, shortText } from '../../core/http/schemas.js';
import type { OrgService } from './service.js';

const division = z.object({ id: z.uuid(), code: z.string(), name: z.string(), createdAt: isoDateTime, updatedAt: isoDateTime }).meta({ id: 'Division' });
const sourceSystem = z
  .object({
    id: z.uuid(),
    divisionId: z.uuid(),
    code: z.string(),
    name: z.string(),
    uniquePerPerson: z.boolean(),
    priority: z.number().int(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'SourceSystem' });
const team = z.object({ id: z.uuid(), divisionId: z.uuid(), name: z.string(), createdAt: isoDateTime, updatedAt: isoDateTime }).meta({ id: 'Team' });
const items = <T extends z.ZodType>(s: T) => z.object({ items: z.array(s) });

export const orgRoutes: FastifyPluginAsyncZod<{ org: OrgService }> = async (app, { org }) => {
  app.get('/divisions', { schema: { tags: ['organisation'], summary: 'List divisions', response: { 200: items(division) } } }, async (req) => ({
    items: await org.listDivisions(req.actor),
  }));
  app.get('/divisions/:id', { schema: { tags: ['organisation'], summary: 'Get a division', params: idParams, response: { 200: division } } }, (req) =>
    org.getDivision(req.actor, req.params.id),
  );
  app.post(
    '/divisions',
    { schema: { tags: ['organisation'], summary: 'Create a division', body: z.strictObject({ code, name: shortText }), response: { 201: division } } },
    async (req, reply) => reply.code(201).send(await org.createDivision(req.actor, req.body)),
  );
  app.get('/source-systems', { schema: { tags: ['organisation'], summary: 'List source systems', response: { 200: items(sourceSystem) } } }, async (req) => ({
    items: await org.listSourceSystems(req.actor),
  }));
  app.post(
    '/source-systems',
    {
      schema: {
        tags: ['organisation'],
        summary: 'Register a division’s system of record',
        body: z.strictObject({
          divisionId: z.uuid(),
          code,
          name: shortText,
          uniquePerPerson: z.boolean().optional(),
          priority: z.number().int().min(0).max(100).optional(),
        }),
        response: { 201: sourceSystem },
      },
    },
    async (req, reply) => reply.code(201).send(await org.createSourceSystem(req.actor, req.body)),
  );
  app.get('/teams', { schema: { tags: ['organisation'], summary: 'List teams', response: { 200: items(team) } } }, async (req) => ({
    items: await org.listTeams(req.actor),
  }));
  app.post(
    '/teams',
    { schema: { tags: ['organisation'], summary: 'Create a team', body: z.strictObject({ divisionId: z.uuid(), name: shortText }), response: { 201: team } } },
    async (req, reply) => reply.code(201).send(await org.createTeam(req.actor, req.body)),
  );
};
