import type { TFunction } from 'i18next';
import type { ErrorCode } from '@sanita/contracts/catalogue';
import { isApiError } from '../../../lib/api/errors.ts';
import { errorMessage, notify } from '../../../lib/errors.ts';

// Conflicts a user can act on (pick another time, call the clinic); each has its own sentence
// (conflict.<sentence>). Only codes of the API are keys: a code the server renames fails typecheck.
const CONFLICTS = {
  SLOT_TAKEN: 'SLOT_TAKEN',
  PATIENT_BUSY: 'PATIENT_BUSY',
  SLOT_UNAVAILABLE: 'SLOT_UNAVAILABLE',
  NOTICE_TOO_SHORT: 'NOTICE_TOO_SHORT',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  OFFER_EXPIRED: 'HOLD_EXPIRED',
} as const satisfies Partial<Record<ErrorCode, string>>;

/** The sentence for a scheduling conflict, or null when the error is something else. */
export function conflictMessage(err: unknown, t: TFunction): string | null {
  const code = isApiError(err) && err.code in CONFLICTS ? CONFLICTS[err.code as keyof typeof CONFLICTS] : undefined;
  if (!code) return null;
  // The notice policy is the clinic's: the server's message carries its hours.
  return t(`scheduling:conflict.${code}`, { detail: isApiError(err) ? err.message : '' });
}

/** A toast for a failed scheduling action: conflicts explained, anything else as the server said it. */
export function notifyScheduleError(err: unknown, t: TFunction): void {
  const conflict = conflictMessage(err, t);
  notify({
    color: conflict ? 'orange' : 'red',
    title: conflict ? t('scheduling:conflict.title') : t('common.errorTitle'),
    message: conflict ?? errorMessage(err, t),
    autoClose: 10_000,
  });
}
