import { DateTime } from 'luxon';

/**
 * Free-slot computation: pure (no database, no clock), so the rules of docs/scheduling.md can be
 * tested exhaustively, including daylight-saving days. Templates are in the clinic's local time;
 * every step walks local calendar days with luxon, so 09:00 stays 09:00 local across a DST change.
 */

export interface SlotTemplate {
  /** ISO weekday: 1 = Monday … 7 = Sunday */
  weekday: number;
  /** HH:MM or HH:MM:SS, local time */
  startTime: string;
  endTime: string;
  slotMinutes: number;
  bufferMinutes: number;
  /** empty: any visit type */
  visitTypeIds: string[];
  /** local dates, inclusive */
  validFrom: string | null;
  validTo: string | null;
}

/** A half-open range of instants, [start, end). */
export interface TimeRange {
  start: Date;
  end: Date;
}

export interface SlotQuery {
  /** IANA zone of the clinic */
  timezone: string;
  templates: SlotTemplate[];
  /** leave, holidays, closures: nothing may overlap them */
  exceptions: TimeRange[];
  /** time already held by appointments: [starts_at, block_ends_at) */
  busy: TimeRange[];
  /** null: any visit type (the template's own grid step is the slot length) */
  visitTypeId: string | null;
  /** null: the template's slotMinutes */
  durationMinutes: number | null;
  /** local dates, inclusive, YYYY-MM-DD */
  from: string;
  to: string;
  now: Date;
  /** stop after this many slots (e.g. 1 for "next free slot") */
  limit?: number;
}

export interface Slot {
  /** ISO 8601 with the clinic's offset */
  startsAt: string;
  endsAt: string;
}

/** One template's window on one local day, as instants (ms since the epoch). */
export interface Window {
  template: SlotTemplate;
  start: number;
  end: number;
  day: LocalDay;
}

/** What slot computation needs to know about one local date in one zone. */
interface LocalDay {
  /** ISO weekday: 1 = Monday … 7 = Sunday */
  weekday: number;
  /** the UTC offset (minutes) at local midnight */
  offset: number;
  /** true: one offset from midnight to midnight (no daylight-saving change that day) */
  uniform: boolean;
  /** the offset as luxon writes it in ISO 8601 (e.g. "+01:00") */
  suffix: string;
}

const overlaps = (aStart: number, aEnd: number, r: TimeRange) => aStart < r.end.getTime() && r.start.getTime() < aEnd;

function localTime(date: string, time: string, zone: string): DateTime {
  return DateTime.fromISO(`${date}T${time.length === 5 ? `${time}:00` : time}`, { zone });
}

const iso = (d: DateTime) => d.toISO({ suppressMilliseconds: true })!;

/**
 * Time-zone arithmetic through luxon (Intl) costs tens of microseconds per conversion, and a
 * two-week search asks about the same few dates again and again: what each local date needs is
 * computed once per zone and date and kept (zone rules do not change while the process runs).
 */
const localDays = new Map<string, LocalDay | null>();
function localDay(zone: string, date: string): LocalDay | null {
  const key = `${zone} ${date}`;
  let day = localDays.get(key);
  if (day === undefined) {
    const start = DateTime.fromISO(date, { zone });
    day = start.isValid
      ? {
          weekday: start.weekday,
          offset: start.offset,
          // a change at midnight makes luxon move a missing midnight forward: not uniform either
          uniform: start.hour === 0 && start.minute === 0 && start.offset === start.plus({ days: 1 }).offset,
          suffix: iso(start).slice(19),
        }
      : null;
    if (localDays.size >= 20_000) localDays.clear();
    localDays.set(key, day);
  }
  return day;
}

/**
 * The instant of local `time` on `date`. On a day without an offset change that is plain
 * arithmetic; on a daylight-saving day luxon resolves gaps and repeated hours.
 */
