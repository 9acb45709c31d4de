import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as C from '@sanita/contracts/inventory';
import { FormularyItem, FormularyList, FormularySearchQuery } from '@sanita/contracts/medications';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf } from '../../../lib/api/endpoint.ts';
import { fetchBlob, saveBlob } from '../../../lib/api/files.ts';
import { useCursorQuery } from '../../../lib/api/useCursorQuery.ts';
import { useRealtimeEvent } from '../../../lib/realtime/RealtimeProvider.tsx';

export {
  EXPIRY_WINDOWS,
  ITEM_KINDS,
  MOVEMENT_KINDS,
  type ExpiryAlert,
  type Item,
  type ItemKind,
  type Lot,
  type Movement,
  type StockRow,
  type StockTake,
  type Valuation,
} from '@sanita/contracts/inventory';
export type { FormularyItem } from '@sanita/contracts/medications';

const routes = {
  items: endpoint('GET', '/api/inventory/items', { query: C.ItemQuery, response: C.ItemList }),
  item: endpoint('GET', '/api/inventory/items/:id', { response: C.Item }),
  createItem: endpoint('POST', '/api/inventory/items', { body: C.ItemInput, response: C.Item }),
  updateItem: endpoint('PATCH', '/api/inventory/items/:id', { body: C.ItemUpdate, response: C.Item }),
  settings: endpoint('PUT', '/api/inventory/items/:id/settings', { body: C.ItemSettingsInput, response: C.Item }),
  lots: endpoint('GET', '/api/inventory/items/:id/lots', { response: C.LotList }),
  movements: endpoint('GET', '/api/inventory/items/:id/movements', { query: C.MovementQuery, response: C.MovementPage }),
  stock: endpoint('GET', '/api/inventory/stock', { query: C.StockQuery, response: C.StockList }),
  receive: endpoint('POST', '/api/inventory/lots', { body: C.ReceiveInput, response: C.MovementResult }),
  adjust: endpoint('POST', '/api/inventory/lots/:id/adjust', { body: C.AdjustInput, response: C.MovementResult }),
  destroy: endpoint('POST', '/api/inventory/lots/:id/destroy', { body: C.RemoveInput, response: C.MovementResult }),
  return: endpoint('POST', '/api/inventory/lots/:id/return', { body: C.RemoveInput, response: C.MovementResult }),
  recall: endpoint('POST', '/api/inventory/lots/:id/recall', { body: C.RecallInput, response: C.Lot }),
  transfer: endpoint('POST', '/api/inventory/transfers', { body: C.TransferInput, response: C.Transfer }),
  stockTake: endpoint('POST', '/api/inventory/stock-takes', { body: C.StockTakeInput, response: C.StockTake }),
  expiry: endpoint('GET', '/api/inventory/alerts/expiry', { query: C.ExpiryQuery, response: C.ExpiryAlertList }),
  lowStock: endpoint('GET', '/api/inventory/alerts/low-stock', { response: C.StockList }),
  valuation: endpoint('GET', '/api/inventory/valuation', { response: C.Valuation }),
  // the formulary product a medication item is (formulary:read)
  formulary: endpoint('GET', '/api/formulary', { query: FormularySearchQuery, response: FormularyList }),
  formularyItem: endpoint('GET', '/api/formulary/:id', { response: FormularyItem }),
};

export type ItemInput = BodyOf<typeof routes.createItem>;
export type ItemUpdate = BodyOf<typeof routes.updateItem>;
export type ReceiveInput = BodyOf<typeof routes.receive>;
export type StockQuery = C.StockQuery;

/** Every query of this feature starts with `inventory`: a stock change at the clinic refetches them all. */
export const inventoryKeys = {
  all: ['inventory'] as const,
  stock: (query: C.StockQuery) => ['inventory', 'stock', query] as const,
  items: (query: C.ItemQuery) => ['inventory', 'items', query] as const,
  item: (id: string) => ['inventory', 'item', id] as const,
  lots: (id: string) => ['inventory', 'lots', id] as const,
  movements: (id: string) => ['inventory', 'movements', id] as const,
  expiry: (days: number) => ['inventory', 'expiry', days] as const,
  lowStock: ['inventory', 'low-stock'] as const,
  valuation: ['inventory', 'valuation'] as const,
  formulary: (q: string) => ['inventory', 'formulary', q] as const,
  formularyItem: (id: string) => ['inventory', 'formulary', 'item', id] as const,
};

export const MOVEMENTS_PAGE_SIZE = 25;

/** Live: `inventory.changed` at the active clinic (a movement, a recall, a reservation) refetches the feature's views. */
export function useInventoryLive() {
  const queryClient = useQueryClient();
  useRealtimeEvent('inventory.changed', () => void queryClient.invalidateQueries({ queryKey: inventoryKeys.all }));
}

