import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as P from '@sanita/contracts/pharmacy';
import { LotList } from '@sanita/contracts/inventory';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf } from '../../../lib/api/endpoint.ts';
import { fetchBlob } from '../../../lib/api/files.ts';
import { useRealtimeEvent } from '../../../lib/realtime/RealtimeProvider.tsx';

export type { Dispense, DispenseInput, StockOption, WorklistEntry, WorklistItem } from '@sanita/contracts/pharmacy';
export type { Lot } from '@sanita/contracts/inventory';

const routes = {
  worklist: endpoint('GET', '/api/pharmacy/worklist', { query: P.WorklistQuery, response: P.Worklist }),
  dispense: endpoint('POST', '/api/pharmacy/prescriptions/:prescriptionId/dispenses', {
    body: P.DispenseInput,
    response: P.Dispense,
  }),
  dispenses: endpoint('GET', '/api/pharmacy/prescriptions/:prescriptionId/dispenses', { response: P.DispenseList }),
  lots: endpoint('GET', '/api/inventory/items/:id/lots', { response: LotList }),
};

export const pharmacyKeys = {
  all: ['pharmacy'] as const,
  worklist: (q: string) => ['pharmacy', 'worklist', q] as const,
  lots: (itemId: string) => ['pharmacy', 'lots', itemId] as const,
};

/** The most prescriptions the worklist shows at once (the server's maximum). */
export const WORKLIST_LIMIT = 200;

/**
 * The active clinic's prescriptions awaiting dispensing. Live: a prescription signed, cancelled or
 * dispensed at the clinic refetches it (the events carry ids only; the list is read again).
 */
export function useWorklist(q = '') {
  const api = useApi();
  const queryClient = useQueryClient();
  const refetch = () => void queryClient.invalidateQueries({ queryKey: ['pharmacy', 'worklist'] });
  useRealtimeEvent('prescription.signed', refetch);
  useRealtimeEvent('prescription.cancelled', refetch);
  useRealtimeEvent('prescription.dispensed', refetch);
  return useQuery({
    queryKey: pharmacyKeys.worklist(q),
    queryFn: ({ signal }) =>
      api.call(routes.worklist, { query: { limit: WORKLIST_LIMIT, ...(q.trim() ? { q: q.trim() } : {}) }, signal }),
    select: (res) => res.data,
  });
}

/** The active clinic's lots of a product, first to expire first (what a dispense would take). */
export function useProductLots(itemId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: pharmacyKeys.lots(itemId ?? ''),
    queryFn: ({ signal }) => api.call(routes.lots, { params: { id: itemId! }, signal }),
    select: (res) => res.data,
    enabled: !!itemId,
  });
}

export function useDispense(prescriptionId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof routes.dispense>) => api.call(routes.dispense, { params: { prescriptionId }, body }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: pharmacyKeys.all }),
  });
}

/**
 * Opens a dispense's label (PDF) in a new tab: the tab opens at the click so that no pop-up blocker
 * stops it, and shows the PDF once it has arrived.
 */
export function useOpenLabel() {
  const api = useApi();
  return async (dispenseId: string) => {
    const tab = window.open('', '_blank');
    try {
      const blob = await fetchBlob(api, `/api/pharmacy/dispenses/${encodeURIComponent(dispenseId)}/label.pdf`, 'application/pdf');
      if (tab) tab.location.href = URL.createObjectURL(blob);
    } catch (err) {
      tab?.close();
      throw err;
    }
  };
}
