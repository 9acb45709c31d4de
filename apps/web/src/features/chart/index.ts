import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';
import { ChartPage } from './routes/ChartPage.tsx';

// The clinical chart of a patient. It opens from the patient's page (a link to /patients/:id/chart),
// so it has no navigation entry of its own.
export const chart = defineFeature({
  name: 'chart',
  routes: [
    {
      path: 'patients/:id/chart',
      component: ChartPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['chart:read'],
      titleKey: 'chart:chart.title',
    },
  ],
  navigation: [],
  strings,
});
