import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, principalOf } from '../../platform/access.ts';
import { errors } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/chart';
import type { ChartService } from './chart.service.ts';

export const chartRoutes: FastifyPluginAsyncTypebox<{ chart: ChartService }> = async (app, { chart }) => {
  app.get(
    '/api/patients/:patientId/vitals',
    {
      // the service checks chart:read and the patient's clinic itself, so that a refusal is audited
      schema: {
        tags: ['chart'],
        summary: "A patient's vitals with their NEWS2, newest first",
        params: S.PatientIdParams,
        querystring: S.VitalsQuery,
        response: { 200: S.VitalsList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => chart.list(principalOf(req), actorOf(req), req.params.patientId, req.query),
  );

  app.post(
    '/api/patients/:patientId/vitals',
    {
      schema: {
        tags: ['chart'],
        summary: 'Record a set of vitals at the active clinic; NEWS2 is computed when the set is complete',
        params: S.PatientIdParams,
        body: S.VitalsInput,
        response: { 201: S.Vitals, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await chart.record(principalOf(req), actorOf(req), req.params.patientId, req.body)),
  );
};
