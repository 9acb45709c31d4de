import { IconStethoscope, IconUserHeart } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import { EncounterTimelineEntry } from './components/EncounterTimelineEntry.tsx';
import { RecentEncountersCard } from './components/RecentEncountersCard.tsx';
import { TodayPanel } from './components/TodayPanel.tsx';
import * as strings from './i18n.ts';
import { EncountersSection } from './routes/EncountersSection.tsx';
import { TodayPage } from './routes/TodayPage.tsx';

// Consultations: the practitioner's day (/today and its home panel), starting a consultation from the
// queue, the calendar or the day, and the patient's encounters in the chart. The consultation page
// itself (/encounters/:id, with the note) belongs to the notes feature: this one only goes there.
export const encounters = defineFeature({
  name: 'encounters',
  routes: [
    {
      path: 'today',
      component: TodayPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['encounters:write'],
      titleKey: 'encounters:today.title',
    },
  ],
  navigation: [
    {
      section: 'clinic',
      order: 15,
      to: '/today',
      labelKey: 'encounters:nav.today',
      icon: IconUserHeart,
      permission: 'encounters:write',
    },
  ],
  strings,
  home: [{ key: 'today', order: 10, permission: 'encounters:write', component: TodayPanel }],
  chart: {
    sections: [
      {
        key: 'encounters',
        order: 10,
        labelKey: 'encounters:list.title',
        icon: IconStethoscope,
        permission: 'encounters:read',
        component: EncountersSection,
      },
    ],
    summary: [{ key: 'recent-encounters', order: 20, permission: 'encounters:read', component: RecentEncountersCard }],
    timeline: [
      {
        kind: 'encounter',
        order: 10,
        labelKey: 'encounters:timeline.label',
        icon: IconStethoscope,
        permission: 'encounters:read',
        component: EncounterTimelineEntry,
        // the consultation page (with its note) for those who read notes, the encounters tab otherwise
        to: (item, patientId, can) => (can('notes:read') ? `/encounters/${item.id}` : `/patients/${patientId}/chart/encounters`),
      },
    ],
  },
});

// What other features may use: the consultation page (notes) shows the header and the finish button;
// the queue and the calendar start a consultation.
export { useEncounter, usePatientEncounters, useStartEncounter, useFinishEncounter, useToday } from './api/encounters.ts';
export type {
  Encounter,
  EncounterStatus,
  EncounterType,
  EncounterStart,
  TodayItem,
  TodayState,
  TodayView,
} from './api/encounters.ts';
export { EncounterHeader } from './components/EncounterHeader.tsx';
export { EncounterStatusBadge } from './components/EncounterStatusBadge.tsx';
export { FinishEncounterButton } from './components/FinishEncounterButton.tsx';
export { StartConsultationButton } from './components/StartConsultationButton.tsx';
