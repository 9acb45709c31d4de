import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as A from '@sanita/contracts/scheduling/appointments';
import * as W from '@sanita/contracts/scheduling/waitlist';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf } from '../../../lib/api/endpoint.ts';

export type { PortalAppointment } from '@sanita/contracts/scheduling/appointments';

const routes = {
  appointments: endpoint('GET', '/api/portal/appointments', { response: A.PortalAppointmentList }),
  book: endpoint('POST', '/api/portal/appointments', { body: A.PortalBookBody, response: A.PortalAppointment }),
  cancel: endpoint('POST', '/api/portal/appointments/:id/cancel', {
    body: A.PortalCancelBody,
    response: A.PortalAppointment,
  }),
  reschedule: endpoint('POST', '/api/portal/appointments/:id/reschedule', {
    body: A.PortalRescheduleBody,
    response: A.PortalAppointment,
  }),
  waitlist: endpoint('GET', '/api/portal/waitlist', { response: W.WaitlistList }),
  offer: endpoint('POST', '/api/portal/waitlist/:id/:action', { response: W.WaitlistEntry }),
};

export type PortalBookingInput = BodyOf<typeof routes.book>;

export const portalBookingKeys = {
  appointments: ['portal', 'appointments'] as const,
  waitlist: ['portal', 'waitlist'] as const,
};

export function useMyAppointments() {
  const api = useApi();
  return useQuery({
    queryKey: portalBookingKeys.appointments,
    queryFn: ({ signal }) => api.call(routes.appointments, { signal }),
    select: (res) => res.data,
  });
}

export function useMyWaitlist() {
  const api = useApi();
  return useQuery({
    queryKey: portalBookingKeys.waitlist,
    queryFn: ({ signal }) => api.call(routes.waitlist, { signal }),
    select: (res) => res.data,
  });
}

function useInvalidatePortal() {
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: ['portal'] }), qc.invalidateQueries({ queryKey: ['slots'] })]);
}

export function usePortalBook() {
  const api = useApi();
  const invalidate = useInvalidatePortal();
  return useMutation({
    mutationFn: (body: PortalBookingInput) => api.call(routes.book, { body }),
    onSettled: invalidate,
  });
}

export type PortalAction = { kind: 'cancel'; reason?: string } | { kind: 'reschedule'; startsAt: string };

export function usePortalAppointmentAction() {
  const api = useApi();
  const invalidate = useInvalidatePortal();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: PortalAction }) =>
      action.kind === 'cancel'
        ? api.call(routes.cancel, { params: { id }, body: action.reason ? { reason: action.reason } : {} })
        : api.call(routes.reschedule, { params: { id }, body: { startsAt: action.startsAt } }),
    onSettled: invalidate,
  });
}

export function usePortalOfferAction() {
  const api = useApi();
  const invalidate = useInvalidatePortal();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'accept' | 'decline' }) =>
      api.call(routes.offer, { params: { id, action } }),
    onSettled: invalidate,
  });
}
