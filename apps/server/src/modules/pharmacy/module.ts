import { permissions } from '@sanita/contracts/pharmacy';
import { defineModule } from '../../platform/module.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    pharmacy: Record<never, never>;
  }
}

/** Pharmacy: the clinic's worklist of prescriptions to dispense, and dispensing them from stock. */
export const pharmacyModule = defineModule({
  name: 'pharmacy',
  permissions,
  grants: { super_admin: [...permissions], pharmacist: [...permissions] },
  services: () => ({}),
});
