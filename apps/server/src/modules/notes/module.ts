import { permissions } from '@sanita/contracts/notes';
import { defineModule, routes } from '../../platform/module.ts';
import { notesRoutes } from './notes.routes.ts';
import { seedNotes } from './notes.seed.ts';
import { NotesService } from './notes.service.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    notes: { notes: NotesService };
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
  // TODO(terminology): pass its findIcd10 as the lookup once the module lands (needs: ['terminology'])
  services: ({ db }) => ({ notes: new NotesService(db, null) }),
  routes: ({ notes }) => [routes(notesRoutes, { notes })],
  seed: seedNotes,
  matrix: new URL('./notes.matrix.ts', import.meta.url),
});
