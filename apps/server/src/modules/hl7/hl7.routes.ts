import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/hl7';
import { actorOf, principalOf, requirePermission } from '../../platform/access.ts';
import type { Hl7Service } from './hl7.service.ts';

const tags = ['hl7'];

export const hl7Routes: FastifyPluginAsyncTypebox<{ hl7: Hl7Service }> = async (app, { hl7 }) => {
  app.get(
    '/api/hl7/messages',
    {
      preHandler: requirePermission('hl7:read'),
      schema: {
        tags,
        summary:
          'The HL7 v2 message log, newest first: inbound and outbound messages with their status and ACK; q finds a control id, message type, patient identifier or MRN, order number, patient name or text of the message (audited)',
        querystring: S.MessageQuery,
        response: { 200: S.MessageList, ...errors(400, 401, 403) },
      },
    },
    async (req) => hl7.list(principalOf(req), actorOf(req), req.query),
  );

  app.get(
    '/api/hl7/messages/:id',
    {
      preHandler: requirePermission('hl7:read'),
      schema: {
        tags,
        summary: 'One logged message: raw text, parsed segments by field position, the ACK, status, error and links (audited)',
        params: S.MessageIdParams,
        response: { 200: S.MessageDetail, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => hl7.get(principalOf(req), actorOf(req), req.params.id),
  );

  app.post(
    '/api/hl7/messages/:id/replay',
    {
      preHandler: requirePermission('hl7:manage'),
      schema: {
        tags,
        summary:
          'Processes a stored inbound message again after a fix (only one that failed, was rejected or waits unmatched): one attempt more on the same log entry. 409 HL7_NOT_REPLAYABLE',
        params: S.MessageIdParams,
        response: { 200: S.MessageDetail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => hl7.replay(principalOf(req), actorOf(req), req.params.id),
  );

  app.get(
    '/api/hl7/unmatched',
    {
      preHandler: requirePermission('hl7:read'),
      schema: {
        tags,
        summary:
          'Results waiting for a technician: no order or patient matched, or an observation code maps to no test (audited)',
        querystring: S.UnmatchedQuery,
        response: { 200: S.MessageList, ...errors(400, 401, 403) },
      },
    },
    async (req) => hl7.unmatched(principalOf(req), actorOf(req), req.query.limit ?? 50),
  );

  app.post(
    '/api/hl7/unmatched/:id/resolve',
    {
      preHandler: requirePermission('hl7:manage'),
      schema: {
        tags,
        summary:
          "Resolves an unmatched message: the order (or the active clinic's patient) it belongs to and a catalogue test for each unmapped code (remembered for the sender), then records its results. 409 HL7_NOT_UNMATCHED, HL7_UNRESOLVED",
        params: S.MessageIdParams,
        body: S.ResolveInput,
        response: { 200: S.MessageDetail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => hl7.resolve(principalOf(req), actorOf(req), req.params.id, req.body),
  );
};
