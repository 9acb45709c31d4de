import { permissions } from '@sanita/contracts/chart';
import { defineModule, routes } from '../../platform/module.ts';
import { chartRoutes } from './chart.routes.ts';
import { seedChart } from './chart.seed.ts';
import { ChartService, chartRoom } from './chart.service.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    chart: { chart: ChartService };
  }
}

const [read, write] = permissions;
const both = [read, write];

/** The clinical chart: vitals with their NEWS2 so far. */
export const chartModule = defineModule({
  name: 'chart',
  permissions,
  // opticians record eye examinations in the chart later; nobody else reads it by default
  grants: { super_admin: both, doctor: both, nurse: both, optician: both },
  services: ({ db, events }) => ({ chart: new ChartService(db, events) }),
  routes: ({ chart }) => [routes(chartRoutes, { chart })],
  realtime: () => ({
    // staff who may read charts hear of new vitals at their clinics
    rooms: (p) => p.memberships.filter((m) => m.permissions.includes(read)).map((m) => chartRoom(m.clinicId)),
  }),
  seed: seedChart,
  onPatientMerge: ({ chart }) => chart.mergePatients,
  matrix: new URL('./chart.matrix.ts', import.meta.url),
});