function localMillis(date: string, time: string, zone: string, day: LocalDay): number | null {
  if (day.uniform) {
    const ms = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}Z`);
    return Number.isNaN(ms) ? null : ms - day.offset * 60_000;
  }
  const t = localTime(date, time, zone);
  return t.isValid ? t.toMillis() : null;
}

/** The template windows open on local date `date` (YYYY-MM-DD) for `visitTypeId` (null: any). */
export function windowsOn(timezone: string, templates: SlotTemplate[], date: string, visitTypeId: string | null): Window[] {
  const day = localDay(timezone, date);
  if (!day) return [];
  const out: Window[] = [];
  for (const t of templates) {
    if (t.weekday !== day.weekday) continue;
    if (t.validFrom && date < t.validFrom) continue;
    if (t.validTo && date > t.validTo) continue;
    if (visitTypeId && t.visitTypeIds.length && !t.visitTypeIds.includes(visitTypeId)) continue;
    const start = localMillis(date, t.startTime, timezone, day);
    const end = localMillis(date, t.endTime, timezone, day);
    if (start !== null && end !== null && start < end) out.push({ template: t, start, end, day });
  }
  return out.sort((a, b) => a.start - b.start);
}

const DAY_MS = 86_400_000;

/** Local dates from..to inclusive (at most 400). */
export function localDates(from: string, to: string): string[] {
  const out: string[] = [];
  if (!DateTime.fromISO(from, { zone: 'UTC' }).isValid || !DateTime.fromISO(to, { zone: 'UTC' }).isValid) return out;
  const last = Date.parse(`${to}T00:00:00Z`);
  for (let d = Date.parse(`${from}T00:00:00Z`); d <= last && out.length < 400; d += DAY_MS) {
    out.push(new Date(d).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * The free slots of one practitioner at one clinic, in start order. A slot starts on the
 * template's grid (`slotMinutes` steps from its start), lasts the visit type's duration, must end
 * by the template's end, must not be in the past, must not overlap an exception, and together with
 * the buffer kept after it must not overlap time already held.
 */
export function computeFreeSlots(q: SlotQuery): Slot[] {
  const now = q.now.getTime();
  const out: Slot[] = [];
  const limit = q.limit ?? Infinity;
  for (const date of localDates(q.from, q.to)) {
    const seen = new Set<number>();
    const daySlots: { start: number; end: number; format: (ms: number) => string }[] = [];
    for (const w of windowsOn(q.timezone, q.templates, date, q.visitTypeId)) {
      const t = w.template;
      const duration = (q.durationMinutes ?? t.slotMinutes) * 60_000;
      const step = t.slotMinutes * 60_000;
      const buffer = t.bufferMinutes * 60_000;
      // only what touches this window (plus its buffer) can remove one of its slots
      const exceptions = q.exceptions.filter((r) => overlaps(w.start, w.end + buffer, r));
      const busy = q.busy.filter((r) => overlaps(w.start, w.end + buffer, r));
      const format = formatterFor(w.day, q.timezone);
      // elapsed-time steps: a window crossing a DST change keeps its real length
      for (let start = w.start; start + duration <= w.end; start += step) {
        const end = start + duration;
        if (start < now || seen.has(start)) continue;
        if (exceptions.some((r) => overlaps(start, end, r))) continue;
        if (busy.some((r) => overlaps(start, end + buffer, r))) continue;
        seen.add(start);
        daySlots.push({ start, end, format });
      }
    }
    daySlots.sort((a, b) => a.start - b.start);
    for (const s of daySlots) {
      out.push({ startsAt: s.format(s.start), endsAt: s.format(s.end) });
      if (out.length >= limit) return out;
    }
  }
  return out;
}

/**
 * ISO 8601 with the clinic's offset for instants of one local day. On a day without an offset
 * change the local time is the instant shifted by the offset, written with luxon's offset text; on
 * a daylight-saving day every instant goes through luxon.
 */
function formatterFor(day: LocalDay, timezone: string): (ms: number) => string {
  if (!day.uniform) return (ms) => iso(DateTime.fromMillis(ms, { zone: timezone }));
  const shift = day.offset * 60_000;
  return (ms) => new Date(ms + shift).toISOString().slice(0, 19) + day.suffix;
}

export type BookableVerdict =
  | { ok: true; template: SlotTemplate; end: Date; blockEnd: Date }
  | { ok: false; reason: 'outside_hours' | 'too_long' | 'exception' | 'past' };

/**
 * Whether [start, start + duration) lies inside one template window of its local day and clear of
 * every exception. Other appointments are not considered: the database's exclusion constraint
 * refuses overlaps atomically.
 */
export function checkWithinAvailability(q: {
  timezone: string;
  templates: SlotTemplate[];
  exceptions: TimeRange[];
  visitTypeId: string;
  durationMinutes: number;
  start: Date;
  now: Date;
}): BookableVerdict {
  const start = q.start.getTime();
  const end = start + q.durationMinutes * 60_000;
  if (start < q.now.getTime()) return { ok: false, reason: 'past' };
  const windows = windowsOn(q.timezone, q.templates, localDateOf(q.start, q.timezone), q.visitTypeId);
  const containing = windows.filter((w) => w.start <= start && start < w.end);
  if (!containing.length) return { ok: false, reason: 'outside_hours' };
  const fits = containing.find((w) => end <= w.end);
  if (!fits) return { ok: false, reason: 'too_long' };
  if (q.exceptions.some((r) => overlaps(start, end, r))) return { ok: false, reason: 'exception' };
  return {
    ok: true,
    template: fits.template,
    end: new Date(end),
    blockEnd: new Date(end + fits.template.bufferMinutes * 60_000),
  };
}

/** The local date of an instant in a zone. */
export function localDateOf(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toISODate()!;
}

/** `date` plus `days` local days. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}
