import { IconFlask, IconMicroscope, IconTestPipe } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import { CriticalAlertsBell, CriticalAlertsHomePanel } from './components/CriticalAlerts.tsx';
import { LabHomePanel } from './components/LabHomePanel.tsx';
import { OrderPanel } from './components/OrderPanel.tsx';
import { PatientCriticalBanner } from './components/PatientCriticalBanner.tsx';
import * as strings from './i18n.ts';
import { LabTestsPage } from './routes/LabTestsPage.tsx';
import { PortalResultsPage } from './routes/PortalResultsPage.tsx';
import { ResultsSection } from './routes/ResultsSection.tsx';
import { WorklistPage } from './routes/WorklistPage.tsx';

// Laboratory: ordering tests from the consultation, the lab's live worklist (collect with barcode labels,
// receive, result entry flagged as typed, verification by a second technician, release), critical-value
// alerts for the ordering doctor (header, home, a notification wherever they are), the chart's results tab
// (table, trends, orders, report, portal hold), the portal's results and the catalogue's administration.
export const lab = defineFeature({
  name: 'lab',
  routes: [
    {
      path: 'lab',
      component: WorklistPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['lab:process', 'lab:verify'],
      titleKey: 'lab:worklist.title',
    },
    {
      path: 'admin/lab-tests',
      component: LabTestsPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['lab:manage'],
      titleKey: 'lab:admin.title',
    },
    {
      path: 'portal/results',
      component: PortalResultsPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['portal:self'],
      titleKey: 'lab:portal.title',
    },
  ],
  navigation: [
    { section: 'clinic', order: 92, to: '/lab', labelKey: 'lab:nav.worklist', icon: IconMicroscope, permission: 'lab:process' },
    {
      section: 'admin',
      order: 46,
      to: '/admin/lab-tests',
      labelKey: 'lab:nav.catalogue',
      icon: IconTestPipe,
      permission: 'lab:manage',
    },
    {
      section: 'myHealth',
      order: 17,
      to: '/portal/results',
      labelKey: 'lab:nav.portal',
      icon: IconFlask,
      permission: 'portal:self',
    },
  ],
  strings,
  chart: {
    // this patient's critical values waiting for the prescriber, in red in the banner
    banner: [{ key: 'lab-critical', order: 12, permission: 'lab:order', component: PatientCriticalBanner }],
    sections: [
      {
        key: 'results',
        order: 40,
        labelKey: 'lab:chart.title',
        icon: IconFlask,
        permission: 'lab:read',
        component: ResultsSection,
      },
    ],
  },
  home: [
    // the prescriber's critical values first: they wait for an acknowledgement
    { key: 'lab-critical', order: 5, permission: 'lab:order', component: CriticalAlertsHomePanel },
    { key: 'lab', order: 42, permission: 'lab:process', component: LabHomePanel },
  ],
  header: [{ key: 'lab-critical', order: 12, permission: 'lab:order', component: CriticalAlertsBell }],
  consultation: {
    panels: [{ id: 'lab-order', order: 12, permission: 'lab:read', component: OrderPanel }],
  },
});
