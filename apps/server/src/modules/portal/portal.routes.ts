import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, principalOf } from '../../platform/access.ts';
import { errors } from '@sanita/contracts/common';
import type { PatientsService } from '../patients/patients.service.ts';
import { AccessLog, AccessLogQuery, Patient } from '@sanita/contracts/patients';

/** The service checks `portal:self` itself, so that a refused call is audited. */
export const portalRoutes: FastifyPluginAsyncTypebox<{ patients: PatientsService }> = async (app, { patients }) => {
  app.get(
    '/api/portal/me',
    {
      schema: { tags: ['portal'], summary: 'My own patient record', response: { 200: Patient, ...errors(401, 403, 404) } },
    },
    async (req) => patients.getOwn(principalOf(req), actorOf(req)),
  );

  app.get(
    '/api/portal/access-log',
    {
      schema: {
        tags: ['portal'],
        summary: 'Who accessed my record',
        querystring: AccessLogQuery,
        response: { 200: AccessLog, ...errors(401, 403, 404) },
      },
    },
    async (req) => patients.ownAccessLog(principalOf(req), actorOf(req), req.query.limit ?? 50, req.query.cursor),
  );
};
