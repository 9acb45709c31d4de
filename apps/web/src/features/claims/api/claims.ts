import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as C from '@sanita/contracts/claims';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf, type QueryOf } from '../../../lib/api/endpoint.ts';

export type {
  AnomalyReason,
  Claim,
  ClaimStatus,
  ClaimSummary,
  Coverage,
  Eligibility,
  LedgerVerification,
  Plan,
  PlanRules,
} from '@sanita/contracts/claims';

const routes = {
  claims: endpoint('GET', '/api/claims', { query: C.ClaimListQuery, response: C.ClaimList }),
  claim: endpoint('GET', '/api/claims/:id', { response: C.Claim }),
  create: endpoint('POST', '/api/claims', { body: C.ClaimCreate, response: C.Claim }),
  submit: endpoint('POST', '/api/claims/:id/submit', { body: C.ClaimVersionBody, response: C.Claim }),
  review: endpoint('POST', '/api/claims/:id/review', { body: C.ClaimVersionBody, response: C.Claim }),
  decision: endpoint('POST', '/api/claims/:id/decision', { body: C.ClaimDecisionInput, response: C.Claim }),
  note: endpoint('POST', '/api/claims/:id/notes', { body: C.ClaimNoteInput, response: C.Claim }),
  paid: endpoint('POST', '/api/claims/:id/paid', { body: C.ClaimPaidInput, response: C.Claim }),
  resubmit: endpoint('POST', '/api/claims/:id/resubmit', { body: C.ClaimVersionBody, response: C.Claim }),
  payers: endpoint('GET', '/api/payers', { response: C.PayerList }),
  payer: endpoint('GET', '/api/payers/:id', { response: C.PayerDetail }),
  addMember: endpoint('POST', '/api/payers/:id/members', { body: C.PayerMemberInput, response: C.PayerMemberList }),
  coverages: endpoint('GET', '/api/patients/:patientId/coverages', { response: C.CoverageList }),
  addCoverage: endpoint('POST', '/api/patients/:patientId/coverages', { body: C.CoverageInput, response: C.Coverage }),
  updateCoverage: endpoint('PATCH', '/api/coverages/:id', { body: C.CoverageUpdate, response: C.Coverage }),
  eligibility: endpoint('GET', '/api/patients/:patientId/eligibility', { query: C.EligibilityQuery, response: C.Eligibility }),
  verify: endpoint('POST', '/api/admin/claims-ledger/verify', { response: C.LedgerVerification }),
};

export type ClaimFilters = QueryOf<typeof routes.claims>;
export type DecisionInput = BodyOf<typeof routes.decision>;
export type CoverageInput = BodyOf<typeof routes.addCoverage>;

export const claimKeys = {
  all: ['claims'] as const,
  list: (f: ClaimFilters) => ['claims', 'list', f] as const,
  claim: (id: string) => ['claims', 'claim', id] as const,
  payers: ['claims', 'payers'] as const,
  payer: (id: string) => ['claims', 'payer', id] as const,
  coverages: (patientId: string) => ['claims', 'coverages', patientId] as const,
  eligibility: (patientId: string) => ['claims', 'eligibility', patientId] as const,
};

export function useClaims(filters: ClaimFilters) {
  const api = useApi();
  return useQuery({ queryKey: claimKeys.list(filters), queryFn: () => api.call(routes.claims, { query: filters }) });
}

export function useClaim(id: string) {
  const api = useApi();
  return useQuery({ queryKey: claimKeys.claim(id), queryFn: () => api.call(routes.claim, { params: { id } }) });
}

/** A transition of a claim; the answer replaces the claim in the cache and the lists are refreshed. */
function useClaimMutation<V>(call: (api: ReturnType<typeof useApi>, v: V) => Promise<C.Claim>) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: V) => call(api, v),
    onSuccess: (c) => {
      qc.setQueryData(claimKeys.claim(c.id), c);
      void qc.invalidateQueries({ queryKey: claimKeys.all });
    },
  });
}

type Versioned = { id: string; version: number };
export const useSubmitClaim = () =>
  useClaimMutation<Versioned>((api, v) => api.call(routes.submit, { params: { id: v.id }, body: { version: v.version } }));
export const useReviewClaim = () =>
  useClaimMutation<Versioned>((api, v) => api.call(routes.review, { params: { id: v.id }, body: { version: v.version } }));
export const useResubmitClaim = () =>
  useClaimMutation<Versioned>((api, v) => api.call(routes.resubmit, { params: { id: v.id }, body: { version: v.version } }));
export const useDecideClaim = () =>
  useClaimMutation<{ id: string; body: DecisionInput }>((api, v) =>
    api.call(routes.decision, { params: { id: v.id }, body: v.body }),
  );
export const useClaimNote = () =>
  useClaimMutation<{ id: string; text: string }>((api, v) =>
    api.call(routes.note, { params: { id: v.id }, body: { text: v.text } }),
  );
export const useClaimPaid = () =>
  useClaimMutation<{ id: string; amount: string; reference: string | null; version: number }>((api, v) =>
    api.call(routes.paid, { params: { id: v.id }, body: { amount: v.amount, reference: v.reference, version: v.version } }),
  );
export const useCreateClaim = () =>
  useClaimMutation<{ invoiceId: string }>((api, v) => api.call(routes.create, { body: { invoiceId: v.invoiceId } }));

export function usePayers() {
  const api = useApi();
  return useQuery({ queryKey: claimKeys.payers, queryFn: () => api.call(routes.payers) });
}

export function usePayer(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: claimKeys.payer(id ?? ''),
    queryFn: () => api.call(routes.payer, { params: { id: id! } }),
    enabled: !!id,
  });
}

export function useAddMember() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { payerId: string; userId: string }) =>
      api.call(routes.addMember, { params: { id: v.payerId }, body: { userId: v.userId } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: claimKeys.all }),
  });
}

export function useCoverages(patientId: string) {
  const api = useApi();
  return useQuery({
    queryKey: claimKeys.coverages(patientId),
    queryFn: () => api.call(routes.coverages, { params: { patientId } }),
  });
}

export function useEligibility(patientId: string) {
  const api = useApi();
  return useQuery({
    queryKey: claimKeys.eligibility(patientId),
    queryFn: () => api.call(routes.eligibility, { params: { patientId }, query: {} }),
  });
}

export function useAddCoverage(patientId: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CoverageInput) => api.call(routes.addCoverage, { params: { patientId }, body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: claimKeys.coverages(patientId) });
      void qc.invalidateQueries({ queryKey: claimKeys.eligibility(patientId) });
    },
  });
}

export function useEndCoverage(patientId: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (c: { id: string; version: number }) =>
      api.call(routes.updateCoverage, { params: { id: c.id }, body: { active: false, version: c.version } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: claimKeys.coverages(patientId) });
      void qc.invalidateQueries({ queryKey: claimKeys.eligibility(patientId) });
    },
  });
}

export function useVerifyLedger() {
  const api = useApi();
  return useMutation({ mutationFn: () => api.call(routes.verify) });
}
