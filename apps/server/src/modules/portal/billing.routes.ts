import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errors, Uuid } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/portal';
import { actorOf, principalOf } from '../../platform/access.ts';
import { PdfBody, sendPdf } from '../../platform/http/pdf-reply.ts';
import type { PaymentsService } from '../payments/payments.service.ts';

const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

/**
 * My invoices and receipts, in the portal: my issued invoices at every clinic, one with its
 * payments, a receipt as PDF. The payments service checks `portal:self`, answers 404 for anyone
 * else's and audits in its transaction.
 */
export const portalBillingRoutes: FastifyPluginAsyncTypebox<{ payments: PaymentsService }> = async (app, { payments }) => {
  app.get(
    '/api/portal/invoices',
    {
      schema: {
        tags: ['portal'],
        summary: 'My issued invoices at every clinic, newest first, with their balances; audited',
        response: { 200: S.PortalInvoiceList, ...errors(401, 403) },
      },
    },
    async (req) => payments.portalInvoices(principalOf(req), actorOf(req)),
  );
  app.get(
    '/api/portal/invoices/:id',
    {
      schema: {
        tags: ['portal'],
        summary: 'One of my invoices with its lines and payments (404 for anyone else’s); audited',
        params: IdParams,
        response: { 200: S.PortalInvoiceDetail, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => payments.portalInvoice(principalOf(req), actorOf(req), req.params.id),
  );
  app.get(
    '/api/portal/payments/:id/receipt',
    {
      schema: {
        tags: ['portal'],
        summary: 'The receipt of one of my payments, as a PDF in my language (404 for anyone else’s); audited',
        params: IdParams,
        response: { 200: PdfBody, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => sendPdf(reply, await payments.receipt(principalOf(req), actorOf(req), req.params.id, true)),
  );
};
