import { getTableName } from 'drizzle-orm';
import { permissions } from '@sanita/contracts/terminology';
import { cvxCodes, icd10Codes, icd10Words, terminologyReleases } from '../../db/schema/terminology.ts';
import { defineModule, routes } from '../../platform/module.ts';
import { loadTerminology } from './terminology.load.ts';
import { terminologyRoutes } from './terminology.routes.ts';
import { TerminologyService } from './terminology.service.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    terminology: { terminology: TerminologyService };
  }
}

/**
 * Terminology: ICD-10-CM (FY2026) and CVX, loaded into the database from apps/server/reference at
 * start-up (as the owner, once per release of each file) and searched by staff who read charts.
 * Other modules validate and name codes through `services.terminology` (findIcd10, searchIcd10,
 * findCvx, searchCvx).
 */
export const terminologyModule = defineModule({
  name: 'terminology',
  permissions,
  services: ({ db }) => ({ terminology: new TerminologyService(db) }),
  routes: ({ terminology }) => [routes(terminologyRoutes, { terminology })],
  reference: {
    tables: [icd10Codes, icd10Words, cvxCodes, terminologyReleases].map((t) => getTableName(t)),
    load: loadTerminology,
  },
  matrix: new URL('./terminology.matrix.ts', import.meta.url),
});
