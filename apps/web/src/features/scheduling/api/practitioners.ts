import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../lib/api/ApiProvider.tsx';

// Shapes of apps/server/src/modules/scheduling/{practitioners,availability}.schemas.ts.

export interface Practitioner {
  id: string;
  userId: string | null;
  displayName: string;
  licenceNumber: string | null;
  bio: string | null;
  languages: string[];
  feeAmount: number | null;
  feeCurrency: string | null;
  requiresConfirmation: boolean;
  icalEnabled: boolean;
  active: boolean;
  specialties: { id: string; code: string; name: string; nameFr: string }[];
  clinicIds: string[];
  nextFreeSlot: { startsAt: string; clinicId: string } | null;
}

export interface PractitionerFilters {
  specialtyId?: string | null;
  clinicId?: string | null;
  language?: string | null;
  q?: string | null;
  visitTypeId?: string | null;
  /** also list practitioners who no longer take appointments */
  includeInactive?: boolean;
}

/** What an administrator (settings:write) sets; a practitioner changes only bio, languages and fee. */
export interface PractitionerAdminFields {
  displayName: string;
  licenceNumber: string | null;
  requiresConfirmation: boolean;
  active: boolean;
  specialtyIds: string[];
  clinicIds: string[];
}

export type PractitionerUpdate = Partial<
  {
    bio: string | null;
    languages: string[];
    feeAmount: number | null;
    feeCurrency: string | null;
  } & PractitionerAdminFields
>;

/** POST /api/practitioners (settings:write); `userId` links the practitioner's staff account. */
export interface PractitionerCreate extends Partial<Omit<PractitionerAdminFields, 'displayName' | 'clinicIds' | 'active'>> {
  displayName: string;
  clinicIds: string[];
  userId?: string | null;
}

export interface Template {
  id: string;
  practitionerId: string;
  clinicId: string;
  weekday: number;
  startTime: string;
  endTime: string;
  slotMinutes: number;
  bufferMinutes: number;
  visitTypeIds: string[];
  validFrom: string | null;
  validTo: string | null;
}

export interface TemplateInput {
  weekday: number;
  startTime: string;
  endTime: string;
  slotMinutes: number;
  bufferMinutes?: number;
  visitTypeIds?: string[];
  validFrom?: string | null;
  validTo?: string | null;
}

export type ExceptionKind = 'leave' | 'holiday' | 'closure' | 'other';
export const EXCEPTION_KINDS: readonly ExceptionKind[] = ['leave', 'holiday', 'closure', 'other'];

export interface AvailabilityException {
  id: string;
  practitionerId: string | null;
  clinicId: string | null;
  kind: ExceptionKind;
  startsAt: string;
  endsAt: string;
  reason: string | null;
}

export interface ExceptionInput {
  practitionerId: string | null;
  clinicId?: string | null;
  kind: ExceptionKind;
  startsAt: string;
  endsAt: string;
  reason?: string | null;
}

export interface Slot {
  startsAt: string;
  endsAt: string;
}

export const practitionerKeys = {
  list: (filters: PractitionerFilters) => ['practitioners', 'list', filters] as const,
  detail: (id: string) => ['practitioners', 'detail', id] as const,
  availability: (id: string, clinicId: string) => ['availability', id, clinicId] as const,
  slots: (id: string, clinicId: string, visitTypeId: string, from: string, to: string) =>
    ['slots', id, clinicId, visitTypeId, from, to] as const,
};

export function usePractitioners(filters: PractitionerFilters, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: practitionerKeys.list(filters),
    queryFn: ({ signal }) =>
      api.get<{ data: Practitioner[] }>('/api/practitioners', {
        query: {
          specialtyId: filters.specialtyId,
          clinicId: filters.clinicId,
          language: filters.language,
          q: filters.q?.trim() || undefined,
          visitTypeId: filters.visitTypeId,
          includeInactive: filters.includeInactive || undefined,
        },
        signal,
      }),
    select: (res) => res.data,
    enabled,
  });
}

export function usePractitioner(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: practitionerKeys.detail(id),
    queryFn: ({ signal }) => api.get<Practitioner>(`/api/practitioners/${id}`, { signal }),
  });
}

