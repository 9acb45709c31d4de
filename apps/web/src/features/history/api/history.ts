import { useEffect, useRef } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as C from '@sanita/contracts/history';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf } from '../../../lib/api/endpoint.ts';
import { useConnectionState, useRealtimeEvent } from '../../../lib/realtime/RealtimeProvider.tsx';

export type {
  Allergy,
  AllergyInput,
  AllergyList,
  AllergyPatch,
  HistoryEntry,
  HistoryInput,
  HistoryKind,
  HistoryPatch,
  Problem,
  ProblemInput,
  ProblemPatch,
  Revision,
} from '@sanita/contracts/history';

const base = '/api/patients/:patientId';
const routes = {
  problems: endpoint('GET', `${base}/problems`, { response: C.ProblemList }),
  addProblem: endpoint('POST', `${base}/problems`, { body: C.ProblemInput, response: C.Problem }),
  editProblem: endpoint('PATCH', `${base}/problems/:id`, { body: C.ProblemPatch, response: C.Problem }),
  problemRevisions: endpoint('GET', `${base}/problems/:id/revisions`, { response: C.RevisionList }),
  allergies: endpoint('GET', `${base}/allergies`, { response: C.AllergyList }),
  addAllergy: endpoint('POST', `${base}/allergies`, { body: C.AllergyInput, response: C.Allergy }),
  noKnown: endpoint('POST', `${base}/allergies/no-known`, { response: C.AllergyList }),
  editAllergy: endpoint('PATCH', `${base}/allergies/:id`, { body: C.AllergyPatch, response: C.Allergy }),
  allergyRevisions: endpoint('GET', `${base}/allergies/:id/revisions`, { response: C.RevisionList }),
  history: endpoint('GET', `${base}/history`, { response: C.HistoryList }),
  addHistory: endpoint('POST', `${base}/history`, { body: C.HistoryInput, response: C.HistoryEntry }),
  editHistory: endpoint('PATCH', `${base}/history/:id`, { body: C.HistoryPatch, response: C.HistoryEntry }),
  historyRevisions: endpoint('GET', `${base}/history/:id/revisions`, { response: C.RevisionList }),
};

export type Entity = 'problem' | 'allergy' | 'history';

export const historyKeys = {
  patient: (patientId: string) => ['history', patientId] as const,
  problems: (patientId: string) => ['history', patientId, 'problems'] as const,
  allergies: (patientId: string) => ['history', patientId, 'allergies'] as const,
  history: (patientId: string) => ['history', patientId, 'history'] as const,
  revisions: (patientId: string, entity: Entity, id: string) => ['history', patientId, 'revisions', entity, id] as const,
};

/**
 * Keeps the patient's lists live: a change recorded by anyone at the clinic (`history.changed`, ids
 * only) refetches them, and so does a connection that comes back (events sent meanwhile may be lost).
 */
function useLive(patientId: string) {
  const queryClient = useQueryClient();
  useRealtimeEvent('history.changed', (event) => {
    if (event.patientId === patientId) void queryClient.invalidateQueries({ queryKey: historyKeys.patient(patientId) });
  });
  const state = useConnectionState();
  const previous = useRef(state);
  useEffect(() => {
    if (state === 'live' && previous.current !== 'live' && previous.current !== 'connecting')
      void queryClient.invalidateQueries({ queryKey: historyKeys.patient(patientId) });
    previous.current = state;
  }, [state, patientId, queryClient]);
}

/** The patient's problem list (every status; entered-in-error included, for the record). */
export function useProblems(patientId: string) {
  const api = useApi();
  useLive(patientId);
  return useQuery({
    queryKey: historyKeys.problems(patientId),
    queryFn: ({ signal }) => api.call(routes.problems, { params: { patientId }, signal }),
    select: (r) => r.data,
  });
}

/** The patient's allergies (active first) and the "no known allergies" statement, if any. */
export function useAllergies(patientId: string) {
  const api = useApi();
  useLive(patientId);
  return useQuery({
    queryKey: historyKeys.allergies(patientId),
    queryFn: ({ signal }) => api.call(routes.allergies, { params: { patientId }, signal }),
  });
}

/** The patient's medical, surgical, family and social history. */
export function useHistory(patientId: string) {
  const api = useApi();
  useLive(patientId);
  return useQuery({
    queryKey: historyKeys.history(patientId),
    queryFn: ({ signal }) => api.call(routes.history, { params: { patientId }, signal }),
    select: (r) => r.data,
  });
}

const REVISIONS = { problem: routes.problemRevisions, allergy: routes.allergyRevisions, history: routes.historyRevisions };

/** Every version of one item, oldest first (fetched when shown: each read is audited). */
export function useRevisions(patientId: string, entity: Entity, id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: historyKeys.revisions(patientId, entity, id ?? ''),
    queryFn: ({ signal }) => api.call(REVISIONS[entity], { params: { patientId, id: id! }, signal }),
    select: (r) => r.data,
    enabled: !!id,
  });
}

function useWrite<A>(patientId: string, fn: (args: A) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => void queryClient.invalidateQueries({ queryKey: historyKeys.patient(patientId) }),
  });
}

export function useAddProblem(patientId: string) {
  const api = useApi();
  return useWrite(patientId, (body: BodyOf<typeof routes.addProblem>) =>
    api.call(routes.addProblem, { params: { patientId }, body }),
  );
}
export function useEditProblem(patientId: string) {
  const api = useApi();
  return useWrite(patientId, ({ id, body }: { id: string; body: BodyOf<typeof routes.editProblem> }) =>
    api.call(routes.editProblem, { params: { patientId, id }, body }),
  );
}
export function useAddAllergy(patientId: string) {
  const api = useApi();
  return useWrite(patientId, (body: BodyOf<typeof routes.addAllergy>) =>
    api.call(routes.addAllergy, { params: { patientId }, body }),
  );
}
export function useEditAllergy(patientId: string) {
  const api = useApi();
  return useWrite(patientId, ({ id, body }: { id: string; body: BodyOf<typeof routes.editAllergy> }) =>
    api.call(routes.editAllergy, { params: { patientId, id }, body }),
  );
}
export function useNoKnownAllergies(patientId: string) {
  const api = useApi();
  return useWrite(patientId, () => api.call(routes.noKnown, { params: { patientId } }));
}
export function useAddHistory(patientId: string) {
  const api = useApi();
  return useWrite(patientId, (body: BodyOf<typeof routes.addHistory>) =>
    api.call(routes.addHistory, { params: { patientId }, body }),
  );
}
export function useEditHistory(patientId: string) {
  const api = useApi();
  return useWrite(patientId, ({ id, body }: { id: string; body: BodyOf<typeof routes.editHistory> }) =>
    api.call(routes.editHistory, { params: { patientId, id }, body }),
  );
}
