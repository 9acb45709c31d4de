import { useCallback, useMemo } from 'react';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import relativeTime from 'dayjs/plugin/relativeTime';
import localizedFormat from 'dayjs/plugin/localizedFormat';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import { useTranslation } from 'react-i18next';
import { useAuth } from './auth/AuthProvider.tsx';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(relativeTime);
dayjs.extend(localizedFormat);
dayjs.extend(customParseFormat);

export const ISO_DATE = 'YYYY-MM-DD';

/** Whole years, or months under two years, as paediatric records show them. */
export function ageParts(birthDate: string, today = dayjs()): { unit: 'years' | 'months'; count: number } {
  const birth = dayjs(birthDate, ISO_DATE, true);
  if (!birth.isValid()) return { unit: 'years', count: 0 };
  const years = today.diff(birth, 'year');
  return years >= 2 ? { unit: 'years', count: years } : { unit: 'months', count: Math.max(0, today.diff(birth, 'month')) };
}

/**
 * Formatters bound to the UI language and the active clinic's timezone: a timestamp means the
 * clinic's wall-clock time, while a birth date is a calendar date and is never shifted.
 */
export function useFormatters() {
  const { i18n, t } = useTranslation();
  const { activeClinic } = useAuth();
  const zone = activeClinic?.timezone;
  const language = i18n.resolvedLanguage ?? 'en';

  const inZone = useCallback((iso: string) => (zone ? dayjs(iso).tz(zone) : dayjs(iso)).locale(language), [zone, language]);

  return useMemo(
    () => ({
      timezone: zone ?? dayjs.tz.guess(),
      /**
       * e.g. 12 Mar 2026: a calendar date as it is, or the day of an instant in the clinic's timezone (a visit at
       * 00:30 in Kinshasa is on that day there, though still the day before in UTC)
       */
      date: (iso: string | null | undefined) =>
        !iso ? '—' : iso.length > 10 ? inZone(iso).format('ll') : dayjs(iso, ISO_DATE).locale(language).format('ll'),
      /** the clinic's day of an instant as YYYY-MM-DD (file names) */
      isoDay: (iso: string) => inZone(iso).format(ISO_DATE),
      /** e.g. 12 Mar 2026 14:05 in the clinic's timezone */
      dateTime: (iso: string | null | undefined) => (iso ? inZone(iso).format('ll HH:mm') : '—'),
      relative: (iso: string) => inZone(iso).fromNow(),
      age: (birthDate: string) => {
        const { unit, count } = ageParts(birthDate);
        return t(unit === 'years' ? 'common.ageYears' : 'common.ageMonths', { count });
      },
      number: (value: number) => new Intl.NumberFormat(language).format(value),
    }),
    [inZone, language, t],
  );
}
