import { IconFiles } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import { DocumentTimelineEntry } from './components/DocumentTimelineEntry.tsx';
import { LatestDocumentsCard } from './components/LatestDocumentsCard.tsx';
import * as strings from './i18n.ts';
import { DocumentsSection } from './routes/DocumentsSection.tsx';
import { PatientDocumentsPage } from './routes/PatientDocumentsPage.tsx';
import { PortalDocumentsPage } from './routes/PortalDocumentsPage.tsx';

// A patient's documents: the chart's documents tab and summary card (staff who read documents), and
// the portal's "My documents" (the patient sends documents and reads those shared with them).
export const documents = defineFeature({
  name: 'documents',
  routes: [
    {
      // the front desk's way to a patient's documents (it opens no chart); the patient page may link here
      path: 'patients/:id/documents',
      component: PatientDocumentsPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['documents:read', 'documents:front_desk'],
      titleKey: 'documents:documents.title',
    },
    {
      path: 'portal/documents',
      component: PortalDocumentsPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['portal:self'],
      titleKey: 'documents:portal.title',
    },
  ],
  navigation: [
    {
      section: 'myHealth',
      order: 35,
      to: '/portal/documents',
      labelKey: 'documents:portal.nav',
      icon: IconFiles,
      permission: 'portal:self',
    },
  ],
  strings,
  chart: {
    sections: [
      {
        key: 'documents',
        order: 60,
        labelKey: 'documents:documents.title',
        icon: IconFiles,
        permission: 'documents:read',
        component: DocumentsSection,
      },
    ],
    summary: [{ key: 'documents', order: 70, permission: 'documents:read', component: LatestDocumentsCard }],
    timeline: [
      {
        kind: 'document',
        order: 60,
        labelKey: 'documents:timeline',
        icon: IconFiles,
        permission: 'documents:read',
        component: DocumentTimelineEntry,
        // the documents tab, with this one's preview open
        to: (item, patientId) => `/patients/${patientId}/chart/documents?preview=${encodeURIComponent(item.id)}`,
      },
    ],
  },
});

// What other features may use: the patient's documents (e.g. for the front desk on the patient page).
export { DocumentsSection } from './routes/DocumentsSection.tsx';