export function useStock(query: C.StockQuery) {
  const api = useApi();
  useInventoryLive();
  return useQuery({
    queryKey: inventoryKeys.stock(query),
    queryFn: ({ signal }) => api.call(routes.stock, { query, signal }),
    select: (res) => res.data,
  });
}

export function useItems(query: C.ItemQuery, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: inventoryKeys.items(query),
    queryFn: ({ signal }) => api.call(routes.items, { query, signal }),
    enabled,
  });
}

export function useItem(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: inventoryKeys.item(id),
    queryFn: ({ signal }) => api.call(routes.item, { params: { id }, signal }),
  });
}

export function useLots(id: string) {
  const api = useApi();
  useInventoryLive();
  return useQuery({
    queryKey: inventoryKeys.lots(id),
    queryFn: ({ signal }) => api.call(routes.lots, { params: { id }, signal }),
    select: (res) => res.data,
  });
}

export function useMovements(id: string) {
  const api = useApi();
  return useCursorQuery(inventoryKeys.movements(id), (cursor, signal) =>
    api.call(routes.movements, { params: { id }, query: { limit: MOVEMENTS_PAGE_SIZE, cursor }, signal }),
  );
}

export function useExpiryAlerts(days: 30 | 60 | 90) {
  const api = useApi();
  useInventoryLive();
  return useQuery({
    queryKey: inventoryKeys.expiry(days),
    queryFn: ({ signal }) => api.call(routes.expiry, { query: { days }, signal }),
    select: (res) => res.data,
  });
}

export function useLowStock() {
  const api = useApi();
  return useQuery({
    queryKey: inventoryKeys.lowStock,
    queryFn: ({ signal }) => api.call(routes.lowStock, { signal }),
    select: (res) => res.data,
  });
}

export function useValuation() {
  const api = useApi();
  useInventoryLive();
  return useQuery({ queryKey: inventoryKeys.valuation, queryFn: ({ signal }) => api.call(routes.valuation, { signal }) });
}

/** Formulary products matching the words typed (name, generic name, brand, ingredient), for linking a medication item. */
export function useFormularyProducts(q: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: inventoryKeys.formulary(q),
    queryFn: ({ signal }) => api.call(routes.formulary, { query: { q, limit: 20 }, signal }),
    select: (res) => res.data,
    enabled,
    placeholderData: (previous) => previous,
  });
}

/** The formulary product a medication item is linked to (null: none). */
export function useFormularyProduct(id: string | null, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: inventoryKeys.formularyItem(id ?? ''),
    queryFn: ({ signal }) => api.call(routes.formularyItem, { params: { id: id! }, signal }),
    enabled: enabled && !!id,
    staleTime: 5 * 60_000,
  });
}

/** Downloads the valuation as CSV (the server's file, exact decimals). */
export function useDownloadValuation() {
  const api = useApi();
  return async (filename: string) => {
    const blob = await fetchBlob(api, '/api/inventory/valuation.csv', 'text/csv');
    saveBlob(blob, filename);
  };
}

/** A change of stock or catalogue: every inventory view is read again on success. */
function useInventoryMutation<V, R>(fn: (api: ReturnType<typeof useApi>, vars: V) => Promise<R>) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (vars: V) => fn(api, vars),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: inventoryKeys.all }),
  });
}

export const useCreateItem = () => useInventoryMutation((api, body: ItemInput) => api.call(routes.createItem, { body }));
export const useUpdateItem = () =>
  useInventoryMutation((api, { id, body }: { id: string; body: ItemUpdate }) =>
    api.call(routes.updateItem, { params: { id }, body }),
  );
export const useItemSettings = () =>
  useInventoryMutation((api, { id, reorderLevel }: { id: string; reorderLevel: number }) =>
    api.call(routes.settings, { params: { id }, body: { reorderLevel } }),
  );
export const useReceive = () => useInventoryMutation((api, body: ReceiveInput) => api.call(routes.receive, { body }));

export type LotAction = 'adjust' | 'destroy' | 'return' | 'recall';
export const useLotAction = () =>
  useInventoryMutation(
    async (
      api,
      v: { action: LotAction; lotId: string; quantity: number; reason: string; reference?: string },
    ): Promise<unknown> => {
      const params = { id: v.lotId };
      if (v.action === 'adjust') return api.call(routes.adjust, { params, body: { quantity: v.quantity, reason: v.reason } });
      if (v.action === 'recall') return api.call(routes.recall, { params, body: { reason: v.reason } });
      const body = { quantity: v.quantity, reason: v.reason, ...(v.reference ? { reference: v.reference } : {}) };
      return api.call(v.action === 'destroy' ? routes.destroy : routes.return, { params, body });
    },
  );
export const useTransfer = () =>
  useInventoryMutation((api, body: BodyOf<typeof routes.transfer>) => api.call(routes.transfer, { body }));
export const useStockTake = () =>
  useInventoryMutation((api, body: BodyOf<typeof routes.stockTake>) => api.call(routes.stockTake, { body }));
