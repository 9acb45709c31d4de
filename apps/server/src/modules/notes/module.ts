import { permissions } from '@sanita/contracts/notes';
import { defineModule, routes } from '../../platform/module.ts';
import { notesRoutes } from './notes.routes.ts';
import { seedNotes } from './notes.seed.ts';
import { NotesService } from './notes.service.ts';
import { VisitSummarySource } from './visit-summary.service.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    notes: { notes: NotesService; visitSummaries: VisitSummarySource };
  }
}

const [read, write, shortcuts] = permissions;

/** Consultation notes: SOAP from templates, autosaved, signed (locked by the database), addenda, diagnoses, text shortcuts. */
export const notesModule = defineModule({
  name: 'notes',
  permissions,
  // doctors write and sign; opticians write their eye examinations; nurses read; the front desk and the till read none
  grants: {
    super_admin: [read, write, shortcuts],
    admin: [shortcuts],
    doctor: [read, write],
    optician: [read, write],
    nurse: [read],
  },
  // diagnoses are checked against, and described by, the ICD-10-CM code set of the terminology module
  needs: ['terminology'],
  services: ({ db }, { terminology }) => ({
    notes: new NotesService(db, (codes, tx) => terminology.findIcd10(codes, tx)),
    // what a signed note's visit summary prints, for the letters module
    visitSummaries: new VisitSummarySource(),
  }),
  routes: ({ notes }) => [routes(notesRoutes, { notes })],
  seed: seedNotes,
  timeline: ({ notes }) => notes.timeline,
  matrix: new URL('./notes.matrix.ts', import.meta.url),
});
