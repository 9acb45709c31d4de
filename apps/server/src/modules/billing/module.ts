import { permissions } from '@sanita/contracts/billing';
import { defineModule } from '../../platform/module.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    billing: Record<string, never>;
  }
}

const [read, write, discount, voidInvoice, manage] = permissions;

/**
 * Billing: the price list and tax rates per clinic, charges captured inside the transactions of
 * finished encounters, lab orders and dispenses (idempotent on the source), manual lines, invoices
 * (tax, discounts with approval, void, credit notes, gapless numbers per clinic and year).
 */
export const billingModule = defineModule({
  name: 'billing',
  permissions,
  grants: {
    super_admin: [read, write, discount, voidInvoice, manage],
    admin: [read, write, discount, voidInvoice, manage],
    manager: [read, write, discount, voidInvoice],
    receptionist: [read, write],
    cashier: [read, write],
    accountant: [read, voidInvoice],
  },
  needs: ['encounters', 'lab', 'pharmacy'],
  services: () => ({}),
  routes: () => [],
  matrix: new URL('./billing.matrix.ts', import.meta.url),
});
