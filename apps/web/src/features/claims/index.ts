import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';

export const claims = defineFeature({
  name: 'claims',
  routes: [],
  navigation: [],
  strings,
});
