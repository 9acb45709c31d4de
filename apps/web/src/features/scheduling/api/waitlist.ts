import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as C from '@sanita/contracts/scheduling/waitlist';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf, type QueryOf } from '../../../lib/api/endpoint.ts';

export type { WaitlistEntry } from '@sanita/contracts/scheduling/waitlist';

const routes = {
  list: endpoint('GET', '/api/waitlist', { query: C.WaitlistQuery, response: C.WaitlistList }),
  add: endpoint('POST', '/api/waitlist', { body: C.CreateWaitlistBody, response: C.WaitlistEntry }),
  act: endpoint('POST', '/api/waitlist/:id/:action', { response: C.WaitlistEntry }),
};

export type WaitlistStatus = NonNullable<QueryOf<typeof routes.list>['status']>;
export const WAITLIST_STATUSES: readonly WaitlistStatus[] = C.WaitlistStatus.anyOf.map((s) => s.const);

export type WaitlistInput = BodyOf<typeof routes.add>;

export function useWaitlist(status: WaitlistStatus | null) {
  const api = useApi();
  return useQuery({
    queryKey: ['waitlist', 'list', status],
    queryFn: ({ signal }) => api.call(routes.list, { query: { status: status ?? undefined }, signal }),
    select: (res) => res.data,
  });
}

export function useWaitlistAction() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'cancel' | 'accept' | 'decline' }) =>
      api.call(routes.act, { params: { id, action } }),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ['waitlist'] }),
        qc.invalidateQueries({ queryKey: ['appointments'] }),
        qc.invalidateQueries({ queryKey: ['slots'] }),
      ]),
  });
}

export function useAddToWaitlist() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: WaitlistInput) => api.call(routes.add, { body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['waitlist'] }),
  });
}
