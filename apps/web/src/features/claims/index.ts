import { IconBuildingBank, IconReceipt2, IconShieldCheck } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import { CoveragePanel } from './components/CoveragePanel.tsx';
import * as strings from './i18n.ts';
import { ClaimPage } from './routes/ClaimPage.tsx';
import { ClaimsPage } from './routes/ClaimsPage.tsx';
import { LedgerPage } from './routes/LedgerPage.tsx';
import { NewClaimPage } from './routes/NewClaimPage.tsx';
import { PayersPage } from './routes/PayersPage.tsx';

export { CheckInEligibility, CoveragePanel, EligibilityBadge } from './components/CoveragePanel.tsx';

// Insurance and claims: the claims queue (an insurer's payer's claims, or the clinic's), a claim with its
// anomaly reasons, decision and ledger events; payers and plans; the claim ledger's verification; the
// patient's coverages and eligibility on the chart's summary.
export const claims = defineFeature({
  name: 'claims',
  routes: [
    {
      path: 'claims',
      component: ClaimsPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['claims:read', 'claims:review'],
      titleKey: 'claims:queue.title',
    },
    {
      // from an invoice (`?invoice=<id>`, the invoice page's link) or an invoice picker
      path: 'claims/new',
      component: NewClaimPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['claims:write'],
      titleKey: 'claims:newClaim.title',
    },
    {
      path: 'claims/:id',
      component: ClaimPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['claims:read', 'claims:review'],
      titleKey: 'claims:queue.title',
    },
    {
      path: 'admin/payers',
      component: PayersPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['claims:manage'],
      titleKey: 'claims:payers.title',
    },
    {
      path: 'admin/claims-ledger',
      component: LedgerPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['claims:manage'],
      titleKey: 'claims:ledger.title',
    },
  ],
  navigation: [
    { section: 'clinic', order: 72, to: '/claims', labelKey: 'claims:nav.queue', icon: IconReceipt2, permission: 'claims:read' },
    {
      section: 'admin',
      order: 62,
      to: '/admin/payers',
      labelKey: 'claims:nav.payers',
      icon: IconBuildingBank,
      permission: 'claims:manage',
    },
    {
      section: 'admin',
      order: 63,
      to: '/admin/claims-ledger',
      labelKey: 'claims:nav.ledger',
      icon: IconShieldCheck,
      permission: 'claims:manage',
    },
  ],
  chart: {
    summary: [{ key: 'coverage', order: 15, permission: 'coverage:read', component: CoveragePanel }],
  },
  strings,
});
