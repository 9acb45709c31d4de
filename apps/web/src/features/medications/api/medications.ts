import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import * as C from '@sanita/contracts/medications';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf, type QueryOf } from '../../../lib/api/endpoint.ts';
import { fetchBlob, saveBlob } from '../../../lib/api/files.ts';
import { useRealtimeEvent } from '../../../lib/realtime/RealtimeProvider.tsx';

export type {
  ClinicFormularyInput,
  CurrentMedication,
  Dose,
  DoseUnit,
  Favourite,
  FormularyItem,
  FormularyItemInput,
  FormularyItemPatch,
  Frequency,
  MedicationAlert,
  MedicationReconciliation,
  MedicationRoute,
  Override,
  Prescription,
  PrescriptionItem,
  PrescriptionItemInput,
  PrescriptionStatus,
  RefillRequest,
  ReportedMedication,
  ReportedMedicationInput,
} from '@sanita/contracts/medications';

const routes = {
  formulary: endpoint('GET', '/api/formulary', { query: C.FormularySearchQuery, response: C.FormularyList }),
  formularyItem: endpoint('GET', '/api/formulary/:id', { response: C.FormularyItem }),
  createItem: endpoint('POST', '/api/formulary', { body: C.FormularyItemInput, response: C.FormularyItem }),
  updateItem: endpoint('PATCH', '/api/formulary/:id', { body: C.FormularyItemPatch, response: C.FormularyItem }),
  clinicItem: endpoint('PUT', '/api/formulary/:id/clinic', { body: C.ClinicFormularyInput, response: C.FormularyItem }),
  itemHistory: endpoint('GET', '/api/formulary/:id/revisions', { response: C.FormularyRevisionList }),

  patientPrescriptions: endpoint('GET', '/api/patients/:patientId/prescriptions', {
    query: C.PrescriptionListQuery,
    response: C.PrescriptionList,
  }),
  create: endpoint('POST', '/api/encounters/:id/prescriptions', {
    body: C.PrescriptionCreate,
    response: C.Prescription,
  }),
  update: endpoint('PUT', '/api/prescriptions/:id', { body: C.PrescriptionUpdate, response: C.Prescription }),
  sign: endpoint('POST', '/api/prescriptions/:id/sign', { body: C.PrescriptionSign, response: C.Prescription }),
  cancel: endpoint('POST', '/api/prescriptions/:id/cancel', { body: C.PrescriptionCancel, response: C.Prescription }),

  current: endpoint('GET', '/api/patients/:patientId/current-medications', { response: C.CurrentMedicationList }),
  reported: endpoint('POST', '/api/patients/:patientId/reported-medications', {
    body: C.ReportedMedicationInput,
    response: C.ReportedMedication,
  }),
  stopReported: endpoint('POST', '/api/patients/:patientId/reported-medications/:id/stop', {
    body: C.ReportedMedicationStop,
    response: C.ReportedMedication,
  }),

  reconciliation: endpoint('GET', '/api/encounters/:id/medication-reconciliation', {
    response: C.MedicationReconciliationState,
  }),
  reconcile: endpoint('PUT', '/api/encounters/:id/medication-reconciliation', {
    body: C.MedicationReconciliationInput,
    response: C.MedicationReconciliation,
  }),

  refillRequests: endpoint('GET', '/api/refill-requests', { query: C.RefillRequestListQuery, response: C.RefillRequestList }),
  approveRefill: endpoint('POST', '/api/refill-requests/:id/approve', { body: C.RefillDecision, response: C.RefillRequest }),
  declineRefill: endpoint('POST', '/api/refill-requests/:id/decline', { body: C.RefillDecline, response: C.RefillRequest }),

  favourites: endpoint('GET', '/api/prescription-favourites', { response: C.FavouriteList }),
  addFavourite: endpoint('POST', '/api/prescription-favourites', { body: C.FavouriteInput, response: C.Favourite }),
  deleteFavourite: endpoint('DELETE', '/api/prescription-favourites/:id'),
};

