import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../lib/api/ApiProvider.tsx';

// Shapes of apps/server/src/modules/scheduling/appointments.schemas.ts.

export type AppointmentStatus =
  'held' | 'requested' | 'booked' | 'checked_in' | 'in_progress' | 'completed' | 'cancelled' | 'no_show';

export const APPOINTMENT_STATUSES: readonly AppointmentStatus[] = [
  'held',
  'requested',
  'booked',
  'checked_in',
  'in_progress',
  'completed',
  'cancelled',
  'no_show',
];

/** Statuses that still hold the practitioner's time (the calendar draws them as solid blocks). */
export const TIME_HOLDING: readonly AppointmentStatus[] = [
  'held',
  'requested',
  'booked',
  'checked_in',
  'in_progress',
  'completed',
];

export interface NoShowFactor {
  code: 'past_no_shows' | 'lead_time' | 'weekday' | 'hour_of_day';
  /** contribution to the log-odds; positive raises the risk */
  weight: number;
  /** past_no_shows: missed visits; lead_time: days ahead; weekday: ISO weekday; hour_of_day: local hour */
  value: number;
  /** past_no_shows: past visits counted */
  total?: number;
}

export interface Appointment {
  id: string;
  clinicId: string;
  patientId: string;
  practitionerId: string;
  visitTypeId: string;
  status: AppointmentStatus;
  startsAt: string;
  endsAt: string;
  reason: string | null;
  notes: string | null;
  source: 'staff' | 'portal' | 'waitlist';
  rescheduledFromId: string | null;
  cancelReason: string | null;
  holdExpiresAt: string | null;
  cancelledAt: string | null;
  confirmedAt: string | null;
  checkedInAt: string | null;
  completedAt: string | null;
  version: number;
  createdAt: string;
  noShowRisk: number | null;
  noShowFactors: NoShowFactor[];
  patient: { id: string; mrn: string; name: string };
  practitioner: { id: string; displayName: string };
  visitType: { id: string; code: string; name: string; nameFr: string; color: string; durationMinutes: number };
}

export interface AppointmentQuery {
  from: string;
  to: string;
  practitionerId?: string | null;
  patientId?: string | null;
  status?: AppointmentStatus | null;
}

export interface BookingInput {
  patientId: string;
  practitionerId: string;
  visitTypeId: string;
  startsAt: string;
  reason?: string;
  notes?: string;
}

export const appointmentKeys = {
  list: (q: AppointmentQuery) => ['appointments', 'list', q] as const,
  detail: (id: string) => ['appointments', 'detail', id] as const,
};

export function useAppointments(q: AppointmentQuery, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: appointmentKeys.list(q),
    queryFn: ({ signal }) =>
      api.get<{ data: Appointment[] }>('/api/appointments', {
        query: { from: q.from, to: q.to, practitionerId: q.practitionerId, patientId: q.patientId, status: q.status },
        signal,
      }),
    select: (res) => res.data,
    enabled,
  });
}

export interface AppointmentReminder {
  channel: 'email' | 'sms';
  leadMinutes: number;
  dueAt: string;
  status: 'scheduled' | 'sent' | 'cancelled' | 'failed' | 'skipped';
  sentAt: string | null;
  error: string | null;
}

/** One appointment as GET /api/appointments/:id gives it: with its reminders. */
export type AppointmentDetail = Appointment & { reminders: AppointmentReminder[] };

export function useAppointment(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: appointmentKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.get<AppointmentDetail>(`/api/appointments/${id}`, { signal }),
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
    mutationFn: (body: BookingInput) => api.post<Appointment>('/api/appointments', body),
    onSettled: invalidate,
  });
}

export type AppointmentAction =
  | { kind: 'confirm' }
  | { kind: 'cancel'; reason: string }
  | { kind: 'status'; status: 'no_show' | 'completed' | 'in_progress' }
  | { kind: 'reschedule'; startsAt: string; practitionerId?: string };

export function useAppointmentAction() {
  const api = useApi();
  const invalidate = useInvalidateScheduling();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: AppointmentAction }) => {
      switch (action.kind) {
        case 'confirm':
          return api.post<Appointment>(`/api/appointments/${id}/confirm`);
        case 'cancel':
          return api.post<Appointment>(`/api/appointments/${id}/cancel`, { reason: action.reason });
        case 'status':
          return api.post<Appointment>(`/api/appointments/${id}/status`, { status: action.status });
        case 'reschedule':
          return api.post<Appointment>(`/api/appointments/${id}/reschedule`, {
            startsAt: action.startsAt,
            ...(action.practitionerId ? { practitionerId: action.practitionerId } : {}),
          });
      }
    },
    onSettled: invalidate,
  });
}
