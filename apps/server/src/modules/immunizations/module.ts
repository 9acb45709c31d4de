import { permissions } from '@sanita/contracts/immunizations';
import { defineModule, routes } from '../../platform/module.ts';
import { immunizationsRoutes } from './immunizations.routes.ts';
import { seedImmunizations } from './immunizations.seed.ts';
import { ImmunizationsService } from './immunizations.service.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    immunizations: { immunizations: ImmunizationsService };
  }
}

const [read, write] = permissions;
const both = [read, write];

/** Immunizations: CVX-coded vaccines given here or reported, corrected or entered in error, never deleted. */
export const immunizationsModule = defineModule({
  name: 'immunizations',
  permissions,
  grants: { super_admin: both, doctor: both, nurse: both },
  needs: ['terminology'],
  services: ({ db }, { terminology }) => ({ immunizations: new ImmunizationsService(db, terminology) }),
  routes: ({ immunizations }) => [routes(immunizationsRoutes, { immunizations })],
  seed: seedImmunizations,
  onPatientMerge: ({ immunizations }) => immunizations.mergePatients,
  timeline: ({ immunizations }) => immunizations.timeline,
  matrix: new URL('./immunizations.matrix.ts', import.meta.url),
});
