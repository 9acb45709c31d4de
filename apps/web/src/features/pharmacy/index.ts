import { IconPill } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';
import { PharmacyHomePanel } from './components/PharmacyHomePanel.tsx';
import { WorklistPage } from './routes/WorklistPage.tsx';

// Pharmacy: the clinic's live worklist of signed prescriptions to dispense, the dispense dialog (quantity
// per item, lots first-expiry-first-out, generic substitution, counselling note) and the label; the
// pharmacist's home panel.
export const pharmacy = defineFeature({
  name: 'pharmacy',
  routes: [
    {
      path: 'pharmacy',
      component: WorklistPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['pharmacy:dispense'],
      titleKey: 'pharmacy:worklist.title',
    },
  ],
  navigation: [
    {
      section: 'clinic',
      order: 90,
      to: '/pharmacy',
      labelKey: 'pharmacy:worklist.title',
      icon: IconPill,
      permission: 'pharmacy:dispense',
    },
  ],
  home: [{ key: 'pharmacy', order: 40, permission: 'pharmacy:dispense', component: PharmacyHomePanel }],
  strings,
});
