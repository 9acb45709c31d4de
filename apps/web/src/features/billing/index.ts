import { IconCashRegister, IconChartBar, IconTags } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import { BalanceCard } from './components/BalanceCard.tsx';
import * as strings from './i18n.ts';
import { DeskPage } from './routes/DeskPage.tsx';
import { InvoicePage } from './routes/InvoicePage.tsx';
import { PricesPage } from './routes/PricesPage.tsx';
import { ReportsPage } from './routes/ReportsPage.tsx';

// Billing: the cashier's desk (the invoices to collect today, live, and the cashier's session), an
// invoice (lines captured from consultations, lab orders and dispenses, manual lines, pricing,
// discounts with approval, issue, payments in any of the clinic's currencies, receipts, refunds, void,
// credit notes, payment plans), the price list, taxes, settings and exchange rates, and the reports
// (revenue, aging). The patient's invoices in the portal are the portal feature's.
// the patient page's billing button (features/patients mounts it)
export { PatientBillingButton } from './components/PatientBillingButton.tsx';

export const billing = defineFeature({
  name: 'billing',
  routes: [
    {
      path: 'billing',
      component: DeskPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['billing:read'],
      titleKey: 'billing:desk.title',
    },
    {
      path: 'billing/invoices/:id',
      component: InvoicePage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['billing:read'],
      titleKey: 'billing:invoice.pageTitle',
    },
    {
      path: 'billing/prices',
      component: PricesPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['billing:manage', 'payments:manage'],
      titleKey: 'billing:prices.title',
    },
    {
      path: 'billing/reports',
      component: ReportsPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['billing:report'],
      titleKey: 'billing:reports.title',
    },
  ],
  navigation: [
    {
      section: 'clinic',
      order: 96,
      to: '/billing',
      labelKey: 'billing:nav.desk',
      icon: IconCashRegister,
      permission: 'billing:read',
    },
    {
      section: 'clinic',
      order: 97,
      to: '/billing/reports',
      labelKey: 'billing:nav.reports',
      icon: IconChartBar,
      permission: 'billing:report',
    },
    {
      section: 'admin',
      order: 48,
      to: '/billing/prices',
      labelKey: 'billing:nav.prices',
      icon: IconTags,
      permission: 'billing:manage',
    },
  ],
  strings,
  chart: {
    summary: [{ key: 'billing', order: 80, permission: 'billing:read', component: BalanceCard }],
  },
});
