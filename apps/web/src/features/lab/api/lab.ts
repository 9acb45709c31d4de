import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as D from '@sanita/contracts/documents';
import * as L from '@sanita/contracts/lab';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf, type QueryOf } from '../../../lib/api/endpoint.ts';
import { fetchBlob } from '../../../lib/api/files.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useRealtimeEvent } from '../../../lib/realtime/RealtimeProvider.tsx';

export type {
  CodedAnswer,
  CreateLabTestInput,
  LabCriticalAlert,
  LabFlag,
  LabOrder,
  LabOrderItem,
  LabOrderStatus,
  LabPriority,
  LabResult,
  LabSettings,
  LabTest,
  LabTestRevision,
  PortalLabResult,
  ReferenceRange,
  ResultCell,
  ResultsTable,
  Trend,
  UpdateLabTestInput,
} from '@sanita/contracts/lab';

const routes = {
  tests: endpoint('GET', '/api/lab/tests', { query: L.CatalogueQuery, response: L.LabTestList }),
  test: endpoint('GET', '/api/lab/tests/:testId', { response: L.LabTest }),
  createTest: endpoint('POST', '/api/lab/tests', { body: L.CreateLabTestInput, response: L.LabTest }),
  updateTest: endpoint('PATCH', '/api/lab/tests/:testId', { body: L.UpdateLabTestInput, response: L.LabTest }),
  revisions: endpoint('GET', '/api/lab/tests/:testId/revisions', { response: L.LabTestRevisionList }),
  price: endpoint('PUT', '/api/lab/tests/:testId/price', { body: L.LabPriceInput, response: L.LabTest }),
  settings: endpoint('GET', '/api/lab/settings', { response: L.LabSettings }),
  saveSettings: endpoint('PUT', '/api/lab/settings', { body: L.LabSettings, response: L.LabSettings }),

  patientOrders: endpoint('GET', '/api/patients/:patientId/lab-orders', {
    query: L.PatientOrdersQuery,
    response: L.LabOrderList,
  }),
  createOrder: endpoint('POST', '/api/patients/:patientId/lab-orders', { body: L.CreateLabOrderInput, response: L.LabOrder }),
  order: endpoint('GET', '/api/lab/orders/:orderId', { response: L.LabOrder }),
  cancel: endpoint('POST', '/api/lab/orders/:orderId/cancel', { body: L.CancelLabOrderInput, response: L.LabOrder }),

  worklist: endpoint('GET', '/api/lab/worklist', { query: L.WorklistQuery, response: L.LabOrderList }),
  worklistCounts: endpoint('GET', '/api/lab/worklist/counts', { query: L.WorklistCountsQuery, response: L.WorklistCounts }),
  collect: endpoint('POST', '/api/lab/orders/:orderId/collect', { body: L.CollectInput, response: L.LabOrder }),
  receive: endpoint('POST', '/api/lab/orders/:orderId/receive', { body: L.ReceiveInput, response: L.LabOrder }),
  enter: endpoint('POST', '/api/lab/orders/:orderId/results', { body: L.EnterResultsInput, response: L.LabOrder }),
  verify: endpoint('POST', '/api/lab/orders/:orderId/verify', { body: L.ResultIdsInput, response: L.LabOrder }),
  release: endpoint('POST', '/api/lab/orders/:orderId/release', { body: L.ResultIdsInput, response: L.LabOrder }),

  alerts: endpoint('GET', '/api/lab/alerts', { query: L.LabAlertsQuery, response: L.LabCriticalAlertList }),
  acknowledge: endpoint('POST', '/api/lab/alerts/:alertId/acknowledge', {
    body: L.AcknowledgeLabAlertInput,
    response: L.LabCriticalAlert,
  }),
  portalHold: endpoint('POST', '/api/lab/results/:resultId/portal-hold', { body: L.PortalHoldInput, response: L.LabResult }),

  table: endpoint('GET', '/api/patients/:patientId/lab-results/table', { query: L.ResultsTableQuery, response: L.ResultsTable }),
  trend: endpoint('GET', '/api/patients/:patientId/lab-results/trend', { query: L.TrendQuery, response: L.Trend }),

  portal: endpoint('GET', '/api/portal/lab-results', { response: L.PortalLabResultList }),

  linkDocument: endpoint('POST', '/api/lab/orders/:orderId/documents', { body: L.LinkDocumentInput, response: L.LabOrder }),
  documents: endpoint('GET', '/api/patients/:patientId/documents', { query: D.DocumentListQuery, response: D.DocumentList }),
};

