import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from '@sinclair/typebox';
import * as B from '@sanita/contracts/billing';
import * as C from '@sanita/contracts/claims';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf, type QueryOf } from '../../../lib/api/endpoint.ts';

export type {
  AnomalyReason,
  AttachableDocument,
  Claim,
  ClaimPreview,
  ClaimStatus,
  ClaimSummary,
  Coverage,
  Eligibility,
  LedgerVerification,
  Payer,
  Plan,
  PlanRules,
} from '@sanita/contracts/claims';
export type { Invoice, InvoiceSummary } from '@sanita/contracts/billing';

const routes = {
  claims: endpoint('GET', '/api/claims', { query: C.ClaimListQuery, response: C.ClaimList }),
  claim: endpoint('GET', '/api/claims/:id', { response: C.Claim }),
  create: endpoint('POST', '/api/claims', { body: C.ClaimCreate, response: C.Claim }),
  preview: endpoint('POST', '/api/claims/preview', { body: C.ClaimCreate, response: C.ClaimPreview }),
  attachable: endpoint('GET', '/api/claims/:id/documents', { response: C.AttachableDocumentList }),
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
  attach: endpoint('POST', '/api/claims/:id/attachments', { body: C.ClaimAttachInput, response: C.Claim }),
  plan: endpoint('GET', '/api/plans/:id', { response: C.Plan }),
  createPayer: endpoint('POST', '/api/payers', { body: C.PayerInput, response: C.Payer }),
  updatePayer: endpoint('PATCH', '/api/payers/:id', { body: C.PayerUpdate, response: C.Payer }),
  createPlan: endpoint('POST', '/api/payers/:id/plans', { body: C.PlanInput, response: C.Plan }),
  updatePlan: endpoint('PATCH', '/api/plans/:id', { body: C.PlanUpdate, response: C.Plan }),
  // other modules' routes the claim screens read (billing's invoices)
  invoices: endpoint('GET', '/api/billing/invoices', { query: B.InvoiceListQuery, response: B.InvoiceList }),
  invoice: endpoint('GET', '/api/billing/invoices/:id', { response: B.Invoice }),
};

export type ClaimFilters = QueryOf<typeof routes.claims>;
export type DecisionInput = BodyOf<typeof routes.decision>;
export type CoverageInput = BodyOf<typeof routes.addCoverage>;
export type ClaimCreateInput = BodyOf<typeof routes.create>;
export type PayerInput = BodyOf<typeof routes.createPayer>;
export type PayerUpdate = BodyOf<typeof routes.updatePayer>;
export type PlanInput = BodyOf<typeof routes.createPlan>;
export type PlanUpdate = BodyOf<typeof routes.updatePlan>;
export type InvoiceFilters = QueryOf<typeof routes.invoices>;

