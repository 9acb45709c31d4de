import { clinicsModule } from './clinics/module.ts';
import { patientsModule } from './patients/module.ts';
import { authModule } from './auth/module.ts';
import { adminModule } from './admin/module.ts';
import { schedulingModule } from './scheduling/module.ts';
import { queueModule } from './queue/module.ts';
import { portalModule } from './portal/module.ts';
import { chartModule } from './chart/module.ts';
import type { AnyModule } from '../platform/module.ts';

/**
 * The server's modules, in dependency order (a module comes after those it `needs`): one line per
 * module. The app, the access catalogue, the realtime gateway, the job workers, the demo seed and
 * the authorization matrix iterate over this list.
 */
export const modules: readonly AnyModule[] = [
  clinicsModule,
  patientsModule,
  authModule,
  adminModule,
  schedulingModule,
  queueModule,
  portalModule,
  chartModule,
];