export type WorklistStep = NonNullable<L.WorklistQuery['step']>;
export const WORKLIST_STEPS: readonly WorklistStep[] = ['collect', 'receive', 'enter', 'verify', 'release'];

export const labKeys = {
  all: ['lab'] as const,
  catalogue: (query: QueryOf<typeof routes.tests>) => ['lab', 'catalogue', query] as const,
  test: (id: string) => ['lab', 'catalogue', 'test', id] as const,
  revisions: (id: string) => ['lab', 'catalogue', 'test', id, 'revisions'] as const,
  settings: (clinicId: string | undefined) => ['lab', 'settings', clinicId ?? 'none'] as const,
  worklist: ['lab', 'worklist'] as const,
  worklistStep: (step: WorklistStep, q: string) => ['lab', 'worklist', step, q] as const,
  worklistCounts: (q: string) => ['lab', 'worklist', 'counts', q] as const,
  patient: (patientId: string) => ['lab', 'patient', patientId] as const,
  patientOrders: (patientId: string, encounterId?: string) =>
    ['lab', 'patient', patientId, 'orders', encounterId ?? 'all'] as const,
  table: (patientId: string) => ['lab', 'patient', patientId, 'table'] as const,
  trend: (patientId: string, testId: string) => ['lab', 'patient', patientId, 'trend', testId] as const,
  alerts: ['lab', 'alerts'] as const,
  portal: ['lab', 'portal-results'] as const,
};

// ------------------------------------------------------------------ catalogue

/** Tests and panels of the catalogue matching the typed words (the server ranks). */
export function useLabCatalogue(query: QueryOf<typeof routes.tests>, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: labKeys.catalogue(query),
    queryFn: ({ signal }) => api.call(routes.tests, { query, signal }),
    select: (res) => res.data,
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export function useLabTest(testId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: labKeys.test(testId ?? ''),
    queryFn: ({ signal }) => api.call(routes.test, { params: { testId: testId! }, signal }),
    enabled: !!testId,
  });
}

export function useLabTestRevisions(testId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: labKeys.revisions(testId ?? ''),
    queryFn: ({ signal }) => api.call(routes.revisions, { params: { testId: testId! }, signal }),
    select: (res) => res.data,
    enabled: !!testId,
  });
}

/** Creating, editing (withdrawing) and pricing a test; the catalogue's lists refetch. */
export function useLabTestActions() {
  const api = useApi();
  const queryClient = useQueryClient();
  const settled = () => void queryClient.invalidateQueries({ queryKey: ['lab', 'catalogue'] });
  return {
    create: useMutation({
      mutationFn: (body: BodyOf<typeof routes.createTest>) => api.call(routes.createTest, { body }),
      onSettled: settled,
    }),
    update: useMutation({
      mutationFn: ({ testId, body }: { testId: string; body: BodyOf<typeof routes.updateTest> }) =>
        api.call(routes.updateTest, { params: { testId }, body }),
      onSettled: settled,
    }),
    price: useMutation({
      mutationFn: ({ testId, price }: { testId: string; price: string | null }) =>
        api.call(routes.price, { params: { testId }, body: { price } }),
      onSettled: settled,
    }),
  };
}

export function useLabSettings() {
  const api = useApi();
  const { activeClinic } = useAuth();
  return useQuery({
    queryKey: labKeys.settings(activeClinic?.id),
    queryFn: ({ signal }) => api.call(routes.settings, { signal }),
    enabled: !!activeClinic,
  });
}

export function useSaveLabSettings() {
  const api = useApi();
  const queryClient = useQueryClient();
  const { activeClinic } = useAuth();
  return useMutation({
    mutationFn: (body: L.LabSettings) => api.call(routes.saveSettings, { body }),
    onSuccess: (saved) => queryClient.setQueryData(labKeys.settings(activeClinic?.id), saved),
  });
}

// ------------------------------------------------------------------ orders

/** Refetches a patient's lab queries when one of their orders changes or results are released (ids only). */
function usePatientLabEvents(patientId: string) {
  const queryClient = useQueryClient();
  const refetch = (e: { patientId: string }) => {
    if (e.patientId === patientId) void queryClient.invalidateQueries({ queryKey: labKeys.patient(patientId) });
  };
  useRealtimeEvent('lab.order.changed', refetch);
  useRealtimeEvent('lab.results.released', refetch);
}

