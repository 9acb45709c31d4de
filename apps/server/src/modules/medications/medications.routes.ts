import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errors, IdParams } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/medications';
import { actorOf, principalOf } from '../../platform/access.ts';
import type { FormularyService } from './formulary.service.ts';
import { renderPrescription } from './prescription.pdf.ts';
import type { PrescriptionsService } from './prescriptions.service.ts';
import { PdfBody, sendPdf } from '../../platform/http/pdf-reply.ts';

const tags = ['medications'];

/** The formulary: search for prescribing; local items, edits and the clinic's brands and prices for administrators. */
export const formularyRoutes: FastifyPluginAsyncTypebox<{ formulary: FormularyService }> = async (app, { formulary }) => {
  app.get(
    '/api/formulary',
    {
      schema: {
        tags,
        summary: "Search the formulary by name, generic name, ingredient or the active clinic's brand names (typo-tolerant)",
        querystring: S.FormularySearchQuery,
        response: { 200: S.FormularyList, ...errors(400, 401, 403) },
      },
    },
    async (req) => formulary.search(principalOf(req), req.query),
  );

  app.get(
    '/api/formulary/:id',
    {
      schema: {
        tags,
        summary: "A formulary item, with the active clinic's brand names and price",
        params: IdParams,
        response: { 200: S.FormularyItem, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => formulary.get(principalOf(req), req.params.id),
  );

  app.get(
    '/api/formulary/:id/revisions',
    {
      schema: {
        tags,
        summary: "A formulary item's changes, oldest first",
        params: IdParams,
        response: { 200: S.FormularyRevisionList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => formulary.revisions(principalOf(req), req.params.id),
  );

  app.post(
    '/api/formulary',
    {
      schema: {
        tags,
        summary: 'Add a local item to the formulary (formulary:manage)',
        body: S.FormularyItemInput,
        response: { 201: S.FormularyItem, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await formulary.create(principalOf(req), actorOf(req), req.body)),
  );

  app.patch(
    '/api/formulary/:id',
    {
      schema: {
        tags,
        summary: 'Edit a formulary item, with the version read (kept in its history; a re-seed never overwrites it)',
        params: IdParams,
        body: S.FormularyItemPatch,
        response: { 200: S.FormularyItem, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => formulary.update(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  app.put(
    '/api/formulary/:id/clinic',
    {
      schema: {
        tags,
        summary: "Set the active clinic's brand names, price and stock list for an item",
        params: IdParams,
        body: S.ClinicFormularyInput,
        response: { 200: S.FormularyItem, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => formulary.setClinic(principalOf(req), actorOf(req), req.params.id, req.body),
  );
};

/** Prescriptions, current and reported medications, favourites and refill requests (staff). */
export const prescriptionRoutes: FastifyPluginAsyncTypebox<{ prescriptions: PrescriptionsService; publicUrl: string }> = async (
  app,
  { prescriptions, publicUrl },
) => {
  // the service checks the permissions and the patient's clinic itself, so that a refusal is audited
  app.post(
    '/api/encounters/:id/prescriptions',
    {
      schema: {
        tags,
        summary: 'Start a draft prescription in an open encounter (prescribers of its clinic); the answer carries its alerts',
        params: IdParams,
        body: S.PrescriptionCreate,
        response: { 201: S.Prescription, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await prescriptions.create(principalOf(req), actorOf(req), req.params.id, req.body)),
  );

  app.post(
    '/api/encounters/:id/prescriptions/repeat-last',
    {
      schema: {
        tags,
        summary: "A new draft in the encounter with the items of the patient's latest signed prescription",
        params: IdParams,
        response: { 201: S.Prescription, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await prescriptions.repeatLast(principalOf(req), actorOf(req), req.params.id)),
  );

  app.get(
    '/api/prescriptions/:id',
    {
      schema: {
        tags,
        summary: 'A prescription (a draft with its alerts now); audited',
        params: IdParams,
        response: { 200: S.Prescription, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => prescriptions.get(principalOf(req), actorOf(req), req.params.id),
  );

  app.put(
    '/api/prescriptions/:id',
    {
      schema: {
        tags,
        summary: 'Save the whole draft with the version read (409 STALE_VERSION; 409 PRESCRIPTION_NOT_DRAFT once signed)',
        params: IdParams,
        body: S.PrescriptionUpdate,
        response: { 200: S.Prescription, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => prescriptions.update(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/prescriptions/:id/sign',
    {
      schema: {
        tags,
        summary:
          'Sign a draft: the safety checks run again; blocking alerts without an override with a reason answer 409 MEDICATION_ALERTS (details.alerts)',
        params: IdParams,
        body: S.PrescriptionSign,
        response: { 200: S.Prescription, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => prescriptions.sign(principalOf(req), actorOf(req), req.params.id, req.body.version),
  );

  app.post(
    '/api/prescriptions/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a draft or an active prescription, with a reason',
        params: IdParams,
        body: S.PrescriptionCancel,
        response: { 200: S.Prescription, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => prescriptions.cancel(principalOf(req), actorOf(req), req.params.id, req.body.version, req.body.reason),
  );

  app.get(
    '/api/prescriptions/:id/pdf',
    {
      schema: {
        tags,
        summary: 'The signed prescription as a PDF, with its verification code (every opening is audited)',
        params: IdParams,
        response: { 200: PdfBody, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const { row, items } = await prescriptions.forPdf(principalOf(req), actorOf(req), req.params.id);
      const pdf = await renderPrescription(row, items, publicUrl);
      const filename = `prescription-${row.snapshot!.patient.mrn}-${row.signedAt!.toISOString().slice(0, 10)}.pdf`;
      return sendPdf(reply, { pdf, filename });
    },
  );

  app.get(
    '/api/patients/:patientId/prescriptions',
    {
      schema: {
        tags,
        summary: "A patient's prescriptions at every clinic, newest first; audited",
        params: S.PatientIdParams,
        querystring: S.PrescriptionListQuery,
        response: { 200: S.PrescriptionList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => prescriptions.list(principalOf(req), actorOf(req), req.params.patientId, req.query),
  );

  app.get(
    '/api/patients/:patientId/current-medications',
    {
      schema: {
        tags,
        summary: 'What the patient takes now: items of active prescriptions and reported medications not stopped; audited',
        params: S.PatientIdParams,
        response: { 200: S.CurrentMedicationList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => prescriptions.current(principalOf(req), actorOf(req), req.params.patientId),
  );

  app.post(
    '/api/patients/:patientId/medication-checks',
    {
      schema: {
        tags,
        summary:
          "The safety checks of items against the patient's current medications, allergies, age and weight now (nothing written); audited",
        params: S.PatientIdParams,
        body: S.MedicationCheckInput,
        response: { 200: S.MedicationCheckResult, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => prescriptions.checkItems(principalOf(req), actorOf(req), req.params.patientId, req.body),
  );

  app.get(
    '/api/patients/:patientId/reported-medications',
    {
      schema: {
        tags,
        summary: 'The medications the patient reported taking (stopped ones too), newest first; audited',
        params: S.PatientIdParams,
        response: { 200: S.ReportedMedicationList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => prescriptions.reported(principalOf(req), actorOf(req), req.params.patientId),
  );

  app.post(
    '/api/patients/:patientId/reported-medications',
    {
      schema: {
        tags,
        summary: 'Record a medication the patient says they take (medications:reconcile)',
        params: S.PatientIdParams,
        body: S.ReportedMedicationInput,
        response: { 201: S.ReportedMedication, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await prescriptions.report(principalOf(req), actorOf(req), req.params.patientId, req.body)),
  );

  app.post(
    '/api/patients/:patientId/reported-medications/:id/stop',
    {
      schema: {
        tags,
        summary: 'The patient no longer takes a reported medication',
        params: S.ReportedParams,
        body: S.ReportedMedicationStop,
        response: { 200: S.ReportedMedication, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => prescriptions.stopReported(principalOf(req), actorOf(req), req.params.patientId, req.params.id, req.body),
  );

  app.get(
    '/api/encounters/:id/medication-reconciliation',
    {
      schema: {
        tags,
        summary:
          "The encounter's medication reconciliation: who reviewed the current medications and when (null until marked); audited",
        params: IdParams,
        response: { 200: S.MedicationReconciliationState, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => prescriptions.reconciliation(principalOf(req), actorOf(req), req.params.id),
  );

  app.put(
    '/api/encounters/:id/medication-reconciliation',
    {
      schema: {
        tags,
        summary:
          'Mark the current medications reconciled in this encounter (medications:reconcile; the encounter in progress); marking again records the new reviewer and time',
        params: IdParams,
        body: S.MedicationReconciliationInput,
        response: { 200: S.MedicationReconciliation, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => prescriptions.reconcile(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/prescription-favourites',
    {
      schema: {
        tags,
        summary: 'My saved prescription items',
        response: { 200: S.FavouriteList, ...errors(401, 403) },
      },
    },
    async (req) => prescriptions.favourites(principalOf(req)),
  );

  app.post(
    '/api/prescription-favourites',
    {
      schema: {
        tags,
        summary: 'Save a prescription item as a favourite',
        body: S.FavouriteInput,
        response: { 201: S.Favourite, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await prescriptions.addFavourite(principalOf(req), req.body)),
  );

  app.patch(
    '/api/prescription-favourites/:id',
    {
      schema: {
        tags,
        summary: 'Rename or change one of my favourites',
        params: IdParams,
        body: S.FavouritePatch,
        response: { 200: S.Favourite, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => prescriptions.updateFavourite(principalOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/prescription-favourites/:id',
    {
      schema: {
        tags,
        summary: 'Remove one of my favourites',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      await prescriptions.deleteFavourite(principalOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/refill-requests',
    {
      schema: {
        tags,
        summary: "The active clinic's refill requests from the portal, newest first (prescribers); audited",
        querystring: S.RefillRequestListQuery,
        response: { 200: S.RefillRequestList, ...errors(400, 401, 403) },
      },
    },
    async (req) => prescriptions.refillRequests(principalOf(req), actorOf(req), req.query),
  );

  app.post(
    '/api/refill-requests/:id/approve',
    {
      schema: {
        tags,
        summary:
          'Approve a refill request: a new active prescription copying the items (renewsId names the original); 409 MEDICATION_ALERTS when a new blocking alert appeared',
        params: IdParams,
        body: S.RefillDecision,
        response: { 200: S.RefillRequest, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => prescriptions.approveRefill(principalOf(req), actorOf(req), req.params.id, req.body.note ?? null),
  );

  app.post(
    '/api/refill-requests/:id/decline',
    {
      schema: {
        tags,
        summary: 'Decline a refill request, with a note to the patient',
        params: IdParams,
        body: S.RefillDecline,
        response: { 200: S.RefillRequest, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => prescriptions.declineRefill(principalOf(req), actorOf(req), req.params.id, req.body.note),
  );
};
