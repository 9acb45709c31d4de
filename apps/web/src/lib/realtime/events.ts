// The event map is the contracts' (each domain declares its events; the catalogue unions them), the
// same the server's gateway emits. Only the connection's own notices are the web's to name here.
import { REALTIME_EVENT_NAMES, type RealtimeEventName } from '@sanita/contracts/catalogue';

export { REALTIME_EVENT_NAMES, type RealtimeEventName, type RealtimeEvents } from '@sanita/contracts/catalogue';
export type { AppointmentEvent } from '@sanita/contracts/scheduling';
export type { TicketEvent } from '@sanita/contracts/queue';

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
