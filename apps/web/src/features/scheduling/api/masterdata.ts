import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as C from '@sanita/contracts/scheduling/masterdata';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf } from '../../../lib/api/endpoint.ts';

export type { Specialty, VisitType } from '@sanita/contracts/scheduling/masterdata';

/** The Mantine palette the server accepts for visit-type colours. */
export const VISIT_COLORS = C.COLORS;
export type VisitColor = (typeof VISIT_COLORS)[number];

const routes = {
  specialties: endpoint('GET', '/api/specialties', { response: C.SpecialtyList }),
  createSpecialty: endpoint('POST', '/api/specialties', { body: C.CreateSpecialtyBody, response: C.Specialty }),
  updateSpecialty: endpoint('PATCH', '/api/specialties/:id', { body: C.UpdateSpecialtyBody, response: C.Specialty }),
  visitTypes: endpoint('GET', '/api/visit-types', { response: C.VisitTypeList }),
  createVisitType: endpoint('POST', '/api/visit-types', { body: C.CreateVisitTypeBody, response: C.VisitType }),
  updateVisitType: endpoint('PATCH', '/api/visit-types/:id', { body: C.UpdateVisitTypeBody, response: C.VisitType }),
};

export type SpecialtyInput = BodyOf<typeof routes.createSpecialty>;
export type VisitTypeInput = BodyOf<typeof routes.createVisitType>;

export const masterKeys = {
  specialties: ['specialties'] as const,
  visitTypes: ['visit-types'] as const,
};

export function useSpecialties() {
  const api = useApi();
  return useQuery({
    queryKey: masterKeys.specialties,
    queryFn: ({ signal }) => api.call(routes.specialties, { signal }),
    select: (res) => res.data,
    staleTime: 5 * 60_000,
  });
}

export function useVisitTypes() {
  const api = useApi();
  return useQuery({
    queryKey: masterKeys.visitTypes,
    queryFn: ({ signal }) => api.call(routes.visitTypes, { signal }),
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
    mutationFn: ({ id, body }: { id?: string; body: SpecialtyInput }) =>
      id ? api.call(routes.updateSpecialty, { params: { id }, body }) : api.call(routes.createSpecialty, { body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: masterKeys.specialties }),
  });
}

export function useSaveVisitType() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: VisitTypeInput }) =>
      id ? api.call(routes.updateVisitType, { params: { id }, body }) : api.call(routes.createVisitType, { body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: masterKeys.visitTypes }),
  });
}
