import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TSchema } from '@sinclair/typebox';
import { errors } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/history';
import { actorOf, principalOf } from '../../platform/access.ts';
import type { HistoryService } from './history.service.ts';

// Every route checks history:read or history:write and the patient's clinic in the service, so that a refusal is audited.
export const historyRoutes: FastifyPluginAsyncTypebox<{ history: HistoryService }> = async (app, { history }) => {
  const base = '/api/patients/:patientId';
  const read = <T extends TSchema>(summary: string, response: T) => ({
    schema: { tags: ['history'], summary, params: S.PatientIdParams, response: { 200: response, ...errors(400, 401, 403, 404) } },
  });
  const revisions = (what: string) => ({
    schema: {
      tags: ['history'],
      summary: `Every version of one ${what}, oldest first: who changed which fields from what to what, and when`,
      params: S.ItemParams,
      response: { 200: S.RevisionList, ...errors(400, 401, 403, 404) },
    },
  });

  // ---------------------------------------------------------------- problems
  app.get(
    `${base}/problems`,
    read("A patient's problem list (every status), in the order recorded", S.ProblemList),
    async (req) => history.problems(principalOf(req), actorOf(req), req.params.patientId),
  );
  app.post(
    `${base}/problems`,
    {
      schema: {
        tags: ['history'],
        summary: 'Add a problem: ICD-10-CM coded, or described in free text when no code fits',
        params: S.PatientIdParams,
        body: S.ProblemInput,
        response: { 201: S.Problem, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await history.recordProblem(principalOf(req), actorOf(req), req.params.patientId, req.body)),
  );
  app.patch(
    `${base}/problems/:id`,
    {
      schema: {
        tags: ['history'],
        summary: 'Change, resolve or mark entered-in-error a problem; send the version you read (409 STALE_VERSION)',
        params: S.ItemParams,
        body: S.ProblemPatch,
        response: { 200: S.Problem, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => history.updateProblem(principalOf(req), actorOf(req), req.params.patientId, req.params.id, req.body),
  );
  app.get(`${base}/problems/:id/revisions`, revisions('problem'), async (req) =>
    history.revisions(principalOf(req), actorOf(req), req.params.patientId, 'problem', req.params.id),
  );

  // ---------------------------------------------------------------- allergies
  app.get(
    `${base}/allergies`,
    read("A patient's allergies and intolerances (active first), and whether 'no known allergies' was stated", S.AllergyList),
    async (req) => history.allergies(principalOf(req), actorOf(req), req.params.patientId),
  );
  app.post(
    `${base}/allergies`,
    {
      schema: {
        tags: ['history'],
        summary: "Record an allergy or intolerance; an active one clears 'no known allergies'",
        params: S.PatientIdParams,
        body: S.AllergyInput,
        response: { 201: S.Allergy, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await history.recordAllergy(principalOf(req), actorOf(req), req.params.patientId, req.body)),
  );
  app.post(
    `${base}/allergies/no-known`,
    {
      schema: {
        tags: ['history'],
        summary:
          "State 'no known allergies' (409 ALLERGIES_RECORDED while an active allergy is recorded); answers the allergy list",
        params: S.PatientIdParams,
        response: { 200: S.AllergyList, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => history.stateNoKnownAllergies(principalOf(req), actorOf(req), req.params.patientId),
  );
  app.patch(
    `${base}/allergies/:id`,
    {
      schema: {
        tags: ['history'],
        summary:
          'Change an allergy (refute it, resolve it, mark it entered-in-error); send the version you read (409 STALE_VERSION)',
        params: S.ItemParams,
        body: S.AllergyPatch,
        response: { 200: S.Allergy, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => history.updateAllergy(principalOf(req), actorOf(req), req.params.patientId, req.params.id, req.body),
  );
  app.get(`${base}/allergies/:id/revisions`, revisions('allergy'), async (req) =>
    history.revisions(principalOf(req), actorOf(req), req.params.patientId, 'allergy', req.params.id),
  );

  // ---------------------------------------------------------------- history
  app.get(
    `${base}/history`,
    read("A patient's medical, surgical, family and social history, in the order recorded", S.HistoryList),
    async (req) => history.history(principalOf(req), actorOf(req), req.params.patientId),
  );
  app.post(
    `${base}/history`,
    {
      schema: {
        tags: ['history'],
        summary: 'Add a medical, surgical, family (with the relation) or social (tobacco, alcohol, occupation) history entry',
        params: S.PatientIdParams,
        body: S.HistoryInput,
        response: { 201: S.HistoryEntry, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await history.recordHistory(principalOf(req), actorOf(req), req.params.patientId, req.body)),
  );
  app.patch(
    `${base}/history/:id`,
    {
      schema: {
        tags: ['history'],
        summary: 'Change a history entry or mark it entered-in-error; send the version you read (409 STALE_VERSION)',
        params: S.ItemParams,
        body: S.HistoryPatch,
        response: { 200: S.HistoryEntry, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => history.updateHistory(principalOf(req), actorOf(req), req.params.patientId, req.params.id, req.body),
  );
  app.get(`${base}/history/:id/revisions`, revisions('history entry'), async (req) =>
    history.revisions(principalOf(req), actorOf(req), req.params.patientId, 'history', req.params.id),
  );
};
