import { permissions } from '@sanita/contracts/encounters';
import { defineModule, routes } from '../../platform/module.ts';
import { encountersRoutes } from './encounters.routes.ts';
import { seedEncounters } from './encounters.seed.ts';
import { EncountersService, encountersRoom } from './encounters.service.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    encounters: { encounters: EncountersService };
  }
}

const [read, write] = permissions;
const both = [read, write];

/** Consultations: from the queue or an appointment to the end of the visit, and the practitioner's day. */
export const encountersModule = defineModule({
  name: 'encounters',
  permissions,
  // clinical staff; receptionists and cashiers never read clinical data
  grants: { super_admin: both, doctor: both, nurse: both, optician: both },
  needs: ['queue', 'scheduling'],
  services: ({ db, events }, { queue, appointments }) => ({
    encounters: new EncountersService(db, events, queue, appointments),
  }),
  routes: ({ encounters }) => [routes(encountersRoutes, { encounters })],
  // events go to `chart:<clinicId>` (encountersRoom), the clinical staff's room: the chart manifest puts
  // chart:read holders there, and this one encounters:read holders
  realtime: () => ({
    rooms: (p) => p.memberships.filter((m) => m.permissions.includes(read)).map((m) => encountersRoom(m.clinicId)),
  }),
  seed: seedEncounters,
  onPatientMerge: ({ encounters }) => encounters.mergePatients,
  timeline: ({ encounters }) => encounters.timeline,
  matrix: new URL('./encounters.matrix.ts', import.meta.url),
});
