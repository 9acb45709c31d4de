import { useEffect, useRef } from 'react';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import * as C from '@sanita/contracts/encounters';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf } from '../../../lib/api/endpoint.ts';
import { useCursorQuery } from '../../../lib/api/useCursorQuery.ts';
import { useConnectionState, useRealtimeEvent } from '../../../lib/realtime/RealtimeProvider.tsx';

export type {
  Encounter,
  EncounterStart,
  EncounterStatus,
  EncounterType,
  TodayItem,
  TodayState,
  TodayView,
} from '@sanita/contracts/encounters';

const routes = {
  get: endpoint('GET', '/api/encounters/:id', { response: C.Encounter }),
  start: endpoint('POST', '/api/encounters', { body: C.EncounterStart, response: C.Encounter }),
  finish: endpoint('POST', '/api/encounters/:id/finish', { body: C.EncounterFinish, response: C.Encounter }),
  today: endpoint('GET', '/api/encounters/today', { response: C.TodayView }),
  list: endpoint('GET', '/api/patients/:patientId/encounters', { query: C.EncountersQuery, response: C.EncounterList }),
};

export const encounterKeys = {
  all: ['encounters'] as const,
  one: (id: string) => ['encounters', 'one', id] as const,
  today: (clinicId: string | null) => ['encounters', 'today', clinicId] as const,
  patient: (patientId: string) => ['encounters', 'patient', patientId] as const,
};

export const ENCOUNTERS_PAGE_SIZE = 20;

/** Refetches when the realtime connection comes back (events sent meanwhile are not all replayed). */
function useRefetchOnReconnect(refetch: () => void) {
  const state = useConnectionState();
  const previous = useRef(state);
  useEffect(() => {
    if (state === 'live' && previous.current !== 'live' && previous.current !== 'connecting') refetch();
    previous.current = state;
  }, [state, refetch]);
}

const invalidate = (qc: QueryClient, key: readonly unknown[]) => void qc.invalidateQueries({ queryKey: key });

/** One encounter; live: it refetches when it is finished (by anyone at the clinic). */
export function useEncounter(id: string | undefined) {
  const api = useApi();
  const queryClient = useQueryClient();
  useRealtimeEvent('encounter.finished', (event) => {
    if (id && event.encounterId === id) invalidate(queryClient, encounterKeys.one(id));
  });
  return useQuery({
    queryKey: encounterKeys.one(id ?? ''),
    queryFn: ({ signal }) => api.call(routes.get, { params: { id: id! }, signal }),
    enabled: !!id,
  });
}

/** A patient's encounters, newest first, paged; live for this patient's encounters only (each read is audited). */
export function usePatientEncounters(patientId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const key = encounterKeys.patient(patientId);
  const onEvent = (event: { patientId: string }) => {
    if (event.patientId === patientId) invalidate(queryClient, key);
  };
  useRealtimeEvent('encounter.started', onEvent);
  useRealtimeEvent('encounter.finished', onEvent);
  useRefetchOnReconnect(() => invalidate(queryClient, key));
  return useCursorQuery(key, (cursor, signal) =>
    api.call(routes.list, { params: { patientId }, query: { limit: ENCOUNTERS_PAGE_SIZE, cursor }, signal }),
  );
}

/**
 * The signed-in practitioner's day at the active clinic. Live: any move of the clinic's queue,
 * appointments or encounters refetches it (the events carry ids only; the list is read again).
 */
export function useToday(clinicId: string | null) {
  const api = useApi();
  const queryClient = useQueryClient();
  const key = encounterKeys.today(clinicId);
  const refetch = () => invalidate(queryClient, key);
  useRealtimeEvent('encounter.started', refetch);
  useRealtimeEvent('encounter.finished', refetch);
  useRealtimeEvent('queue.ticket.changed', refetch);
  useRealtimeEvent('appointment.changed', refetch);
  useRefetchOnReconnect(refetch);
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.call(routes.today, { signal }),
    enabled: !!clinicId,
  });
}

export function useStartEncounter() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof routes.start>) => api.call(routes.start, { body }),
    onSuccess: (encounter) => {
      queryClient.setQueryData(encounterKeys.one(encounter.id), encounter);
      invalidate(queryClient, ['encounters', 'today']);
      invalidate(queryClient, encounterKeys.patient(encounter.patientId));
    },
  });
}

export function useFinishEncounter() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (e: { id: string; version: number }) =>
      api.call(routes.finish, { params: { id: e.id }, body: { version: e.version } }),
    onSuccess: (encounter) => {
      queryClient.setQueryData(encounterKeys.one(encounter.id), encounter);
      invalidate(queryClient, ['encounters', 'today']);
      invalidate(queryClient, encounterKeys.patient(encounter.patientId));
    },
  });
}
