import path from 'node:path';
import { permissions } from '@sanita/contracts/documents';
import { defineModule, routes } from '../../platform/module.ts';
import { DocumentsHttp } from './documents-http.service.ts';
import { documentRoutes } from './documents.routes.ts';
import { seedDocuments } from './documents.seed.ts';
import { DocumentsService } from './documents.service.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    documents: { documents: DocumentsService; documentsHttp: DocumentsHttp };
  }
}

const [read, write, frontDesk] = permissions;

/**
 * Patient documents (scans, external reports, images, what the patient sends), encrypted at rest
 * in the documents directory (DOCUMENTS_DIR, default <dataDir>/documents).
 */
export const documentsModule = defineModule({
  name: 'documents',
  permissions,
  // the front desk scans identity papers, referral letters and consents; clinicians read and file everything
  grants: {
    super_admin: [read, write],
    doctor: [read, write],
    nurse: [read, write],
    optician: [read],
    receptionist: [frontDesk],
  },
  services: ({ config, db, crypto }) => ({
    documents: new DocumentsService(
      db,
      crypto,
      config.documentsDir ?? path.join(config.dataDir, 'documents'),
      config.documentMaxBytes,
    ),
    documentsHttp: new DocumentsHttp(config.documentMaxBytes),
  }),
  routes: ({ documents, documentsHttp }) => [routes(documentRoutes, { documents, documentsHttp })],
  // the demo's documents wait in their rows until a server writes their files
  start: async ({ documents }) => {
    await documents.writePendingFiles();
  },
  seed: seedDocuments,
  onPatientMerge: ({ documents }) => documents.mergePatients,
  timeline: ({ documents }) => documents.timeline,
  matrix: new URL('./documents.matrix.ts', import.meta.url),
});
