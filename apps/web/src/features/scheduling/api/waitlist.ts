import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../lib/api/ApiProvider.tsx';

// Shapes of apps/server/src/modules/scheduling/waitlist.schemas.ts.

export type WaitlistStatus = 'waiting' | 'offered' | 'booked' | 'cancelled';
export const WAITLIST_STATUSES: readonly WaitlistStatus[] = ['waiting', 'offered', 'booked', 'cancelled'];

export interface WaitlistEntry {
  id: string;
  clinicId: string;
  status: WaitlistStatus;
  earliest: string;
  latest: string;
  notes: string | null;
  createdAt: string;
  patient: { id: string; mrn: string; name: string };
  practitioner: { id: string; displayName: string } | null;
  specialty: { id: string; name: string; nameFr: string } | null;
  visitType: { id: string; name: string; nameFr: string };
  offer: { appointmentId: string; startsAt: string; endsAt: string; holdExpiresAt: string; practitionerName: string } | null;
}

export interface WaitlistInput {
  patientId: string;
  practitionerId?: string | null;
  specialtyId?: string | null;
  visitTypeId: string;
  earliest: string;
  latest: string;
  notes?: string;
}

export function useWaitlist(status: WaitlistStatus | null) {
  const api = useApi();
  return useQuery({
    queryKey: ['waitlist', 'list', status],
    queryFn: ({ signal }) => api.get<{ data: WaitlistEntry[] }>('/api/waitlist', { query: { status }, signal }),
    select: (res) => res.data,
  });
}

export function useWaitlistAction() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'cancel' | 'accept' | 'decline' }) =>
      api.post<unknown>(`/api/waitlist/${id}/${action}`),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ['waitlist'] }),
        qc.invalidateQueries({ queryKey: ['appointments'] }),
        qc.invalidateQueries({ queryKey: ['slots'] }),
      ]),
  });
}

export function useAddToWaitlist() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: WaitlistInput) => api.post<WaitlistEntry>('/api/waitlist', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['waitlist'] }),
  });
}
