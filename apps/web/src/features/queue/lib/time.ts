import { useEffect, useState } from 'react';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';

/** The current time, refreshed every `intervalMs`, so that waited times keep moving on screen. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

export function minutesBetween(fromIso: string, now: number): number {
  return Math.max(0, Math.floor((now - Date.parse(fromIso)) / 60_000));
}

/** Wall-clock time in a clinic's timezone (dayjs' timezone plugin is loaded by lib/dates.ts). */
export function clockTime(iso: string | null | undefined, timezone: string | undefined): string {
  if (!iso) return '—';
  const d = dayjs(iso);
  return (timezone ? d.tz(timezone) : d).format('HH:mm');
}

/** Today's date (YYYY-MM-DD) in a clinic's timezone. */
export function todayIn(timezone: string | undefined): string {
  const d = dayjs();
  return (timezone ? d.tz(timezone) : d).format('YYYY-MM-DD');
}

/** "3" → "Room 3"; a named room ("Lab B") as written; no room → the fallback (the service point). */
export function roomLabel(room: string | null | undefined, t: TFunction, fallback = '—'): string {
  if (!room?.trim()) return fallback;
  return /^\s*\d+[A-Za-z]?\s*$/.test(room) ? t('queue.fields.roomValue', { room: room.trim() }) : room;
}
