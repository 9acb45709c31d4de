import { permissions } from '@sanita/contracts/payments';
import { defineModule } from '../../platform/module.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    payments: Record<string, never>;
  }
}

const [read, collect, refund, manage, report] = permissions;

/**
 * Payments and the cashier: payments and deposits (multi-currency at the day's exchange rate,
 * idempotency keys, PDF receipts, refunds), cashier sessions with reconciliation, payment plans
 * with reminders, and the revenue and aging reports.
 */
export const paymentsModule = defineModule({
  name: 'payments',
  permissions,
  grants: {
    super_admin: [read, collect, refund, manage, report],
    admin: [read, collect, refund, manage, report],
    manager: [read, refund, manage, report],
    cashier: [read, collect],
    accountant: [read, report],
  },
  needs: ['billing'],
  services: () => ({}),
  routes: () => [],
  matrix: new URL('./payments.matrix.ts', import.meta.url),
});
