import { IconAlertTriangle, IconHistory } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import { AllergyBanner } from './components/AllergyBanner.tsx';
import { ActiveProblemsCard, AllergiesCard } from './components/SummaryCards.tsx';
import * as strings from './i18n.ts';
import { HistorySection } from './routes/HistorySection.tsx';
import { ProblemsSection } from './routes/ProblemsSection.tsx';

// Problems, allergies and intolerances, and history: parts of the patient's chart (no page of its own).
// The allergies stay in view in the chart's banner; the summary shows the active problems and allergies.
export const history = defineFeature({
  name: 'history',
  routes: [],
  navigation: [],
  strings,
  chart: {
    sections: [
      {
        key: 'problems',
        order: 40,
        labelKey: 'history:tabs.problems',
        icon: IconAlertTriangle,
        permission: 'history:read',
        component: ProblemsSection,
      },
      {
        key: 'history',
        order: 45,
        labelKey: 'history:tabs.history',
        icon: IconHistory,
        permission: 'history:read',
        component: HistorySection,
      },
    ],
    summary: [
      { key: 'problems', order: 30, permission: 'history:read', component: ActiveProblemsCard },
      { key: 'allergies', order: 35, permission: 'history:read', component: AllergiesCard },
    ],
    banner: [{ key: 'allergies', order: 0, permission: 'history:read', component: AllergyBanner }],
  },
});

// What other features may use: the consultation note's text shortcuts (allergies, problems as one line each).
export { useAllergies, useProblems, useHistory } from './api/history.ts';
export { allergyText, problemText, substanceLabel, activeAllergies, activeProblems } from './lib/text.ts';
export { AllergyBanner } from './components/AllergyBanner.tsx';
