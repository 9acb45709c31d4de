import type { QueryKey } from '@tanstack/react-query';
import type { RealtimeEventName } from './events.ts';

/**
 * Which cached queries an event makes stale, by query-key prefix. Features name their queries with
 * these first segments so every screen stays live without wiring its own listener:
 * `['appointments', …]`, `['slots', …]`, `['practitioners', …]`, `['availability', …]`,
 * `['waitlist', …]`, `['portal', …]`, `['queue', …]`, `['front-desk', …]`, `['display', …]`.
 * Payloads carry ids only, so a refetch through the API (checked and audited) is the update.
 */
export const INVALIDATED_BY: Record<RealtimeEventName, readonly QueryKey[]> = {
  'appointment.changed': [['appointments'], ['slots'], ['practitioners'], ['portal'], ['front-desk']],
  'availability.changed': [['slots'], ['availability'], ['practitioners']],
  'waitlist.offered': [['waitlist'], ['appointments'], ['slots'], ['portal']],
  'queue.ticket.changed': [['queue'], ['front-desk'], ['appointments']],
  'queue.ticket.called': [['queue'], ['display']],
  // the screen's board is refetched and refused: it shows that its link was revoked
  'display.revoked': [['display']],
  // the chart refetches only the patient the event names (features/chart/api/vitals.ts): each read is audited
  'vitals.recorded': [],
};
