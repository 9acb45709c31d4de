import { IconHeartbeat, IconLayoutDashboard } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import { LatestVitalsCard } from './components/LatestVitalsCard.tsx';
import * as strings from './i18n.ts';
import { ChartPage } from './routes/ChartPage.tsx';
import { SummarySection } from './routes/SummarySection.tsx';
import { VitalsSection } from './routes/VitalsSection.tsx';

// The clinical chart of a patient. It opens from the patient's page (a link to /patients/:id/chart),
// so it has no navigation entry of its own. The page assembles every feature's chart parts (app/parts.ts);
// this feature brings the summary tab, the vitals tab and the latest vitals card.
export const chart = defineFeature({
  name: 'chart',
  routes: [
    {
      path: 'patients/:id/chart/:section?',
      component: ChartPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['chart:read'],
      titleKey: 'chart:chart.title',
    },
  ],
  navigation: [],
  strings,
  chart: {
    sections: [
      { key: 'summary', order: 0, labelKey: 'chart:summary.title', icon: IconLayoutDashboard, component: SummarySection },
      { key: 'vitals', order: 30, labelKey: 'chart:vitals.title', icon: IconHeartbeat, component: VitalsSection },
    ],
    summary: [{ key: 'vitals', order: 10, component: LatestVitalsCard }],
  },
});

// What other features may use: the consultation page shows the latest vitals and records a set.
export { LatestVitalsCard } from './components/LatestVitalsCard.tsx';
export { VitalsForm } from './components/VitalsForm.tsx';
export { News2Badge } from './components/News2Badge.tsx';
export { useVitals } from './api/vitals.ts';
