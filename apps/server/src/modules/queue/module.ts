import { permissions } from '@sanita/contracts/queue';
import { defineModule, routes } from '../../platform/module.ts';
import { seedQueue } from '../../seed/queue.ts';
import { QueueService } from './queue.service.ts';
import { queueRoutes } from './queue.routes.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    queue: { queue: QueueService };
  }
}

const [read, write] = permissions;
const both = [read, write];

/** The front desk: walk-ins and check-ins, service points and their queues, waiting-room displays. */
export const queueModule = defineModule({
  name: 'queue',
  permissions,
  grants: {
    super_admin: both,
    admin: both,
    manager: [read],
    doctor: both,
    nurse: both,
    receptionist: both,
    secretary: both,
    pharmacist: both,
    lab_technician: both,
    optician: both,
    cashier: both,
  },
  needs: ['scheduling'],
  services: ({ db, events, config }, { appointments }) => ({
    queue: new QueueService(db, events, config.publicUrl, appointments),
  }),
  routes: ({ queue }) => [routes(queueRoutes, { queue })],
  realtime: ({ queue }) => ({
    // staff who see queues follow their clinics' ticket events
    rooms: (p) => p.memberships.filter((m) => m.permissions.includes(read)).map((m) => `clinic:${m.clinicId}` as const),
    // a waiting-room display connects with its token: its clinic's board and its own screen
    credentials: [
      {
        key: 'displayToken',
        resolve: async (token) => {
          const display = await queue.resolveDisplayToken(token);
          return display ? [`display:${display.clinicId}`, `screen:${display.id}`] : null;
        },
      },
    ],
    // staff open one service point's queue: `queue.subscribe` { servicePointId } joins `sp:<id>`
    subscriptions: [
      {
        subscribe: 'queue.subscribe',
        unsubscribe: 'queue.unsubscribe',
        field: 'servicePointId',
        room: (id) => `sp:${id}`,
        allow: (principal, id) => queue.canSubscribeServicePoint(principal, id),
      },
    ],
    // a revoked screen stops at once, not when it next reconnects
    disconnectOn: ['display.revoked'],
  }),
  seed: (tx, demo) => seedQueue(tx, { clinicIds: [demo.clinics.KIN.id, demo.clinics.GOM.id], demoClinicId: demo.clinics.KIN.id }),
  matrix: new URL('./queue.matrix.ts', import.meta.url),
});
