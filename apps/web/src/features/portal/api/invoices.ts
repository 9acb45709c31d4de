import { useQuery } from '@tanstack/react-query';
import { Type } from '@sinclair/typebox';
import * as B from '@sanita/contracts/billing';
import * as P from '@sanita/contracts/payments';
import { Uuid } from '@sanita/contracts/common';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint } from '../../../lib/api/endpoint.ts';
import { fetchBlob } from '../../../lib/api/files.ts';

export type { Invoice, InvoiceStatus } from '@sanita/contracts/billing';
export type { Payment } from '@sanita/contracts/payments';

/** One of my issued invoices (any clinic), as /api/portal/invoices lists it. */
const PortalInvoice = Type.Object({
  id: Uuid,
  number: Type.String(),
  clinic: Type.String(),
  status: B.Enum(B.INVOICE_STATUSES),
  currency: B.Currency,
  total: B.Money,
  paid: B.Money,
  credited: B.Money,
  balance: B.Money,
  issuedAt: B.Nullable(Type.String()),
  dueDate: B.Nullable(Type.String()),
});

const routes = {
  list: endpoint('GET', '/api/portal/invoices', { response: Type.Object({ data: Type.Array(PortalInvoice) }) }),
  detail: endpoint('GET', '/api/portal/invoices/:id', {
    response: Type.Object({ invoice: B.Invoice, payments: Type.Array(P.Payment) }),
  }),
};

export const portalInvoiceKeys = {
  list: ['portal', 'invoices'] as const,
  detail: (id: string) => ['portal', 'invoices', id] as const,
};

/** My invoices, newest first, with what is paid and left to pay (each read audited by the server). */
export function useMyInvoices() {
  const api = useApi();
  return useQuery({
    queryKey: portalInvoiceKeys.list,
    queryFn: ({ signal }) => api.call(routes.list, { signal }),
    select: (res) => res.data,
  });
}

/** One of my invoices with its lines and the payments made on it. */
export function useMyInvoice(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: portalInvoiceKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.call(routes.detail, { params: { id: id! }, signal }),
    enabled: !!id,
  });
}

/** Opens my receipt (PDF) in a new tab: the tab opens at the click, the PDF follows. */
export function useOpenReceipt() {
  const api = useApi();
  return async (paymentId: string) => {
    const tab = window.open('', '_blank');
    try {
      const blob = await fetchBlob(api, `/api/portal/payments/${encodeURIComponent(paymentId)}/receipt`, 'application/pdf');
      if (tab) tab.location.href = URL.createObjectURL(blob);
    } catch (err) {
      tab?.close();
      throw err;
    }
  };
}
