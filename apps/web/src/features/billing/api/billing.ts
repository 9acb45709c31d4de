import { useRef } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Type, type Static } from '@sinclair/typebox';
import * as B from '@sanita/contracts/billing';
import * as C from '@sanita/contracts/claims';
import * as P from '@sanita/contracts/payments';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { buildQuery } from '../../../lib/api/client.ts';
import { endpoint, type BodyOf, type QueryOf } from '../../../lib/api/endpoint.ts';
import { ApiError } from '../../../lib/api/errors.ts';
import { fetchBlob, saveBlob } from '../../../lib/api/files.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useRealtimeEvent } from '../../../lib/realtime/RealtimeProvider.tsx';

export type {
  Invoice,
  InvoiceLine,
  InvoiceSummary,
  PriceItem,
  TaxRate,
  BillingSettings,
  Discount,
  CreditNote,
} from '@sanita/contracts/billing';
export type { Payment, CashierSession, ExchangeRate, PaymentPlan, RevenueReport, AgingReport } from '@sanita/contracts/payments';

// The lists' envelopes as the routes answer them: billing's `{ data, total }`, payments' `{ items }`.
const list = <T extends Parameters<typeof Type.Array>[0]>(item: T) => Type.Object({ data: Type.Array(item) });
const items = <T extends Parameters<typeof Type.Array>[0]>(item: T) => Type.Object({ items: Type.Array(item) });
export type SessionTotal = Static<typeof P.SessionTotal>;
export type PaymentMethod = P.PaymentMethod;
export const PAYMENT_METHODS = P.PAYMENT_METHODS;
export const ITEM_KINDS = B.ITEM_KINDS;
export const REVENUE_GROUPS = P.REVENUE_GROUPS;

const routes = {
  prices: endpoint('GET', '/api/billing/prices', { query: B.PriceListQuery, response: list(B.PriceItem) }),
  createPrice: endpoint('POST', '/api/billing/prices', { body: B.PriceItemInput, response: B.PriceItem }),
  updatePrice: endpoint('PATCH', '/api/billing/prices/:id', { body: B.PriceItemUpdate, response: B.PriceItem }),
  taxRates: endpoint('GET', '/api/billing/tax-rates', { response: list(B.TaxRate) }),
  createTaxRate: endpoint('POST', '/api/billing/tax-rates', { body: B.TaxRateInput, response: B.TaxRate }),
  settings: endpoint('GET', '/api/billing/settings', { response: B.BillingSettings }),
  saveSettings: endpoint('PATCH', '/api/billing/settings', { body: B.BillingSettingsInput, response: B.BillingSettings }),

  invoices: endpoint('GET', '/api/billing/invoices', { query: B.InvoiceListQuery, response: B.InvoiceList }),
  createInvoice: endpoint('POST', '/api/billing/invoices', { body: B.InvoiceCreate, response: B.Invoice }),
  invoice: endpoint('GET', '/api/billing/invoices/:id', { response: B.Invoice }),
  addLine: endpoint('POST', '/api/billing/invoices/:id/lines', { body: B.ManualLineInput, response: B.Invoice }),
  priceLine: endpoint('PATCH', '/api/billing/invoices/:id/lines/:lineId', { body: B.LinePriceInput, response: B.Invoice }),
  removeLine: endpoint('DELETE', '/api/billing/invoices/:id/lines/:lineId', {
    query: Type.Object({ version: Type.Integer() }),
    response: B.Invoice,
  }),
  issue: endpoint('POST', '/api/billing/invoices/:id/issue', { body: B.VersionBody, response: B.Invoice }),
  discount: endpoint('POST', '/api/billing/invoices/:id/discounts', { body: B.DiscountInput, response: B.Invoice }),
  decide: endpoint('POST', '/api/billing/invoices/:id/discounts/:discountId/decision', {
    body: B.DiscountDecision,
    response: B.Invoice,
  }),
  void: endpoint('POST', '/api/billing/invoices/:id/void', { body: B.VoidInput, response: B.Invoice }),
  creditNote: endpoint('POST', '/api/billing/invoices/:id/credit-notes', { body: B.CreditNoteInput, response: B.Invoice }),

  payments: endpoint('GET', '/api/payments', { query: P.PaymentListQuery, response: items(P.Payment) }),
  /** with an `Idempotency-Key` header (required) */
  pay: endpoint('POST', '/api/payments', { body: P.PaymentInput, response: P.Payment }),
  /** with an `Idempotency-Key` header (required) */
  refund: endpoint('POST', '/api/payments/:id/refunds', { body: P.RefundInput, response: P.Payment }),
  rates: endpoint('GET', '/api/payments/exchange-rates', { query: P.ExchangeRateQuery, response: items(P.ExchangeRate) }),
  createRate: endpoint('POST', '/api/payments/exchange-rates', { body: P.ExchangeRateInput, response: P.ExchangeRate }),
  currentSession: endpoint('GET', '/api/cashier/sessions/current', {
    response: Type.Object({ session: Type.Union([P.CashierSession, Type.Null()]) }),
  }),
  openSession: endpoint('POST', '/api/cashier/sessions', { body: P.SessionOpenInput, response: P.CashierSession }),
  createPlan: endpoint('POST', '/api/payment-plans', { body: P.PaymentPlanInput, response: P.PaymentPlan }),
  sessions: endpoint('GET', '/api/cashier/sessions', { query: P.SessionListQuery, response: items(P.CashierSession) }),
  closeSession: endpoint('POST', '/api/cashier/sessions/:id/close', { body: P.SessionCloseInput, response: P.CashierSession }),
  reopenSession: endpoint('POST', '/api/cashier/sessions/:id/reopen', { body: P.SessionReopenInput, response: P.CashierSession }),
  plans: endpoint('GET', '/api/payment-plans', {
    query: Type.Object({ invoiceId: Type.Optional(Type.String()), patientId: Type.Optional(Type.String()) }),
    response: items(P.PaymentPlan),
  }),
  coverages: endpoint('GET', '/api/patients/:patientId/coverages', { response: C.CoverageList }),
  revenue: endpoint('GET', '/api/billing-reports/revenue', { query: P.ReportQuery, response: P.RevenueReport }),
  aging: endpoint('GET', '/api/billing-reports/aging', { query: P.AgingQuery, response: P.AgingReport }),
};

