import { IconVaccine } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import { ImmunizationTimelineEntry } from './components/ImmunizationTimelineEntry.tsx';
import { ImmunizationsCard } from './components/ImmunizationsCard.tsx';
import * as strings from './i18n.ts';
import { ImmunizationsSection } from './routes/ImmunizationsSection.tsx';

// Immunizations: a tab of the patient's chart (record with the CVX picker, the list with each entry's
// history, corrections and entries made in error) and a card of the chart's summary (the latest five).
export const immunizations = defineFeature({
  name: 'immunizations',
  routes: [],
  navigation: [],
  strings,
  chart: {
    sections: [
      {
        key: 'immunizations',
        order: 50,
        labelKey: 'immunizations:title',
        icon: IconVaccine,
        component: ImmunizationsSection,
        permission: 'immunizations:read',
      },
    ],
    summary: [{ key: 'immunizations', order: 60, component: ImmunizationsCard, permission: 'immunizations:read' }],
    timeline: [
      {
        kind: 'immunization',
        order: 50,
        labelKey: 'immunizations:timeline',
        icon: IconVaccine,
        permission: 'immunizations:read',
        dateOnly: true,
        component: ImmunizationTimelineEntry,
        to: (_item, patientId) => `/patients/${patientId}/chart/immunizations`,
      },
    ],
  },
});
