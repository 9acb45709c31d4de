import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/claims';
import { actorOf, principalOf } from '../../platform/access.ts';
import type { ClaimsService } from './claims.service.ts';

const tags = ['claims'];

// the service checks permissions, the patient and the claim's scope itself, so that refusals are audited
export const claimsRoutes: FastifyPluginAsyncTypebox<{ claims: ClaimsService }> = async (app, { claims }) => {
  // ------------------------------------------------------------------ payers and plans
  app.get(
    '/api/payers',
    {
      schema: {
        tags,
        summary: 'Payers with their insurer members (claims:read; an insurer sees its own payer)',
        response: { 200: S.PayerList, ...errors(401, 403) },
      },
    },
    async (req) => claims.listPayers(principalOf(req)),
  );
  app.post(
    '/api/payers',
    {
      schema: {
        tags,
        summary: 'Add a payer (claims:manage)',
        body: S.PayerInput,
        response: { 201: S.Payer, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await claims.createPayer(principalOf(req), actorOf(req), req.body)),
  );
  app.get(
    '/api/payers/:id',
    {
      schema: {
        tags,
        summary: 'A payer, its plans and its insurer members (claims:read)',
        params: S.IdParams,
        response: { 200: S.PayerDetail, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => claims.getPayer(principalOf(req), req.params.id),
  );
  app.patch(
    '/api/payers/:id',
    {
      schema: {
        tags,
        summary: 'Change a payer (claims:manage); 409 STALE_VERSION',
        params: S.IdParams,
        body: S.PayerUpdate,
        response: { 200: S.Payer, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => claims.updatePayer(principalOf(req), actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/payers/:id/plans',
    {
      schema: {
        tags,
        summary: "A payer's plans and their coverage rules (claims:read)",
        params: S.IdParams,
        response: { 200: S.PlanList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => claims.listPlans(principalOf(req), req.params.id),
  );
  app.post(
    '/api/payers/:id/plans',
    {
      schema: {
        tags,
        summary: 'Add a plan with its coverage rules (claims:manage)',
        params: S.IdParams,
        body: S.PlanInput,
        response: { 201: S.Plan, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await claims.createPlan(principalOf(req), actorOf(req), req.params.id, req.body)),
  );
  app.post(
    '/api/payers/:id/members',
    {
      schema: {
        tags,
        summary: "Make a user with the insurer role a member of the payer: they see only this payer's claims (claims:manage)",
        params: S.IdParams,
        body: S.PayerMemberInput,
        response: { 200: S.PayerMemberList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => claims.addMember(principalOf(req), actorOf(req), req.params.id, req.body.userId),
  );
  app.get(
    '/api/plans/:id',
    {
      schema: {
        tags,
        summary: 'A plan (claims:read)',
        params: S.IdParams,
        response: { 200: S.Plan, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => claims.getPlan(principalOf(req), req.params.id),
  );
  app.patch(
    '/api/plans/:id',
    {
      schema: {
        tags,
        summary: "Change a plan's rules, name or state (claims:manage); 409 STALE_VERSION",
        params: S.IdParams,
        body: S.PlanUpdate,
        response: { 200: S.Plan, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => claims.updatePlan(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  // ------------------------------------------------------------------ coverages
  app.get(
    '/api/patients/:patientId/coverages',
    {
      schema: {
        tags,
        summary: "A patient's coverages (coverage:read, patient registered at the active clinic); audited",
        params: S.PatientParams,
        response: { 200: S.CoverageList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => claims.listCoverages(principalOf(req), actorOf(req), req.params.patientId),
  );
  app.post(
    '/api/patients/:patientId/coverages',
    {
      schema: {
        tags,
        summary: "Record a patient's coverage by a plan (coverage:write); audited",
        params: S.PatientParams,
        body: S.CoverageInput,
        response: { 201: S.Coverage, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await claims.createCoverage(principalOf(req), actorOf(req), req.params.patientId, req.body)),
  );
  app.patch(
    '/api/coverages/:id',
    {
      schema: {
        tags,
        summary: 'Change or end a coverage (coverage:write); 409 STALE_VERSION; audited',
        params: S.IdParams,
        body: S.CoverageUpdate,
        response: { 200: S.Coverage, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => claims.updateCoverage(principalOf(req), actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/patients/:patientId/eligibility',
    {
      schema: {
        tags,
        summary:
          'Is the patient covered on a day (today by default): each coverage valid, its plan active, what is left of the annual limit (coverage:read); audited',
        params: S.PatientParams,
        querystring: S.EligibilityQuery,
        response: { 200: S.Eligibility, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => claims.eligibility(principalOf(req), actorOf(req), req.params.patientId, req.query),
  );

  // ------------------------------------------------------------------ claims
  app.get(
    '/api/claims',
    {
      schema: {
        tags,
        summary:
          "Claims (claims:read): clinic staff see the active clinic's; an insurer its payer's at the clinics where it reviews; newest or highest score first; audited",
        querystring: S.ClaimListQuery,
        response: { 200: S.ClaimList, ...errors(400, 401, 403) },
      },
    },
    async (req) => claims.list(principalOf(req), actorOf(req), req.query),
  );
  app.post(
    '/api/claims',
    {
      schema: {
        tags,
        summary:
          "A draft claim from an issued invoice's covered lines (claims:write): 409 CLAIM_NO_COVERAGE, CLAIM_LINE_NOT_COVERED, CLAIM_DUPLICATE; sets the invoice's insurer share; audited",
        body: S.ClaimCreate,
        response: { 201: S.Claim, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await claims.create(principalOf(req), actorOf(req), req.body)),
  );
  app.post(
    '/api/claims/preview',
    {
      schema: {
        tags,
        summary:
          "What POST /api/claims would build from the same body, without writing it (claims:write): the coverage, the service date, the encounter's diagnoses, each covered line with what would be claimed, the totals; the same 400, 404 and 409 answers; audited",
        body: S.ClaimCreate,
        response: { 200: S.ClaimPreview, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => claims.preview(principalOf(req), actorOf(req), req.body),
  );
  app.get(
    '/api/claims/:id',
    {
      schema: {
        tags,
        summary:
          "A claim with its lines, attachments, notes and ledger events (another payer's claim is 404 to an insurer); audited",
        params: S.IdParams,
        response: { 200: S.Claim, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => claims.get(principalOf(req), actorOf(req), req.params.id),
  );
  app.get(
    '/api/claims/:id/documents',
    {
      schema: {
        tags,
        summary:
          "The documents that may be attached to a draft claim: the patient's current documents, titles, categories and dates only, each said attached or not (claims:write; no documents:read needed); 409 CLAIM_STATE; audited",
        params: S.IdParams,
        response: { 200: S.AttachableDocumentList, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => claims.attachable(principalOf(req), actorOf(req), req.params.id),
  );
  app.post(
    '/api/claims/:id/attachments',
    {
      schema: {
        tags,
        summary: "Attach one of the patient's documents to a draft claim (claims:write); audited",
        params: S.IdParams,
        body: S.ClaimAttachInput,
        response: { 200: S.Claim, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => claims.attach(principalOf(req), actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/claims/:id/submit',
    {
      schema: {
        tags,
        summary:
          'Submit a draft claim to the payer (claims:write): the anomaly score and its reasons are computed; 409 CLAIM_STATE',
        params: S.IdParams,
        body: S.ClaimVersionBody,
        response: { 200: S.Claim, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => claims.submit(principalOf(req), actorOf(req), req.params.id, req.body.version),
  );
  app.post(
    '/api/claims/:id/review',
    {
      schema: {
        tags,
        summary: 'The payer takes a submitted claim into review (claims:review); 409 CLAIM_STATE',
        params: S.IdParams,
        body: S.ClaimVersionBody,
        response: { 200: S.Claim, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => claims.review(principalOf(req), actorOf(req), req.params.id, req.body.version),
  );
  app.post(
    '/api/claims/:id/decision',
    {
      schema: {
        tags,
        summary:
          'Approve, partially approve (amounts per line) or deny a claim in review (claims:review); 400 CLAIM_APPROVAL_EXCEEDS; 409 CLAIM_STATE',
        params: S.IdParams,
        body: S.ClaimDecisionInput,
        response: { 200: S.Claim, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => claims.decide(principalOf(req), actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/claims/:id/notes',
    {
      schema: {
        tags,
        summary: "A note on a claim: the payer's reviewer (claims:review) or the clinic (claims:write); audited",
        params: S.IdParams,
        body: S.ClaimNoteInput,
        response: { 200: S.Claim, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => claims.note(principalOf(req), actorOf(req), req.params.id, req.body.text),
  );
  app.post(
    '/api/claims/:id/paid',
    {
      schema: {
        tags,
        summary:
          "Record the payer's payment of an approved claim as an insurance payment on the invoice (claims:write); 409 CLAIM_STATE",
        params: S.IdParams,
        body: S.ClaimPaidInput,
        response: { 200: S.Claim, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => claims.paid(principalOf(req), actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/claims/:id/resubmit',
    {
      schema: {
        tags,
        summary:
          'Resubmit a denied or partially approved claim: a new draft of its unpaid lines, linked by resubmissionOf (claims:write); 409 CLAIM_STATE',
        params: S.IdParams,
        body: S.ClaimVersionBody,
        response: { 201: S.Claim, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await claims.resubmit(principalOf(req), actorOf(req), req.params.id, req.body.version)),
  );

  // ------------------------------------------------------------------ the ledger
  for (const method of ['GET', 'POST'] as const)
    app.route({
      method,
      url: '/api/admin/claims-ledger/verify',
      schema: {
        tags,
        summary:
          'Sign the head, then walk the whole claim ledger and its signed heads; names the first bad event (claims:manage)',
        response: { 200: S.LedgerVerification, ...errors(401, 403) },
      },
      handler: async (req) => claims.verifyLedger(principalOf(req), actorOf(req)),
    });
};
