// The features of the web application, one line each. The router, the navigation and the i18n namespaces are
// built from this list; a new feature adds its folder with an index.ts (defineFeature) and one line here.
import type { FeatureManifest } from '../app/feature.ts';
import { account } from './account/index.ts';
import { admin } from './admin/index.ts';
import { auth } from './auth/index.ts';
import { chart } from './chart/index.ts';
import { display } from './display/index.ts';
import { encounters } from './encounters/index.ts';
import { documents } from './documents/index.ts';
import { history } from './history/index.ts';
import { home } from './home/index.ts';
import { letters } from './letters/index.ts';
import { medications } from './medications/index.ts';
import { notes } from './notes/index.ts';
import { patients } from './patients/index.ts';
import { pharmacy } from './pharmacy/index.ts';
import { inventory } from './inventory/index.ts';
import { portal } from './portal/index.ts';
import { queue } from './queue/index.ts';
import { scheduling } from './scheduling/index.ts';
import { terminology } from './terminology/index.ts';
import { immunizations } from './immunizations/index.ts';
import { lab } from './lab/index.ts';
import { hl7 } from './hl7/index.ts';
import { billing } from './billing/index.ts';
import { claims } from './claims/index.ts';

export const FEATURES: readonly FeatureManifest[] = [
  auth,
  account,
  display,
  home,
  patients,
  scheduling,
  queue,
  chart,
  terminology,
  immunizations,
  history,
  letters,
  encounters,
  notes,
  medications,
  pharmacy,
  inventory,
  lab,
  hl7,
  billing,
  claims,
  documents,
  admin,
  portal,
];
