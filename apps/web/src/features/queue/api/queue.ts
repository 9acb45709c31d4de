import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import type { Sex } from '../../../lib/api/types.ts';

// Shapes of apps/server/src/modules/queue/queue.schemas.ts (docs/scheduling.md, "Front desk").

export const SERVICE_POINT_KINDS = ['triage', 'consultation', 'lab', 'pharmacy', 'cashier', 'imaging', 'other'] as const;
export type ServicePointKind = (typeof SERVICE_POINT_KINDS)[number];

export const TICKET_PRIORITIES = ['normal', 'elderly', 'pregnant', 'emergency'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export type TicketStatus = 'waiting' | 'called' | 'in_service' | 'done' | 'skipped' | 'transferred';

export interface ServicePoint {
  id: string;
  clinicId: string;
  code: string;
  name: string;
  kind: ServicePointKind;
  ticketPrefix: string;
  room: string | null;
  active: boolean;
}

export interface ServicePointInput {
  code: string;
  name: string;
  kind: ServicePointKind;
  ticketPrefix: string;
  room: string | null;
  active: boolean;
}

export interface QueuePatient {
  id: string;
  mrn: string;
  name: string;
  sex: Sex;
  age: number | null;
}

export interface QueueTicket {
  id: string;
  servicePointId: string;
  visitId: string;
  code: string;
  number: number;
  priority: TicketPriority;
  status: TicketStatus;
  arrivedAt: string;
  calledAt: string | null;
  serviceStartedAt: string | null;
  finishedAt: string | null;
  room: string | null;
  transferredFromId: string | null;
  transferredToId: string | null;
  patient: QueuePatient;
  estimatedWaitMinutes: number | null;
}

export interface QueueStats {
  waiting: number;
  called: number;
  inService: number;
  done: number;
  meanServiceMinutes: number | null;
}

export interface QueueResponse {
  servicePoint: ServicePoint;
  data: QueueTicket[];
  stats: QueueStats;
}

export interface Visit {
  id: string;
  patientId: string;
  kind: 'appointment' | 'walk_in';
  status: 'open' | 'closed';
}

export interface CheckInResult {
  visit: Visit;
  ticket: Pick<QueueTicket, 'id' | 'code' | 'servicePointId' | 'status' | 'priority'>;
}

export type TicketAction = 'call' | 'start' | 'done' | 'skip' | 'requeue';

export const queueKeys = {
  servicePoints: ['service-points'] as const,
  queue: (servicePointId: string) => ['queue', servicePointId] as const,
};

export function useServicePoints() {
  const api = useApi();
  return useQuery({
    queryKey: queueKeys.servicePoints,
    queryFn: ({ signal }) => api.get<{ data: ServicePoint[] }>('/api/service-points', { signal }),
    select: (res) => res.data,
    staleTime: 5 * 60_000,
  });
}

export function useQueue(servicePointId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: queueKeys.queue(servicePointId ?? ''),
    queryFn: ({ signal }) => api.get<QueueResponse>('/api/queue', { query: { servicePointId }, signal }),
    enabled: !!servicePointId,
    // Waited times move with the clock even when nobody touches the queue.
    refetchInterval: 60_000,
  });
}

export function useCallNext() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { servicePointId: string; room?: string }) => api.post<QueueTicket>('/api/queue/call-next', body),
    onSettled: (_data, _err, body) => queryClient.invalidateQueries({ queryKey: queueKeys.queue(body.servicePointId) }),
  });
}

export function useTicketAction(servicePointId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ ticketId, action, room }: { ticketId: string; action: TicketAction; room?: string }) =>
      api.post<QueueTicket>(
        `/api/queue/tickets/${encodeURIComponent(ticketId)}/${action}`,
        action === 'call' && room ? { room } : {},
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queueKeys.queue(servicePointId) }),
  });
}

export function useTransferTicket() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ ticketId, ...body }: { ticketId: string; servicePointId: string; priority?: TicketPriority }) =>
      api.post<QueueTicket & { transferredTo: Pick<QueueTicket, 'id' | 'code' | 'servicePointId'> }>(
        `/api/queue/tickets/${encodeURIComponent(ticketId)}/transfer`,
        body,
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['queue'] }),
  });
}

export function useCheckIn() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ appointmentId, ...body }: { appointmentId: string; servicePointId: string; priority: TicketPriority }) =>
      api.post<CheckInResult>(`/api/appointments/${encodeURIComponent(appointmentId)}/check-in`, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['appointments'] });
      void queryClient.invalidateQueries({ queryKey: ['queue'] });
    },
  });
}

export function useWalkIn() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { patientId: string; servicePointId: string; priority: TicketPriority; reason?: string }) =>
      api.post<CheckInResult>('/api/visits/walk-in', body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['queue'] }),
  });
}

export function useSaveServicePoint() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: ServicePointInput & { id?: string }) =>
      id
        ? api.patch<ServicePoint>(`/api/service-points/${encodeURIComponent(id)}`, body)
        : api.post<ServicePoint>('/api/service-points', body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queueKeys.servicePoints }),
  });
}

export interface DisplayToken {
  id: string;
  name: string;
  servicePointIds: string[];
  createdAt: string;
  revokedAt: string | null;
  lastSeenAt: string | null;
}

export interface CreatedDisplayToken {
  id: string;
  name: string;
  token: string;
  url: string;
}

const displayTokenKey = ['display-tokens'] as const;

export function useDisplayTokens() {
  const api = useApi();
  return useQuery({
    queryKey: displayTokenKey,
    queryFn: ({ signal }) => api.get<{ data: DisplayToken[] }>('/api/display-tokens', { signal }),
    select: (res) => res.data,
  });
}

export function useCreateDisplayToken() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; servicePointIds: string[] }) => api.post<CreatedDisplayToken>('/api/display-tokens', body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: displayTokenKey }),
  });
}

export function useRevokeDisplayToken() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<DisplayToken>(`/api/display-tokens/${encodeURIComponent(id)}/revoke`, {}),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: displayTokenKey }),
  });
}
