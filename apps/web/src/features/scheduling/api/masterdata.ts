import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../lib/api/ApiProvider.tsx';

// Shapes of apps/server/src/modules/scheduling/masterdata.schemas.ts.

/** The Mantine palette the server accepts for visit-type colours. */
export const VISIT_COLORS = [
  'blue',
  'cyan',
  'teal',
  'green',
  'lime',
  'yellow',
  'orange',
  'red',
  'pink',
  'grape',
  'violet',
  'indigo',
  'gray',
] as const;
export type VisitColor = (typeof VISIT_COLORS)[number];

export interface Specialty {
  id: string;
  code: string;
  name: string;
  nameFr: string;
  active: boolean;
}

export interface VisitType {
  id: string;
  code: string;
  name: string;
  nameFr: string;
  durationMinutes: number;
  color: string;
  active: boolean;
}

export interface SpecialtyInput {
  code: string;
  name: string;
  nameFr: string;
  active?: boolean;
}

export interface VisitTypeInput extends SpecialtyInput {
  durationMinutes: number;
  color?: VisitColor;
}

export const masterKeys = {
  specialties: ['specialties'] as const,
  visitTypes: ['visit-types'] as const,
};

export function useSpecialties() {
  const api = useApi();
  return useQuery({
    queryKey: masterKeys.specialties,
    queryFn: ({ signal }) => api.get<{ data: Specialty[] }>('/api/specialties', { signal }),
    select: (res) => res.data,
    staleTime: 5 * 60_000,
  });
}

export function useVisitTypes() {
  const api = useApi();
  return useQuery({
    queryKey: masterKeys.visitTypes,
    queryFn: ({ signal }) => api.get<{ data: VisitType[] }>('/api/visit-types', { signal }),
    select: (res) => res.data,
    staleTime: 5 * 60_000,
  });
}

/** Master data names follow the UI language (the server keeps both). */
export function localName(item: { name: string; nameFr: string }, language: string | undefined): string {
  return language === 'fr' ? item.nameFr : item.name;
}

export function useSaveSpecialty() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: Partial<SpecialtyInput> }) =>
      id ? api.patch<Specialty>(`/api/specialties/${id}`, body) : api.post<Specialty>('/api/specialties', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: masterKeys.specialties }),
  });
}

export function useSaveVisitType() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: Partial<VisitTypeInput> }) =>
      id ? api.patch<VisitType>(`/api/visit-types/${id}`, body) : api.post<VisitType>('/api/visit-types', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: masterKeys.visitTypes }),
  });
}
