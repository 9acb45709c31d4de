import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import { errors } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/payments';
import { actorOf, principalOf } from '../../platform/access.ts';
import { idempotencyOf, IdempotencyHeaderSchema } from '../../platform/http/idempotency.ts';
import { PdfBody, sendPdf } from '../../platform/http/pdf-reply.ts';
import type { CashierService } from './cashier.service.ts';
import type { PaymentsService } from './payments.service.ts';
import type { PlansService } from './plans.service.ts';
import type { ReportOutput, ReportsService } from './reports.service.ts';

const tags = ['payments'];
const CsvBody = Type.String({ description: 'text/csv' });

function sendReport<T>(reply: FastifyReply, out: ReportOutput<T>) {
  if (out.kind === 'pdf') return sendPdf(reply, { pdf: out.body, filename: out.filename });
  if (out.kind === 'csv')
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${out.filename}"`)
      .header('cache-control', 'private, no-store')
      .send(out.body);
  return reply.send(out.body);
}

// the services check the permissions, the patient and the clinic themselves, so that refusals are audited
export const paymentRoutes: FastifyPluginAsyncTypebox<{
  payments: PaymentsService;
  cashier: CashierService;
  plans: PlansService;
  reports: ReportsService;
}> = async (app, { payments, cashier, plans, reports }) => {
  // ------------------------------------------------------------------ exchange rates
  app.get(
    '/api/payments/exchange-rates',
    {
      schema: {
        tags,
        summary: 'Exchange rates, newest first, with their history (payments:read)',
        querystring: S.ExchangeRateQuery,
        response: { 200: S.ExchangeRateList, ...errors(400, 401, 403) },
      },
    },
    async (req) => payments.rates(principalOf(req), req.query),
  );
  app.post(
    '/api/payments/exchange-rates',
    {
      schema: {
        tags,
        summary: 'Record a rate from now or a given time (payments:manage); earlier rates are kept, never overwritten',
        body: S.ExchangeRateInput,
        response: { 201: S.ExchangeRate, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await payments.addRate(principalOf(req), actorOf(req), req.body)),
  );

  // ------------------------------------------------------------------ payments
  app.post(
    '/api/payments',
    {
      schema: {
        tags,
        summary:
          "Take a payment on an issued invoice, or a deposit (no invoice), in the cashier's open session (payments:collect); Idempotency-Key required (400 IDEMPOTENCY_KEY_REQUIRED, 409 IDEMPOTENCY_KEY_REUSED); converted at the rate in force; 409 OVERPAYMENT, NO_EXCHANGE_RATE, SESSION_REQUIRED, INVOICE_STATE; 400 CURRENCY_NOT_ACCEPTED",
        headers: IdempotencyHeaderSchema,
        body: S.PaymentInput,
        response: { 201: S.Payment, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const a = await payments.collect(p, actorOf(req), req.body, () => idempotencyOf(req, p.userId));
      return reply.status(a.status as 201).send(a.body);
    },
  );
  app.get(
    '/api/payments',
    {
      schema: {
        tags,
        summary: "The active clinic's payments, newest first (payments:read); audited",
        querystring: S.PaymentListQuery,
        response: { 200: S.PaymentList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => payments.list(principalOf(req), actorOf(req), req.query),
  );
  app.get(
    '/api/payments/:id',
    {
      schema: {
        tags,
        summary: 'One payment (payments:read); audited',
        params: S.IdParams,
        response: { 200: S.Payment, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => payments.get(principalOf(req), actorOf(req), req.params.id),
  );
  app.get(
    '/api/payments/:id/receipt',
    {
      schema: {
        tags,
        summary: "The receipt as a PDF, in the reader's language (payments:read); audited",
        params: S.IdParams,
        response: { 200: PdfBody, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => sendPdf(reply, await payments.receipt(principalOf(req), actorOf(req), req.params.id)),
  );
  app.post(
    '/api/payments/:id/apply',
    {
      schema: {
        tags,
        summary:
          "Apply a deposit to an issued invoice of the same patient at the clinic, at today's rate (payments:collect); 409 OVERPAYMENT",
        params: S.IdParams,
        body: S.ApplyDepositInput,
        response: { 200: S.Payment, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => payments.applyDeposit(principalOf(req), actorOf(req), req.params.id, req.body.invoiceId),
  );
  app.post(
    '/api/payments/:id/refunds',
    {
      schema: {
        tags,
        summary:
          "Refund (part of) a payment in its currency (payments:refund); Idempotency-Key required; 409 REFUND_EXCEEDS_PAYMENT; recorded in the refunder's open session",
        params: S.IdParams,
        headers: IdempotencyHeaderSchema,
        body: S.RefundInput,
        response: { 201: S.Payment, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const a = await payments.refund(p, actorOf(req), req.params.id, req.body, () => idempotencyOf(req, p.userId));
      return reply.status(a.status as 201).send(a.body);
    },
  );

  // ------------------------------------------------------------------ cashier sessions
  app.post(
    '/api/cashier/sessions',
    {
      schema: {
        tags,
        summary:
          'Open my cashier session at the active clinic with a float per currency (payments:collect); 409 SESSION_STATE when open',
        body: S.SessionOpenInput,
        response: { 201: S.CashierSession, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await cashier.open(principalOf(req), actorOf(req), req.body)),
  );
  app.get(
    '/api/cashier/sessions/current',
    {
      schema: {
        tags,
        summary: 'My open session at the active clinic, or null',
        response: { 200: S.CurrentSession, ...errors(401, 403) },
      },
    },
    async (req) => cashier.current(principalOf(req)),
  );
  app.get(
    '/api/cashier/sessions',
    {
      schema: {
        tags,
        summary: "The active clinic's cashier sessions, newest first (payments:read)",
        querystring: S.SessionListQuery,
        response: { 200: S.CashierSessionList, ...errors(400, 401, 403) },
      },
    },
    async (req) => cashier.list(principalOf(req), req.query),
  );
  app.get(
    '/api/cashier/sessions/:id',
    {
      schema: {
        tags,
        summary: 'A session with its totals per currency × method: float, taken, refunded, expected, counted, difference',
        params: S.IdParams,
        response: { 200: S.CashierSession, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => cashier.get(principalOf(req), actorOf(req), req.params.id),
  );
  app.post(
    '/api/cashier/sessions/:id/close',
    {
      schema: {
        tags,
        summary:
          'Close with a count per currency and method (its cashier); every cash total counted; a difference needs a note (400 naming note); 409 SESSION_STATE, STALE_VERSION',
        params: S.IdParams,
        body: S.SessionCloseInput,
        response: { 200: S.CashierSession, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => cashier.close(principalOf(req), actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/cashier/sessions/:id/reopen',
    {
      schema: {
        tags,
        summary: 'Reopen a closed session with a reason (payments:manage); audited',
        params: S.IdParams,
        body: S.SessionReopenInput,
        response: { 200: S.CashierSession, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => cashier.reopen(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  // ------------------------------------------------------------------ payment plans
  app.post(
    '/api/payment-plans',
    {
      schema: {
        tags,
        summary: 'A payment plan of an issued invoice: instalments adding up to its balance (payments:collect)',
        body: S.PaymentPlanInput,
        response: { 201: S.PaymentPlan, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await plans.create(principalOf(req), actorOf(req), req.body)),
  );
  app.get(
    '/api/payment-plans',
    {
      schema: {
        tags,
        summary: 'Payment plans of the active clinic, of an invoice or a patient (payments:read); audited',
        querystring: S.PaymentPlanQuery,
        response: { 200: S.PaymentPlanList, ...errors(400, 401, 403) },
      },
    },
    async (req) => plans.list(principalOf(req), actorOf(req), req.query),
  );

  // ------------------------------------------------------------------ reports
  app.get(
    '/api/billing-reports/revenue',
    {
      schema: {
        tags,
        summary:
          'Revenue (invoiced and collected) by day, clinic, service, practitioner or method, for the active clinic or consolidated (billing:report); JSON, CSV or PDF; 409 NO_EXCHANGE_RATE',
        querystring: S.ReportQuery,
        response: { 200: Type.Union([S.RevenueReport, CsvBody, PdfBody]), ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => sendReport(reply, await reports.revenue(principalOf(req), actorOf(req), req.query)),
  );
  app.get(
    '/api/billing-reports/aging',
    {
      schema: {
        tags,
        summary:
          'Outstanding balances by days past due (0–30, 31–60, 61–90, 90+) and the largest, per clinic or consolidated (billing:report); JSON, CSV or PDF',
        querystring: S.AgingQuery,
        response: { 200: Type.Union([S.AgingReport, CsvBody, PdfBody]), ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => sendReport(reply, await reports.aging(principalOf(req), actorOf(req), req.query)),
  );
};
