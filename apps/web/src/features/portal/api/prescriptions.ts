import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as M from '@sanita/contracts/medications';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint } from '../../../lib/api/endpoint.ts';

export type { PortalPrescription } from '@sanita/contracts/medications';

const routes = {
  list: endpoint('GET', '/api/portal/prescriptions', { response: M.PortalPrescriptionList }),
  refill: endpoint('POST', '/api/portal/prescriptions/:id/refill-requests', {
    body: M.RefillRequestInput,
    response: M.RefillRequest,
  }),
};

export const portalPrescriptionKeys = { list: ['portal', 'prescriptions'] as const };

/** My prescriptions, newest first, with their instructions and refill requests (each read audited by the server). */
export function useMyPrescriptions() {
  const api = useApi();
  return useQuery({
    queryKey: portalPrescriptionKeys.list,
    queryFn: ({ signal }) => api.call(routes.list, { signal }),
    select: (res) => res.data,
  });
}

/** Asking the prescriber for a refill of one of my prescriptions, with an optional note. */
export function useRequestRefill() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note: string }) =>
      api.call(routes.refill, { params: { id }, body: note.trim() ? { note: note.trim() } : {} }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: portalPrescriptionKeys.list }),
  });
}
