import { defineModule, routes } from '../../platform/module.ts';
import { seedClinics } from '../../seed/clinics.ts';
import { ClinicsService } from './clinics.service.ts';
import { clinicsRoutes } from './clinics.routes.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    clinics: { clinics: ClinicsService };
  }
}

/** The organisation's sites. */
export const clinicsModule = defineModule({
  name: 'clinics',
  services: ({ db }) => ({ clinics: new ClinicsService(db) }),
  routes: ({ clinics }) => [routes(clinicsRoutes, { clinics })],
  seed: seedClinics,
  matrix: new URL('./clinics.matrix.ts', import.meta.url),
});
