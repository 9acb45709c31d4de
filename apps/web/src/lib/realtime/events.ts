// Mirror of the server's event map, apps/server/src/platform/realtime/events.ts (the web tsconfig
// cannot compile that file: it imports node:events). Keep both in step: same names, same payloads.

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

/** A queue ticket as events describe it: no patient data, so displays may receive it. */
export interface TicketEvent {
  id: string;
  clinicId: string;
  servicePointId: string;
  code: string;
  status: string;
  priority: string;
  room: string | null;
  servicePointName: string;
  calledAt: string | null;
}

/** Domain events: name → payload. */
export interface RealtimeEvents {
  'appointment.changed': { appointment: AppointmentEvent; change: string };
  'availability.changed': { practitionerId: string; clinicId: string | null };
  'waitlist.offered': { waitlistEntryId: string; appointment: AppointmentEvent; holdExpiresAt: string };
  'queue.ticket.changed': { ticket: TicketEvent; change: string };
  'queue.ticket.called': { ticket: TicketEvent };
  /** only screens opened with that display link hear it; the server then disconnects them */
  'display.revoked': { displayId: string };
}
export type RealtimeEventName = keyof RealtimeEvents;

export const REALTIME_EVENT_NAMES: readonly RealtimeEventName[] = [
  'appointment.changed',
  'availability.changed',
  'waitlist.offered',
  'queue.ticket.changed',
  'queue.ticket.called',
  'display.revoked',
];

/** Connection notices the gateway sends besides domain events. */
export const SESSION_EXPIRED = 'session.expired';
/** Client → server: join the room of one service point; the ack says whether it was allowed. */
export const QUEUE_SUBSCRIBE = 'queue.subscribe';
export const QUEUE_UNSUBSCRIBE = 'queue.unsubscribe';
export interface SubscribeAck {
  ok: boolean;
  error?: string;
}

export function isRealtimeEventName(name: unknown): name is RealtimeEventName {
  return typeof name === 'string' && (REALTIME_EVENT_NAMES as readonly string[]).includes(name);
}
