import type { TFunction } from 'i18next';
import { notifications } from '@mantine/notifications';
import { ApiError } from './api/errors.ts';
import { i18n } from './i18n/i18n.ts';

// Codes the UI explains in the user's language; any other code falls back to the server's message.
const KNOWN_CODES = new Set([
  'NETWORK',
  'INTERNAL',
  'RATE_LIMITED',
  'FORBIDDEN',
  'NOT_FOUND',
  'INVALID_CREDENTIALS',
  'INVALID_MFA_CODE',
  'EMAIL_NOT_VERIFIED',
  'SESSION_ENDED',
  'STALE_VERSION',
  'MFA_REQUIRED_BY_POLICY',
  'MFA_ENROLLMENT_REQUIRED',
  'CLINIC_FORBIDDEN',
  'CSRF_FAILED',
]);

/** A sentence for the user about what went wrong. */
export function errorMessage(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) {
    if (KNOWN_CODES.has(err.code)) return t(`errors.${err.code}`);
    if (err.status >= 500) return t('errors.INTERNAL');
    if (err.message) return err.message;
  }
  return t('errors.unexpected');
}

/** Server field messages are short English predicates ("is required"); translate the common ones. */
export function fieldMessage(message: string, t: TFunction): string {
  if (message === 'is required') return t('validation.required');
  if (message === 'is not an allowed field') return t('validation.notAllowed');
  if (/format "email"/.test(message)) return t('validation.email');
  if (/format "date"/.test(message)) return t('validation.date');
  if (/must NOT have fewer than/.test(message)) return t('validation.tooShort');
  if (/must NOT have more than/.test(message)) return t('validation.tooLong');
  // Nullable fields are validated as "this type, or null"; the useful part is simply "not valid".
  if (/must match a schema in anyOf|must match pattern|must be equal to one of/.test(message)) return t('validation.invalid');
  return message;
}

type NotificationInput = Parameters<typeof notifications.show>[0];

/** Every toast goes through here so that its close button has a name in the current language. */
export function notify(input: NotificationInput): void {
  notifications.show({ ...input, closeButtonProps: { 'aria-label': i18n.t('common.close') } });
}

export function notifyError(err: unknown, t: TFunction, title?: string): void {
  notify({ color: 'red', title: title ?? t('common.errorTitle'), message: errorMessage(err, t), autoClose: 8000 });
}

export function notifySuccess(message: string): void {
  notify({ color: 'green', message });
}

interface FormWithErrors {
  setFieldError(path: string, error: string): void;
  getInputProps(path: string): unknown;
  getInitialValues(): unknown;
}

function hasPath(values: unknown, path: string): boolean {
  let current: unknown = values;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || !(key in current)) return false;
    current = (current as Record<string, unknown>)[key];
  }
  return true;
}

/**
 * Puts the API's 400 `details` on the matching form fields. Returns true when every issue found a
 * field; otherwise the caller should also show the error as a whole.
 */
export function applyFieldErrors(form: FormWithErrors, err: unknown, t: TFunction, rename: Record<string, string> = {}): boolean {
  if (!(err instanceof ApiError)) return false;
  const issues = err.fieldIssues;
  if (issues.length === 0) return false;
  let placedAll = true;
  for (const issue of issues) {
    const path = rename[issue.field] ?? issue.field;
    if (hasPath(form.getInitialValues(), path) || hasPath(form.getInitialValues(), path.split('.')[0] ?? '')) {
      form.setFieldError(path, fieldMessage(issue.message, t));
    } else {
      placedAll = false;
    }
  }
  return placedAll;
}

/** Field errors at their fields, anything else as a toast. */
export function handleFormError(form: FormWithErrors, err: unknown, t: TFunction, rename?: Record<string, string>): void {
  if (!applyFieldErrors(form, err, t, rename)) notifyError(err, t);
}
