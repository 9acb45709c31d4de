import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf, principalOf } from '../../platform/access.ts';
import { errors } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/letters';
import type { LettersService } from '../letters/letters.service.ts';

/**
 * My visit summary, in the portal: the PDF of one of my consultations whose note is signed (issued at
 * the first download, the same letter and verification code afterwards), in my language.
 */
export const portalVisitSummaryRoutes: FastifyPluginAsyncTypebox<{ letters: LettersService }> = async (app, { letters }) => {
  app.get(
    '/api/portal/visits/:encounterId/summary.pdf',
    {
      schema: {
        tags: ['portal'],
        summary: 'The visit summary of one of my consultations whose note is signed, as a PDF (404 otherwise; audited)',
        params: S.VisitSummaryParams,
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'application/pdf' }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const { pdf, filename } = await letters.portalVisitSummary(principalOf(req), actorOf(req), req.params.encounterId);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="${filename}"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );
};
