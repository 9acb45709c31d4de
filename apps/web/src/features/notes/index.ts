import { IconNotes, IconTextPlus } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';
import { NoteTimelineEntry } from './components/NoteTimelineEntry.tsx';
import { ConsultationPage } from './routes/ConsultationPage.tsx';
import { NotesSection } from './routes/NotesSection.tsx';
import { ShortcutsPage } from './routes/ShortcutsPage.tsx';

// Consultation notes: the consultation page (/encounters/:id: the note with its diagnoses, signing,
// addenda and history), the chart's notes tab, and the admin page of the organisation's text shortcuts.
export const notes = defineFeature({
  name: 'notes',
  routes: [
    {
      path: 'encounters/:id',
      component: ConsultationPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['notes:read'],
      titleKey: 'notes:consultation.title',
    },
    {
      path: 'admin/note-shortcuts',
      component: ShortcutsPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['notes:shortcuts'],
      titleKey: 'notes:shortcuts.title',
    },
  ],
  navigation: [
    {
      section: 'admin',
      order: 40,
      to: '/admin/note-shortcuts',
      labelKey: 'notes:shortcuts.nav',
      icon: IconTextPlus,
      permission: 'notes:shortcuts',
    },
  ],
  strings,
  chart: {
    sections: [
      {
        key: 'notes',
        order: 20,
        labelKey: 'notes:list.title',
        icon: IconNotes,
        permission: 'notes:read',
        component: NotesSection,
      },
    ],
    timeline: [
      {
        kind: 'note',
        order: 20,
        labelKey: 'notes:timeline.label',
        icon: IconNotes,
        permission: 'notes:read',
        component: NoteTimelineEntry,
        // the note is read (and written) on its consultation's page
        to: (item) => `/encounters/${String(item.data.encounterId)}`,
      },
    ],
  },
});

// What other features may use: a patient's notes (e.g. the portal's visit summaries once signed).
export { usePatientNotes } from './api/notes.ts';
