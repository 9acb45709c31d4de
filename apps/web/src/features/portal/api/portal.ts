import { useQuery } from '@tanstack/react-query';
import { AccessLog, AccessLogQuery, Patient } from '@sanita/contracts/patients';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint } from '../../../lib/api/endpoint.ts';

const routes = {
  me: endpoint('GET', '/api/portal/me', { response: Patient }),
  accessLog: endpoint('GET', '/api/portal/access-log', { query: AccessLogQuery, response: AccessLog }),
};

export const portalKeys = {
  me: ['portal', 'me'] as const,
  accessLog: ['portal', 'access-log'] as const,
};

export function useMyRecord() {
  const api = useApi();
  return useQuery({ queryKey: portalKeys.me, queryFn: ({ signal }) => api.call(routes.me, { signal }) });
}

export function useMyAccessLogFetcher() {
  const api = useApi();
  return (cursor: string | undefined, signal: AbortSignal) =>
    api.call(routes.accessLog, { query: { limit: 25, cursor }, signal });
}
