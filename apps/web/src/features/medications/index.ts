import { IconPill, IconPrescription } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import { CurrentMedicationsCard } from './components/CurrentMedicationsCard.tsx';
import { PrescribePanel } from './components/PrescribePanel.tsx';
import { ReconcilePanel } from './components/ReconcilePanel.tsx';
import { RefillRequestsPanel } from './components/RefillRequestsPanel.tsx';
import * as strings from './i18n.ts';
import { FormularyPage } from './routes/FormularyPage.tsx';
import { PrescriptionsSection } from './routes/PrescriptionsSection.tsx';

// Medications: the consultation's prescription panel (formulary search, structured dose and frequency,
// quantity and instructions computed, safety checks as typed with overrides, sign, PDF), the chart's
// current medications card (reconciliation: reported medications added and stopped) and prescriptions tab,
// and the admin page of the formulary (search, edits with history, local items, the clinic's brands and prices).
export const medications = defineFeature({
  name: 'medications',
  routes: [
    {
      path: 'admin/formulary',
      component: FormularyPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['formulary:manage'],
      titleKey: 'medications:formulary.title',
    },
  ],
  navigation: [
    {
      section: 'admin',
      order: 45,
      to: '/admin/formulary',
      labelKey: 'medications:nav.formulary',
      icon: IconPill,
      permission: 'formulary:manage',
    },
  ],
  strings,
  chart: {
    sections: [
      {
        key: 'prescriptions',
        order: 48,
        labelKey: 'medications:list.title',
        icon: IconPrescription,
        permission: 'prescriptions:read',
        component: PrescriptionsSection,
      },
    ],
    summary: [{ key: 'current-medications', order: 36, permission: 'prescriptions:read', component: CurrentMedicationsCard }],
  },
  // the prescriber's home: the portal's refill requests waiting at this clinic
  home: [{ key: 'refill-requests', order: 20, permission: 'prescriptions:write', component: RefillRequestsPanel }],
  consultation: {
    panels: [
      // what the patient takes now, reviewed before prescribing
      { id: 'medication-reconciliation', order: 9, permission: 'prescriptions:read', component: ReconcilePanel },
      { id: 'prescription', order: 10, permission: 'prescriptions:read', component: PrescribePanel },
    ],
  },
});
