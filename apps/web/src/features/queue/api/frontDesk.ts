import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { AppointmentList, ListQuery, type Appointment, type AppointmentStatus } from '@sanita/contracts/scheduling/appointments';
import { SearchQuery, SearchResult } from '@sanita/contracts/patients';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint } from '../../../lib/api/endpoint.ts';

export type { AppointmentStatus } from '@sanita/contracts/scheduling/appointments';

const routes = {
  appointments: endpoint('GET', '/api/appointments', { query: ListQuery, response: AppointmentList }),
  patients: endpoint('GET', '/api/patients', { query: SearchQuery, response: SearchResult }),
};

/** An appointment of GET /api/appointments as the front desk shows it. */
export type FrontDeskAppointment = Appointment;

/** Appointments that can still be checked in. */
export const CHECKABLE: readonly AppointmentStatus[] = ['booked'];

export function useTodaysAppointments(date: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['appointments', 'front-desk', date],
    queryFn: ({ signal }) => api.call(routes.appointments, { query: { from: date, to: date }, signal }),
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
    queryFn: ({ signal }) => api.call(routes.patients, { query: { q: text, limit }, signal }),
    enabled: text.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}
