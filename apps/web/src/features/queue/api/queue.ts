import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from '@sinclair/typebox';
import * as C from '@sanita/contracts/queue';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf } from '../../../lib/api/endpoint.ts';

export {
  SERVICE_POINT_KINDS,
  type CheckInResult,
  type DisplayToken,
  type QueueTicket,
  type ServicePoint,
  type TicketPriority,
  type TicketStatus,
} from '@sanita/contracts/queue';

/** The priorities as the front desk offers them: the usual case first, the most urgent last. */
export const TICKET_PRIORITIES: readonly C.TicketPriority[] = [...C.TICKET_PRIORITIES].reverse();

const routes = {
  servicePoints: endpoint('GET', '/api/service-points', { response: C.ServicePointList }),
  createServicePoint: endpoint('POST', '/api/service-points', { body: C.CreateServicePointBody, response: C.ServicePoint }),
  updateServicePoint: endpoint('PATCH', '/api/service-points/:id', {
    body: C.UpdateServicePointBody,
    response: C.ServicePoint,
  }),
  queue: endpoint('GET', '/api/queue', { query: C.QueueQuery, response: C.QueueView }),
  callNext: endpoint('POST', '/api/queue/call-next', { body: C.CallNextBody, response: C.QueueTicket }),
  call: endpoint('POST', '/api/queue/tickets/:id/call', { body: C.CallBody, response: C.QueueTicket }),
  // start, done, skip, requeue: no input
  move: endpoint('POST', '/api/queue/tickets/:id/:action', { response: C.QueueTicket }),
  transfer: endpoint('POST', '/api/queue/tickets/:id/transfer', { body: C.TransferBody, response: C.TransferResult }),
  checkIn: endpoint('POST', '/api/appointments/:id/check-in', { body: C.CheckInBody, response: C.CheckInResult }),
  walkIn: endpoint('POST', '/api/visits/walk-in', { body: C.WalkInBody, response: C.CheckInResult }),
  displayTokens: endpoint('GET', '/api/display-tokens', { response: C.DisplayTokenList }),
  createDisplayToken: endpoint('POST', '/api/display-tokens', {
    body: C.CreateDisplayTokenBody,
    response: C.CreatedDisplayToken,
  }),
  revokeDisplayToken: endpoint('POST', '/api/display-tokens/:id/revoke', { response: C.DisplayToken }),
};

/** A service point as its form edits it (every field; the server takes all of them on create too). */
export type ServicePointInput = Required<C.CreateServicePointBody>;
export type QueueResponse = C.QueueView;
export type CreatedDisplayToken = Static<typeof C.CreatedDisplayToken>;

export type TicketAction = 'call' | 'start' | 'done' | 'skip' | 'requeue';

export const queueKeys = {
  servicePoints: ['service-points'] as const,
  queue: (servicePointId: string) => ['queue', servicePointId] as const,
};

export function useServicePoints() {
  const api = useApi();
  return useQuery({
    queryKey: queueKeys.servicePoints,
    queryFn: ({ signal }) => api.call(routes.servicePoints, { signal }),
    select: (res) => res.data,
    staleTime: 5 * 60_000,
  });
}

/** One service point's queue of today (several at once: components/WaitingBoard.tsx useQueues). */
export function queueQueryFn(api: ReturnType<typeof useApi>, servicePointId: string, signal: AbortSignal) {
  return api.call(routes.queue, { query: { servicePointId }, signal });
}

export function useQueue(servicePointId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: queueKeys.queue(servicePointId ?? ''),
    queryFn: ({ signal }) => queueQueryFn(api, servicePointId ?? '', signal),
    enabled: !!servicePointId,
    // Waited times move with the clock even when nobody touches the queue.
    refetchInterval: 60_000,
  });
}

export function useCallNext() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof routes.callNext>) => api.call(routes.callNext, { body }),
    onSettled: (_data, _err, body) => queryClient.invalidateQueries({ queryKey: queueKeys.queue(body.servicePointId) }),
  });
}

export function useTicketAction(servicePointId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ ticketId, action, room }: { ticketId: string; action: TicketAction; room?: string }) =>
      action === 'call'
        ? api.call(routes.call, { params: { id: ticketId }, body: room ? { room } : {} })
        : api.call(routes.move, { params: { id: ticketId, action } }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queueKeys.queue(servicePointId) }),
  });
}

export function useTransferTicket() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ ticketId, ...body }: { ticketId: string } & C.TransferBody) =>
      api.call(routes.transfer, { params: { id: ticketId }, body }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['queue'] }),
  });
}

export function useCheckIn() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ appointmentId, ...body }: { appointmentId: string } & C.CheckInBody) =>
      api.call(routes.checkIn, { params: { id: appointmentId }, body }),
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
    mutationFn: (body: C.WalkInBody) => api.call(routes.walkIn, { body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['queue'] }),
  });
}

export function useSaveServicePoint() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: ServicePointInput & { id?: string }) =>
      id ? api.call(routes.updateServicePoint, { params: { id }, body }) : api.call(routes.createServicePoint, { body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queueKeys.servicePoints }),
  });
}

const displayTokenKey = ['display-tokens'] as const;

export function useDisplayTokens() {
  const api = useApi();
  return useQuery({
    queryKey: displayTokenKey,
    queryFn: ({ signal }) => api.call(routes.displayTokens, { signal }),
    select: (res) => res.data,
  });
}

export function useCreateDisplayToken() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: C.CreateDisplayTokenBody) => api.call(routes.createDisplayToken, { body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: displayTokenKey }),
  });
}

export function useRevokeDisplayToken() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.call(routes.revokeDisplayToken, { params: { id } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: displayTokenKey }),
  });
}
