import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { actorOf, principalOf } from '../../platform/access.ts';
import { errors, IdParams } from '@sanita/contracts/common';
import type { PatientsService } from '../patients/patients.service.ts';
import type { AppointmentsService } from '../scheduling/appointments.service.ts';
import type { WaitlistService } from '../scheduling/waitlist.service.ts';
import { AccessLog, AccessLogQuery, Patient } from '@sanita/contracts/patients';
import * as A from '@sanita/contracts/scheduling/appointments';
import * as W from '@sanita/contracts/scheduling/waitlist';

/** A POST without a body is an empty body, for routes whose body fields are all optional. */
const emptyBody = async (req: FastifyRequest) => {
  if (req.body === undefined) req.body = {};
};

export interface PortalRoutesOptions {
  patients: PatientsService;
  appointments: AppointmentsService;
  waitlist: WaitlistService;
}

/**
 * The patient portal: every /api/portal route. The services check `portal:self` themselves, so
 * that a refused call is audited.
 */
export const portalRoutes: FastifyPluginAsyncTypebox<PortalRoutesOptions> = async (app, { patients, appointments, waitlist }) => {
  // ------------------------------------------------------------------ my record
  app.get(
    '/api/portal/me',
    {
      schema: { tags: ['portal'], summary: 'My own patient record', response: { 200: Patient, ...errors(401, 403, 404) } },
    },
    async (req) => patients.getOwn(principalOf(req), actorOf(req)),
  );

  app.get(
    '/api/portal/access-log',
    {
      schema: {
        tags: ['portal'],
        summary: 'Who accessed my record',
        querystring: AccessLogQuery,
        response: { 200: AccessLog, ...errors(401, 403, 404) },
      },
    },
    async (req) => patients.ownAccessLog(principalOf(req), actorOf(req), req.query.limit ?? 50, req.query.cursor),
  );

  // ------------------------------------------------------------------ appointments

  app.get(
    '/api/portal/appointments',
    {
      schema: {
        tags: ['portal'],
        summary: 'My appointments, upcoming and past',
        response: { 200: A.PortalAppointmentList, ...errors(401, 403) },
      },
    },
    async (req) => appointments.portalList(principalOf(req), actorOf(req)),
  );

  app.post(
    '/api/portal/appointments',
    {
      schema: {
        tags: ['portal'],
        summary: 'Book a free slot for myself within the clinic’s booking horizon',
        body: A.PortalBookBody,
        response: { 201: A.PortalAppointment, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await appointments.portalBook(principalOf(req), actorOf(req), req.body)),
  );

  app.post(
    '/api/portal/appointments/:id/cancel',
    {
      preValidation: emptyBody,
      schema: {
        tags: ['portal'],
        summary: 'Cancel my appointment; 409 NOTICE_TOO_SHORT closer than the clinic’s notice period',
        params: IdParams,
        body: A.PortalCancelBody,
        response: { 200: A.PortalAppointment, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => appointments.portalCancel(principalOf(req), actorOf(req), req.params.id, req.body.reason),
  );

  app.post(
    '/api/portal/appointments/:id/reschedule',
    {
      schema: {
        tags: ['portal'],
        summary: 'Move my appointment to another free slot; 409 NOTICE_TOO_SHORT closer than the notice period',
        params: IdParams,
        body: A.PortalRescheduleBody,
        response: { 201: A.PortalAppointment, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await appointments.portalReschedule(principalOf(req), actorOf(req), req.params.id, req.body.startsAt)),
  );

  // ------------------------------------------------------------------ waiting list

  app.get(
    '/api/portal/waitlist',
    {
      schema: {
        tags: ['portal'],
        summary: 'My waiting-list entries and the slots offered to me',
        response: { 200: W.WaitlistList, ...errors(401, 403) },
      },
    },
    async (req) => waitlist.portalList(principalOf(req), actorOf(req)),
  );

  for (const action of ['accept', 'decline'] as const) {
    app.post(
      `/api/portal/waitlist/:id/${action}`,
      {
        schema: {
          tags: ['portal'],
          summary: action === 'accept' ? 'Take the slot offered to me' : 'Let the slot offered to me go to someone else',
          params: IdParams,
          response: { 200: W.WaitlistEntry, ...errors(401, 403, 404, 409) },
        },
      },
      async (req) =>
        action === 'accept'
          ? waitlist.accept(principalOf(req), actorOf(req), req.params.id, true)
          : waitlist.decline(principalOf(req), actorOf(req), req.params.id, true),
    );
  }
};
