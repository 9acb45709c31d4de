import { permissions } from '@sanita/contracts/pharmacy';
import { defineModule, routes } from '../../platform/module.ts';
import { pharmacyRoutes } from './pharmacy.routes.ts';
import { seedPharmacy } from './pharmacy.seed.ts';
import { PharmacyService } from './pharmacy.service.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    pharmacy: { pharmacy: PharmacyService };
  }
}

/**
 * Pharmacy: the clinic's worklist of prescriptions to dispense, and dispensing them from stock. It
 * reads and completes prescriptions through the medications module's services and moves stock
 * through the inventory's; its realtime room (`pharmacy:<clinicId>`) is the one medications declares.
 */
export const pharmacyModule = defineModule({
  name: 'pharmacy',
  permissions,
  grants: { super_admin: [...permissions], pharmacist: [...permissions] },
  needs: ['inventory', 'medications'],
  services: ({ db, events }, { inventory, prescriptions, formulary }) => ({
    pharmacy: new PharmacyService(db, events, inventory, prescriptions, formulary),
  }),
  routes: ({ pharmacy }) => [routes(pharmacyRoutes, { pharmacy })],
  onPatientMerge: ({ pharmacy }) => pharmacy.mergePatients,
  // half of today's prescriptions at KIN dispensed (billing's seed then bills them), the rest waiting
  seed: seedPharmacy,
  matrix: new URL('./pharmacy.matrix.ts', import.meta.url),
});
