import { useMutation } from '@tanstack/react-query';
import type { Static } from '@sinclair/typebox';
import { AuditPage, AuditQuery, VerifyView, type AuditRow } from '@sanita/contracts/admin';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type QueryOf } from '../../../lib/api/endpoint.ts';
import { useCursorQuery } from '../../../lib/api/useCursorQuery.ts';

const routes = {
  audit: endpoint('GET', '/api/admin/audit', { query: AuditQuery, response: AuditPage }),
  verify: endpoint('POST', '/api/admin/audit/verify', { response: VerifyView }),
};

export type AuditEvent = Static<typeof AuditRow>;
export type AuditFilters = Omit<QueryOf<typeof routes.audit>, 'limit' | 'cursor'>;
export type ChainVerification = Static<typeof VerifyView>;

export function useAuditEvents(filters: AuditFilters) {
  const api = useApi();
  return useCursorQuery(['admin', 'audit', filters], (cursor, signal) =>
    api.call(routes.audit, { query: { ...filters, limit: 50, cursor }, signal }),
  );
}

export function useVerifyChain() {
  const api = useApi();
  return useMutation({ mutationFn: () => api.call(routes.verify) });
}
