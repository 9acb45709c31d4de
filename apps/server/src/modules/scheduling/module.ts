import { permissions } from '@sanita/contracts/scheduling';
import { defineModule, routes } from '../../platform/module.ts';
import { seedScheduling } from '../../seed/scheduling.ts';
import { seedAppointments } from '../../seed/appointments.ts';
import { MasterDataService } from './masterdata.service.ts';
import { masterDataRoutes } from './masterdata.routes.ts';
import { AvailabilityService } from './availability.service.ts';
import { availabilityRoutes } from './availability.routes.ts';
import { PractitionersService } from './practitioners.service.ts';
import { practitionersRoutes } from './practitioners.routes.ts';
import { IcalService } from './ical.service.ts';
import { icalRoutes } from './ical.routes.ts';
import { RemindersService } from './reminders.service.ts';
import { AppointmentsService } from './appointments.service.ts';
import { appointmentsRoutes } from './appointments.routes.ts';
import { WaitlistService } from './waitlist.service.ts';
import { waitlistRoutes } from './waitlist.routes.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    scheduling: {
      masterData: MasterDataService;
      availability: AvailabilityService;
      practitioners: PractitionersService;
      ical: IcalService;
      reminders: RemindersService;
      appointments: AppointmentsService;
      waitlist: WaitlistService;
    };
  }
}

const [read, write, availabilityWrite] = permissions;

/** Specialties and visit types, practitioners and their hours, appointments, reminders, the waiting list. */
export const schedulingModule = defineModule({
  name: 'scheduling',
  permissions,
  grants: {
    super_admin: [read, write, availabilityWrite],
    admin: [read, write, availabilityWrite],
    manager: [read],
    doctor: [read, write],
    nurse: [read, write],
    receptionist: [read, write, availabilityWrite],
    secretary: [read, write, availabilityWrite],
    pharmacist: [read],
    lab_technician: [read],
    optician: [read, write],
    cashier: [read],
  },
  services: ({ db, events, jobs, mailer, sms, config, log }) => {
    const availability = new AvailabilityService(db, events);
    const reminders = new RemindersService(db, jobs, mailer, sms, config.publicUrl);
    const appointments = new AppointmentsService(db, availability, reminders, events, log);
    return {
      masterData: new MasterDataService(db),
      availability,
      practitioners: new PractitionersService(db, availability, events, config.publicUrl),
      ical: new IcalService(db),
      reminders,
      appointments,
      waitlist: new WaitlistService(db, availability, appointments, reminders, jobs, mailer, events, config.publicUrl, log),
    };
  },
  routes: (s) => [
    routes(masterDataRoutes, { masterData: s.masterData }),
    routes(practitionersRoutes, { practitioners: s.practitioners }),
    routes(availabilityRoutes, { availability: s.availability }),
    routes(icalRoutes, { ical: s.ical }),
    routes(appointmentsRoutes, { appointments: s.appointments }),
    routes(waitlistRoutes, { waitlist: s.waitlist }),
  ],
  realtime: () => ({
    // staff who see the diary follow their clinics' appointment events
    rooms: (p) => p.memberships.filter((m) => m.permissions.includes(read)).map((m) => `clinic:${m.clinicId}` as const),
  }),
  // the job workers: reminders to send, offers of the waiting list that expire
  start: async ({ reminders, waitlist }) => {
    await reminders.start();
    await waitlist.start();
  },
  onPatientMerge: ({ appointments }) => appointments.mergePatients,
  seed: async (tx, demo) => {
    await seedScheduling(tx, { clinics: demo.clinics, users: demo.users });
    await seedAppointments(tx, {
      clinics: { KIN: demo.clinics.KIN.id, GOM: demo.clinics.GOM.id },
      rand: demo.rand,
      portalPatientId: demo.portalPatientId,
    });
  },
  matrix: new URL('./scheduling.matrix.ts', import.meta.url),
});
