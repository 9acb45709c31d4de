import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from '@sinclair/typebox';
import * as C from '@sanita/contracts/patients';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf, type QueryOf } from '../../../lib/api/endpoint.ts';
import { useCursorQuery } from '../../../lib/api/useCursorQuery.ts';

export type { Patient, PatientInput, PatientSummary } from '@sanita/contracts/patients';

const routes = {
  search: endpoint('GET', '/api/patients', { query: C.SearchQuery, response: C.SearchResult }),
  duplicates: endpoint('GET', '/api/patients/duplicates', { query: C.DuplicatesQuery, response: C.DuplicateCandidates }),
  get: endpoint('GET', '/api/patients/:id', { response: C.Patient }),
  accessLog: endpoint('GET', '/api/patients/:id/access-log', { query: C.AccessLogQuery, response: C.AccessLog }),
  create: endpoint('POST', '/api/patients', { body: C.CreatePatientBody, response: C.Patient }),
  update: endpoint('PATCH', '/api/patients/:id', { body: C.UpdatePatientBody, response: C.Patient }),
  merge: endpoint('POST', '/api/patients/:id/merge', { body: C.MergeBody, response: C.Patient }),
};

/** The search form's filters (paging is the hook's). */
export type PatientSearchParams = Omit<QueryOf<typeof routes.search>, 'limit' | 'cursor' | 'name'>;

/** A PATCH: the version read plus only the changed fields; status changes only through editing. */
export type PatientUpdate = BodyOf<typeof routes.update>;

export type DuplicateCandidate = Static<typeof C.DuplicateCandidates>['data'][number];

export const patientKeys = {
  all: ['patients'] as const,
  search: (params: PatientSearchParams) => ['patients', 'search', params] as const,
  detail: (id: string) => ['patients', 'detail', id] as const,
  accessLog: (id: string) => ['patients', 'detail', id, 'access-log'] as const,
  duplicates: (params: Record<string, string>) => ['patients', 'duplicates', params] as const,
};

export const PAGE_SIZE = 25;

export function usePatientSearch(params: PatientSearchParams, enabled = true) {
  const api = useApi();
  return useCursorQuery(
    patientKeys.search(params),
    (cursor, signal) =>
      api.call(routes.search, {
        query: { ...params, allClinics: params.allClinics ? true : undefined, limit: PAGE_SIZE, cursor },
        signal,
      }),
    { enabled },
  );
}

/** A short list for type-ahead pickers (global search, merge picker). */
export function useQuickPatientSearch(q: string, limit = 8) {
  const api = useApi();
  const text = q.trim();
  return useQuery({
    queryKey: ['patients', 'quick', text, limit],
    queryFn: ({ signal }) => api.call(routes.search, { query: { q: text, limit }, signal }),
    enabled: text.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}

export function usePatient(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: patientKeys.detail(id),
    queryFn: ({ signal }) => api.call(routes.get, { params: { id }, signal }),
  });
}

export function useAccessLogFetcher(id: string) {
  const api = useApi();
  return (cursor: string | undefined, signal: AbortSignal) =>
    api.call(routes.accessLog, { params: { id }, query: { limit: PAGE_SIZE, cursor }, signal });
}

export function useDuplicateCheck(params: { givenName: string; familyName: string; birthDate: string; phone: string }) {
  const api = useApi();
  const query = Object.fromEntries(Object.entries(params).filter(([, v]) => v.trim() !== '')) as Record<string, string>;
  const { givenName = '', familyName = '' } = query;
  // The server compares full names (plus birth date and phone when known): wait for both names.
  const enough = !!givenName && !!familyName && givenName.length + familyName.length >= 4;
  return useQuery({
    queryKey: patientKeys.duplicates(query),
    queryFn: ({ signal }) => api.call(routes.duplicates, { query: { ...query, givenName, familyName }, signal }),
    enabled: enough,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function useCreatePatient() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof routes.create>) => api.call(routes.create, { body }),
    onSuccess: (patient) => {
      queryClient.setQueryData(patientKeys.detail(patient.id), patient);
      void queryClient.invalidateQueries({ queryKey: ['patients', 'search'] });
    },
  });
}

export function useUpdatePatient(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PatientUpdate) => api.call(routes.update, { params: { id }, body }),
    onSuccess: (patient) => {
      queryClient.setQueryData(patientKeys.detail(id), patient);
      void queryClient.invalidateQueries({ queryKey: ['patients', 'search'] });
    },
  });
}

export function useMergePatient(survivorId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (duplicateId: string) => api.call(routes.merge, { params: { id: survivorId }, body: { duplicateId } }),
    onSuccess: (patient) => {
      queryClient.setQueryData(patientKeys.detail(survivorId), patient);
      void queryClient.invalidateQueries({ queryKey: patientKeys.all });
    },
  });
}
