import { useEffect, useRef } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import * as C from '@sanita/contracts/chart';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf } from '../../../lib/api/endpoint.ts';
import { useCursorQuery } from '../../../lib/api/useCursorQuery.ts';
import { useConnectionState, useRealtimeEvent } from '../../../lib/realtime/RealtimeProvider.tsx';

export type { News2, News2Risk, Vitals, VitalsInput } from '@sanita/contracts/chart';
export type { Patient } from '@sanita/contracts/patients';

const routes = {
  list: endpoint('GET', '/api/patients/:patientId/vitals', { query: C.VitalsQuery, response: C.VitalsList }),
  record: endpoint('POST', '/api/patients/:patientId/vitals', { body: C.VitalsInput, response: C.Vitals }),
};

export const chartKeys = {
  all: ['chart'] as const,
  vitals: (patientId: string) => ['chart', patientId, 'vitals'] as const,
};

export const VITALS_PAGE_SIZE = 20;

/**
 * The patient's sets of vitals, newest first, paged by cursor. Live: a set recorded for this
 * patient (by anyone at the clinic) refetches; other patients' events do not (each read is audited).
 */
export function useVitals(patientId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  useRealtimeEvent('vitals.recorded', (event) => {
    if (event.patientId === patientId) void queryClient.invalidateQueries({ queryKey: chartKeys.vitals(patientId) });
  });
  // Events sent while the connection was down are not all replayed: refetch when it comes back.
  const state = useConnectionState();
  const previous = useRef(state);
  useEffect(() => {
    if (state === 'live' && previous.current !== 'live' && previous.current !== 'connecting') {
      void queryClient.invalidateQueries({ queryKey: chartKeys.vitals(patientId) });
    }
    previous.current = state;
  }, [state, patientId, queryClient]);
  return useCursorQuery(chartKeys.vitals(patientId), (cursor, signal) =>
    api.call(routes.list, { params: { patientId }, query: { limit: VITALS_PAGE_SIZE, cursor }, signal }),
  );
}

export function useRecordVitals(patientId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof routes.record>) => api.call(routes.record, { params: { patientId }, body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: chartKeys.vitals(patientId) }),
  });
}
