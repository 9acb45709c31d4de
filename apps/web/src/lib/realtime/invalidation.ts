import type { QueryKey } from '@tanstack/react-query';
import type { RealtimeEventName } from './events.ts';

/**
 * Which cached queries an event makes stale, by query-key prefix. Features name their queries with
 * these first segments so every screen stays live without wiring its own listener:
 * `['appointments', …]`, `['slots', …]`, `['practitioners', …]`, `['availability', …]`,
 * `['waitlist', …]`, `['portal', …]`, `['queue', …]`, `['front-desk', …]`, `['display', …]`.
 * Payloads carry ids only, so a refetch through the API (checked and audited) is the update. An
 * event without an entry invalidates nothing here: its feature listens for it itself (e.g. the chart
 * refetches only the patient `vitals.recorded` names, features/chart/api/vitals.ts, since each read
 * is audited), so a new domain's events need no line in this file.
 */
export const INVALIDATED_BY: Partial<Record<RealtimeEventName, readonly QueryKey[]>> = {
  'appointment.changed': [['appointments'], ['slots'], ['practitioners'], ['portal'], ['front-desk']],
  'availability.changed': [['slots'], ['availability'], ['practitioners']],
  'waitlist.offered': [['waitlist'], ['appointments'], ['slots'], ['portal']],
  'queue.ticket.changed': [['queue'], ['front-desk'], ['appointments']],
  'queue.ticket.called': [['queue'], ['display']],
  // the screen's board is refetched and refused: it shows that its link was revoked
  'display.revoked': [['display']],
};
