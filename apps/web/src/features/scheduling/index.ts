import { IconCalendarTime, IconCategory, IconHourglass, IconStethoscope } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';
import { PractitionerPage } from './routes/PractitionerPage.tsx';
import { PractitionersPage } from './routes/PractitionersPage.tsx';
import { SchedulePage } from './routes/SchedulePage.tsx';
import { SchedulingSettingsPage } from './routes/SchedulingSettingsPage.tsx';
import { WaitlistPage } from './routes/WaitlistPage.tsx';

export const scheduling = defineFeature({
  name: 'scheduling',
  routes: [
    {
      path: 'schedule',
      component: SchedulePage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['appointments:read'],
      titleKey: 'scheduling:schedule.title',
    },
    {
      path: 'practitioners',
      component: PractitionersPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['appointments:read'],
      titleKey: 'scheduling:practitioners.title',
    },
    {
      path: 'practitioners/:id',
      component: PractitionerPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['appointments:read'],
      titleKey: 'scheduling:practitioners.title',
    },
    {
      path: 'waitlist',
      component: WaitlistPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['appointments:read'],
      titleKey: 'scheduling:waitlist.title',
    },
    // Specialties, visit types and clinic closures: scheduling's master data, in the administration section.
    {
      path: 'admin/scheduling',
      component: SchedulingSettingsPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['settings:write'],
      titleKey: 'scheduling:masterData.title',
    },
  ],
  navigation: [
    {
      section: 'clinic',
      order: 40,
      to: '/schedule',
      labelKey: 'scheduling:schedNav.schedule',
      icon: IconCalendarTime,
      permission: 'appointments:read',
    },
    {
      section: 'clinic',
      order: 50,
      to: '/practitioners',
      labelKey: 'scheduling:schedNav.practitioners',
      icon: IconStethoscope,
      permission: 'appointments:read',
    },
    {
      section: 'clinic',
      order: 60,
      to: '/waitlist',
      labelKey: 'scheduling:schedNav.waitlist',
      icon: IconHourglass,
      permission: 'appointments:read',
    },
    {
      section: 'admin',
      order: 40,
      to: '/admin/scheduling',
      labelKey: 'scheduling:schedNav.masterData',
      icon: IconCategory,
      permission: 'settings:write',
    },
  ],
  strings,
});

// What other features may use (the patient portal books through the same calendar).
export { type AppointmentStatus } from './api/appointments.ts';
export { localName, useSpecialties, useVisitTypes } from './api/masterdata.ts';
export { usePractitioners, useSlots, type Practitioner, type Slot } from './api/practitioners.ts';
export { type WaitlistEntry } from './api/waitlist.ts';
export { AppointmentStatusBadge } from './components/AppointmentStatusBadge.tsx';
export { conflictMessage, notifyScheduleError } from './lib/errors.ts';
export { formatFee, useSlotFormatter } from './routes/PractitionersPage.tsx';
