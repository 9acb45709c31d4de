import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import type { AppointmentStatus } from '../../scheduling/api/appointments.ts';
import type { WaitlistEntry } from '../../scheduling/api/waitlist.ts';

// Shapes of the portal routes in apps/server/src/modules/scheduling/{appointments,waitlist}.schemas.ts.

/** What a patient sees of their own appointment: no staff notes, no risk score. */
export interface PortalAppointment {
  id: string;
  clinicId: string;
  practitionerId: string;
  status: AppointmentStatus;
  startsAt: string;
  endsAt: string;
  reason: string | null;
  source: 'staff' | 'portal' | 'waitlist';
  rescheduledFromId: string | null;
  cancelReason: string | null;
  holdExpiresAt: string | null;
  practitioner: { id: string; displayName: string };
  visitType: { id: string; code: string; name: string; nameFr: string; color: string; durationMinutes: number };
  /** false when the start is closer than the clinic's notice period: call the clinic instead */
  canChange: boolean;
}

export interface PortalBookingInput {
  clinicId: string;
  practitionerId: string;
  visitTypeId: string;
  startsAt: string;
  reason?: string;
}

export const portalBookingKeys = {
  appointments: ['portal', 'appointments'] as const,
  waitlist: ['portal', 'waitlist'] as const,
};

export function useMyAppointments() {
  const api = useApi();
  return useQuery({
    queryKey: portalBookingKeys.appointments,
    queryFn: ({ signal }) => api.get<{ data: PortalAppointment[] }>('/api/portal/appointments', { signal }),
    select: (res) => res.data,
  });
}

export function useMyWaitlist() {
  const api = useApi();
  return useQuery({
    queryKey: portalBookingKeys.waitlist,
    queryFn: ({ signal }) => api.get<{ data: WaitlistEntry[] }>('/api/portal/waitlist', { signal }),
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
    mutationFn: (body: PortalBookingInput) => api.post<PortalAppointment>('/api/portal/appointments', body),
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
        ? api.post<PortalAppointment>(`/api/portal/appointments/${id}/cancel`, action.reason ? { reason: action.reason } : {})
        : api.post<PortalAppointment>(`/api/portal/appointments/${id}/reschedule`, { startsAt: action.startsAt }),
    onSettled: invalidate,
  });
}

export function usePortalOfferAction() {
  const api = useApi();
  const invalidate = useInvalidatePortal();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'accept' | 'decline' }) =>
      api.post<WaitlistEntry>(`/api/portal/waitlist/${id}/${action}`),
    onSettled: invalidate,
  });
}
