import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, principalOf, requirePermission } from '../../platform/access.ts';
import { errors, IdParams } from '@sanita/contracts/common';
import type { QueueService } from './queue.service.ts';
import * as S from '@sanita/contracts/queue';

export const queueRoutes: FastifyPluginAsyncTypebox<{ queue: QueueService }> = async (app, { queue }) => {
  const settings = requirePermission('settings:write');
  const read = requirePermission('queue:read');
  const write = requirePermission('queue:write');

  app.get(
    '/api/service-points',
    {
      preHandler: requirePermission('appointments:read', 'queue:read'),
      schema: {
        tags: ['front desk'],
        summary: 'Service points of the active clinic (triage, consultation rooms, lab, pharmacy, cashier…)',
        response: { 200: S.ServicePointList, ...errors(401, 403) },
      },
    },
    async (req) => ({ data: await queue.listServicePoints(principalOf(req)) }),
  );

  app.post(
    '/api/service-points',
    {
      preHandler: settings,
      schema: {
        tags: ['front desk'],
        summary: 'Add a service point to the active clinic; 409 CODE_TAKEN when the code is used there',
        body: S.CreateServicePointBody,
        response: { 201: S.ServicePoint, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await queue.createServicePoint(principalOf(req), actorOf(req), req.body)),
  );

  app.patch(
    '/api/service-points/:id',
    {
      preHandler: settings,
      schema: {
        tags: ['front desk'],
        summary: 'Change or close a service point',
        params: IdParams,
        body: S.UpdateServicePointBody,
        response: { 200: S.ServicePoint, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => queue.updateServicePoint(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/visits/walk-in',
    {
      preHandler: write,
      schema: {
        tags: ['front desk'],
        summary: 'Register a walk-in: opens a visit and gives a ticket; 409 ALREADY_QUEUED',
        body: S.WalkInBody,
        response: { 201: S.CheckInResult, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await queue.walkIn(principalOf(req), actorOf(req), req.body)),
  );

  app.post(
    '/api/appointments/:id/check-in',
    {
      preHandler: write,
      schema: {
        tags: ['front desk'],
        summary: 'Check in today’s booked appointment: opens a visit and gives a ticket',
        params: IdParams,
        body: S.CheckInBody,
        response: { 201: S.CheckInResult, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await queue.checkIn(principalOf(req), actorOf(req), req.params.id, req.body)),
  );

  app.get(
    '/api/queue',
    {
      preHandler: read,
      schema: {
        tags: ['front desk'],
        summary: 'Today’s queue of a service point in call order, with estimated waits',
        querystring: S.QueueQuery,
        response: { 200: S.QueueView, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => queue.queue(principalOf(req), actorOf(req), req.query.servicePointId),
  );

  app.post(
    '/api/queue/call-next',
    {
      preHandler: write,
      schema: {
        tags: ['front desk'],
        summary: 'Call the first waiting patient; 409 QUEUE_EMPTY when nobody waits',
        body: S.CallNextBody,
        response: { 200: S.QueueTicket, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => queue.callNext(principalOf(req), actorOf(req), req.body.servicePointId, req.body.room),
  );

  app.post(
    '/api/queue/tickets/:id/call',
    {
      preHandler: write,
      schema: {
        tags: ['front desk'],
        summary: 'Call this ticket (again, if already called)',
        params: IdParams,
        body: S.CallBody,
        response: { 200: S.QueueTicket, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => queue.transition(principalOf(req), actorOf(req), req.params.id, 'call', req.body.room),
  );

  const moves = {
    start: 'Start serving a called ticket',
    done: 'Finish serving a ticket',
    skip: 'Skip a waiting or called ticket (the patient did not come)',
    requeue: 'Put a called ticket back in the waiting line',
  } as const;
  // these moves take no input: any body is ignored
  for (const [action, summary] of Object.entries(moves) as [keyof typeof moves, string][]) {
    app.post(
      `/api/queue/tickets/:id/${action}`,
      {
        preHandler: write,
        schema: {
          tags: ['front desk'],
          summary: `${summary}; 409 INVALID_TRANSITION from another status`,
          params: IdParams,
          response: { 200: S.QueueTicket, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (req) => queue.transition(principalOf(req), actorOf(req), req.params.id, action),
    );
  }

  app.post(
    '/api/queue/tickets/:id/transfer',
    {
      preHandler: write,
      schema: {
        tags: ['front desk'],
        summary: 'Send the patient on to another service point: a new ticket there, linked to this one',
        params: IdParams,
        body: S.TransferBody,
        response: { 200: S.TransferResult, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => queue.transfer(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/display-tokens',
    {
      preHandler: settings,
      schema: {
        tags: ['front desk'],
        summary: 'Waiting-room displays of the active clinic',
        response: { 200: S.DisplayTokenList, ...errors(401, 403) },
      },
    },
    async (req) => ({ data: await queue.listDisplayTokens(principalOf(req)) }),
  );

  app.post(
    '/api/display-tokens',
    {
      preHandler: settings,
      schema: {
        tags: ['front desk'],
        summary: 'Create a waiting-room display link; the token is shown once',
        body: S.CreateDisplayTokenBody,
        response: { 201: S.CreatedDisplayToken, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await queue.createDisplayToken(principalOf(req), actorOf(req), req.body)),
  );

  app.post(
    '/api/display-tokens/:id/revoke',
    {
      preHandler: settings,
      schema: {
        tags: ['front desk'],
        summary: 'Revoke a display link: the screen stops at its next request',
        params: IdParams,
        response: { 200: S.DisplayToken, ...errors(401, 403, 404) },
      },
    },
    async (req) => queue.revokeDisplayToken(principalOf(req), actorOf(req), req.params.id),
  );

  app.get(
    '/api/display/board',
    {
      // a waiting-room screen has no staff session: its display token (header) is checked by the service
      config: { auth: 'public' },
      schema: {
        tags: ['front desk'],
        summary: 'What a waiting-room display shows (header X-Display-Token): ticket codes and rooms, never patient data',
        headers: S.DisplayBoardHeaders,
        security: [],
        response: { 200: S.DisplayBoard, ...errors(400, 401) },
      },
    },
    async (req) => queue.board(req.headers['x-display-token']),
  );
};
