import { IconBellCog, IconHeartbeat, IconLayoutDashboard, IconTimeline } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import { AlertsBell } from './components/AlertsBell.tsx';
import { AlertsHomePanel } from './components/AlertsHomePanel.tsx';
import { LatestVitalsCard } from './components/LatestVitalsCard.tsx';
import { AlertsSummaryCard, PatientAlertsBanner } from './components/PatientAlerts.tsx';
import * as strings from './i18n.ts';
import { AlertSettingsPage } from './routes/AlertSettingsPage.tsx';
import { ChartPage } from './routes/ChartPage.tsx';
import { SummarySection } from './routes/SummarySection.tsx';
import { TimelineSection } from './routes/TimelineSection.tsx';
import { VitalsTimelineEntry } from './components/VitalsTimelineEntry.tsx';
import { VitalsSection } from './routes/VitalsSection.tsx';

// The clinical chart of a patient. It opens from the patient's page (a link to /patients/:id/chart),
// so it has no navigation entry of its own. The page assembles every feature's chart parts (app/parts.ts);
// this feature brings the summary tab, the vitals tab (with trends), the latest vitals card and NEWS2 alerts
// (banner, summary card, header bell, home panel), and the clinic's NEWS2 escalation setting (administration).
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
    // the clinic's NEWS2 escalation interval, in the administration section
    {
      path: 'admin/clinical-alerts',
      component: AlertSettingsPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['settings:write'],
      titleKey: 'chart:alertSettings.title',
    },
  ],
  navigation: [
    {
      section: 'admin',
      order: 45,
      to: '/admin/clinical-alerts',
      labelKey: 'chart:alertSettings.navLabel',
      icon: IconBellCog,
      permission: 'settings:write',
    },
  ],
  strings,
  chart: {
    sections: [
      { key: 'summary', order: 0, labelKey: 'chart:summary.title', icon: IconLayoutDashboard, component: SummarySection },
      { key: 'timeline', order: 5, labelKey: 'chart:timeline.title', icon: IconTimeline, component: TimelineSection },
      { key: 'vitals', order: 30, labelKey: 'chart:vitals.title', icon: IconHeartbeat, component: VitalsSection },
    ],
    summary: [
      { key: 'alerts', order: 5, component: AlertsSummaryCard },
      { key: 'vitals', order: 10, component: LatestVitalsCard },
    ],
    // this patient's open NEWS2 alerts, in red, first in the banner
    banner: [{ key: 'alerts', order: 10, component: PatientAlertsBanner }],
    timeline: [
      {
        kind: 'vitals',
        order: 30,
        labelKey: 'chart:timeline.vitals',
        icon: IconHeartbeat,
        component: VitalsTimelineEntry,
        to: (_item, patientId) => `/patients/${patientId}/chart/vitals`,
      },
    ],
  },
  // the clinic's open NEWS2 alerts: the bell in the header, and the nurse's and the doctor's home
  header: [{ key: 'news2-alerts', order: 10, permission: 'chart:read', component: AlertsBell }],
  home: [{ key: 'news2-alerts', order: 15, permission: 'chart:read', component: AlertsHomePanel }],
});

// What other features may use: the consultation page shows the latest vitals and records a set.
export { LatestVitalsCard } from './components/LatestVitalsCard.tsx';
export { VitalsForm } from './components/VitalsForm.tsx';
export { News2Badge } from './components/News2Badge.tsx';
export { useVitals } from './api/vitals.ts';
// the portal's "My measurements" charts the patient's own sets
export { VitalsTrends } from './components/VitalsTrends.tsx';
