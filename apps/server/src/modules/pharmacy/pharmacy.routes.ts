import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/pharmacy';
import { actorOf, principalOf } from '../../platform/access.ts';
import type { PharmacyService } from './pharmacy.service.ts';
import { PdfBody, sendPdf } from '../../platform/http/pdf-reply.ts';

const tags = ['pharmacy'];

// the service checks pharmacy:dispense and the prescription's clinic and patient itself, so that a refusal is audited
export const pharmacyRoutes: FastifyPluginAsyncTypebox<{ pharmacy: PharmacyService }> = async (app, { pharmacy }) => {
  app.get(
    '/api/pharmacy/worklist',
    {
      schema: {
        tags,
        summary:
          "The active clinic's prescriptions to dispense (oldest signed first), with what each item has had so far, the overrides and the stock",
        querystring: S.WorklistQuery,
        response: { 200: S.Worklist, ...errors(400, 401, 403) },
      },
    },
    async (req) => pharmacy.worklist(principalOf(req), actorOf(req), req.query),
  );

  app.get(
    '/api/pharmacy/prescriptions/:prescriptionId',
    {
      schema: {
        tags,
        summary: 'One prescription as the worklist shows it (for the dispense dialog)',
        params: S.PrescriptionIdParams,
        response: { 200: S.WorklistEntry, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => pharmacy.entry(principalOf(req), actorOf(req), req.params.prescriptionId),
  );

  app.post(
    '/api/pharmacy/prescriptions/:prescriptionId/dispenses',
    {
      schema: {
        tags,
        summary:
          'Dispense part or all of a prescription from stock, first-expiry-first-out (never expired or recalled lots); completes it when every item is fully dispensed. 409 INSUFFICIENT_STOCK, OVER_DISPENSE, SUBSTITUTION_NOT_ALLOWED, PRESCRIPTION_NOT_DISPENSABLE',
        params: S.PrescriptionIdParams,
        body: S.DispenseInput,
        response: { 201: S.Dispense, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await pharmacy.dispense(principalOf(req), actorOf(req), req.params.prescriptionId, req.body)),
  );

  app.get(
    '/api/pharmacy/prescriptions/:prescriptionId/dispenses',
    {
      schema: {
        tags,
        summary: "A prescription's dispenses, oldest first, with the lots each took from",
        params: S.PrescriptionIdParams,
        response: { 200: S.DispenseList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => pharmacy.history(principalOf(req), actorOf(req), req.params.prescriptionId),
  );

  app.get(
    '/api/pharmacy/dispenses/:id/label.pdf',
    {
      schema: {
        tags,
        summary: "The labels of a dispense (one per line), in the patient's language, with a barcode (audited)",
        params: S.DispenseIdParams,
        response: {
          200: PdfBody,
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const { pdf, filename } = await pharmacy.label(principalOf(req), actorOf(req), req.params.id);
      return sendPdf(reply, { pdf, filename });
    },
  );
};
