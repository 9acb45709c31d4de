import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors, IdParams } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/encounters';
import { actorOf, principalOf } from '../../platform/access.ts';
import type { EncountersService } from './encounters.service.ts';

// the service checks the permissions and the patient's clinic itself, so that refusals are audited
export const encountersRoutes: FastifyPluginAsyncTypebox<{ encounters: EncountersService }> = async (app, { encounters }) => {
  app.post(
    '/api/encounters',
    {
      schema: {
        tags: ['encounters'],
        summary:
          'Start a consultation from a called ticket, a checked-in appointment or a walk-in patient (exactly one); 200 with the one already in progress for the same visit',
        body: S.EncounterStart,
        response: { 200: S.Encounter, 201: S.Encounter, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const { encounter, created } = await encounters.start(principalOf(req), actorOf(req), req.body);
      return reply.status(created ? 201 : 200).send(encounter);
    },
  );

  app.get(
    '/api/encounters/today',
    {
      schema: {
        tags: ['encounters'],
        summary:
          "The signed-in practitioner's day at the active clinic: appointments and walk-ins, each with its state, in time order",
        response: { 200: S.TodayView, ...errors(401, 403) },
      },
    },
    async (req) => encounters.today(principalOf(req), actorOf(req)),
  );

  app.get(
    '/api/encounters/:id',
    {
      schema: {
        tags: ['encounters'],
        summary: 'One encounter',
        params: IdParams,
        response: { 200: S.Encounter, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => encounters.get(principalOf(req), actorOf(req), req.params.id),
  );

  app.post(
    '/api/encounters/:id/finish',
    {
      schema: {
        tags: ['encounters'],
        summary:
          'Finish an encounter in progress: its ticket is done, its appointment completed and its visit closed; 409 ENCOUNTER_CLOSED when already finished',
        params: IdParams,
        body: S.EncounterFinish,
        response: { 200: S.Encounter, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => encounters.finish(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/encounters/:id/cancel',
    {
      schema: {
        tags: ['encounters'],
        summary: 'Cancel an encounter started in error (nothing else changes)',
        params: IdParams,
        body: S.EncounterFinish,
        response: { 200: S.Encounter, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => encounters.cancel(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/patients/:patientId/encounters',
    {
      schema: {
        tags: ['encounters'],
        summary: "A patient's encounters, newest first",
        params: S.PatientIdParams,
        querystring: S.EncountersQuery,
        response: { 200: S.EncounterList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => encounters.list(principalOf(req), actorOf(req), req.params.patientId, req.query),
  );
};
