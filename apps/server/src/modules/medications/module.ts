import { permissions } from '@sanita/contracts/medications';
import { defineModule, routes } from '../../platform/module.ts';
import { loadFormulary } from './formulary.repository.ts';
import { FormularyService } from './formulary.service.ts';
import { formularyRoutes, prescriptionRoutes } from './medications.routes.ts';
import { seedMedications } from './medications.seed.ts';
import { pharmacyRoom, PrescriptionsService } from './prescriptions.service.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    medications: { formulary: FormularyService; prescriptions: PrescriptionsService };
  }
}

const [formularyRead, formularyManage, read, write, reconcile] = permissions;

/**
 * Medications: the formulary (the WHO EML products shipped with @sanita/clinical, loaded at each start,
 * plus local items; brands and prices per clinic), prescriptions with safety checks, current and
 * reported medications, favourites, refill requests and the expiry of prescriptions. The pharmacy reads
 * and completes prescriptions through `services.prescriptions` (pharmacyQueue, prescriptionForDispense,
 * markDispensed).
 */
export const medicationsModule = defineModule({
  name: 'medications',
  permissions,
  grants: {
    super_admin: [formularyRead, formularyManage, read, write, reconcile],
    admin: [formularyRead, formularyManage],
    // prescribers
    doctor: [formularyRead, read, write, reconcile],
    // nurses and pharmacists read prescriptions and record what the patient reports taking
    nurse: [formularyRead, read, reconcile],
    pharmacist: [formularyRead, read, reconcile],
    optician: [formularyRead],
  },
  // the checks read the chart's allergies through the history module
  needs: ['history'],
  services: ({ db, events, jobs }, { history }) => ({
    formulary: new FormularyService(db),
    prescriptions: new PrescriptionsService(db, events, jobs, (tx, patientId) => history.allergiesOf(tx, patientId)),
  }),
  routes: ({ formulary, prescriptions }, { config }) => [
    routes(formularyRoutes, { formulary }),
    routes(prescriptionRoutes, { prescriptions, publicUrl: config.publicUrl }),
  ],
  realtime: () => ({
    // the pharmacy's worklist hears of prescriptions signed and cancelled at its clinics
    rooms: (p) =>
      p.memberships
        .filter((m) => m.permissions.includes('pharmacy:dispense') || m.permissions.includes(read))
        .map((m) => pharmacyRoom(m.clinicId)),
  }),
  // the WHO EML products, inserted when missing at each start; no table is read-only: administrators edit them
  reference: { tables: [], load: loadFormulary },
  start: async ({ prescriptions }) => {
    await prescriptions.start();
  },
  seed: seedMedications,
  onPatientMerge: ({ prescriptions }) => prescriptions.mergePatients,
  // signed prescriptions' codes, checked by the public verification route
  verify: ({ prescriptions }) => ({
    verify: async (code) => {
      const found = await prescriptions.verify(code);
      return found && { ...found, kind: 'prescription' };
    },
  }),
  matrix: new URL('./medications.matrix.ts', import.meta.url),
});
