import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, principalOf } from '../../platform/access.ts';
import { errors, IdParams } from '@sanita/contracts/common';
import { PatientIdParams } from '@sanita/contracts/chart';
import * as S from '@sanita/contracts/letters';
import type { LettersService } from './letters.service.ts';
import { PdfBody, sendPdf } from '../../platform/http/pdf-reply.ts';

export const lettersRoutes: FastifyPluginAsyncTypebox<{ letters: LettersService }> = async (app, { letters }) => {
  // the service checks the permissions and the patient's clinic itself, so that a refusal is audited
  app.get(
    '/api/patients/:patientId/letters',
    {
      schema: {
        tags: ['letters'],
        summary: 'The letters issued for a patient at the active clinic, newest first',
        params: PatientIdParams,
        response: { 200: S.LetterList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => letters.list(principalOf(req), actorOf(req), req.params.patientId),
  );

  app.post(
    '/api/patients/:patientId/letters',
    {
      schema: {
        tags: ['letters'],
        summary: 'Issue a medical certificate, sick note or referral letter (immutable once issued)',
        params: PatientIdParams,
        body: S.LetterInput,
        response: { 201: S.Letter, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await letters.issue(principalOf(req), actorOf(req), req.params.patientId, req.body)),
  );

  app.post(
    '/api/encounters/:id/visit-summary',
    {
      schema: {
        tags: ['letters'],
        summary:
          "Issue the visit summary of the encounter's signed note (201), or answer the one issued before in that language (200); its PDF is GET /api/letters/:id/pdf. 409 NOTE_NOT_SIGNED while the note is a draft",
        params: IdParams,
        body: S.VisitSummaryInput,
        response: { 200: S.Letter, 201: S.Letter, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const { letter, created } = await letters.issueVisitSummary(
        principalOf(req),
        actorOf(req),
        req.params.id,
        req.body.language,
      );
      return reply.status(created ? 201 : 200).send(letter);
    },
  );

  app.get(
    '/api/letters/:id/pdf',
    {
      schema: {
        tags: ['letters'],
        summary: 'The letter as a PDF, with its verification code (every opening is audited)',
        params: IdParams,
        response: {
          200: PdfBody,
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const { pdf, filename } = await letters.pdf(principalOf(req), actorOf(req), req.params.id);
      return sendPdf(reply, { pdf, filename });
    },
  );

  app.post(
    '/api/letters/:id/revoke',
    {
      schema: {
        tags: ['letters'],
        summary: 'Revoke a letter issued in error; its verification page then says it is revoked',
        params: IdParams,
        body: S.LetterRevoke,
        response: { 200: S.Letter, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => letters.revoke(principalOf(req), actorOf(req), req.params.id, req.body.reason),
  );

  app.get(
    '/api/verify/:code',
    {
      // anyone holding a letter checks it: the answer names no patient
      config: { auth: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['letters'],
        summary:
          'Check a letter or prescription by the code printed on it (every module that prints codes is asked): genuine, revoked or cancelled, its kind, date and clinic',
        security: [],
        params: S.VerifyParams,
        response: { 200: S.Verification, ...errors(400, 404, 429) },
      },
    },
    async (req, reply) => reply.header('cache-control', 'no-store').send(await letters.verify(req.params.code)),
  );
};
