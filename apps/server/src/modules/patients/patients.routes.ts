import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, principalOf } from '../../platform/access.ts';
import { errors, IdParams } from '@sanita/contracts/common';
import type { PatientsService } from './patients.service.ts';
import * as S from '@sanita/contracts/patients';

export const patientsRoutes: FastifyPluginAsyncTypebox<{ patients: PatientsService }> = async (app, { patients }) => {
  app.get(
    '/api/patients',
    {
      schema: {
        tags: ['patients'],
        summary: 'Search patients of the active clinic by name (accent and typo tolerant), MRN, phone, birth date or national ID',
        querystring: S.SearchQuery,
        response: { 200: S.SearchResult, ...errors(400, 401, 403) },
      },
    },
    async (req) => patients.search(principalOf(req), actorOf(req), req.query),
  );

  app.post(
    '/api/patients',
    {
      schema: {
        tags: ['patients'],
        summary: 'Register a patient at the active clinic; 409 DUPLICATE_SUSPECTED lists likely duplicates',
        body: S.CreatePatientBody,
        response: { 201: S.Patient, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await patients.create(principalOf(req), actorOf(req), req.body)),
  );

  app.get(
    '/api/patients/duplicates',
    {
      // the service checks patients:write itself so that a refused check is audited
      schema: {
        tags: ['patients'],
        summary: 'Likely duplicates of a patient being registered',
        querystring: S.DuplicatesQuery,
        response: { 200: S.DuplicateCandidates, ...errors(400, 401, 403) },
      },
    },
    async (req) => patients.duplicates(principalOf(req), actorOf(req), req.query),
  );

  app.get(
    '/api/patients/:id',
    {
      schema: {
        tags: ['patients'],
        summary: 'Read a patient record',
        params: IdParams,
        response: { 200: S.Patient, ...errors(401, 403, 404) },
      },
    },
    async (req) => patients.get(principalOf(req), actorOf(req), req.params.id),
  );

  app.patch(
    '/api/patients/:id',
    {
      schema: {
        tags: ['patients'],
        summary: 'Change a patient record; send the version you read (409 STALE_VERSION if it changed)',
        params: IdParams,
        body: S.UpdatePatientBody,
        response: { 200: S.Patient, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => patients.update(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/patients/:id/merge',
    {
      schema: {
        tags: ['patients'],
        summary: 'Merge a duplicate record into this one; every record moves to this patient',
        params: IdParams,
        body: S.MergeBody,
        response: { 200: S.Patient, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => patients.merge(principalOf(req), actorOf(req), req.params.id, req.body.duplicateId),
  );

  app.get(
    '/api/patients/:id/access-log',
    {
      schema: {
        tags: ['patients'],
        summary: 'Who accessed this record',
        params: IdParams,
        querystring: S.AccessLogQuery,
        response: { 200: S.AccessLog, ...errors(401, 403, 404) },
      },
    },
    async (req) => patients.accessLog(principalOf(req), actorOf(req), req.params.id, req.query.limit ?? 50, req.query.cursor),
  );
};
