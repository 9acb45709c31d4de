import { keepPreviousData, useQuery } from '@tanstack/react-query';
import * as C from '@sanita/contracts/terminology';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint } from '../../../lib/api/endpoint.ts';

export type { CvxCode, Icd10Code } from '@sanita/contracts/terminology';

/** How many codes a picker offers at once: all in view without scrolling; typing more narrows them. */
export const PICKER_LIMIT = 10;
const routes = {
  icd10: endpoint('GET', '/api/terminology/icd10', { query: C.Icd10Query, response: C.Icd10List }),
  cvx: endpoint('GET', '/api/terminology/cvx', { query: C.CvxQuery, response: C.CvxList }),
};

export const terminologyKeys = {
  icd10: (q: string, billableOnly: boolean) => ['terminology', 'icd10', q, billableOnly] as const,
  cvx: (q: string) => ['terminology', 'cvx', q] as const,
};

/** The code sets do not change while the app runs: answers are kept for the session. */
const FOREVER = { staleTime: Infinity, gcTime: 30 * 60_000 } as const;

/** ICD-10-CM codes matching `q` (two characters at least). */
export function useIcd10Search(q: string, billableOnly: boolean) {
  const api = useApi();
  const text = q.trim();
  return useQuery({
    queryKey: terminologyKeys.icd10(text, billableOnly),
    queryFn: ({ signal }) => api.call(routes.icd10, { query: { q: text, limit: PICKER_LIMIT, billableOnly }, signal }),
    enabled: text.length >= 2,
    placeholderData: keepPreviousData,
    ...FOREVER,
  });
}

/** CVX codes matching `q`; with nothing typed, the active vaccines. */
export function useCvxSearch(q: string) {
  const api = useApi();
  const text = q.trim();
  return useQuery({
    queryKey: terminologyKeys.cvx(text),
    queryFn: ({ signal }) => api.call(routes.cvx, { query: { ...(text ? { q: text } : {}), limit: PICKER_LIMIT }, signal }),
    placeholderData: keepPreviousData,
    ...FOREVER,
  });
}