export const claimKeys = {
  all: ['claims'] as const,
  list: (f: ClaimFilters) => ['claims', 'list', f] as const,
  claim: (id: string) => ['claims', 'claim', id] as const,
  payers: ['claims', 'payers'] as const,
  payer: (id: string) => ['claims', 'payer', id] as const,
  coverages: (patientId: string) => ['claims', 'coverages', patientId] as const,
  eligibility: (patientId: string) => ['claims', 'eligibility', patientId] as const,
  plan: (id: string) => ['claims', 'plan', id] as const,
  invoices: (f: InvoiceFilters) => ['claims', 'invoices', f] as const,
  invoice: (id: string) => ['claims', 'invoice', id] as const,
  preview: (body: ClaimCreateInput) => ['claims', 'preview', body] as const,
  attachable: (claimId: string) => ['claims', 'attachable', claimId] as const,
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
export const useCreateClaim = () => useClaimMutation<ClaimCreateInput>((api, v) => api.call(routes.create, { body: v }));
export const useAttachDocument = () =>
  useClaimMutation<{ id: string; documentId: string; version: number }>((api, v) =>
    api.call(routes.attach, { params: { id: v.id }, body: { documentId: v.documentId, version: v.version } }),
  );

/**
 * The claimable invoices of the active clinic (issued, partly paid or paid) matching a number, an MRN
 * or a name, newest issued first (billing:read). The list filters one status at a time: one query each.
 */
export function useClaimableInvoices(q: string | undefined, limit: number) {
  const api = useApi();
  return useQueries({
    queries: CLAIMABLE_STATUSES.map((status) => {
      const filters: InvoiceFilters = { status, limit, ...(q ? { q } : {}) };
      return {
        queryKey: claimKeys.invoices(filters),
        queryFn: ({ signal }: { signal: AbortSignal }) => api.call(routes.invoices, { query: filters, signal }),
        placeholderData: (prev: Static<typeof B.InvoiceList> | undefined) => prev,
      };
    }),
    combine: (results) => ({
      data: results.every((r) => r.data)
        ? results
            .flatMap((r) => r.data!.data)
            .sort((a, b) => (b.issuedAt ?? '').localeCompare(a.issuedAt ?? ''))
            .slice(0, limit)
        : undefined,
      isPending: results.some((r) => r.isPending),
      isError: results.some((r) => r.isError),
      error: results.find((r) => r.error)?.error ?? null,
      refetch: () => results.forEach((r) => void r.refetch()),
    }),
  });
}
const CLAIMABLE_STATUSES = ['issued', 'partially_paid', 'paid'] as const;

export function useInvoice(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: claimKeys.invoice(id ?? ''),
    queryFn: ({ signal }) => api.call(routes.invoice, { params: { id: id! }, signal }),
    enabled: !!id,
  });
}

/** Plans by id (the coverage rules of each of a patient's coverages). */
export function usePlan(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: claimKeys.plan(id ?? ''),
    queryFn: ({ signal }) => api.call(routes.plan, { params: { id: id! }, signal }),
    enabled: !!id,
  });
}

/**
 * What the claim of the invoice would be (`POST /api/claims/preview`, claims:write): the coverage,
 * the encounter's diagnoses, each covered line's claimed amount and the totals — a cashier sees them
 * without reading notes. Its 4xx are create's (no coverage, not covered, a duplicate…).
 */
export function useClaimPreview(body: ClaimCreateInput | null) {
  const api = useApi();
  return useQuery({
    queryKey: claimKeys.preview(body ?? { invoiceId: '' }),
    queryFn: ({ signal }) => api.call(routes.preview, { body: body!, signal }),
    enabled: !!body,
    // it depends on the patient's coverages and other claims: asked again whenever the page shows
    staleTime: 0,
    placeholderData: (prev) => prev,
  });
}

/** The draft's attachable documents: the patient's current ones, metadata only (claims:write, no documents:read needed). */
export function useAttachableDocuments(claimId: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: claimKeys.attachable(claimId),
    queryFn: ({ signal }) => api.call(routes.attachable, { params: { id: claimId }, signal }),
    enabled,
  });
}

function usePayersMutation<V, R>(call: (api: ReturnType<typeof useApi>, v: V) => Promise<R>) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: V) => call(api, v),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: claimKeys.payers });
      void qc.invalidateQueries({ queryKey: ['claims', 'payer'] });
      void qc.invalidateQueries({ queryKey: ['claims', 'plan'] });
    },
  });
}
export const useCreatePayer = () => usePayersMutation((api, body: PayerInput) => api.call(routes.createPayer, { body }));
export const useUpdatePayer = () =>
  usePayersMutation((api, v: { id: string; body: PayerUpdate }) =>
    api.call(routes.updatePayer, { params: { id: v.id }, body: v.body }),
  );
export const useCreatePlan = () =>
  usePayersMutation((api, v: { payerId: string; body: PlanInput }) =>
    api.call(routes.createPlan, { params: { id: v.payerId }, body: v.body }),
  );
export const useUpdatePlan = () =>
  usePayersMutation((api, v: { id: string; body: PlanUpdate }) =>
    api.call(routes.updatePlan, { params: { id: v.id }, body: v.body }),
  );

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
