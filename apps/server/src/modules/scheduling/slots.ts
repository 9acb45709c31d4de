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

/** One template's window on one local day. */
export interface Window {
  template: SlotTemplate;
  start: DateTime;
  end: DateTime;
}

const overlaps = (aStart: number, aEnd: number, r: TimeRange) => aStart < r.end.getTime() && r.start.getTime() < aEnd;

function localTime(date: string, time: string, zone: string): DateTime {
  return DateTime.fromISO(`${date}T${time.length === 5 ? `${time}:00` : time}`, { zone });
}

/** The template windows open on local date `date` (YYYY-MM-DD) for `visitTypeId` (null: any). */
export function windowsOn(timezone: string, templates: SlotTemplate[], date: string, visitTypeId: string | null): Window[] {
  const day = DateTime.fromISO(date, { zone: timezone });
  if (!day.isValid) return [];
  const out: Window[] = [];
  for (const t of templates) {
    if (t.weekday !== day.weekday) continue;
    if (t.validFrom && date < t.validFrom) continue;
    if (t.validTo && date > t.validTo) continue;
    if (visitTypeId && t.visitTypeIds.length && !t.visitTypeIds.includes(visitTypeId)) continue;
    const start = localTime(date, t.startTime, timezone);
    const end = localTime(date, t.endTime, timezone);
    if (start.isValid && end.isValid && start < end) out.push({ template: t, start, end });
  }
  return out.sort((a, b) => a.start.toMillis() - b.start.toMillis());
}

/** Local dates from..to inclusive. */
export function localDates(from: string, to: string): string[] {
  const out: string[] = [];
  let d = DateTime.fromISO(from, { zone: 'UTC' });
  const last = DateTime.fromISO(to, { zone: 'UTC' });
  if (!d.isValid || !last.isValid) return out;
  while (d <= last && out.length < 400) {
    out.push(d.toISODate());
    d = d.plus({ days: 1 });
  }
  return out;
}

const iso = (d: DateTime) => d.toISO({ suppressMilliseconds: true })!;

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
      const windowStart = w.start.toMillis();
      const windowEnd = w.end.toMillis();
      // only what touches this window (plus its buffer) can remove one of its slots
      const exceptions = q.exceptions.filter((r) => overlaps(windowStart, windowEnd + buffer, r));
      const busy = q.busy.filter((r) => overlaps(windowStart, windowEnd + buffer, r));
      const format = formatterFor(w, q.timezone);
      // elapsed-time steps: a window crossing a DST change keeps its real length
      for (let start = windowStart; start + duration <= windowEnd; start += step) {
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
 * ISO 8601 with the clinic's offset for instants of one window. Formatting through luxon costs
 * tens of microseconds per instant (a two-week search formats hundreds), so when the offset is the
 * same at both ends of the window — every window but those crossing a DST change — the local time
 * is computed by shifting the instant and the offset text is luxon's own for that window.
 */
function formatterFor(w: Window, timezone: string): (ms: number) => string {
  if (w.start.offset !== w.end.offset) return (ms) => iso(DateTime.fromMillis(ms, { zone: timezone }));
  const first = iso(w.start);
  const suffix = first.slice(19);
  const shift = w.start.offset * 60_000;
  return (ms) => new Date(ms + shift).toISOString().slice(0, 19) + suffix;
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
  const start = DateTime.fromJSDate(q.start, { zone: q.timezone });
  const end = start.plus({ minutes: q.durationMinutes });
  if (q.start.getTime() < q.now.getTime()) return { ok: false, reason: 'past' };
  const windows = windowsOn(q.timezone, q.templates, start.toISODate()!, q.visitTypeId);
  const containing = windows.filter((w) => w.start <= start && start < w.end);
  if (!containing.length) return { ok: false, reason: 'outside_hours' };
  const fits = containing.find((w) => end <= w.end);
  if (!fits) return { ok: false, reason: 'too_long' };
  if (q.exceptions.some((r) => overlaps(start.toMillis(), end.toMillis(), r))) return { ok: false, reason: 'exception' };
  return {
    ok: true,
    template: fits.template,
    end: end.toJSDate(),
    blockEnd: end.plus({ minutes: fits.template.bufferMinutes }).toJSDate(),
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