export type PriceQuery = QueryOf<typeof routes.prices>;
export type RevenueQuery = QueryOf<typeof routes.revenue>;
export type AgingQuery = QueryOf<typeof routes.aging>;

export const billingKeys = {
  all: ['billing'] as const,
  desk: ['billing', 'desk'] as const,
  deskQuery: (clinicId: string, query: { view: DeskView; q: string; page: number; today: string }) =>
    ['billing', 'desk', clinicId, query] as const,
  invoice: (id: string) => ['billing', 'invoice', id] as const,
  patientInvoices: (patientId: string) => ['billing', 'patient', patientId] as const,
  payments: (invoiceId: string) => ['billing', 'payments', invoiceId] as const,
  coverages: (patientId: string) => ['billing', 'coverages', patientId] as const,
  plans: (invoiceId: string) => ['billing', 'plans', invoiceId] as const,
  prices: (clinicId: string, query: PriceQuery) => ['billing', 'prices', clinicId, query] as const,
  taxRates: (clinicId: string) => ['billing', 'tax-rates', clinicId] as const,
  settings: (clinicId: string) => ['billing', 'settings', clinicId] as const,
  rates: ['billing', 'rates'] as const,
  session: (clinicId: string) => ['billing', 'session', clinicId] as const,
  sessions: (clinicId: string) => ['billing', 'sessions', clinicId] as const,
  revenue: (clinicId: string, q: RevenueQuery) => ['billing', 'revenue', clinicId, q] as const,
  aging: (clinicId: string, q: AgingQuery) => ['billing', 'aging', clinicId, q] as const,
};

// ------------------------------------------------------------------ live updates

/**
 * The billing events of the clinic's `billing:` room make the screens that show them refetch (ids only,
 * so the refetch through the API, checked and audited, is the update): the desk, the invoice named, its
 * payments, the cashier's session.
 */
export function useBillingEvents() {
  const queryClient = useQueryClient();
  const stale = (key: readonly unknown[]) => void queryClient.invalidateQueries({ queryKey: key });
  useRealtimeEvent('invoice.changed', ({ invoiceId, patientId }) => {
    stale(billingKeys.desk);
    stale(billingKeys.invoice(invoiceId));
    stale(billingKeys.patientInvoices(patientId));
  });
  useRealtimeEvent('payment.recorded', ({ invoiceId, patientId }) => {
    stale(billingKeys.desk);
    stale(billingKeys.patientInvoices(patientId));
    if (invoiceId) {
      stale(billingKeys.invoice(invoiceId));
      stale(billingKeys.payments(invoiceId));
      stale(billingKeys.plans(invoiceId));
    }
    stale(['billing', 'session']);
  });
  useRealtimeEvent('cashier.session.changed', () => {
    stale(['billing', 'session']);
    stale(['billing', 'sessions']);
  });
}

function useClinicId(): string {
  return useAuth().activeClinic?.id ?? 'none';
}

