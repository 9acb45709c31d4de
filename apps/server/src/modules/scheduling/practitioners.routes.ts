import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, principalOf } from '../../platform/access.ts';
import { errors, IdParams } from '@sanita/contracts/common';
import type { PractitionersService } from './practitioners.service.ts';
import * as S from '@sanita/contracts/scheduling/practitioners';

export const practitionersRoutes: FastifyPluginAsyncTypebox<{ practitioners: PractitionersService }> = async (
  app,
  { practitioners },
) => {
  app.get(
    '/api/practitioners',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Find practitioners by specialty, clinic, language, name or visit type, each with their next free slot',
        querystring: S.PractitionersQuery,
        response: { 200: S.PractitionerList, ...errors(400, 401) },
      },
    },
    async (req) => ({ data: await practitioners.list(req.query) }),
  );

  app.get(
    '/api/practitioners/:id',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'A practitioner’s profile with their next free slot',
        params: IdParams,
        response: { 200: S.Practitioner, ...errors(401, 404) },
      },
    },
    async (req) => practitioners.get(req.params.id),
  );

  app.post(
    '/api/practitioners',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Add a practitioner (settings:write)',
        body: S.CreatePractitionerBody,
        response: { 201: S.Practitioner, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await practitioners.create(principalOf(req), actorOf(req), req.body)),
  );

  app.patch(
    '/api/practitioners/:id',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Change a practitioner (settings:write); practitioners change their own bio, languages and fee',
        params: IdParams,
        body: S.UpdatePractitionerBody,
        response: { 200: S.Practitioner, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => practitioners.update(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/practitioners/:id/ical-token',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Issue a new secret iCalendar feed URL (the previous one stops working)',
        params: IdParams,
        response: { 200: S.IcalToken, ...errors(401, 403, 404) },
      },
    },
    async (req) => practitioners.rotateIcalToken(principalOf(req), actorOf(req), req.params.id),
  );
};
