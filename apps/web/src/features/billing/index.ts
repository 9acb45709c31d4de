import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';

export const billing = defineFeature({
  name: 'billing',
  routes: [],
  navigation: [],
  strings,
});
