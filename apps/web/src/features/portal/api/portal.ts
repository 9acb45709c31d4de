import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import type { AccessLogEntry, Page, Patient } from '../../../lib/api/types.ts';

export const portalKeys = {
  me: ['portal', 'me'] as const,
  accessLog: ['portal', 'access-log'] as const,
};

export function useMyRecord() {
  const api = useApi();
  return useQuery({ queryKey: portalKeys.me, queryFn: ({ signal }) => api.get<Patient>('/api/portal/me', { signal }) });
}

export function useMyAccessLogFetcher() {
  const api = useApi();
  return (cursor: string | undefined, signal: AbortSignal) =>
    api.get<Page<AccessLogEntry>>('/api/portal/access-log', { query: { limit: 25, cursor }, signal });
}
