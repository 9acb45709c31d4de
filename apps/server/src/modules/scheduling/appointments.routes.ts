import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { actorOf, principalOf } from '../../platform/access.ts';
import { errors, IdParams } from '@sanita/contracts/common';
import type { AppointmentsService } from './appointments.service.ts';
import * as S from '@sanita/contracts/scheduling/appointments';

/** A POST without a body is an empty body, for routes whose body fields are all optional. */
const emptyBody = async (req: FastifyRequest) => {
  if (req.body === undefined) req.body = {};
};

/** The service checks permissions itself, so that a refused call on patient data is audited. */
export const appointmentsRoutes: FastifyPluginAsyncTypebox<{ appointments: AppointmentsService }> = async (
  app,
  { appointments },
) => {
  app.get(
    '/api/appointments',
    {
      schema: {
        tags: ['appointments'],
        summary: 'Appointments of the active clinic on local dates from..to (at most 31 days)',
        querystring: S.ListQuery,
        response: { 200: S.AppointmentList, ...errors(400, 401, 403) },
      },
    },
    async (req) => appointments.list(principalOf(req), actorOf(req), req.query),
  );

  app.post(
    '/api/appointments',
    {
      schema: {
        tags: ['appointments'],
        summary:
          'Book a patient of the active clinic inside the practitioner’s availability; 409 SLOT_TAKEN, PATIENT_BUSY or SLOT_UNAVAILABLE',
        body: S.CreateBody,
        response: { 201: S.Appointment, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await appointments.create(principalOf(req), actorOf(req), req.body)),
  );

  app.get(
    '/api/appointments/:id',
    {
      schema: {
        tags: ['appointments'],
        summary: 'One appointment, with the state of its reminders',
        params: IdParams,
        response: { 200: S.AppointmentDetail, ...errors(401, 403, 404) },
      },
    },
    async (req) => appointments.get(principalOf(req), actorOf(req), req.params.id),
  );

  app.post(
    '/api/appointments/:id/confirm',
    {
      preValidation: emptyBody,
      schema: {
        tags: ['appointments'],
        summary: 'Confirm a requested appointment (the practitioner themself, or appointments:write)',
        params: IdParams,
        body: S.ConfirmBody,
        response: { 200: S.Appointment, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => appointments.confirm(principalOf(req), actorOf(req), req.params.id, req.body.version),
  );

  app.post(
    '/api/appointments/:id/cancel',
    {
      schema: {
        tags: ['appointments'],
        summary: 'Cancel with a reason; future time freed is offered to the waiting list',
        params: IdParams,
        body: S.CancelBody,
        response: { 200: S.Appointment, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => appointments.cancel(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/appointments/:id/reschedule',
    {
      schema: {
        tags: ['appointments'],
        summary: 'Move to another time (or practitioner): a new appointment replaces this one, which is cancelled',
        params: IdParams,
        body: S.RescheduleBody,
        response: { 201: S.Appointment, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await appointments.reschedule(principalOf(req), actorOf(req), req.params.id, req.body)),
  );

  app.post(
    '/api/appointments/:id/status',
    {
      schema: {
        tags: ['appointments'],
        summary: 'checked_in → in_progress → completed, or booked → no_show after the start; 409 INVALID_STATUS otherwise',
        params: IdParams,
        body: S.StatusBody,
        response: { 200: S.Appointment, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => appointments.setStatus(principalOf(req), actorOf(req), req.params.id, req.body),
  );
};
