import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';

// Terminology: no page of its own. Other features choose codes with its pickers: an ICD-10-CM
// diagnosis (notes, problem list, history) and a CVX vaccine (immunizations).
export const terminology = defineFeature({
  name: 'terminology',
  routes: [],
  navigation: [],
  strings,
});

// What other features may use.
export { Icd10Picker } from './components/Icd10Picker.tsx';
export { CvxPicker, cvxLabel } from './components/CvxPicker.tsx';
export { useIcd10Search, useCvxSearch } from './api/terminology.ts';
export type { Icd10Code, CvxCode } from './api/terminology.ts';
