import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errors, Uuid } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/lab';
import { actorOf, principalOf } from '../../platform/access.ts';
import type { LabAlertsService } from './alerts.service.ts';
import type { LabService } from './lab.service.ts';
import { PdfBody, sendPdf } from '../../platform/http/pdf-reply.ts';

const tags = ['lab'];
const PatientParams = Type.Object({ patientId: Uuid }, { additionalProperties: false });

// the service checks the permissions, the patient and the order's clinic itself, so that refusals are audited
export const labRoutes: FastifyPluginAsyncTypebox<{ lab: LabService; labAlerts: LabAlertsService }> = async (
  app,
  { lab, labAlerts },
) => {
  app.post(
    '/api/patients/:patientId/lab-orders',
    {
      schema: {
        tags,
        summary:
          'Order tests from a consultation in progress (lab:order); due in 1 h (stat), 4 h (urgent) or the longest turnaround (routine). 409 ENCOUNTER_CLOSED, LAB_TEST_INACTIVE',
        params: PatientParams,
        body: S.CreateLabOrderInput,
        response: { 201: S.LabOrder, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await lab.create(principalOf(req), actorOf(req), req.params.patientId, req.body)),
  );

  app.get(
    '/api/patients/:patientId/lab-orders',
    {
      schema: {
        tags,
        summary: "A patient's lab orders, newest first (the lab sees every result, others the released ones); audited",
        params: PatientParams,
        querystring: S.PatientOrdersQuery,
        response: { 200: S.LabOrderList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => lab.listForPatient(principalOf(req), actorOf(req), req.params.patientId, req.query),
  );

  app.get(
    '/api/lab/orders/:orderId',
    {
      schema: {
        tags,
        summary:
          'One lab order with its items, specimens and results (the lab sees every result, others the released ones); audited',
        params: S.OrderIdParams,
        response: { 200: S.LabOrder, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => lab.get(principalOf(req), actorOf(req), req.params.orderId),
  );

  app.post(
    '/api/lab/orders/:orderId/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel an order not yet collected (lab:order); 409 LAB_ORDER_STATE after collection',
        params: S.OrderIdParams,
        body: S.CancelLabOrderInput,
        response: { 200: S.LabOrder, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => lab.cancel(principalOf(req), actorOf(req), req.params.orderId, req.body),
  );

  app.get(
    '/api/lab/worklist',
    {
      schema: {
        tags,
        summary:
          "The active clinic's open lab orders at a step (collect, receive, enter, verify, release), stat first then oldest; audited",
        querystring: S.WorklistQuery,
        response: { 200: S.LabOrderList, ...errors(400, 401, 403) },
      },
    },
    async (req) => lab.worklist(principalOf(req), actorOf(req), req.query),
  );

  app.get(
    '/api/lab/worklist/counts',
    {
      schema: {
        tags,
        summary: "How many of the active clinic's open lab orders wait at each step, and how many are urgent or stat; audited",
        querystring: S.WorklistCountsQuery,
        response: { 200: S.WorklistCounts, ...errors(400, 401, 403) },
      },
    },
    async (req) => lab.worklistCounts(principalOf(req), actorOf(req), req.query),
  );

  app.post(
    '/api/lab/orders/:orderId/collect',
    {
      schema: {
        tags,
        summary: 'Collect the specimens: one per specimen type, each with a new accession number (lab:process)',
        params: S.OrderIdParams,
        body: S.CollectInput,
        response: { 200: S.LabOrder, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => lab.collect(principalOf(req), actorOf(req), req.params.orderId, req.body),
  );

  app.get(
    '/api/lab/orders/:orderId/labels.pdf',
    {
      schema: {
        tags,
        summary: "The specimens' barcode labels (Code 128 accession number, patient, tests, collection time); audited",
        params: S.OrderIdParams,
        response: { 200: PdfBody, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const { pdf, filename } = await lab.labels(principalOf(req), actorOf(req), req.params.orderId);
      return sendPdf(reply, { pdf, filename });
    },
  );

  app.post(
    '/api/lab/orders/:orderId/receive',
    {
      schema: {
        tags,
        summary: 'The specimens reached the bench (lab:process)',
        params: S.OrderIdParams,
        body: S.ReceiveInput,
        response: { 200: S.LabOrder, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => lab.receive(principalOf(req), actorOf(req), req.params.orderId, req.body),
  );

  app.post(
    '/api/lab/orders/:orderId/results',
    {
      schema: {
        tags,
        summary:
          "Enter results, all or none (lab:process): 400 LAB_RESULT_VALUE / LAB_UNIT_INVALID naming the field; flagged from the patient's range on the collection day",
        params: S.OrderIdParams,
        body: S.EnterResultsInput,
        response: { 200: S.LabOrder, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => lab.enterResults(principalOf(req), actorOf(req), req.params.orderId, req.body),
  );

  app.post(
    '/api/lab/orders/:orderId/verify',
    {
      schema: {
        tags,
        summary:
          'Verify and release results entered by someone else (lab:verify; 409 LAB_SELF_VERIFICATION); a critical value raises its alert',
        params: S.OrderIdParams,
        body: S.ResultIdsInput,
        response: { 200: S.LabOrder, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => lab.verify(principalOf(req), actorOf(req), req.params.orderId, req.body),
  );

  app.post(
    '/api/lab/orders/:orderId/release',
    {
      schema: {
        tags,
        summary:
          'Release results of tests needing no verification (lab:process; 409 LAB_ORDER_STATE for one that does); completes the order when all are out',
        params: S.OrderIdParams,
        body: S.ResultIdsInput,
        response: { 200: S.LabOrder, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => lab.release(principalOf(req), actorOf(req), req.params.orderId, req.body),
  );

  app.get(
    '/api/lab/alerts',
    {
      schema: {
        tags,
        summary: "The active clinic's critical lab alerts (mine: of my orders), newest first; audited",
        querystring: S.LabAlertsQuery,
        response: { 200: S.LabCriticalAlertList, ...errors(400, 401, 403) },
      },
    },
    async (req) => labAlerts.list(principalOf(req), actorOf(req), req.query),
  );

  app.post(
    '/api/lab/alerts/:alertId/acknowledge',
    {
      schema: {
        tags,
        summary: 'Acknowledge a critical lab value (lab:order); 409 LAB_ALERT_ACKNOWLEDGED once done',
        params: S.AlertIdParams,
        body: S.AcknowledgeLabAlertInput,
        response: { 200: S.LabCriticalAlert, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => labAlerts.acknowledge(principalOf(req), actorOf(req), req.params.alertId, req.body),
  );

  app.post(
    '/api/lab/results/:resultId/portal-hold',
    {
      schema: {
        tags,
        summary:
          'Hold a released result back from the portal, or let it through (lab:order); a critical one stays off the portal until its alert is acknowledged',
        params: S.ResultIdParams,
        body: S.PortalHoldInput,
        response: { 200: S.LabResult, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => lab.portalHold(principalOf(req), actorOf(req), req.params.resultId, req.body),
  );

  app.get(
    '/api/lab/orders/:orderId/report.pdf',
    {
      schema: {
        tags,
        summary: 'The lab report of the released results, signed, with a verification code; audited',
        params: S.OrderIdParams,
        response: { 200: PdfBody, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const { pdf, filename } = await lab.report(principalOf(req), actorOf(req), req.params.orderId);
      return sendPdf(reply, { pdf, filename });
    },
  );

  app.post(
    '/api/lab/orders/:orderId/documents',
    {
      schema: {
        tags,
        summary:
          "Link an uploaded outside report (a current document of category lab_report of the order's patient) to the order",
        params: S.OrderIdParams,
        body: S.LinkDocumentInput,
        response: { 200: S.LabOrder, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => lab.linkDocument(principalOf(req), actorOf(req), req.params.orderId, req.body),
  );

  app.get(
    '/api/patients/:patientId/lab-results/table',
    {
      schema: {
        tags,
        summary:
          "A patient's results: tests as rows, collection days as columns newest first (released; the lab sees all); audited",
        params: PatientParams,
        querystring: S.ResultsTableQuery,
        response: { 200: S.ResultsTable, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => lab.table(principalOf(req), actorOf(req), req.params.patientId, req.query),
  );

  app.get(
    '/api/patients/:patientId/lab-results/trend',
    {
      schema: {
        tags,
        summary: "One numeric test of a patient over time, with the patient's reference range today; audited",
        params: PatientParams,
        querystring: S.TrendQuery,
        response: { 200: S.Trend, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => lab.trend(principalOf(req), actorOf(req), req.params.patientId, req.query),
  );
};