export const medicationKeys = {
  all: ['medications'] as const,
  formulary: (query: QueryOf<typeof routes.formulary>) => ['medications', 'formulary', query] as const,
  formularyItem: (id: string) => ['medications', 'formulary', 'item', id] as const,
  itemHistory: (id: string) => ['medications', 'formulary', 'item', id, 'history'] as const,
  patient: (patientId: string) => ['medications', 'patient', patientId] as const,
  prescriptions: (patientId: string) => ['medications', 'patient', patientId, 'prescriptions'] as const,
  current: (patientId: string) => ['medications', 'patient', patientId, 'current'] as const,
  reconciliation: (patientId: string, encounterId: string) =>
    ['medications', 'patient', patientId, 'reconciliation', encounterId] as const,
  favourites: ['medications', 'favourites'] as const,
  refills: ['medications', 'refills'] as const,
};

/** Formulary items matching the typed words (the server ranks; a typo is tolerated). */
export function useFormularySearch(query: QueryOf<typeof routes.formulary>, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: medicationKeys.formulary(query),
    queryFn: ({ signal }) => api.call(routes.formulary, { query, signal }),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

/** Formulary items by id (a reloaded draft's items: their strength and form make the quantity). */
export function useFormularyItems(ids: string[]) {
  const api = useApi();
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: medicationKeys.formularyItem(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => api.call(routes.formularyItem, { params: { id }, signal }),
      staleTime: 5 * 60_000,
    })),
  });
}

export function useFormularyHistory(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: medicationKeys.itemHistory(id ?? ''),
    queryFn: ({ signal }) => api.call(routes.itemHistory, { params: { id: id! }, signal }),
    enabled: id !== null,
  });
}

function useInvalidating<V, R>(fn: (v: V) => Promise<R>, keys: readonly (readonly unknown[])[]) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
    },
  });
}

export function useCreateFormularyItem() {
  const api = useApi();
  return useInvalidating(
    (body: BodyOf<typeof routes.createItem>) => api.call(routes.createItem, { body }),
    [['medications', 'formulary']],
  );
}

export function useUpdateFormularyItem(id: string) {
  const api = useApi();
  return useInvalidating(
    (body: BodyOf<typeof routes.updateItem>) => api.call(routes.updateItem, { params: { id }, body }),
    [['medications', 'formulary']],
  );
}

export function useClinicFormularyItem(id: string) {
  const api = useApi();
  return useInvalidating(
    (body: BodyOf<typeof routes.clinicItem>) => api.call(routes.clinicItem, { params: { id }, body }),
    [['medications', 'formulary']],
  );
}

/** A dispense at the pharmacy changes the patient's prescriptions (completed) and current medications. */
function useLiveDispenses(patientId: string) {
  const queryClient = useQueryClient();
  useRealtimeEvent('prescription.dispensed', (event) => {
    if (event.patientId === patientId) void queryClient.invalidateQueries({ queryKey: medicationKeys.patient(patientId) });
  });
}

/** The patient's prescriptions, newest first (every read is audited); live as the pharmacy dispenses. */
export function usePatientPrescriptions(patientId: string, enabled = true) {
  const api = useApi();
  useLiveDispenses(patientId);
  return useQuery({
    queryKey: medicationKeys.prescriptions(patientId),
    queryFn: ({ signal }) => api.call(routes.patientPrescriptions, { params: { patientId }, query: { limit: 100 }, signal }),
    enabled,
  });
}

/** What the patient takes now: active prescriptions and reported medications (the checks' `current`). */
export function useCurrentMedications(patientId: string, enabled = true) {
  const api = useApi();
  useLiveDispenses(patientId);
  return useQuery({
    queryKey: medicationKeys.current(patientId),
    queryFn: ({ signal }) => api.call(routes.current, { params: { patientId }, signal }),
    enabled,
  });
}

