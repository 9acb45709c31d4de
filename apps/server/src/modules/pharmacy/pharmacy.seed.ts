import { sql } from 'drizzle-orm';
import type { Principal } from '../../platform/access.ts';
import type { AuditActor } from '../../platform/audit/audit.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { PlatformDeps, SeedStep } from '../../platform/module.ts';
import { EventBus } from '../../platform/realtime/events.ts';
import { inventoryModule } from '../inventory/module.ts';
import { medicationsModule } from '../medications/module.ts';
import { PharmacyService } from './pharmacy.service.ts';

/**
 * Demo dispenses at Kinshasa: of today's signed prescriptions (medications.seed.ts), every other one is
 * dispensed in full by the demo pharmacist, from the stock inventory.seed.ts received, through the
 * pharmacy service's own dispense (lots first-expiry-first-out, the prescription completed, audited);
 * the others stay on the pharmacist's worklist. The seed builds its services without the app, so no
 * `pharmacy.dispensed` listener runs here: the billing seed, which comes later, captures today's
 * dispenses into the patients' drafts as its listener would have. Idempotent.
 */
export const seedPharmacy: SeedStep = async (tx, demo) => {
  const [{ n } = { n: 0 }] = (await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM dispenses`)).rows;
  if (n > 0) return;
  const kin = demo.clinics.KIN;
  const pharmacist = demo.users['pharmacist@sanita.test'];
  if (!kin || !pharmacist) return;

  const { rows: todays } = await tx.execute<{ id: string }>(sql`
    SELECT rx.id FROM prescriptions rx JOIN clinics c ON c.id = rx.clinic_id
     WHERE rx.clinic_id = ${kin.id} AND rx.status = 'active'
       AND (rx.signed_at AT TIME ZONE c.timezone)::date = (now() AT TIME ZONE c.timezone)::date
     ORDER BY rx.signed_at, rx.id`);
  if (todays.length === 0) return;

  // The services the dispense goes through, as the app builds them from their manifests; the seed's
  // transaction is their database (each service transaction becomes a savepoint in it). Nothing on the
  // dispense path queues a job or reads allergies.
  const events = new EventBus();
  const noJobs = new Proxy({} as JobQueue, {
    get: () => () => Promise.reject(new Error('the pharmacy seed queues no job')),
  });
  const deps = { db: tx, events, jobs: noJobs } as PlatformDeps;
  const { inventory } = await inventoryModule.services(deps, {});
  const { prescriptions, formulary } = await medicationsModule.services(deps, {
    history: { allergiesOf: () => Promise.resolve([]) },
  } as never);
  const pharmacy = new PharmacyService(tx, events, inventory, prescriptions, formulary);

  const principal: Principal = {
    userId: pharmacist,
    sessionId: 'demo-seed',
    email: 'pharmacist@sanita.test',
    displayName: 'Demo pharmacist',
    locale: 'fr',
    patientId: null,
    mfaEnrolled: false,
    clinicId: kin.id,
    roles: ['pharmacist'],
    permissions: new Set(['pharmacy:dispense']),
    memberships: [{ clinicId: kin.id, role: 'pharmacist', requireMfa: false, permissions: ['pharmacy:dispense'] }],
    mfaEnrollmentRequired: false,
  };
  const actor: AuditActor = {
    userId: pharmacist,
    role: 'pharmacist',
    clinicId: kin.id,
    ip: null,
    userAgent: null,
    requestId: 'demo-seed',
  };

  for (const [i, { id }] of todays.entries()) {
    // every other one, the first among them, waits for the pharmacist
    if (i % 2 === 0) continue;
    const entry = await pharmacy.entry(principal, actor, id);
    const items = entry.items
      .filter((item) => item.remaining > 0)
      .map((item) => ({ prescriptionItemId: item.prescriptionItemId, quantity: item.remaining }));
    if (items.length === 0) continue;
    try {
      await pharmacy.dispense(principal, actor, id, {
        items,
        counsellingNote: 'Posologie expliquée au patient — dosage explained to the patient',
      });
    } catch {
      // not in stock (a product the demo stock lacks): this one waits at the pharmacy too; its savepoint
      // was rolled back, nothing of it stays
    }
  }
};
