import { permissions } from '@sanita/contracts/portal';
import { defineModule, routes } from '../../platform/module.ts';
import { portalRoutes } from './portal.routes.ts';
import { portalDocumentRoutes } from './documents.routes.ts';
import { portalVisitSummaryRoutes } from './visit-summary.routes.ts';
import { portalChartRoutes } from './chart.routes.ts';
import { portalPrescriptionRoutes } from './prescriptions.routes.ts';
import { portalLabRoutes } from './lab.routes.ts';
import { portalBillingRoutes } from './billing.routes.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    portal: Record<never, never>;
  }
}

const [self] = permissions;

/**
 * The patient portal: every /api/portal route (my record and who read it, my appointments, my
 * waiting-list offers, my documents, my chart: signed visits, problems, allergies, vitals,
 * immunizations; my prescriptions and refill requests), through the owning modules' services.
 */
export const portalModule = defineModule({
  name: 'portal',
  permissions,
  grants: { patient: [self] },
  // my chart: the owners of visits' notes, problems and allergies, vitals and immunizations (portal comes after them)
  needs: [
    'patients',
    'scheduling',
    'documents',
    'notes',
    'history',
    'chart',
    'immunizations',
    'letters',
    'medications',
    'lab',
    'payments',
  ],
  services: () => ({}),
  routes: ({
    patients,
    appointments,
    waitlist,
    documents,
    documentsHttp,
    notes,
    history,
    chart,
    immunizations,
    letters,
    prescriptions,
    lab,
    payments,
  }) => [
    routes(portalRoutes, { patients, appointments, waitlist }),
    routes(portalDocumentRoutes, { documents, documentsHttp }),
    routes(portalVisitSummaryRoutes, { letters }),
    routes(portalChartRoutes, { notes, history, chart, immunizations }),
    routes(portalPrescriptionRoutes, { prescriptions }),
    routes(portalLabRoutes, { lab }),
    routes(portalBillingRoutes, { payments }),
  ],
  realtime: () => ({
    // a patient follows the events of their own record
    rooms: (p) => (p.patientId ? [`patient:${p.patientId}` as const] : []),
  }),
  matrix: new URL('./portal.matrix.ts', import.meta.url),
});
