import { permissions } from '@sanita/contracts/inventory';
import { defineModule, routes } from '../../platform/module.ts';
import { inventoryRoutes } from './inventory.routes.ts';
import { seedInventory } from './inventory.seed.ts';
import { InventoryService, inventoryRoom } from './inventory.service.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    inventory: { inventory: InventoryService };
  }
}

const [read, manage] = permissions;
const both = [read, manage];

/** Inventory: the item catalogue, lots per clinic and the append-only stock ledger. */
export const inventoryModule = defineModule({
  name: 'inventory',
  permissions,
  // lab technicians see the reagents' stock; pharmacists and administrators manage it
  grants: { super_admin: both, admin: both, pharmacist: both, lab_technician: [read] },
  services: ({ db, events, jobs }) => ({ inventory: new InventoryService(db, events, jobs) }),
  routes: ({ inventory }) => [routes(inventoryRoutes, { inventory })],
  realtime: () => ({
    rooms: (p) => p.memberships.filter((m) => m.permissions.includes(read)).map((m) => inventoryRoom(m.clinicId)),
  }),
  // the worker releasing expired reservations
  start: async ({ inventory }) => {
    await inventory.start();
  },
  seed: seedInventory,
  matrix: new URL('./inventory.matrix.ts', import.meta.url),
});