// ------------------------------------------------------------------ the desk and invoices

/** The desk's views: today's invoices, those with something left to collect, every one. */
export const DESK_VIEWS = ['today', 'outstanding', 'all'] as const;
export type DeskView = (typeof DESK_VIEWS)[number];
export const DESK_PAGE_SIZE = 25;

/**
 * The cashier's desk, one page of a view, newest first, live; `q` (MRN, name or number) narrows it.
 * - today: the invoices opened or issued on `today` (the clinic's day): drafts being captured, issued, paid;
 * - outstanding: any day's invoices with something left to pay (drafts being captured included);
 * - all: every invoice.
 */
export function useDeskInvoices(view: DeskView, q: string, page: number, today: string) {
  const api = useApi();
  const clinicId = useClinicId();
  useBillingEvents();
  const text = q.trim();
  const filter = view === 'today' ? { from: today, to: today } : view === 'outstanding' ? { open: true } : {};
  return useQuery({
    queryKey: billingKeys.deskQuery(clinicId, { view, q: text, page, today }),
    queryFn: ({ signal }) =>
      api.call(routes.invoices, {
        query: { q: text, ...filter, limit: DESK_PAGE_SIZE, offset: (page - 1) * DESK_PAGE_SIZE },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/** A patient's invoices at the active clinic (the patient page's balance). */
export function usePatientInvoices(patientId: string, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: billingKeys.patientInvoices(patientId),
    queryFn: ({ signal }) => api.call(routes.invoices, { query: { q: '', patientId, open: true, limit: 200 }, signal }),
    select: (res) => res.data,
    enabled,
  });
}

export function useInvoice(id: string) {
  const api = useApi();
  useBillingEvents();
  return useQuery({
    queryKey: billingKeys.invoice(id),
    queryFn: ({ signal }) => api.call(routes.invoice, { params: { id }, signal }),
  });
}

/** Every step on an invoice answers the invoice; it replaces the cached one and the desk refetches. */
export function useInvoiceActions(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const done = (invoice: B.Invoice) => {
    queryClient.setQueryData(billingKeys.invoice(id), invoice);
    void queryClient.invalidateQueries({ queryKey: billingKeys.desk });
  };
  const params = { id };
  return {
    addLine: useMutation({
      mutationFn: (body: BodyOf<typeof routes.addLine>) => api.call(routes.addLine, { params, body }),
      onSuccess: done,
    }),
    priceLine: useMutation({
      mutationFn: ({ lineId, ...body }: BodyOf<typeof routes.priceLine> & { lineId: string }) =>
        api.call(routes.priceLine, { params: { id, lineId }, body }),
      onSuccess: done,
    }),
    removeLine: useMutation({
      mutationFn: ({ lineId, version }: { lineId: string; version: number }) =>
        api.call(routes.removeLine, { params: { id, lineId }, query: { version } }),
      onSuccess: done,
    }),
    issue: useMutation({
      mutationFn: (version: number) => api.call(routes.issue, { params, body: { version } }),
      onSuccess: done,
    }),
    discount: useMutation({
      mutationFn: (body: BodyOf<typeof routes.discount>) => api.call(routes.discount, { params, body }),
      onSuccess: done,
    }),
    decide: useMutation({
      mutationFn: ({ discountId, ...body }: BodyOf<typeof routes.decide> & { discountId: string }) =>
        api.call(routes.decide, { params: { id, discountId }, body }),
      onSuccess: done,
    }),
    void: useMutation({
      mutationFn: (body: BodyOf<typeof routes.void>) => api.call(routes.void, { params, body }),
      onSuccess: done,
    }),
    creditNote: useMutation({
      mutationFn: (body: BodyOf<typeof routes.creditNote>) => api.call(routes.creditNote, { params, body }),
      onSuccess: done,
    }),
  };
}

/** Opens (or finds) the patient's draft invoice at the active clinic. */
export function useCreateInvoice() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof routes.createInvoice>) => api.call(routes.createInvoice, { body }),
    onSuccess: (invoice) => {
      queryClient.setQueryData(billingKeys.invoice(invoice.id), invoice);
      void queryClient.invalidateQueries({ queryKey: billingKeys.desk });
    },
  });
}

/** The patient's insurance coverages (the claims API's), to offer a claim from an issued invoice. */
export function usePatientCoverages(patientId: string, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: billingKeys.coverages(patientId),
    queryFn: ({ signal }) => api.call(routes.coverages, { params: { patientId }, signal }),
    select: (res) => res.data,
    enabled,
    staleTime: 60_000,
  });
}

