import { permissions } from '@sanita/contracts/lab';
import { defineModule, routes } from '../../platform/module.ts';
import { LabAlertsService } from './alerts.service.ts';
import { loadLabCatalogue } from './catalogue.repository.ts';
import { catalogueRoutes } from './catalogue.routes.ts';
import { LabCatalogueService } from './catalogue.service.ts';
import { labRoutes } from './lab.routes.ts';
import { seedLab } from './lab.seed.ts';
import { labRoom, LabService } from './lab.service.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    lab: { labCatalogue: LabCatalogueService; lab: LabService; labAlerts: LabAlertsService };
  }
}

const [read, order, process, verify, manage] = permissions;

/**
 * Laboratory: the test catalogue (LOINC tests and panels shipped with @sanita/clinical, loaded at each
 * start, plus local tests; prices per clinic), orders from an encounter, the lab's worklist (collect,
 * receive, enter, verify, release), flags and critical-value alerts with escalation, a patient's
 * results (table, trends, PDF report). The HL7 interface records results from outside through
 * `services.lab`.
 */
export const labModule = defineModule({
  name: 'lab',
  permissions,
  grants: {
    super_admin: [read, order, process, verify, manage],
    admin: [read, manage],
    doctor: [read, order],
    nurse: [read],
    lab_technician: [read, process, verify],
  },
  needs: ['encounters', 'documents'],
  services: ({ db, events, jobs, mailer, config, log }) => {
    const labCatalogue = new LabCatalogueService(db);
    const labAlerts = new LabAlertsService(db, events, jobs, mailer, config.publicUrl, log);
    return { labCatalogue, labAlerts, lab: new LabService(db, events, labCatalogue, labAlerts, config.publicUrl) };
  },
  routes: ({ labCatalogue, lab, labAlerts }) => [
    routes(catalogueRoutes, { labCatalogue }),
    routes(labRoutes, { lab, labAlerts }),
  ],
  realtime: () => ({
    // the lab hears of orders at its clinics
    rooms: (p) => p.memberships.filter((m) => m.permissions.includes(process)).map((m) => labRoom(m.clinicId)),
  }),
  // the shipped LOINC tests and panels, inserted when missing at each start (administrators edit them)
  reference: { tables: [], load: loadLabCatalogue },
  start: async ({ labAlerts }) => {
    await labAlerts.start();
  },
  // today's work for the demo lab, the demo doctor's results and alert, Marie Mbuyi's history
  seed: seedLab,
  onPatientMerge: ({ lab }) => lab.mergePatients,
  // the lab report's verification code
  verify: ({ lab }) => lab.verification,
  matrix: new URL('./lab.matrix.ts', import.meta.url),
});
