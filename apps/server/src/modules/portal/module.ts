import { permissions } from '@sanita/contracts/portal';
import { defineModule, routes } from '../../platform/module.ts';
import { portalRoutes } from './portal.routes.ts';
import { portalDocumentRoutes } from './documents.routes.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    portal: Record<never, never>;
  }
}

const [self] = permissions;

/**
 * The patient portal: every /api/portal route (my record and who read it, my appointments, my
 * waiting-list offers), through the patients and scheduling services.
 */
export const portalModule = defineModule({
  name: 'portal',
  permissions,
  grants: { patient: [self] },
  needs: ['patients', 'scheduling', 'documents'],
  services: () => ({}),
  routes: ({ patients, appointments, waitlist, documents, documentsHttp }) => [
    routes(portalRoutes, { patients, appointments, waitlist }),
    routes(portalDocumentRoutes, { documents, documentsHttp }),
  ],
  realtime: () => ({
    // a patient follows the events of their own record
    rooms: (p) => (p.patientId ? [`patient:${p.patientId}` as const] : []),
  }),
  matrix: new URL('./portal.matrix.ts', import.meta.url),
});
