import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as H from '@sanita/contracts/hl7';
import { CatalogueQuery, LabTestList } from '@sanita/contracts/lab';
import { SearchQuery, SearchResult } from '@sanita/contracts/patients';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf, type QueryOf } from '../../../lib/api/endpoint.ts';

export type { MessageDetail, MessageStatus, MessageSummary, ParsedSegment, UnmappedCode } from '@sanita/contracts/hl7';

const routes = {
  messages: endpoint('GET', '/api/hl7/messages', { query: H.MessageQuery, response: H.MessageList }),
  message: endpoint('GET', '/api/hl7/messages/:id', { response: H.MessageDetail }),
  replay: endpoint('POST', '/api/hl7/messages/:id/replay', { response: H.MessageDetail }),
  unmatched: endpoint('GET', '/api/hl7/unmatched', { query: H.UnmatchedQuery, response: H.MessageList }),
  resolve: endpoint('POST', '/api/hl7/unmatched/:id/resolve', { body: H.ResolveInput, response: H.MessageDetail }),
  tests: endpoint('GET', '/api/lab/tests', { query: CatalogueQuery, response: LabTestList }),
  patients: endpoint('GET', '/api/patients', { query: SearchQuery, response: SearchResult }),
};

export type MessageFilters = QueryOf<typeof routes.messages>;
export type ResolveInput = BodyOf<typeof routes.resolve>;

export const hl7Keys = {
  all: ['hl7'] as const,
  messages: (f: MessageFilters) => ['hl7', 'messages', f] as const,
  message: (id: string) => ['hl7', 'message', id] as const,
  unmatched: ['hl7', 'unmatched'] as const,
};

/** The message log, newest first (filters as the server takes them). */
export function useMessages(filters: MessageFilters) {
  const api = useApi();
  return useQuery({ queryKey: hl7Keys.messages(filters), queryFn: () => api.call(routes.messages, { query: filters }) });
}

export function useMessage(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: hl7Keys.message(id ?? ''),
    queryFn: () => api.call(routes.message, { params: { id: id! } }),
    enabled: !!id,
  });
}

export function useUnmatched() {
  const api = useApi();
  return useQuery({ queryKey: hl7Keys.unmatched, queryFn: () => api.call(routes.unmatched, { query: { limit: 200 } }) });
}

export function useReplay() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.call(routes.replay, { params: { id } }),
    onSuccess: (m) => {
      qc.setQueryData(hl7Keys.message(m.id), m);
      void qc.invalidateQueries({ queryKey: hl7Keys.all });
    },
  });
}

export function useResolve() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ResolveInput }) => api.call(routes.resolve, { params: { id }, body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: hl7Keys.all }),
  });
}

/** Catalogue tests matching words of a name, a code or a LOINC code (for mapping a sender's code). */
export function useTestSearch(q: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['hl7', 'tests', q],
    queryFn: () => api.call(routes.tests, { query: { q, limit: 10, kind: 'test' } }),
    enabled: q.length >= 2,
  });
}

/** Patients of the active clinic by name or MRN (for a result that has no order). */
export function usePatientSearch(q: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['hl7', 'patients', q],
    queryFn: () => api.call(routes.patients, { query: { q, limit: 10 } }),
    enabled: q.length >= 2,
  });
}
