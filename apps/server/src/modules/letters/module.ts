import { permissions } from '@sanita/contracts/letters';
import { defineModule, routes } from '../../platform/module.ts';
import { lettersRoutes } from './letters.routes.ts';
import { LettersService } from './letters.service.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    letters: { letters: LettersService };
  }
}

const [read, write] = permissions;

/** Letters issued as PDFs (certificate, sick note, referral, a signed note's visit summary), checked by a public verification page. */
export const lettersModule = defineModule({
  name: 'letters',
  permissions,
  // practitioners sign letters; nurses read them (a patient asks for a copy); nobody else by default
  grants: { super_admin: [read, write], doctor: [read, write], optician: [read, write], nurse: [read] },
  // a visit summary prints the encounter's signed note, read through the notes module
  needs: ['notes'],
  services: ({ db, config, verificationSources }, { visitSummaries }) => ({
    letters: new LettersService(db, config.publicUrl, visitSummaries, verificationSources),
  }),
  routes: ({ letters }) => [routes(lettersRoutes, { letters })],
  onPatientMerge: ({ letters }) => letters.mergePatients,
  timeline: ({ letters }) => letters.timeline,
  // its letters' codes; the public route GET /api/verify/:code (letters.routes.ts) asks every module's source
  verify: ({ letters }) => letters.verification,
  matrix: new URL('./letters.matrix.ts', import.meta.url),
});