// ------------------------------------------------------------------ payments

export function useInvoicePayments(invoiceId: string, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: billingKeys.payments(invoiceId),
    queryFn: ({ signal }) => api.call(routes.payments, { query: { invoiceId, limit: 200 }, signal }),
    select: (res) => res.items,
    enabled,
  });
}

/**
 * A POST that moves money carries an `Idempotency-Key`; when the network failed it is sent once more with
 * the same key (the server then answers what it recorded the first time, if it had). The client refreshes
 * an expired access token itself.
 */
async function retryOnNetwork<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    if (err instanceof ApiError && err.code === 'NETWORK') return send();
    throw err;
  }
}

const newKey = () => `pay-${crypto.randomUUID()}`;

/**
 * One key per intent: a submit of the same form again (after a failure) reuses the key, so a payment
 * the server did record is not recorded twice; a changed form, or the next payment, gets a fresh one.
 */
function useIntentKey() {
  const last = useRef<{ body: string; key: string } | null>(null);
  return {
    keyFor(body: unknown): string {
      const text = JSON.stringify(body);
      if (last.current?.body !== text) last.current = { body: text, key: newKey() };
      return last.current.key;
    },
    done() {
      last.current = null;
    },
  };
}

export function useTakePayment() {
  const api = useApi();
  const queryClient = useQueryClient();
  const intent = useIntentKey();
  return useMutation({
    mutationFn: (body: BodyOf<typeof routes.pay>) => {
      const headers = { 'Idempotency-Key': intent.keyFor(body) };
      return retryOnNetwork(() => api.call(routes.pay, { body, headers }));
    },
    onSuccess: (payment) => {
      intent.done();
      void queryClient.invalidateQueries({ queryKey: billingKeys.desk });
      void queryClient.invalidateQueries({ queryKey: ['billing', 'session'] });
      if (payment.invoiceId) {
        void queryClient.invalidateQueries({ queryKey: billingKeys.invoice(payment.invoiceId) });
        void queryClient.invalidateQueries({ queryKey: billingKeys.payments(payment.invoiceId) });
      }
    },
  });
}

export function useRefund(invoiceId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const intent = useIntentKey();
  return useMutation({
    mutationFn: ({ paymentId, ...body }: BodyOf<typeof routes.refund> & { paymentId: string }) => {
      const headers = { 'Idempotency-Key': intent.keyFor({ paymentId, ...body }) };
      return retryOnNetwork(() => api.call(routes.refund, { params: { id: paymentId }, body, headers }));
    },
    onSuccess: () => {
      intent.done();
      void queryClient.invalidateQueries({ queryKey: billingKeys.invoice(invoiceId) });
      void queryClient.invalidateQueries({ queryKey: billingKeys.payments(invoiceId) });
      void queryClient.invalidateQueries({ queryKey: ['billing', 'session'] });
    },
  });
}

export function useExchangeRates(query: QueryOf<typeof routes.rates> = {}, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: [...billingKeys.rates, query],
    queryFn: ({ signal }) => api.call(routes.rates, { query: { limit: 200, ...query }, signal }),
    select: (res) => res.items,
    enabled,
    staleTime: 60_000,
  });
}

export function useCreateRate() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof routes.createRate>) => api.call(routes.createRate, { body }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: billingKeys.rates }),
  });
}

// ------------------------------------------------------------------ cashier session

/** The cashier's open session at the active clinic (null: none open); live. */
export function useCurrentSession(enabled = true) {
  const api = useApi();
  const clinicId = useClinicId();
  return useQuery({
    queryKey: billingKeys.session(clinicId),
    queryFn: ({ signal }) => api.call(routes.currentSession, { signal }),
    select: (res) => res.session,
    enabled,
  });
}

export function useSessionActions() {
  const api = useApi();
  const queryClient = useQueryClient();
  const clinicId = useClinicId();
  const done = (session: Static<typeof P.CashierSession>) => {
    queryClient.setQueryData(billingKeys.session(clinicId), { session: session.status === 'open' ? session : null });
    void queryClient.invalidateQueries({ queryKey: billingKeys.sessions(clinicId) });
  };
  return {
    open: useMutation({
      mutationFn: (body: BodyOf<typeof routes.openSession>) => api.call(routes.openSession, { body }),
      onSuccess: done,
    }),
    close: useMutation({
      mutationFn: ({ id, ...body }: BodyOf<typeof routes.closeSession> & { id: string }) =>
        api.call(routes.closeSession, { params: { id }, body }),
      onSuccess: done,
    }),
    reopen: useMutation({
      mutationFn: ({ id, ...body }: BodyOf<typeof routes.reopenSession> & { id: string }) =>
        api.call(routes.reopenSession, { params: { id }, body }),
      onSuccess: done,
    }),
  };
}