/** A patient's lab orders (newest first), all or one encounter's; live. */
export function usePatientLabOrders(patientId: string, encounterId?: string) {
  const api = useApi();
  usePatientLabEvents(patientId);
  return useQuery({
    queryKey: labKeys.patientOrders(patientId, encounterId),
    queryFn: ({ signal }) =>
      api.call(routes.patientOrders, {
        params: { patientId },
        query: { limit: 100, ...(encounterId ? { encounterId } : {}) },
        signal,
      }),
    select: (res) => res.data,
  });
}

export function useCreateLabOrder(patientId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof routes.createOrder>) => api.call(routes.createOrder, { params: { patientId }, body }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: labKeys.patient(patientId) }),
  });
}

export function useCancelLabOrder() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ orderId, body }: { orderId: string; body: BodyOf<typeof routes.cancel> }) =>
      api.call(routes.cancel, { params: { orderId }, body }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: labKeys.all }),
  });
}

// ------------------------------------------------------------------ worklist

/** Refetches the worklist when an order of the active clinic changes. */
function useWorklistEvents() {
  const queryClient = useQueryClient();
  const { activeClinic } = useAuth();
  const refetch = (e: { clinicId: string }) => {
    if (e.clinicId === activeClinic?.id) void queryClient.invalidateQueries({ queryKey: labKeys.worklist });
  };
  useRealtimeEvent('lab.order.changed', refetch);
  useRealtimeEvent('lab.results.released', refetch);
}

/** The lab's worklist at one step, stat first then oldest; live. */
export function useLabWorklist(step: WorklistStep, q = '') {
  const api = useApi();
  useWorklistEvents();
  const query = q.trim();
  return useQuery({
    queryKey: labKeys.worklistStep(step, query),
    queryFn: ({ signal }) => api.call(routes.worklist, { query: { step, limit: 200, ...(query ? { q: query } : {}) }, signal }),
    select: (res) => res.data,
    placeholderData: keepPreviousData,
  });
}

/** How many orders wait at each step (the tabs' and the home panel's counts), in one call; live. */
export function useWorklistCounts(q = '') {
  const api = useApi();
  useWorklistEvents();
  const query = q.trim();
  const res = useQuery({
    queryKey: labKeys.worklistCounts(query),
    queryFn: ({ signal }) => api.call(routes.worklistCounts, { query: query ? { q: query } : {}, signal }),
    placeholderData: keepPreviousData,
  });
  const counts = Object.fromEntries(WORKLIST_STEPS.map((step) => [step, res.data?.counts[step] ?? null])) as Record<
    WorklistStep,
    number | null
  >;
  return { counts, urgent: res.data?.urgent ?? 0, error: res.error, pending: res.isPending };
}

/** The steps of the lab's work on an order; the worklist and the patient's lists refetch after each. */
export function useLabSteps() {
  const api = useApi();
  const queryClient = useQueryClient();
  const settled = () => void queryClient.invalidateQueries({ queryKey: labKeys.all });
  const opts = { onSettled: settled };
  return {
    collect: useMutation({
      mutationFn: ({ orderId, version }: { orderId: string; version: number }) =>
        api.call(routes.collect, { params: { orderId }, body: { version } }),
      ...opts,
    }),
    receive: useMutation({
      mutationFn: ({ orderId, version }: { orderId: string; version: number }) =>
        api.call(routes.receive, { params: { orderId }, body: { version } }),
      ...opts,
    }),
    enter: useMutation({
      mutationFn: ({ orderId, body }: { orderId: string; body: BodyOf<typeof routes.enter> }) =>
        api.call(routes.enter, { params: { orderId }, body }),
      ...opts,
    }),
    verify: useMutation({
      mutationFn: ({ orderId, body }: { orderId: string; body: BodyOf<typeof routes.verify> }) =>
        api.call(routes.verify, { params: { orderId }, body }),
      ...opts,
    }),
    release: useMutation({
      mutationFn: ({ orderId, body }: { orderId: string; body: BodyOf<typeof routes.release> }) =>
        api.call(routes.release, { params: { orderId }, body }),
      ...opts,
    }),
  };
}

