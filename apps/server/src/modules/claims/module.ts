import { permissions } from '@sanita/contracts/claims';
import { defineModule } from '../../platform/module.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    claims: Record<string, never>;
  }
}

const [coverageRead, coverageWrite, read, write, review, manage] = permissions;

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
  services: () => ({}),
  routes: () => [],
  matrix: new URL('./claims.matrix.ts', import.meta.url),
});
