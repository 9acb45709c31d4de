import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../platform/access.ts';
import { errors } from '@sanita/contracts/common';
import type { IcalService } from './ical.service.ts';

const TokenParams = Type.Object(
  { token: Type.String({ pattern: '^[A-Za-z0-9_-]{20,100}$', description: 'the secret of the feed URL' }) },
  { additionalProperties: false },
);

export const icalRoutes: FastifyPluginAsyncTypebox<{ ical: IcalService }> = async (app, { ical }) => {
  app.get(
    '/api/ical/:token.ics',
    {
      // the secret in the URL is the credential: calendar apps cannot send a bearer token
      config: { auth: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['scheduling'],
        summary: "A practitioner's appointments as an iCalendar feed (visit type and MRN, no names)",
        security: [],
        params: TokenParams,
        response: { 200: Type.String({ description: 'text/calendar' }), ...errors(400, 404, 429) },
      },
    },
    async (req, reply) => {
      const body = await ical.feed(req.params.token, actorOf(req));
      return reply.header('content-type', 'text/calendar; charset=utf-8').header('cache-control', 'private, no-store').send(body);
    },
  );
};
