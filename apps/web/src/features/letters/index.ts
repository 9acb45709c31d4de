import { IconCertificate } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';
import { LetterTimelineEntry } from './components/LetterTimelineEntry.tsx';
import { LettersSection } from './routes/LettersSection.tsx';
import { VerifyPage } from './routes/VerifyPage.tsx';

// Letters practitioners issue as PDFs (certificate, sick note, referral, visit summary): a tab of the chart, and the public
// page that checks a letter's code (/verify/<code>, where the QR code printed on the letter leads).
export const letters = defineFeature({
  name: 'letters',
  routes: [
    { path: 'verify/:code?', component: VerifyPage, access: 'public', layout: 'public', titleKey: 'letters:verify.title' },
  ],
  navigation: [],
  strings,
  chart: {
    sections: [
      {
        key: 'letters',
        order: 70,
        labelKey: 'letters:title',
        icon: IconCertificate,
        permission: 'letters:read',
        component: LettersSection,
      },
    ],
    timeline: [
      {
        kind: 'letter',
        order: 70,
        labelKey: 'letters:timeline',
        icon: IconCertificate,
        permission: 'letters:read',
        component: LetterTimelineEntry,
        to: (_item, patientId) => `/patients/${patientId}/chart/letters`,
      },
    ],
  },
});

// What other features may use: the consultation page issues a letter from the encounter, and the visit
// summary of its signed note.
export { NewLetterButton } from './components/NewLetterButton.tsx';
export { VisitSummaryButton } from './components/VisitSummaryButton.tsx';
