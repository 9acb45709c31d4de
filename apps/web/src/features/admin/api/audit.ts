import { useMutation } from '@tanstack/react-query';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import type { Page } from '../../../lib/api/types.ts';
import { useCursorQuery } from '../../../lib/api/useCursorQuery.ts';

export interface AuditEvent {
  id: number;
  at: string;
  actorUserId: string | null;
  actorName: string | null;
  actorRole: string | null;
  clinicId: string | null;
  patientId: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  outcome: string;
  ip: string | null;
  details: unknown;
}

export interface AuditFilters {
  action?: string;
  actorUserId?: string;
  patientId?: string;
  outcome?: string;
  from?: string;
  to?: string;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  headSeq: number;
  signedHeads: number;
  firstBad?: { auditId: number | null; seq: number | null; reason: string };
}

export function useAuditEvents(filters: AuditFilters) {
  const api = useApi();
  return useCursorQuery<AuditEvent>(['admin', 'audit', filters], (cursor, signal) =>
    api.get<Page<AuditEvent>>('/api/admin/audit', { query: { ...filters, limit: 50, cursor }, signal }),
  );
}

export function useVerifyChain() {
  const api = useApi();
  return useMutation({ mutationFn: () => api.post<ChainVerification>('/api/admin/audit/verify') });
}
