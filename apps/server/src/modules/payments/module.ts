import { permissions } from '@sanita/contracts/payments';
import { defineModule, routes } from '../../platform/module.ts';
import { startIdempotencyPurge } from '../../platform/http/idempotency.ts';
import { CashierService } from './cashier.service.ts';
import { paymentRoutes } from './payments.routes.ts';
import { seedPayments } from './payments.seed.ts';
import { PaymentsService } from './payments.service.ts';
import { PlansService } from './plans.service.ts';
import { ReportsService } from './reports.service.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    payments: {
      payments: PaymentsService;
      cashier: CashierService;
      plans: PlansService;
      reports: ReportsService;
      /** starts the daily purge of idempotency keys (platform/http/idempotency.ts) */
      idempotencyPurge: () => Promise<void>;
    };
  }
}

const [read, collect, refund, manage, report] = permissions;

/**
 * Payments and the cashier: payments and deposits (multi-currency at the day's exchange rate,
 * idempotency keys, PDF receipts, refunds), cashier sessions with reconciliation, payment plans
 * with reminders, and the revenue and aging reports. The claims module records a payer's payment
 * with `payments.recordInsurancePayment`.
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
  needs: ['billing', 'scheduling'],
  services: ({ db, events, jobs, mailer, sms }, { billing, reminders }) => {
    // plan reminders go out on the clinic's reminder channels, as appointment reminders do
    const plans = new PlansService(db, jobs, mailer, sms, billing, reminders);
    return {
      plans,
      payments: new PaymentsService(db, events, billing, plans),
      cashier: new CashierService(db, events),
      reports: new ReportsService(db),
      idempotencyPurge: () => startIdempotencyPurge(db, jobs),
    };
  },
  routes: ({ payments, cashier, plans, reports }) => [routes(paymentRoutes, { payments, cashier, plans, reports })],
  // the daily reminders of payment plans' instalments, and the purge of idempotency keys older than 7 days
  start: async ({ plans, idempotencyPurge }) => {
    await plans.start();
    await idempotencyPurge();
  },
  // exchange rates (120 days), payments on the billing seed's invoices, past closed sessions, a payment plan
  seed: seedPayments,
  matrix: new URL('./payments.matrix.ts', import.meta.url),
});
