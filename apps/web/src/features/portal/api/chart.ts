import { useQuery } from '@tanstack/react-query';
import { VitalsList, VitalsQuery } from '@sanita/contracts/chart';
import * as P from '@sanita/contracts/portal';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import type { ApiClient } from '../../../lib/api/client.ts';
import { endpoint } from '../../../lib/api/endpoint.ts';
import { fetchBlob, saveBlob } from '../../../lib/api/files.ts';
import { useCursorQuery } from '../../../lib/api/useCursorQuery.ts';

export type { PortalAllergy, PortalImmunization, PortalProblem, PortalVisit } from '@sanita/contracts/portal';
export type { Vitals } from '@sanita/contracts/chart';

const routes = {
  visits: endpoint('GET', '/api/portal/visits', { query: P.PortalVisitQuery, response: P.PortalVisitList }),
  problems: endpoint('GET', '/api/portal/problems', { response: P.PortalProblemList }),
  allergies: endpoint('GET', '/api/portal/allergies', { response: P.PortalAllergyList }),
  vitals: endpoint('GET', '/api/portal/vitals', { query: VitalsQuery, response: VitalsList }),
  immunizations: endpoint('GET', '/api/portal/immunizations', { response: P.PortalImmunizationList }),
};

export const portalChartKeys = {
  visits: ['portal', 'visits'] as const,
  problems: ['portal', 'problems'] as const,
  allergies: ['portal', 'allergies'] as const,
  vitals: ['portal', 'vitals'] as const,
  immunizations: ['portal', 'immunizations'] as const,
};

export const VISITS_PAGE_SIZE = 10;
/** The sets the trends chart: enough for months of visits. */
export const VITALS_TREND_SETS = 50;

/** My signed visits, newest first, paged by cursor (each read is audited by the server). */
export function useMyVisits() {
  const api = useApi();
  return useCursorQuery(portalChartKeys.visits, (cursor, signal) =>
    api.call(routes.visits, { query: { limit: VISITS_PAGE_SIZE, cursor }, signal }),
  );
}

export function useMyProblems() {
  const api = useApi();
  return useQuery({ queryKey: portalChartKeys.problems, queryFn: ({ signal }) => api.call(routes.problems, { signal }) });
}

export function useMyAllergies() {
  const api = useApi();
  return useQuery({ queryKey: portalChartKeys.allergies, queryFn: ({ signal }) => api.call(routes.allergies, { signal }) });
}

export function useMyImmunizations() {
  const api = useApi();
  return useQuery({
    queryKey: portalChartKeys.immunizations,
    queryFn: ({ signal }) => api.call(routes.immunizations, { signal }),
  });
}

/** My latest sets of vitals, newest first (the latest set, and the series of the trends). */
export function useMyVitals() {
  const api = useApi();
  return useQuery({
    queryKey: portalChartKeys.vitals,
    queryFn: ({ signal }) => api.call(routes.vitals, { query: { limit: VITALS_TREND_SETS }, signal }),
  });
}

/** The visit summary's PDF (the letters module writes it), as a download named after the visit's day. */
export const visitSummaryUrl = (encounterId: string) => `/api/portal/visits/${encodeURIComponent(encounterId)}/summary.pdf`;

export async function downloadVisitSummary(api: ApiClient, visit: P.PortalVisit, filename: string): Promise<void> {
  saveBlob(await fetchBlob(api, visitSummaryUrl(visit.encounterId), 'application/pdf'), filename);
}