export function useSessions(enabled = true) {
  const api = useApi();
  const clinicId = useClinicId();
  return useQuery({
    queryKey: billingKeys.sessions(clinicId),
    queryFn: ({ signal }) => api.call(routes.sessions, { query: { limit: 20 }, signal }),
    select: (res) => res.items,
    enabled,
  });
}

// ------------------------------------------------------------------ payment plans

export function useInvoicePlans(invoiceId: string, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: billingKeys.plans(invoiceId),
    queryFn: ({ signal }) => api.call(routes.plans, { query: { invoiceId }, signal }),
    select: (res) => res.items,
    enabled,
  });
}

export function useCreatePlan(invoiceId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof routes.createPlan>) => api.call(routes.createPlan, { body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: billingKeys.plans(invoiceId) }),
  });
}

// ------------------------------------------------------------------ price list, taxes, settings

export function usePriceList(query: PriceQuery, enabled = true) {
  const api = useApi();
  const clinicId = useClinicId();
  return useQuery({
    queryKey: billingKeys.prices(clinicId, query),
    queryFn: ({ signal }) => api.call(routes.prices, { query, signal }),
    select: (res) => res.data,
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function usePriceActions() {
  const api = useApi();
  const queryClient = useQueryClient();
  const settled = () => void queryClient.invalidateQueries({ queryKey: ['billing', 'prices'] });
  return {
    create: useMutation({
      mutationFn: (body: BodyOf<typeof routes.createPrice>) => api.call(routes.createPrice, { body }),
      onSettled: settled,
    }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: string; body: BodyOf<typeof routes.updatePrice> }) =>
        api.call(routes.updatePrice, { params: { id }, body }),
      onSettled: settled,
    }),
  };
}

export function useTaxRates(enabled = true) {
  const api = useApi();
  const clinicId = useClinicId();
  return useQuery({
    queryKey: billingKeys.taxRates(clinicId),
    queryFn: ({ signal }) => api.call(routes.taxRates, { signal }),
    select: (res) => res.data,
    enabled,
  });
}

export function useCreateTaxRate() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof routes.createTaxRate>) => api.call(routes.createTaxRate, { body }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['billing', 'tax-rates'] }),
  });
}

export function useBillingSettings(enabled = true) {
  const api = useApi();
  const clinicId = useClinicId();
  return useQuery({
    queryKey: billingKeys.settings(clinicId),
    queryFn: ({ signal }) => api.call(routes.settings, { signal }),
    enabled,
  });
}

export function useSaveBillingSettings() {
  const api = useApi();
  const queryClient = useQueryClient();
  const clinicId = useClinicId();
  return useMutation({
    mutationFn: (body: BodyOf<typeof routes.saveSettings>) => api.call(routes.saveSettings, { body }),
    onSuccess: (s) => queryClient.setQueryData(billingKeys.settings(clinicId), s),
  });
}

// ------------------------------------------------------------------ reports

export function useRevenueReport(query: RevenueQuery) {
  const api = useApi();
  const clinicId = useClinicId();
  return useQuery({
    queryKey: billingKeys.revenue(clinicId, query),
    queryFn: ({ signal }) => api.call(routes.revenue, { query: { ...query, format: 'json' }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useAgingReport(query: AgingQuery) {
  const api = useApi();
  const clinicId = useClinicId();
  return useQuery({
    queryKey: billingKeys.aging(clinicId, query),
    queryFn: ({ signal }) => api.call(routes.aging, { query: { ...query, format: 'json' }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** Downloads a report as CSV or PDF (the same query, another format). */
export function useReportDownload() {
  const api = useApi();
  return async (report: 'revenue' | 'aging', query: Record<string, string | boolean | undefined>, format: 'csv' | 'pdf') => {
    const url = `/api/billing-reports/${report}${buildQuery({ ...query, format })}`;
    const blob = await fetchBlob(api, url, format === 'csv' ? 'text/csv' : 'application/pdf');
    saveBlob(blob, `${report}-${String(query.from ?? query.on ?? 'today')}.${format}`);
  };
}

// ------------------------------------------------------------------ PDFs

/** Opens a PDF of the API in a new tab: the tab opens at the click (no pop-up blocker), the PDF follows. */
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

export const invoicePdfUrl = (id: string) => `/api/billing/invoices/${encodeURIComponent(id)}/pdf`;
export const receiptPdfUrl = (paymentId: string) => `/api/payments/${encodeURIComponent(paymentId)}/receipt`;
