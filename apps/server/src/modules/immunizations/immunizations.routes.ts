import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, principalOf } from '../../platform/access.ts';
import { errors } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/immunizations';
import type { ImmunizationsService } from './immunizations.service.ts';

// the service checks the permission and the patient's clinic itself, so that a refusal is audited
export const immunizationsRoutes: FastifyPluginAsyncTypebox<{ immunizations: ImmunizationsService }> = async (
  app,
  { immunizations },
) => {
  app.get(
    '/api/patients/:patientId/immunizations',
    {
      schema: {
        tags: ['immunizations'],
        summary: "A patient's immunizations, most recent first, each with its history of changes",
        params: S.PatientIdParams,
        response: { 200: S.ImmunizationList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => immunizations.list(principalOf(req), actorOf(req), req.params.patientId),
  );

  app.post(
    '/api/patients/:patientId/immunizations',
    {
      schema: {
        tags: ['immunizations'],
        summary: 'Record a vaccine given here (lot number required) or reported (given elsewhere)',
        params: S.PatientIdParams,
        body: S.ImmunizationInput,
        response: { 201: S.Immunization, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await immunizations.record(principalOf(req), actorOf(req), req.params.patientId, req.body)),
  );

  app.patch(
    '/api/patients/:patientId/immunizations/:id',
    {
      schema: {
        tags: ['immunizations'],
        summary: 'Correct a recorded immunization (kept in its history with who, when and why)',
        params: S.ImmunizationParams,
        body: S.ImmunizationCorrection,
        response: { 200: S.Immunization, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => immunizations.correct(principalOf(req), actorOf(req), req.params.patientId, req.params.id, req.body),
  );

  app.post(
    '/api/patients/:patientId/immunizations/:id/entered-in-error',
    {
      schema: {
        tags: ['immunizations'],
        summary: 'Mark a recorded immunization entered in error (never deleted), with the reason',
        params: S.ImmunizationParams,
        body: S.EnteredInError,
        response: { 200: S.Immunization, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => immunizations.enteredInError(principalOf(req), actorOf(req), req.params.patientId, req.params.id, req.body),
  );
};
