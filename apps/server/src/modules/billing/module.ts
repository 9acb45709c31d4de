import { permissions } from '@sanita/contracts/billing';
import { defineModule, routes } from '../../platform/module.ts';
import { billingRoutes } from './billing.routes.ts';
import { seedBilling } from './billing.seed.ts';
import { billingRoom, BillingService } from './billing.service.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    billing: { billing: BillingService };
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
  services: ({ db, events, log }, { encounters, lab, pharmacy }) => {
    const billing = new BillingService(db, events, log);
    // charges are captured inside the clinical transactions: they commit or roll back with them
    encounters.finished.on((tx, id) => billing.captureEncounter(tx, id));
    lab.orderCreated.on((tx, id) => billing.captureLabOrder(tx, id));
    lab.orderCancelled.on((tx, id) => billing.releaseLabOrder(tx, id));
    pharmacy.dispensed.on((tx, id) => billing.captureDispense(tx, id));
    // and the cashier's desk hears of the patient's draft once they have committed
    events.subscribe((e) => {
      if (e.name === 'encounter.finished' || e.name === 'lab.order.changed' || e.name === 'prescription.dispensed') {
        const p = e.payload as { patientId: string; clinicId: string };
        void billing.announceDraft(p.clinicId, p.patientId).catch(() => undefined);
      }
    });
    return { billing };
  },
  routes: ({ billing }) => [routes(billingRoutes, { billing })],
  realtime: () => ({
    // the cashier's desk of each clinic where the user reads invoices
    rooms: (p) => p.memberships.filter((m) => m.permissions.includes(read)).map((m) => billingRoom(m.clinicId)),
  }),
  // prices, taxes and settings for KIN and GOM; 90 days of issued invoices and today's drafts at KIN
  seed: seedBilling,
  matrix: new URL('./billing.matrix.ts', import.meta.url),
});
