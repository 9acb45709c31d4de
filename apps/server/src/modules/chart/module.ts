import { permissions } from '@sanita/contracts/chart';
import { defineModule, routes } from '../../platform/module.ts';
import { chartRoutes } from './chart.routes.ts';
import { seedChart } from './chart.seed.ts';
import { ChartService, chartRoom } from './chart.service.ts';
import { News2AlertsService } from './alerts.service.ts';
import { alertsRoutes } from './alerts.routes.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    chart: { chart: ChartService; news2Alerts: News2AlertsService };
  }
}

const [read, write] = permissions;
const both = [read, write];

/** The clinical chart: vitals with their NEWS2, and NEWS2 alerts with acknowledgement and escalation. */
export const chartModule = defineModule({
  name: 'chart',
  permissions,
  // opticians record eye examinations in the chart later; nobody else reads it by default
  grants: { super_admin: both, doctor: both, nurse: both, optician: both },
  services: ({ db, events, jobs, mailer, config, log }) => {
    const news2Alerts = new News2AlertsService(db, events, jobs, mailer, config.publicUrl, log);
    return { chart: new ChartService(db, events, news2Alerts), news2Alerts };
  },
  routes: ({ chart, news2Alerts }) => [routes(chartRoutes, { chart }), routes(alertsRoutes, { news2Alerts })],
  realtime: () => ({
    // staff who may read charts hear of new vitals at their clinics
    rooms: (p) => p.memberships.filter((m) => m.permissions.includes(read)).map((m) => chartRoom(m.clinicId)),
  }),
  // the escalation worker of NEWS2 alerts (and the jobs of open alerts that have none, e.g. seeded)
  start: async ({ news2Alerts }) => {
    await news2Alerts.start();
  },
  seed: seedChart,
  onPatientMerge: ({ chart }) => chart.mergePatients,
  timeline: ({ chart }) => chart.timeline,
  matrix: new URL('./chart.matrix.ts', import.meta.url),
});
