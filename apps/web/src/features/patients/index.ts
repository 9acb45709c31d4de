import { IconUserPlus, IconUsers } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';
import { EditPatientPage } from './routes/EditPatientPage.tsx';
import { NewPatientPage } from './routes/NewPatientPage.tsx';
import { PatientPage } from './routes/PatientPage.tsx';
import { PatientsPage } from './routes/PatientsPage.tsx';

export const patients = defineFeature({
  name: 'patients',
  routes: [
    {
      path: 'patients',
      component: PatientsPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['patients:read'],
      titleKey: 'patients:patients.title',
    },
    {
      path: 'patients/new',
      component: NewPatientPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['patients:write'],
      titleKey: 'patients:patients.newTitle',
    },
    {
      path: 'patients/:id',
      component: PatientPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['patients:read'],
      titleKey: 'patients:patients.recordPageTitle',
    },
    {
      path: 'patients/:id/edit',
      component: EditPatientPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['patients:write'],
      titleKey: 'patients:patients.editPageTitle',
    },
  ],
  navigation: [
    {
      section: 'clinic',
      order: 20,
      to: '/patients',
      labelKey: 'patients:nav.patients',
      icon: IconUsers,
      permission: 'patients:read',
    },
    {
      section: 'clinic',
      order: 30,
      to: '/patients/new',
      labelKey: 'patients:nav.registerPatient',
      icon: IconUserPlus,
      permission: 'patients:write',
    },
  ],
  strings,
});

// What the shell and other features may use: the patient search of the header (Ctrl K), the quick search and
// one patient's record (the chart's banner shares its cache with the record page).
export { PatientSpotlight } from './components/PatientSpotlight.tsx';
export { usePatient, useQuickPatientSearch } from './api/patients.ts';
