import {
  IconActivity,
  IconCalendarPlus,
  IconCalendarTime,
  IconEye,
  IconFileInvoice,
  IconHeartbeat,
  IconNotes,
  IconPrescription,
  IconStethoscope,
} from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';
import { BookAppointmentPage } from './routes/BookAppointmentPage.tsx';
import { MyAppointmentsPage } from './routes/MyAppointmentsPage.tsx';
import { MyHealthPage } from './routes/MyHealthPage.tsx';
import { MyInvoicesPage } from './routes/MyInvoicesPage.tsx';
import { MyPrescriptionsPage } from './routes/MyPrescriptionsPage.tsx';
import { MyVisitsPage } from './routes/MyVisitsPage.tsx';
import { MyVitalsPage } from './routes/MyVitalsPage.tsx';
import { PortalAccessPage } from './routes/PortalAccessPage.tsx';
import { PortalHomePage } from './routes/PortalHomePage.tsx';

// Everything under /portal: the patient's own record, who accessed it, their appointments and booking,
// their chart (signed visit summaries, problems, allergies, vaccines, measures and trends).
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
      path: 'portal/visits',
      component: MyVisitsPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['portal:self'],
      titleKey: 'portal:myChart.visits.title',
    },
    {
      path: 'portal/health',
      component: MyHealthPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['portal:self'],
      titleKey: 'portal:myChart.health.title',
    },
    {
      path: 'portal/vitals',
      component: MyVitalsPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['portal:self'],
      titleKey: 'portal:myChart.vitals.title',
    },
    {
      path: 'portal/prescriptions',
      component: MyPrescriptionsPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['portal:self'],
      titleKey: 'portal:myPrescriptions.title',
    },
    {
      path: 'portal/invoices',
      component: MyInvoicesPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['portal:self'],
      titleKey: 'portal:myInvoices.title',
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
      order: 12,
      to: '/portal/visits',
      labelKey: 'portal:myChart.nav.visits',
      icon: IconNotes,
      permission: 'portal:self',
    },
    {
      section: 'myHealth',
      order: 14,
      to: '/portal/health',
      labelKey: 'portal:myChart.nav.health',
      icon: IconStethoscope,
      permission: 'portal:self',
    },
    {
      section: 'myHealth',
      order: 16,
      to: '/portal/vitals',
      labelKey: 'portal:myChart.nav.vitals',
      icon: IconActivity,
      permission: 'portal:self',
    },
    {
      section: 'myHealth',
      order: 18,
      to: '/portal/prescriptions',
      labelKey: 'portal:myPrescriptions.nav',
      icon: IconPrescription,
      permission: 'portal:self',
    },
    {
      section: 'myHealth',
      order: 19,
      to: '/portal/invoices',
      labelKey: 'portal:myInvoices.nav',
      icon: IconFileInvoice,
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
