import { permissions } from '@sanita/contracts/inventory';
import { defineModule } from '../../platform/module.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    inventory: Record<never, never>;
  }
}

const [read, manage] = permissions;
const both = [read, manage];

/** Inventory: the item catalogue, lots per clinic and the append-only stock ledger. */
export const inventoryModule = defineModule({
  name: 'inventory',
  permissions,
  grants: { super_admin: both, admin: both, pharmacist: both, lab_technician: [read] },
  services: () => ({}),
});
