import { permissions } from '@sanita/contracts/patients';
import { defineModule, routes } from '../../platform/module.ts';
import { seedPatients } from '../../seed/patients.ts';
import { PatientsService } from './patients.service.ts';
import { patientsRoutes } from './patients.routes.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    patients: { patients: PatientsService };
  }
}

const [read, write, merge, readAllClinics] = permissions;

/** The master patient index: registration, search, duplicates and merges, the access log. */
export const patientsModule = defineModule({
  name: 'patients',
  permissions,
  grants: {
    super_admin: [read, write, merge, readAllClinics],
    admin: [read, write, merge],
    manager: [read],
    doctor: [read, write],
    nurse: [read, write],
    receptionist: [read, write, merge],
    secretary: [read, write],
    pharmacist: [read],
    lab_technician: [read],
    optician: [read],
    accountant: [read],
    cashier: [read],
  },
  services: ({ db, pool, crypto, patientMergeHooks }) => ({
    patients: new PatientsService(db, pool, crypto, patientMergeHooks),
  }),
  routes: ({ patients }) => [routes(patientsRoutes, { patients })],
  seed: seedPatients,
  matrix: new URL('./patients.matrix.ts', import.meta.url),
});
