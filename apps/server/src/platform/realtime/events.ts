import { EventEmitter } from 'node:events';

/**
 * Rooms an event goes to, `<kind>:<id>`. Every user socket joins `user:` of its user; the modules
 * add the others (their manifests' `realtime`): staff join `clinic:` for each clinic whose diary or
 * queues they may see and `sp:` for the service points they open; a patient's portal joins
 * `patient:` of their own record; a waiting-room display joins `display:` of its clinic and
 * `screen:` of its own display token (so that revoking the token can cut it off).
 */
export type Room = `${string}:${string}`;

export type { AppointmentEvent } from '@sanita/contracts/scheduling';
export type { TicketEvent } from '@sanita/contracts/queue';
/**
 * The one map of real-time events (name → payload), the union of every domain contract's `Events`.
 * Payloads carry identifiers and states, not patient details; a client that needs more refetches
 * through the API, which checks and audits.
 */
export type { RealtimeEvents, RealtimeEventName } from '@sanita/contracts/catalogue';
import type { RealtimeEvents, RealtimeEventName } from '@sanita/contracts/catalogue';

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
