import { permissions } from '@sanita/contracts/history';
import { defineModule, routes } from '../../platform/module.ts';
import { historyRoutes } from './history.routes.ts';
import { seedHistory } from './history.seed.ts';
import { HistoryService, historyRoom } from './history.service.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    history: { history: HistoryService };
  }
}

const [read, write] = permissions;
const both = [read, write];

/** Problem list, allergies and intolerances (with "no known allergies"), and medical, surgical, family and social history. */
export const historyModule = defineModule({
  name: 'history',
  permissions,
  // opticians read allergies before eye drops; receptionists and the back office see none of it
  grants: { super_admin: both, doctor: both, nurse: both, optician: [read] },
  // problem codes are checked against ICD-10-CM (and named by it) through the terminology module
  needs: ['terminology'],
  services: ({ db, events }, { terminology }) => ({
    history: new HistoryService(db, events, (codes, tx) => terminology.findIcd10(codes, tx)),
  }),
  routes: ({ history }) => [routes(historyRoutes, { history })],
  realtime: () => ({
    // staff who may read histories hear that a patient's changed (ids only), to refresh the banner
    rooms: (p) => p.memberships.filter((m) => m.permissions.includes(read)).map((m) => historyRoom(m.clinicId)),
  }),
  seed: seedHistory,
  onPatientMerge: ({ history }) => history.mergePatients,
  matrix: new URL('./history.matrix.ts', import.meta.url),
});