export function useUpdatePractitioner(id: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PractitionerUpdate) => api.patch<Practitioner>(`/api/practitioners/${id}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['practitioners'] }),
  });
}

export function useCreatePractitioner() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PractitionerCreate) => api.post<Practitioner>('/api/practitioners', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['practitioners'] }),
  });
}

export function useAvailability(id: string | null, clinicId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: practitionerKeys.availability(id ?? '', clinicId ?? ''),
    queryFn: ({ signal }) =>
      api.get<{ templates: Template[]; exceptions: AvailabilityException[] }>(`/api/practitioners/${id}/availability`, {
        query: { clinicId },
        signal,
      }),
    enabled: !!clinicId && !!id,
  });
}

/** The active clinic's own holidays and closures (practitionerId null) that have not ended. */
export function useClinicClosures(clinicId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: ['availability', 'clinic-wide', clinicId ?? ''] as const,
    queryFn: async ({ signal }) =>
      (await api.get<{ data: AvailabilityException[] }>('/api/availability/exceptions', { query: { clinicId }, signal })).data,
    enabled: !!clinicId,
  });
}

export function usePutTemplates(id: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { clinicId: string; templates: TemplateInput[] }) =>
      api.put<{ data: Template[] }>(`/api/practitioners/${id}/templates`, body),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ['availability', id] }),
        qc.invalidateQueries({ queryKey: ['slots', id] }),
        qc.invalidateQueries({ queryKey: ['practitioners'] }),
      ]),
  });
}

export function useCreateException() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ExceptionInput) => api.post<AvailabilityException>('/api/availability/exceptions', body),
    onSuccess: () =>
      Promise.all([qc.invalidateQueries({ queryKey: ['availability'] }), qc.invalidateQueries({ queryKey: ['slots'] })]),
  });
}

export function useDeleteException() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(`/api/availability/exceptions/${id}`),
    onSuccess: () =>
      Promise.all([qc.invalidateQueries({ queryKey: ['availability'] }), qc.invalidateQueries({ queryKey: ['slots'] })]),
  });
}

export function useCreateIcalToken(id: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ url: string }>(`/api/practitioners/${id}/ical-token`),
    onSuccess: () => qc.invalidateQueries({ queryKey: practitionerKeys.detail(id) }),
  });
}

/** Free slots of one practitioner at one clinic for a visit type, on local days from..to. */
export function useSlots(
  params: { practitionerId: string; clinicId: string | null; visitTypeId: string | null; from: string; to: string },
  enabled = true,
) {
  const api = useApi();
  const { practitionerId, clinicId, visitTypeId, from, to } = params;
  return useQuery({
    queryKey: practitionerKeys.slots(practitionerId, clinicId ?? '', visitTypeId ?? '', from, to),
    queryFn: ({ signal }) =>
      api.get<{ timezone: string; data: Slot[] }>(`/api/practitioners/${practitionerId}/slots`, {
        query: { clinicId, visitTypeId, from, to },
        signal,
      }),
    enabled: enabled && !!clinicId && !!visitTypeId && !!practitionerId,
  });
}

/** Free slots of several practitioners at once (the clinic day view: one column each). */
export function useSlotsMany(
  practitionerIds: string[],
  params: { clinicId: string | null; visitTypeId: string | null; from: string; to: string },
  enabled = true,
) {
  const api = useApi();
  const { clinicId, visitTypeId, from, to } = params;
  return useQueries({
    queries: practitionerIds.map((id) => ({
      queryKey: practitionerKeys.slots(id, clinicId ?? '', visitTypeId ?? '', from, to),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.get<{ timezone: string; data: Slot[] }>(`/api/practitioners/${id}/slots`, {
          query: { clinicId, visitTypeId, from, to },
          signal,
        }),
      enabled: enabled && !!clinicId && !!visitTypeId,
    })),
    combine: (results) => ({
      byPractitioner: new Map(practitionerIds.map((id, i) => [id, results[i]?.data?.data ?? []])),
      isPending: results.some((r) => r.isPending && r.fetchStatus !== 'idle'),
    }),
  });
}
