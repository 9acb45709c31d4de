import { EventEmitter } from 'node:events';

/**
 * Rooms an event goes to. Staff join `clinic:` for each clinic they may see and `sp:` for the
 * service points they open; a patient's portal joins `patient:` of their own record; every socket
 * joins `user:` of its user; a waiting-room display joins `display:` of its clinic and `screen:` of
 * its own display token (so that revoking the token can cut it off).
 */
export type Room =
  `clinic:${string}` | `sp:${string}` | `user:${string}` | `patient:${string}` | `display:${string}` | `screen:${string}`;

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

/**
 * The one map of real-time events: name → payload. Payloads carry identifiers and states, not
 * patient details; a client that needs more refetches through the API, which checks and audits.
 */
export interface RealtimeEvents {
  /** booked, rescheduled, cancelled, confirmed, checked in… */
  'appointment.changed': { appointment: AppointmentEvent; change: string };
  /** templates or exceptions changed: free slots must be recomputed */
  'availability.changed': { practitionerId: string; clinicId: string | null };
  /** a freed slot is held for a waitlisted patient */
  'waitlist.offered': { waitlistEntryId: string; appointment: AppointmentEvent; holdExpiresAt: string };
  /** any move of a ticket: created, called, in service, done, skipped, transferred */
  'queue.ticket.changed': { ticket: TicketEvent; change: string };
  /** a ticket is called to a room: displays chime and speak it */
  'queue.ticket.called': { ticket: TicketEvent };
  /** a display token was revoked: the gateway disconnects the screens that opened with it */
  'display.revoked': { displayId: string };
}
export type RealtimeEventName = keyof RealtimeEvents;

/** Notices about the connection itself, sent to one socket by the gateway (not published). */
export interface ConnectionNotices {
  /** the access token of this socket expires now: the server disconnects; reconnect with a fresh one */
  'session.expired': { expiredAt: string };
}

export interface PublishedEvent<N extends RealtimeEventName = RealtimeEventName> {
  name: N;
  payload: RealtimeEvents[N];
  rooms: Room[];
}

/**
 * Services publish domain events here, after their transaction commits; the Socket.IO gateway is
 * the only subscriber that talks to sockets. Services never import socket.io.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();

  publish<N extends RealtimeEventName>(name: N, payload: RealtimeEvents[N], rooms: Room[]): void {
    if (!rooms.length) return;
    this.emitter.emit('event', { name, payload, rooms } satisfies PublishedEvent<N>);
  }

  subscribe(listener: (event: PublishedEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
