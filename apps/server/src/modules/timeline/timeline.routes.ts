import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '@sanita/contracts/common';
import { PatientIdParams } from '@sanita/contracts/chart';
import * as S from '@sanita/contracts/timeline';
import { actorOf, principalOf } from '../../platform/access.ts';
import type { TimelineService } from './timeline.service.ts';

export const timelineRoutes: FastifyPluginAsyncTypebox<{ timeline: TimelineService }> = async (app, { timeline }) => {
  app.get(
    '/api/patients/:patientId/timeline',
    {
      // the service checks chart:read and the patient's clinic itself, so that a refusal is audited
      schema: {
        tags: ['chart'],
        summary: "A patient's timeline: encounters, notes, vitals, documents, letters… newest first, by kind and date",
        params: PatientIdParams,
        querystring: S.TimelineQuery,
        response: { 200: S.TimelinePage, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => timeline.page(principalOf(req), actorOf(req), req.params.patientId, req.query),
  );
};
