import { IconCalendarPlus, IconCalendarTime, IconEye, IconHeartbeat } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';
import { BookAppointmentPage } from './routes/BookAppointmentPage.tsx';
import { MyAppointmentsPage } from './routes/MyAppointmentsPage.tsx';
import { PortalAccessPage } from './routes/PortalAccessPage.tsx';
import { PortalHomePage } from './routes/PortalHomePage.tsx';

// Everything under /portal: the patient's own record, who accessed it, their appointments and booking.
export const portal = defineFeature({
  name: 'portal',
  routes: [
    {
      path: 'portal',
      component: PortalHomePage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['portal:self'],
      titleKey: 'portal:portal.title',
    },
    {
      path: 'portal/access',
      component: PortalAccessPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['portal:self'],
      titleKey: 'portal:portal.access.title',
    },
    {
      path: 'portal/appointments',
      component: MyAppointmentsPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['portal:self'],
      titleKey: 'portal:portalBooking.myTitle',
    },
    {
      path: 'portal/book',
      component: BookAppointmentPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['portal:self'],
      titleKey: 'portal:portalBooking.book',
    },
  ],
  navigation: [
    {
      section: 'myHealth',
      order: 10,
      to: '/portal',
      labelKey: 'portal:nav.myRecord',
      icon: IconHeartbeat,
      permission: 'portal:self',
    },
    {
      section: 'myHealth',
      order: 20,
      to: '/portal/appointments',
      labelKey: 'portal:schedNav.myAppointments',
      icon: IconCalendarTime,
      permission: 'portal:self',
    },
    {
      section: 'myHealth',
      order: 30,
      to: '/portal/book',
      labelKey: 'portal:schedNav.book',
      icon: IconCalendarPlus,
      permission: 'portal:self',
    },
    {
      section: 'myHealth',
      order: 40,
      to: '/portal/access',
      labelKey: 'portal:nav.whoAccessed',
      icon: IconEye,
      permission: 'portal:self',
    },
  ],
  strings,
});
