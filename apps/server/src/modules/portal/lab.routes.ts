import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/lab';
import { actorOf, principalOf } from '../../platform/access.ts';
import type { LabService } from '../lab/lab.service.ts';

/**
 * My lab results, in the portal: released ones that my doctor has not held back, a critical value
 * only once my doctor has acknowledged it. The lab service checks `portal:self`, scopes to my own
 * record and audits in its transaction.
 */
export const portalLabRoutes: FastifyPluginAsyncTypebox<{ lab: LabService }> = async (app, { lab }) => {
  app.get(
    '/api/portal/lab-results',
    {
      schema: {
        tags: ['portal'],
        summary: 'My released lab results, newest first, with their reference ranges and flags',
        response: { 200: S.PortalLabResultList, ...errors(401, 403, 404) },
      },
    },
    async (req) => lab.portalList(principalOf(req), actorOf(req)),
  );
};
