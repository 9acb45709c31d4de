import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors, IdParams } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/medications';
import { actorOf, principalOf } from '../../platform/access.ts';
import type { PrescriptionsService } from '../medications/prescriptions.service.ts';

/**
 * My prescriptions, in the portal: what to take and how (never the prescriber's overrides), and a
 * refill request to the prescribing clinic. The medications service checks `portal:self`, scopes to my
 * own record and audits in its transaction.
 */
export const portalPrescriptionRoutes: FastifyPluginAsyncTypebox<{ prescriptions: PrescriptionsService }> = async (
  app,
  { prescriptions },
) => {
  app.get(
    '/api/portal/prescriptions',
    {
      schema: {
        tags: ['portal'],
        summary: 'My signed prescriptions, newest first, with their instructions and refill requests',
        response: { 200: S.PortalPrescriptionList, ...errors(401, 403, 404) },
      },
    },
    async (req) => prescriptions.portalList(principalOf(req), actorOf(req)),
  );

  app.post(
    '/api/portal/prescriptions/:id/refill-requests',
    {
      schema: {
        tags: ['portal'],
        summary:
          'Ask the prescribing clinic for a refill of one of my prescriptions (409 REFILL_REQUEST_PENDING while one waits)',
        params: IdParams,
        body: S.RefillRequestInput,
        response: { 201: S.RefillRequest, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await prescriptions.portalRequestRefill(principalOf(req), actorOf(req), req.params.id, req.body.note ?? null)),
  );
};
