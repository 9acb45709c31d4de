import { IconDesk, IconDeviceTv, IconListNumbers, IconMapPin } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';
import { FrontDeskHomePanel, TriageHomePanel } from './components/HomePanels.tsx';
import { DisplayTokensPage } from './routes/DisplayTokensPage.tsx';
import { FrontDeskPage } from './routes/FrontDeskPage.tsx';
import { QueuePage } from './routes/QueuePage.tsx';
import { ServicePointsPage } from './routes/ServicePointsPage.tsx';

export const queue = defineFeature({
  name: 'queue',
  routes: [
    {
      path: 'front-desk',
      component: FrontDeskPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['queue:write'],
      titleKey: 'queue:frontDesk.title',
    },
    {
      path: 'queue',
      component: QueuePage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['queue:read'],
      titleKey: 'queue:queue.title',
    },
    {
      path: 'admin/service-points',
      component: ServicePointsPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['settings:write'],
      titleKey: 'queue:servicePoints.title',
    },
    {
      path: 'admin/displays',
      component: DisplayTokensPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['settings:write'],
      titleKey: 'queue:displayTokens.title',
    },
  ],
  navigation: [
    {
      section: 'clinic',
      order: 70,
      to: '/front-desk',
      labelKey: 'queue:frontDesk.title',
      icon: IconDesk,
      permission: 'queue:write',
    },
    {
      section: 'clinic',
      order: 80,
      to: '/queue',
      labelKey: 'queue:queue.title',
      icon: IconListNumbers,
      permission: 'queue:read',
    },
    {
      section: 'admin',
      order: 50,
      to: '/admin/service-points',
      labelKey: 'queue:servicePoints.title',
      icon: IconMapPin,
      permission: 'settings:write',
    },
    {
      section: 'admin',
      order: 60,
      to: '/admin/displays',
      labelKey: 'queue:displayTokens.title',
      icon: IconDeviceTv,
      permission: 'settings:write',
    },
  ],
  // the front desk's day (receptionists) and the triage queue (nurses): each panel shows for its roles only
  home: [
    { key: 'front-desk', order: 20, permission: 'queue:write', component: FrontDeskHomePanel },
    { key: 'triage', order: 30, permission: 'queue:read', component: TriageHomePanel },
  ],
  strings,
});
