import type { TFunction } from 'i18next';
import { isApiError } from '../../../lib/api/errors.ts';
import { errorMessage, notify } from '../../../lib/errors.ts';

// Conflicts of the front desk that a user can act on; each has its own sentence.
const CONFLICTS = ['INVALID_TRANSITION', 'ALREADY_QUEUED', 'QUEUE_EMPTY', 'INVALID_STATUS', 'NOT_FOUND'] as const;

/** A toast for a failed queue or check-in action, explaining conflicts in the user's language. */
export function notifyQueueError(err: unknown, t: TFunction): void {
  const code = CONFLICTS.find((c) => isApiError(err, c));
  // INVALID_TRANSITION names the ticket's state now (details.from): say it in the user's language.
  const from = isApiError(err) ? (err.details as { from?: unknown } | null)?.from : undefined;
  const status = typeof from === 'string' ? t(`queue.status.${from}`, { defaultValue: from }) : '—';
  notify({
    color: code ? 'orange' : 'red',
    title: code ? t(`queue.conflict.${code}.title`) : t('common.errorTitle'),
    message: code ? t(`queue.conflict.${code}.message`, { status }) : errorMessage(err, t),
    autoClose: 8000,
  });
}
