import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, principalOf } from '../../platform/access.ts';
import { errors, IdParams, Ok } from '@sanita/contracts/common';
import type { AvailabilityService } from './availability.service.ts';
import * as S from '@sanita/contracts/scheduling/availability';

export const availabilityRoutes: FastifyPluginAsyncTypebox<{ availability: AvailabilityService }> = async (
  app,
  { availability },
) => {
  app.get(
    '/api/practitioners/:id/availability',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Weekly templates and current or future exceptions of a practitioner (appointments:read or self)',
        params: IdParams,
        querystring: S.AvailabilityQuery,
        response: { 200: S.Availability, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => availability.availability(principalOf(req), req.params.id, req.query.clinicId),
  );

  app.put(
    '/api/practitioners/:id/templates',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Replace the weekly templates of a practitioner at one clinic (availability:write or self)',
        params: IdParams,
        body: S.PutTemplatesBody,
        response: { 200: S.TemplateList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => ({
      data: await availability.replaceTemplates(principalOf(req), actorOf(req), req.params.id, req.body),
    }),
  );

  app.get(
    '/api/availability/exceptions',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Current and future holidays and closures of the active clinic (appointments:read or settings:write)',
        querystring: S.ClinicExceptionsQuery,
        response: { 200: S.ExceptionList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => ({ data: await availability.clinicExceptions(principalOf(req), req.query.clinicId) }),
  );

  app.post(
    '/api/availability/exceptions',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Add leave for a practitioner (availability:write or self) or a clinic-wide closure (settings:write)',
        body: S.CreateExceptionBody,
        response: { 201: S.AvailabilityException, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => reply.status(201).send(await availability.createException(principalOf(req), actorOf(req), req.body)),
  );

  app.delete(
    '/api/availability/exceptions/:id',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Remove leave or a closure',
        params: IdParams,
        response: { 200: Ok, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      await availability.deleteException(principalOf(req), actorOf(req), req.params.id);
      return { ok: true };
    },
  );

  app.get(
    '/api/practitioners/:id/slots',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Free slots of a practitioner at a clinic for a visit type on local dates from..to (at most 31 days)',
        params: IdParams,
        querystring: S.SlotsQuery,
        response: { 200: S.Slots, ...errors(400, 401, 404) },
      },
    },
    async (req) => availability.freeSlots({ practitionerId: req.params.id, ...req.query }),
  );
};