/** The prescription calls of one encounter; each refreshes the patient's lists. */
export function usePrescriptionActions(patientId: string, encounterId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: medicationKeys.patient(patientId) });
  /** the patient's current medications again (another user may have changed them since the page opened) */
  const refreshCurrent = () => void queryClient.invalidateQueries({ queryKey: medicationKeys.current(patientId) });
  return {
    create: (body: BodyOf<typeof routes.create>) => api.call(routes.create, { params: { id: encounterId }, body }),
    update: (id: string, body: BodyOf<typeof routes.update>) => api.call(routes.update, { params: { id }, body }),
    sign: (id: string, version: number) => api.call(routes.sign, { params: { id }, body: { version } }),
    refresh,
    refreshCurrent,
  };
}

export function useCancelPrescription(patientId: string) {
  const api = useApi();
  return useInvalidating(
    ({ id, version, reason }: { id: string; version: number; reason: string }) =>
      api.call(routes.cancel, { params: { id }, body: { version, reason } }),
    [medicationKeys.patient(patientId)],
  );
}

export function useReportMedication(patientId: string) {
  const api = useApi();
  return useInvalidating(
    (body: BodyOf<typeof routes.reported>) => api.call(routes.reported, { params: { patientId }, body }),
    [medicationKeys.patient(patientId)],
  );
}

export function useStopReported(patientId: string) {
  const api = useApi();
  return useInvalidating(
    ({ id, ...body }: { id: string } & BodyOf<typeof routes.stopReported>) =>
      api.call(routes.stopReported, { params: { patientId, id }, body }),
    [medicationKeys.patient(patientId)],
  );
}

/** The encounter's medication reconciliation (null until someone marks it). */
export function useReconciliation(patientId: string, encounterId: string) {
  const api = useApi();
  return useQuery({
    queryKey: medicationKeys.reconciliation(patientId, encounterId),
    queryFn: ({ signal }) => api.call(routes.reconciliation, { params: { id: encounterId }, signal }),
  });
}

/** "Mark reconciled": refreshes the panel and the chart card's last reconciliation. */
export function useReconcile(patientId: string, encounterId: string) {
  const api = useApi();
  return useInvalidating(
    (body: BodyOf<typeof routes.reconcile>) => api.call(routes.reconcile, { params: { id: encounterId }, body }),
    [medicationKeys.patient(patientId)],
  );
}

export function useFavourites(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: medicationKeys.favourites,
    queryFn: ({ signal }) => api.call(routes.favourites, { signal }),
    enabled,
    staleTime: 60_000,
  });
}

export function useAddFavourite() {
  const api = useApi();
  return useInvalidating(
    (body: BodyOf<typeof routes.addFavourite>) => api.call(routes.addFavourite, { body }),
    [medicationKeys.favourites],
  );
}

export function useDeleteFavourite() {
  const api = useApi();
  return useInvalidating((id: string) => api.call(routes.deleteFavourite, { params: { id } }), [medicationKeys.favourites]);
}

/** Downloads the signed prescription's PDF (every opening is audited by the server). */
export function useDownloadPrescription() {
  const api = useApi();
  return async (p: C.Prescription) => {
    const blob = await fetchBlob(api, `/api/prescriptions/${encodeURIComponent(p.id)}/pdf`, 'application/pdf');
    saveBlob(blob, `prescription-${(p.signedAt ?? p.createdAt).slice(0, 10)}.pdf`);
  };
}

/** The active clinic's refill requests waiting for a prescriber. */
export function useRefillRequests() {
  const api = useApi();
  return useQuery({
    queryKey: medicationKeys.refills,
    queryFn: ({ signal }) => api.call(routes.refillRequests, { query: { status: 'requested' }, signal }),
    refetchInterval: 60_000,
  });
}

/** Approve (a new active prescription of the same items) or decline (with a note to the patient). */
export function useDecideRefill() {
  const api = useApi();
  return useInvalidating(
    ({ id, approve, note }: { id: string; approve: boolean; note: string }) =>
      approve
        ? api.call(routes.approveRefill, { params: { id }, body: note ? { note } : {} })
        : api.call(routes.declineRefill, { params: { id }, body: { note } }),
    [medicationKeys.refills, medicationKeys.all],
  );
}
