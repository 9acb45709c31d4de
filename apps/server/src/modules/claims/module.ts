import { permissions } from '@sanita/contracts/claims';
import { defineModule, routes } from '../../platform/module.ts';
import { claimsRoutes } from './claims.routes.ts';
import { seedClaims } from './claims.seed.ts';
import { claimsRoom, ClaimsService, payerRoom } from './claims.service.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    claims: { claims: ClaimsService };
  }
}

const [coverageRead, coverageWrite, read, write, review, manage] = permissions;

/** The head of the claim ledger is signed every minute when it moved. */
const SIGN_EVERY_MS = 60_000;
let signer: NodeJS.Timeout | null = null;

/**
 * Insurance and claims: payers, plans and their rules, patients' coverages and the eligibility
 * check, claims from invoice lines through review to payment, the anomaly score at submission, and
 * the claim ledger (a signed hash chain of every claim event).
 */
export const claimsModule = defineModule({
  name: 'claims',
  permissions,
  grants: {
    super_admin: [coverageRead, coverageWrite, read, write, review, manage],
    admin: [coverageRead, coverageWrite, read, write, manage],
    manager: [coverageRead, coverageWrite, read, write],
    receptionist: [coverageRead, coverageWrite],
    cashier: [coverageRead, coverageWrite, read, write],
    accountant: [coverageRead, read, write],
    doctor: [coverageRead],
    nurse: [coverageRead],
    insurer: [read, review],
  },
  needs: ['billing', 'payments', 'documents'],
  services: ({ db, pool, events, keys }, { billing, payments }) => ({
    claims: new ClaimsService(
      db,
      pool,
      events,
      billing,
      payments,
      (m) => keys.sign(m),
      (m, kid, sig) => keys.verify(m, kid, sig),
    ),
  }),
  routes: ({ claims }) => [routes(claimsRoutes, { claims })],
  realtime: () => ({
    rooms: (p) => [
      ...p.memberships
        .filter((m) => m.permissions.includes(read) && !m.permissions.includes(review))
        .map((m) => claimsRoom(m.clinicId)),
    ],
  }),
  start: async ({ claims }) => {
    signer = setInterval(() => void claims.signHead().catch(() => {}), SIGN_EVERY_MS);
    signer.unref();
  },
  stop: async () => {
    if (signer) clearInterval(signer);
    signer = null;
  },
  // the serving role only reads and appends the claim ledger and its signed heads
  appendOnlyTables: ['claim_events', 'claim_ledger_heads'],
  seed: seedClaims,
  matrix: new URL('./claims.matrix.ts', import.meta.url),
});

export { payerRoom };
