import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from '@sinclair/typebox';
import * as C from '@sanita/contracts/scheduling/appointments';
import type { AppointmentStatus } from '@sanita/contracts/scheduling/appointments';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf, type OrNull, type QueryOf } from '../../../lib/api/endpoint.ts';

export {
  APPOINTMENT_STATUSES,
  type Appointment,
  type AppointmentDetail,
  type AppointmentStatus,
} from '@sanita/contracts/scheduling/appointments';

/** Statuses that still hold the practitioner's time (the calendar draws them as solid blocks). */
export const TIME_HOLDING: readonly AppointmentStatus[] = [
  'held',
  'requested',
  'booked',
  'checked_in',
  'in_progress',
  'completed',
];

const routes = {
  list: endpoint('GET', '/api/appointments', { query: C.ListQuery, response: C.AppointmentList }),
  get: endpoint('GET', '/api/appointments/:id', { response: C.AppointmentDetail }),
  book: endpoint('POST', '/api/appointments', { body: C.CreateBody, response: C.Appointment }),
  confirm: endpoint('POST', '/api/appointments/:id/confirm', { body: C.ConfirmBody, response: C.Appointment }),
  cancel: endpoint('POST', '/api/appointments/:id/cancel', { body: C.CancelBody, response: C.Appointment }),
  status: endpoint('POST', '/api/appointments/:id/status', { body: C.StatusBody, response: C.Appointment }),
  reschedule: endpoint('POST', '/api/appointments/:id/reschedule', { body: C.RescheduleBody, response: C.Appointment }),
};

export type NoShowFactor = Static<typeof C.NoShowFactor>;
export type AppointmentReminder = Static<typeof C.AppointmentReminder>;

/** The calendar's filters (GET /api/appointments' query): a filter not chosen may be null. */
export type AppointmentQuery = OrNull<QueryOf<typeof routes.list>>;

export type BookingInput = BodyOf<typeof routes.book>;

export const appointmentKeys = {
  list: (q: AppointmentQuery) => ['appointments', 'list', q] as const,
  detail: (id: string) => ['appointments', 'detail', id] as const,
};

export function useAppointments(q: AppointmentQuery, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: appointmentKeys.list(q),
    queryFn: ({ signal }) =>
      api.call(routes.list, {
        query: {
          from: q.from,
          to: q.to,
          practitionerId: q.practitionerId ?? undefined,
          patientId: q.patientId ?? undefined,
          status: q.status ?? undefined,
        },
        signal,
      }),
    select: (res) => res.data,
    enabled,
  });
}

export function useAppointment(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: appointmentKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.call(routes.get, { params: { id: id ?? '' }, signal }),
    enabled: !!id,
  });
}

/** Every change to an appointment frees or takes time: the calendar, slots and lists refetch. */
function useInvalidateScheduling() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ['appointments'] }),
      qc.invalidateQueries({ queryKey: ['slots'] }),
      qc.invalidateQueries({ queryKey: ['practitioners'] }),
      qc.invalidateQueries({ queryKey: ['waitlist'] }),
    ]);
}

export function useBookAppointment() {
  const api = useApi();
  const invalidate = useInvalidateScheduling();
  return useMutation({
    mutationFn: (body: BookingInput) => api.call(routes.book, { body }),
    onSettled: invalidate,
  });
}

export type AppointmentAction =
  | { kind: 'confirm' }
  | { kind: 'cancel'; reason: string }
  | { kind: 'status'; status: BodyOf<typeof routes.status>['status'] }
  | { kind: 'reschedule'; startsAt: string; practitionerId?: string };

export function useAppointmentAction() {
  const api = useApi();
  const invalidate = useInvalidateScheduling();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: AppointmentAction }) => {
      switch (action.kind) {
        case 'confirm':
          return api.call(routes.confirm, { params: { id } });
        case 'cancel':
          return api.call(routes.cancel, { params: { id }, body: { reason: action.reason } });
        case 'status':
          return api.call(routes.status, { params: { id }, body: { status: action.status } });
        case 'reschedule':
          return api.call(routes.reschedule, {
            params: { id },
            body: { startsAt: action.startsAt, ...(action.practitionerId ? { practitionerId: action.practitionerId } : {}) },
          });
      }
    },
    onSettled: invalidate,
  });
}
