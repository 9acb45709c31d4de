import type { TFunction } from 'i18next';
import { notifications } from '@mantine/notifications';
import { ApiError } from './api/errors.ts';
import { lookupNamespaces, i18n } from './i18n/i18n.ts';
import { issueMessage, issuesByField } from './validation.ts';

// Every code the API may answer with has its sentence under `errors.<CODE>`, English and French: in
// the shared strings for codes any route may answer, in the feature's own strings for a domain's codes
// (app/strings.test.ts fails when a code of the contracts has none).

/** A sentence for the user about what went wrong, in their language. */
export function errorMessage(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) return t(`errors.${err.code}`, { ns: lookupNamespaces() });
  return t('errors.unexpected');
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
  const issues = issuesByField(err.fieldIssues);
  if (issues.length === 0) return false;
  let placedAll = true;
  for (const issue of issues) {
    const path = rename[issue.field] ?? issue.field;
    if (hasPath(form.getInitialValues(), path) || hasPath(form.getInitialValues(), path.split('.')[0] ?? '')) {
      form.setFieldError(path, issueMessage(issue, t));
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
