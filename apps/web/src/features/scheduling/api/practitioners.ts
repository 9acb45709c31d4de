import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from '@sinclair/typebox';
import { Ok } from '@sanita/contracts/common';
import * as V from '@sanita/contracts/scheduling/availability';
import * as P from '@sanita/contracts/scheduling/practitioners';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf, type OrNull, type QueryOf } from '../../../lib/api/endpoint.ts';

export type { Practitioner } from '@sanita/contracts/scheduling/practitioners';
export {
  EXCEPTION_KINDS,
  type AvailabilityException,
  type ExceptionKind,
  type Template,
  type TemplateInput,
} from '@sanita/contracts/scheduling/availability';

const routes = {
  list: endpoint('GET', '/api/practitioners', { query: P.PractitionersQuery, response: P.PractitionerList }),
  get: endpoint('GET', '/api/practitioners/:id', { response: P.Practitioner }),
  create: endpoint('POST', '/api/practitioners', { body: P.CreatePractitionerBody, response: P.Practitioner }),
  update: endpoint('PATCH', '/api/practitioners/:id', { body: P.UpdatePractitionerBody, response: P.Practitioner }),
  icalToken: endpoint('POST', '/api/practitioners/:id/ical-token', { response: P.IcalToken }),
  availability: endpoint('GET', '/api/practitioners/:id/availability', {
    query: V.AvailabilityQuery,
    response: V.Availability,
  }),
  putTemplates: endpoint('PUT', '/api/practitioners/:id/templates', { body: V.PutTemplatesBody, response: V.TemplateList }),
  slots: endpoint('GET', '/api/practitioners/:id/slots', { query: V.SlotsQuery, response: V.Slots }),
  clinicExceptions: endpoint('GET', '/api/availability/exceptions', {
    query: V.ClinicExceptionsQuery,
    response: V.ExceptionList,
  }),
  createException: endpoint('POST', '/api/availability/exceptions', {
    body: V.CreateExceptionBody,
    response: V.AvailabilityException,
  }),
  deleteException: endpoint('DELETE', '/api/availability/exceptions/:id', { response: Ok }),
};

/** The directory's filters (GET /api/practitioners' query): a filter not chosen may be null. */
export type PractitionerFilters = OrNull<QueryOf<typeof routes.list>>;

/** What an administrator (settings:write) sets; a practitioner changes only bio, languages and fee. */
export type PractitionerAdminFields = Required<
  Pick<
    P.UpdatePractitionerBody,
    'displayName' | 'licenceNumber' | 'requiresConfirmation' | 'active' | 'specialtyIds' | 'clinicIds'
  >
>;
export type PractitionerUpdate = P.UpdatePractitionerBody;
/** POST /api/practitioners (settings:write); `userId` links the practitioner's staff account. */
export type PractitionerCreate = P.CreatePractitionerBody;

export type ExceptionInput = BodyOf<typeof routes.createException>;
export type Slot = Static<typeof V.Slots>['data'][number];

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
      api.call(routes.list, {
        query: {
          specialtyId: filters.specialtyId ?? undefined,
          clinicId: filters.clinicId ?? undefined,
          language: filters.language ?? undefined,
          q: filters.q?.trim() || undefined,
          visitTypeId: filters.visitTypeId ?? undefined,
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
    queryFn: ({ signal }) => api.call(routes.get, { params: { id }, signal }),
  });
}

export function useUpdatePractitioner(id: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PractitionerUpdate) => api.call(routes.update, { params: { id }, body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['practitioners'] }),
  });
}

export function useCreatePractitioner() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PractitionerCreate) => api.call(routes.create, { body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['practitioners'] }),
  });
}

export function useAvailability(id: string | null, clinicId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: practitionerKeys.availability(id ?? '', clinicId ?? ''),
    queryFn: ({ signal }) =>
      api.call(routes.availability, { params: { id: id ?? '' }, query: { clinicId: clinicId ?? undefined }, signal }),
    enabled: !!clinicId && !!id,
  });
}

/** The active clinic's own holidays and closures (practitionerId null) that have not ended. */
export function useClinicClosures(clinicId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: ['availability', 'clinic-wide', clinicId ?? ''] as const,
    queryFn: async ({ signal }) =>
      (await api.call(routes.clinicExceptions, { query: { clinicId: clinicId ?? '' }, signal })).data,
    enabled: !!clinicId,
  });
}

export function usePutTemplates(id: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof routes.putTemplates>) => api.call(routes.putTemplates, { params: { id }, body }),
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
    mutationFn: (body: ExceptionInput) => api.call(routes.createException, { body }),
    onSuccess: () =>
      Promise.all([qc.invalidateQueries({ queryKey: ['availability'] }), qc.invalidateQueries({ queryKey: ['slots'] })]),
  });
}

export function useDeleteException() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.call(routes.deleteException, { params: { id } }),
    onSuccess: () =>
      Promise.all([qc.invalidateQueries({ queryKey: ['availability'] }), qc.invalidateQueries({ queryKey: ['slots'] })]),
  });
}

export function useCreateIcalToken(id: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.call(routes.icalToken, { params: { id } }),
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
      api.call(routes.slots, {
        params: { id: practitionerId },
        query: { clinicId: clinicId ?? '', visitTypeId: visitTypeId ?? '', from, to },
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
        api.call(routes.slots, {
          params: { id },
          query: { clinicId: clinicId ?? '', visitTypeId: visitTypeId ?? '', from, to },
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
