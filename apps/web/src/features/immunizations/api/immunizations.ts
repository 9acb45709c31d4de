import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as C from '@sanita/contracts/immunizations';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf } from '../../../lib/api/endpoint.ts';

export type { Immunization, ImmunizationChange, ImmunizationInput } from '@sanita/contracts/immunizations';

const routes = {
  list: endpoint('GET', '/api/patients/:patientId/immunizations', { response: C.ImmunizationList }),
  record: endpoint('POST', '/api/patients/:patientId/immunizations', { body: C.ImmunizationInput, response: C.Immunization }),
  correct: endpoint('PATCH', '/api/patients/:patientId/immunizations/:id', {
    body: C.ImmunizationCorrection,
    response: C.Immunization,
  }),
  enteredInError: endpoint('POST', '/api/patients/:patientId/immunizations/:id/entered-in-error', {
    body: C.EnteredInError,
    response: C.Immunization,
  }),
};

export const immunizationKeys = {
  list: (patientId: string) => ['immunizations', patientId] as const,
};

/** The patient's immunizations, most recent first (each read is audited by the server). */
export function useImmunizations(patientId: string) {
  const api = useApi();
  return useQuery({
    queryKey: immunizationKeys.list(patientId),
    queryFn: ({ signal }) => api.call(routes.list, { params: { patientId }, signal }),
  });
}

function useChange<B>(patientId: string, fn: (body: B) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: immunizationKeys.list(patientId) }),
  });
}

export function useRecordImmunization(patientId: string) {
  const api = useApi();
  return useChange(patientId, (body: BodyOf<typeof routes.record>) => api.call(routes.record, { params: { patientId }, body }));
}

export function useCorrectImmunization(patientId: string, id: string) {
  const api = useApi();
  return useChange(patientId, (body: BodyOf<typeof routes.correct>) =>
    api.call(routes.correct, { params: { patientId, id }, body }),
  );
}

export function useEnteredInError(patientId: string, id: string) {
  const api = useApi();
  return useChange(patientId, (body: BodyOf<typeof routes.enteredInError>) =>
    api.call(routes.enteredInError, { params: { patientId, id }, body }),
  );
}
