import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import type {
  AccessLogEntry,
  Address,
  BloodType,
  EmergencyContact,
  Page,
  Patient,
  PatientSummary,
  Sex,
} from '../../../lib/api/types.ts';
import { useCursorQuery } from '../../../lib/api/useCursorQuery.ts';

export interface PatientSearchParams {
  q?: string;
  mrn?: string;
  phone?: string;
  birthDate?: string;
  nationalId?: string;
  allClinics?: boolean;
}

export interface PatientInput {
  givenName: string;
  middleName?: string | null;
  familyName: string;
  sex: Sex;
  birthDate: string;
  phones?: string[];
  email?: string | null;
  address?: Address | null;
  preferredLanguage?: string | null;
  nationalId?: string | null;
  emergencyContacts?: EmergencyContact[];
  bloodType?: BloodType | null;
}

/** A PATCH: the version read plus only the changed fields; status changes only through editing. */
export type PatientUpdate = Partial<PatientInput> & {
  version: number;
  status?: 'active' | 'deceased';
  deceasedAt?: string | null;
};

export type DuplicateCandidate = PatientSummary & { score: number };

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
  return useCursorQuery<PatientSummary>(
    patientKeys.search(params),
    (cursor, signal) =>
      api.get<Page<PatientSummary>>('/api/patients', {
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
    queryFn: ({ signal }) => api.get<Page<PatientSummary>>('/api/patients', { query: { q: text, limit }, signal }),
    enabled: text.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}

export function usePatient(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: patientKeys.detail(id),
    queryFn: ({ signal }) => api.get<Patient>(`/api/patients/${encodeURIComponent(id)}`, { signal }),
  });
}

export function useAccessLogFetcher(id: string) {
  const api = useApi();
  return (cursor: string | undefined, signal: AbortSignal) =>
    api.get<Page<AccessLogEntry>>(`/api/patients/${encodeURIComponent(id)}/access-log`, {
      query: { limit: PAGE_SIZE, cursor },
      signal,
    });
}

export function useDuplicateCheck(params: { givenName: string; familyName: string; birthDate: string; phone: string }) {
  const api = useApi();
  const query = Object.fromEntries(Object.entries(params).filter(([, v]) => v.trim() !== '')) as Record<string, string>;
  // The server compares full names (plus birth date and phone when known): wait for both names.
  const enough = !!query.givenName && !!query.familyName && query.givenName.length + query.familyName.length >= 4;
  return useQuery({
    queryKey: patientKeys.duplicates(query),
    queryFn: ({ signal }) => api.get<{ data: DuplicateCandidate[] }>('/api/patients/duplicates', { query, signal }),
    enabled: enough,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function useCreatePatient() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PatientInput & { allowDuplicate?: boolean }) => api.post<Patient>('/api/patients', body),
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
    mutationFn: (body: PatientUpdate) => api.patch<Patient>(`/api/patients/${encodeURIComponent(id)}`, body),
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
    mutationFn: (duplicateId: string) =>
      api.post<Patient>(`/api/patients/${encodeURIComponent(survivorId)}/merge`, { duplicateId }),
    onSuccess: (patient) => {
      queryClient.setQueryData(patientKeys.detail(survivorId), patient);
      void queryClient.invalidateQueries({ queryKey: patientKeys.all });
    },
  });
}
