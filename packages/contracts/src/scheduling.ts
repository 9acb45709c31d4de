// The scheduling domain: its schemas are in ./scheduling/*.ts (master data, practitioners,
// availability and slots, appointments, waitlist); this file declares what the domain brings as a whole.

export const permissions = ['appointments:read', 'appointments:write', 'availability:write'] as const;

export const errorCodes = [
  'SLOT_TAKEN',
  'SLOT_UNAVAILABLE',
  'APPOINTMENTS_OVERLAP',
  'INVALID_STATUS',
  'INVALID_TRANSITION',
  'NOT_CONFIRMED',
  'NOTICE_TOO_SHORT',
  'OFFER_EXPIRED',
  'PATIENT_BUSY',
  'CODE_TAKEN',
] as const;

/** An appointment as events describe it: identifiers and times, never names. */
export interface AppointmentEvent {
  id: string;
  clinicId: string;
  practitionerId: string;
  patientId: string;
  status: string;
  startsAt: string;
  endsAt: string;
}

/** Realtime events of the domain: name → payload (identifiers and states, never patient details). */
export interface Events {
  /** booked, rescheduled, cancelled, confirmed, checked in… */
  'appointment.changed': { appointment: AppointmentEvent; change: string };
  /** templates or exceptions changed: free slots must be recomputed */
  'availability.changed': { practitionerId: string; clinicId: string | null };
  /** a freed slot is held for a waitlisted patient */
  'waitlist.offered': { waitlistEntryId: string; appointment: AppointmentEvent; holdExpiresAt: string };
}
export const events = [
  'appointment.changed',
  'availability.changed',
  'waitlist.offered',
] as const satisfies readonly (keyof Events)[];
