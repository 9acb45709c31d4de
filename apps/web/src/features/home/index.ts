import { IconHome } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';
import { HomePage } from './routes/HomePage.tsx';

export const home = defineFeature({
  name: 'home',
  routes: [{ path: '', component: HomePage, access: 'enrolled', layout: 'app', titleKey: 'home:nav.home' }],
  navigation: [{ section: 'clinic', order: 10, to: '/', labelKey: 'home:nav.home', icon: IconHome }],
  strings,
});
