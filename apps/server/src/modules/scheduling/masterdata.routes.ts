import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, requirePermission } from '../../platform/access.ts';
import { errors, IdParams } from '@sanita/contracts/common';
import type { MasterDataService } from './masterdata.service.ts';
import * as S from '@sanita/contracts/scheduling/masterdata';

export const masterDataRoutes: FastifyPluginAsyncTypebox<{ masterData: MasterDataService }> = async (app, { masterData }) => {
  const settings = requirePermission('settings:write');

  app.get(
    '/api/specialties',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Medical specialties (active and inactive)',
        response: { 200: S.SpecialtyList, ...errors(401) },
      },
    },
    async () => ({ data: await masterData.specialties() }),
  );

  app.post(
    '/api/specialties',
    {
      preHandler: settings,
      schema: {
        tags: ['scheduling'],
        summary: 'Add a specialty; 409 CODE_TAKEN when the code is used',
        body: S.CreateSpecialtyBody,
        response: { 201: S.Specialty, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await masterData.createSpecialty(actorOf(req), req.body)),
  );

  app.patch(
    '/api/specialties/:id',
    {
      preHandler: settings,
      schema: {
        tags: ['scheduling'],
        summary: 'Change or deactivate a specialty',
        params: IdParams,
        body: S.UpdateSpecialtyBody,
        response: { 200: S.Specialty, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => masterData.updateSpecialty(actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/visit-types',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Visit types with their default duration and calendar colour',
        response: { 200: S.VisitTypeList, ...errors(401) },
      },
    },
    async () => ({ data: await masterData.visitTypes() }),
  );

  app.post(
    '/api/visit-types',
    {
      preHandler: settings,
      schema: {
        tags: ['scheduling'],
        summary: 'Add a visit type (5–480 minutes); 409 CODE_TAKEN when the code is used',
        body: S.CreateVisitTypeBody,
        response: { 201: S.VisitType, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await masterData.createVisitType(actorOf(req), req.body)),
  );

  app.patch(
    '/api/visit-types/:id',
    {
      preHandler: settings,
      schema: {
        tags: ['scheduling'],
        summary: 'Change or deactivate a visit type',
        params: IdParams,
        body: S.UpdateVisitTypeBody,
        response: { 200: S.VisitType, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => masterData.updateVisitType(actorOf(req), req.params.id, req.body),
  );
};
