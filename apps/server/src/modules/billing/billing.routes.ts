import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors, IdParams } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/billing';
import { actorOf, principalOf } from '../../platform/access.ts';
import { PdfBody, sendPdf } from '../../platform/http/pdf-reply.ts';
import type { BillingService } from './billing.service.ts';

const tags = ['billing'];

// the service checks permissions and the invoice's clinic itself, so that refusals are audited
export const billingRoutes: FastifyPluginAsyncTypebox<{ billing: BillingService }> = async (app, { billing }) => {
  // ------------------------------------------------------------------ price list, taxes, settings
  app.get(
    '/api/billing/prices',
    {
      schema: {
        tags,
        summary:
          "The active clinic's price list (billing:read): in force on a date (default today), or all; trigram search on code and names",
        querystring: S.PriceListQuery,
        response: { 200: S.PriceList, ...errors(400, 401, 403) },
      },
    },
    async (req) => billing.listPrices(principalOf(req), req.query),
  );
  app.post(
    '/api/billing/prices',
    {
      schema: {
        tags,
        summary: 'Add a price-list entry (billing:manage); 409 PRICE_OVERLAP when another entry covers these dates',
        body: S.PriceItemInput,
        response: { 201: S.PriceItem, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await billing.createPrice(principalOf(req), actorOf(req), req.body)),
  );
  app.patch(
    '/api/billing/prices/:id',
    {
      schema: {
        tags,
        summary:
          'Change a price-list entry (billing:manage; end it with effectiveTo, or deactivate it); 409 PRICE_OVERLAP, STALE_VERSION',
        params: IdParams,
        body: S.PriceItemUpdate,
        response: { 200: S.PriceItem, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => billing.updatePrice(principalOf(req), actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/billing/tax-rates',
    {
      schema: {
        tags,
        summary: "The active clinic's tax rates by category (billing:read)",
        response: { 200: S.TaxRateList, ...errors(401, 403) },
      },
    },
    async (req) => billing.listTaxRates(principalOf(req)),
  );
  app.post(
    '/api/billing/tax-rates',
    {
      schema: {
        tags,
        summary:
          'Add a tax rate for a category from a date (billing:manage); 409 PRICE_OVERLAP when another rate covers these dates',
        body: S.TaxRateInput,
        response: { 201: S.TaxRate, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await billing.createTaxRate(principalOf(req), actorOf(req), req.body)),
  );
  app.get(
    '/api/billing/settings',
    {
      schema: {
        tags,
        summary: "The active clinic's billing settings (billing:read)",
        response: { 200: S.BillingSettings, ...errors(401, 403) },
      },
    },
    async (req) => billing.getSettings(principalOf(req)),
  );
  app.patch(
    '/api/billing/settings',
    {
      schema: {
        tags,
        summary: "Change the active clinic's billing settings (billing:manage)",
        body: S.BillingSettingsInput,
        response: { 200: S.BillingSettings, ...errors(400, 401, 403) },
      },
    },
    async (req) => billing.updateSettings(principalOf(req), actorOf(req), req.body),
  );

  // ------------------------------------------------------------------ invoices
  app.get(
    '/api/billing/invoices',
    {
      schema: {
        tags,
        summary: "The active clinic's invoices, newest first (billing:read); q = MRN, number or name; audited",
        querystring: S.InvoiceListQuery,
        response: { 200: S.InvoiceList, ...errors(400, 401, 403) },
      },
    },
    async (req) => billing.list(principalOf(req), actorOf(req), req.query),
  );
  app.post(
    '/api/billing/invoices',
    {
      schema: {
        tags,
        summary: "Open the patient's draft invoice at the active clinic (billing:write); 200 with the draft already open",
        body: S.InvoiceCreate,
        response: { 200: S.Invoice, 201: S.Invoice, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const { invoice, created } = await billing.open(principalOf(req), actorOf(req), req.body);
      return reply.status(created ? 201 : 200).send(invoice);
    },
  );
  app.get(
    '/api/billing/invoices/:id',
    {
      schema: {
        tags,
        summary: 'One invoice with its lines, discounts and credit notes (billing:read); audited',
        params: S.InvoiceIdParams,
        response: { 200: S.Invoice, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => billing.get(principalOf(req), actorOf(req), req.params.id),
  );
  app.get(
    '/api/billing/invoices/:id/pdf',
    {
      schema: {
        tags,
        summary: "The invoice as PDF in the reader's language (billing:read); audited",
        params: S.InvoiceIdParams,
        response: { 200: PdfBody, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => sendPdf(reply, await billing.pdf(principalOf(req), actorOf(req), req.params.id)),
  );
  app.post(
    '/api/billing/invoices/:id/lines',
    {
      schema: {
        tags,
        summary:
          'Add a manual line to a draft (billing:write): a price-list entry at its price on the service date, or a free line',
        params: S.InvoiceIdParams,
        body: S.ManualLineInput,
        response: { 201: S.Invoice, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await billing.addLine(principalOf(req), actorOf(req), req.params.id, req.body)),
  );
  app.patch(
    '/api/billing/invoices/:id/lines/:lineId',
    {
      schema: {
        tags,
        summary: 'Price a line captured without a price (billing:write); 409 INVOICE_STATE when already priced',
        params: S.InvoiceLineParams,
        body: S.LinePriceInput,
        response: { 200: S.Invoice, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => billing.priceLine(principalOf(req), actorOf(req), req.params.id, req.params.lineId, req.body),
  );
  app.delete(
    '/api/billing/invoices/:id/lines/:lineId',
    {
      schema: {
        tags,
        summary: 'Remove a manual line of a draft (billing:write); captured charges stay (409 INVOICE_STATE)',
        params: S.InvoiceLineParams,
        querystring: S.VersionQuery,
        response: { 200: S.Invoice, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => billing.deleteLine(principalOf(req), actorOf(req), req.params.id, req.params.lineId, req.query.version),
  );
  app.post(
    '/api/billing/invoices/:id/issue',
    {
      schema: {
        tags,
        summary:
          'Issue a draft (billing:write): numbered INV-<clinic>-<year>-<n> without gaps, due after the clinic’s terms; 409 INVOICE_UNPRICED, DISCOUNT_APPROVAL_REQUIRED',
        params: S.InvoiceIdParams,
        body: S.VersionBody,
        response: { 200: S.Invoice, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => billing.issue(principalOf(req), actorOf(req), req.params.id, req.body.version),
  );
  app.post(
    '/api/billing/invoices/:id/discounts',
    {
      schema: {
        tags,
        summary:
          'A discount on a draft (percent or amount): up to the clinic’s threshold applied at once (billing:write, 201); above it needs invoices:discount and waits for a second person (202)',
        params: S.InvoiceIdParams,
        body: S.DiscountInput,
        response: { 201: S.Invoice, 202: S.Invoice, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const { invoice, pending } = await billing.requestDiscount(principalOf(req), actorOf(req), req.params.id, req.body);
      return reply.status(pending ? 202 : 201).send(invoice);
    },
  );
  app.post(
    '/api/billing/invoices/:id/discounts/:discountId/decision',
    {
      schema: {
        tags,
        summary: 'Approve or reject a pending discount (invoices:discount; 409 DISCOUNT_SELF_APPROVAL for its requester)',
        params: S.DiscountParams,
        body: S.DiscountDecision,
        response: { 200: S.Invoice, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => billing.decideDiscount(principalOf(req), actorOf(req), req.params.id, req.params.discountId, req.body),
  );
  app.post(
    '/api/billing/invoices/:id/void',
    {
      schema: {
        tags,
        summary: 'Void an invoice on which nothing was paid, with a reason (billing:void); 409 INVOICE_STATE',
        params: S.InvoiceIdParams,
        body: S.VoidInput,
        response: { 200: S.Invoice, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => billing.voidInvoice(principalOf(req), actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/billing/invoices/:id/credit-notes',
    {
      schema: {
        tags,
        summary: 'A credit note against an issued invoice, numbered CN-… (billing:void); 409 CREDIT_EXCEEDS_INVOICE',
        params: S.InvoiceIdParams,
        body: S.CreditNoteInput,
        response: { 201: S.Invoice, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await billing.creditNote(principalOf(req), actorOf(req), req.params.id, req.body)),
  );
};