/**
 * Opens a PDF of the API (barcode labels, the report) in a new tab: the tab opens at the click so that
 * no pop-up blocker stops it, and shows the PDF once it has arrived.
 */
export function useOpenPdf() {
  const api = useApi();
  return async (url: string) => {
    const tab = window.open('', '_blank');
    try {
      const blob = await fetchBlob(api, url, 'application/pdf');
      if (tab) tab.location.href = URL.createObjectURL(blob);
    } catch (err) {
      tab?.close();
      throw err;
    }
  };
}

export const labelsUrl = (orderId: string) => `/api/lab/orders/${encodeURIComponent(orderId)}/labels.pdf`;
export const reportUrl = (orderId: string) => `/api/lab/orders/${encodeURIComponent(orderId)}/report.pdf`;

// ------------------------------------------------------------------ critical alerts

const ALERT_EVENTS = ['lab.critical.raised', 'lab.critical.escalated', 'lab.critical.acknowledged'] as const;

/**
 * The open critical alerts the user is to act on: those of their own orders, and those escalated to the
 * clinic's doctors (or from an outside laboratory, with no orderer); live.
 */
export function useLabAlerts(enabled = true) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { me, activeClinic } = useAuth();
  const refetch = () => void queryClient.invalidateQueries({ queryKey: labKeys.alerts });
  useRealtimeEvent(ALERT_EVENTS[0], refetch);
  useRealtimeEvent(ALERT_EVENTS[1], refetch);
  useRealtimeEvent(ALERT_EVENTS[2], refetch);
  return useQuery({
    queryKey: [...labKeys.alerts, activeClinic?.id ?? 'none'],
    queryFn: ({ signal }) => api.call(routes.alerts, { query: { status: 'open' }, signal }),
    select: (res) => res.data.filter((a) => !a.orderedBy || a.orderedBy.id === me?.id || a.level > 0),
    enabled: enabled && !!activeClinic,
  });
}

export function useAcknowledgeLabAlert() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ alertId, note }: { alertId: string; note?: string }) =>
      api.call(routes.acknowledge, { params: { alertId }, body: note?.trim() ? { note: note.trim() } : {} }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: labKeys.alerts }),
  });
}

// ------------------------------------------------------------------ a patient's results

export function useResultsTable(patientId: string) {
  const api = useApi();
  usePatientLabEvents(patientId);
  return useQuery({
    queryKey: labKeys.table(patientId),
    queryFn: ({ signal }) => api.call(routes.table, { params: { patientId }, query: { columns: 12 }, signal }),
  });
}

export function useTrend(patientId: string, testId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: labKeys.trend(patientId, testId ?? ''),
    queryFn: ({ signal }) => api.call(routes.trend, { params: { patientId }, query: { testId: testId! }, signal }),
    enabled: !!testId,
  });
}

export function usePortalHold(patientId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ resultId, hold, version }: { resultId: string; hold: boolean; version: number }) =>
      api.call(routes.portalHold, { params: { resultId }, body: { hold, version } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: labKeys.patient(patientId) }),
  });
}

// ------------------------------------------------------------------ portal

/** My released results (not held back by my doctor), newest first. */
export function useMyLabResults() {
  const api = useApi();
  const queryClient = useQueryClient();
  useRealtimeEvent('lab.results.released', () => void queryClient.invalidateQueries({ queryKey: labKeys.portal }));
  return useQuery({
    queryKey: labKeys.portal,
    queryFn: ({ signal }) => api.call(routes.portal, { signal }),
    select: (res) => res.data,
  });
}

// ------------------------------------------------------------------ outside reports

/** The patient's current lab reports uploaded as documents (to link one to an order). */
export function usePatientLabReports(patientId: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: ['lab', 'patient', patientId, 'lab-reports'],
    queryFn: ({ signal }) => api.call(routes.documents, { params: { patientId }, query: { limit: 200 }, signal }),
    select: (res) => res.data.filter((d) => d.category === 'lab_report' && d.status === 'current'),
    enabled,
  });
}

/** Links an uploaded lab report (same patient) to an order. */
export function useLinkLabDocument(patientId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ orderId, documentId }: { orderId: string; documentId: string }) =>
      api.call(routes.linkDocument, { params: { orderId }, body: { documentId } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: labKeys.patient(patientId) }),
  });
}
