import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, principalOf } from '../../platform/access.ts';
import { errors, IdParams } from '@sanita/contracts/common';
import type { WaitlistService } from './waitlist.service.ts';
import * as S from '@sanita/contracts/scheduling/waitlist';

/** The service checks permissions itself, so that a refused call on patient data is audited. */
export const waitlistRoutes: FastifyPluginAsyncTypebox<{ waitlist: WaitlistService }> = async (app, { waitlist }) => {
  app.get(
    '/api/waitlist',
    {
      schema: {
        tags: ['appointments'],
        summary: 'Waiting list of the active clinic, oldest first',
        querystring: S.WaitlistQuery,
        response: { 200: S.WaitlistList, ...errors(400, 401, 403) },
      },
    },
    async (req) => waitlist.list(principalOf(req), actorOf(req), req.query.status),
  );

  app.post(
    '/api/waitlist',
    {
      schema: {
        tags: ['appointments'],
        summary: 'Put a patient of the active clinic on the waiting list (a practitioner, a specialty or anyone)',
        body: S.CreateWaitlistBody,
        response: { 201: S.WaitlistEntry, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => reply.status(201).send(await waitlist.create(principalOf(req), actorOf(req), req.body)),
  );

  for (const action of ['cancel', 'accept', 'decline'] as const) {
    app.post(
      `/api/waitlist/:id/${action}`,
      {
        schema: {
          tags: ['appointments'],
          summary: {
            cancel: 'Take the patient off the waiting list (a held offer is released to the next entry)',
            accept: 'Accept the offered slot for the patient: it becomes a booked appointment',
            decline: 'Decline the offered slot for the patient: it goes to the next entry',
          }[action],
          params: IdParams,
          response: { 200: S.WaitlistEntry, ...errors(401, 403, 404, 409) },
        },
      },
      async (req) => {
        const p = principalOf(req);
        if (action === 'cancel') return waitlist.cancel(p, actorOf(req), req.params.id);
        if (action === 'accept') return waitlist.accept(p, actorOf(req), req.params.id, false);
        return waitlist.decline(p, actorOf(req), req.params.id, false);
      },
    );
  }
};
