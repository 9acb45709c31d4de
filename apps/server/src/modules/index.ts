import { clinicsModule } from './clinics/module.ts';
import { patientsModule } from './patients/module.ts';
import { authModule } from './auth/module.ts';
import { adminModule } from './admin/module.ts';
import { schedulingModule } from './scheduling/module.ts';
import { queueModule } from './queue/module.ts';
import { documentsModule } from './documents/module.ts';
import { portalModule } from './portal/module.ts';
import { terminologyModule } from './terminology/module.ts';
import { chartModule } from './chart/module.ts';
import { encountersModule } from './encounters/module.ts';
import { lettersModule } from './letters/module.ts';
import { notesModule } from './notes/module.ts';
import { historyModule } from './history/module.ts';
import { immunizationsModule } from './immunizations/module.ts';
import { timelineModule } from './timeline/module.ts';
import { medicationsModule } from './medications/module.ts';
import { inventoryModule } from './inventory/module.ts';
import { pharmacyModule } from './pharmacy/module.ts';
import { labModule } from './lab/module.ts';
import { billingModule } from './billing/module.ts';
import { claimsModule } from './claims/module.ts';
import { paymentsModule } from './payments/module.ts';
import { hl7Module } from './hl7/module.ts';
import type { AnyModule } from '../platform/module.ts';

/**
 * The server's modules, in dependency order (a module comes after those it `needs`): one line per
 * module. The app, the access catalogue, the realtime gateway, the job workers, the demo seed and
 * the authorization matrix iterate over this list.
 */
export const modules: readonly AnyModule[] = [
  clinicsModule,
  patientsModule,
  authModule,
  adminModule,
  schedulingModule,
  queueModule,
  documentsModule,
  terminologyModule,
  chartModule,
  encountersModule,
  notesModule,
  lettersModule,
  historyModule,
  immunizationsModule,
  timelineModule,
  medicationsModule,
  inventoryModule,
  pharmacyModule,
  labModule,
  hl7Module,
  billingModule,
  paymentsModule,
  claimsModule,
  // the patient's own view of every domain above
  portalModule,
];
