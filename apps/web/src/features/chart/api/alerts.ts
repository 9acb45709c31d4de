import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as C from '@sanita/contracts/chart';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint } from '../../../lib/api/endpoint.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useRealtimeEvent } from '../../../lib/realtime/RealtimeProvider.tsx';

export type { News2Alert } from '@sanita/contracts/chart';

const routes = {
  clinic: endpoint('GET', '/api/news2-alerts', { query: C.News2AlertsQuery, response: C.News2AlertList }),
  patient: endpoint('GET', '/api/patients/:patientId/news2-alerts', {
    query: C.PatientAlertsQuery,
    response: C.News2AlertList,
  }),
  acknowledge: endpoint('POST', '/api/news2-alerts/:id/acknowledge', { body: C.AcknowledgeAlertBody, response: C.News2Alert }),
};

export const alertKeys = {
  all: ['chart', 'news2-alerts'] as const,
  clinic: (clinicId: string | undefined) => ['chart', 'news2-alerts', 'clinic', clinicId ?? 'none'] as const,
  patient: (patientId: string) => ['chart', 'news2-alerts', 'patient', patientId] as const,
};

const ALERT_EVENTS = ['news2.alert.raised', 'news2.alert.escalated', 'news2.alert.acknowledged'] as const;

/** Refetches what an alert event of the active clinic changes (each read is audited: only what it names). */
function useAlertEvents(onEvent: (e: { clinicId: string; patientId: string }) => void) {
  const { activeClinic } = useAuth();
  const handler = (e: { clinicId: string; patientId: string }) => {
    if (e.clinicId === activeClinic?.id) onEvent(e);
  };
  useRealtimeEvent(ALERT_EVENTS[0], handler);
  useRealtimeEvent(ALERT_EVENTS[1], handler);
  useRealtimeEvent(ALERT_EVENTS[2], handler);
}

/**
 * The active clinic's open NEWS2 alerts, newest first, with the patients' names (the header's bell,
 * the home panel). Live: any alert event of the clinic refetches.
 */
export function useClinicAlerts() {
  const api = useApi();
  const queryClient = useQueryClient();
  const { activeClinic } = useAuth();
  const key = alertKeys.clinic(activeClinic?.id);
  useAlertEvents(() => void queryClient.invalidateQueries({ queryKey: key }));
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.call(routes.clinic, { query: { status: 'open' }, signal }),
    select: (r) => r.data,
    enabled: !!activeClinic,
  });
}

/** A patient's open alerts at the active clinic (the banner, the summary card); live for this patient. */
export function usePatientAlerts(patientId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  useAlertEvents((e) => {
    if (e.patientId === patientId) void queryClient.invalidateQueries({ queryKey: alertKeys.patient(patientId) });
  });
  return useQuery({
    queryKey: alertKeys.patient(patientId),
    queryFn: ({ signal }) => api.call(routes.patient, { params: { patientId }, query: { status: 'open' }, signal }),
    select: (r) => r.data,
  });
}

/** Acknowledges an alert; the lists that show it refetch. */
export function useAcknowledgeAlert() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note?: string }) =>
      api.call(routes.acknowledge, { params: { id }, body: note ? { note } : {} }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: alertKeys.all }),
  });
}

const settingsRoutes = {
  get: endpoint('GET', '/api/news2-alerts/settings', { response: C.News2Settings }),
  save: endpoint('PUT', '/api/news2-alerts/settings', { body: C.News2Settings, response: C.News2Settings }),
};

const settingsKey = (clinicId: string | undefined) => ['chart', 'news2-settings', clinicId ?? 'none'] as const;

/** The active clinic's NEWS2 alert settings (minutes before an open alert escalates). */
export function useNews2Settings() {
  const api = useApi();
  const { activeClinic } = useAuth();
  return useQuery({
    queryKey: settingsKey(activeClinic?.id),
    queryFn: ({ signal }) => api.call(settingsRoutes.get, { signal }),
    enabled: !!activeClinic,
  });
}

/** Saves the active clinic's NEWS2 alert settings (settings:write); alerts raised from then on use them. */
export function useSaveNews2Settings() {
  const api = useApi();
  const queryClient = useQueryClient();
  const { activeClinic } = useAuth();
  return useMutation({
    mutationFn: (body: C.News2Settings) => api.call(settingsRoutes.save, { body }),
    onSuccess: (saved) => queryClient.setQueryData(settingsKey(activeClinic?.id), saved),
  });
}
