import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import type { Page, PatientSummary } from '../../../lib/api/types.ts';

// Shapes of GET /api/appointments (apps/server/src/modules/scheduling/appointments.schemas.ts):
// only the fields the front desk shows.

export type AppointmentStatus =
  'held' | 'requested' | 'booked' | 'checked_in' | 'in_progress' | 'completed' | 'cancelled' | 'no_show';

export interface FrontDeskAppointment {
  id: string;
  status: AppointmentStatus;
  startsAt: string;
  endsAt: string;
  reason: string | null;
  patient: { id: string; mrn: string; name: string };
  practitioner: { id: string; displayName: string };
  visitType: { id: string; code: string; name: string; nameFr: string; color: string } | null;
}

/** Appointments that can still be checked in. */
export const CHECKABLE: readonly AppointmentStatus[] = ['booked'];

export function useTodaysAppointments(date: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['appointments', 'front-desk', date],
    queryFn: ({ signal }) =>
      api.get<{ data: FrontDeskAppointment[] }>('/api/appointments', { query: { from: date, to: date }, signal }),
    select: (res) => [...res.data].sort((a, b) => a.startsAt.localeCompare(b.startsAt)),
    refetchInterval: 5 * 60_000,
  });
}

/** Type-ahead patient search (same route and cache as the global search). */
export function usePatientLookup(q: string, limit = 8) {
  const api = useApi();
  const text = q.trim();
  return useQuery({
    queryKey: ['patients', 'quick', text, limit],
    queryFn: ({ signal }) => api.get<Page<PatientSummary>>('/api/patients', { query: { q: text, limit }, signal }),
    enabled: text.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}
