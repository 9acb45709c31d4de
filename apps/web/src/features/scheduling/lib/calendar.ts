import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import localizedFormat from 'dayjs/plugin/localizedFormat';

// Extending twice is harmless; this module must also work without lib/dates.ts (unit tests).
dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(localizedFormat);

export const ISO_DATE = 'YYYY-MM-DD';
export const ROW_MINUTES = 15;
export const DEFAULT_START_HOUR = 7;
export const DEFAULT_END_HOUR = 19;

/** Where an instant falls on the clinic's wall clock: its local date and minutes since local midnight. */
export function wallClock(iso: string, zone: string): { date: string; minutes: number } {
  const local = dayjs(iso).tz(zone);
  return { date: local.format(ISO_DATE), minutes: local.hour() * 60 + local.minute() };
}

/** The instant of a wall-clock time in the clinic's timezone, as ISO 8601 with its offset. */
export function instantAt(date: string, minutes: number, zone: string): string {
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return dayjs.tz(`${date} ${hh}:${mm}`, 'YYYY-MM-DD HH:mm', zone).format();
}

/**
 * How a holiday, closure or leave reads in the clinic's time: whole local days as "first day" and
 * "last day" (its end is the next midnight), anything else with its times.
 */
export function exceptionSpan(
  x: { startsAt: string; endsAt: string },
  zone: string,
  locale: string,
): { from: string; to: string; oneDay: boolean } {
  const start = dayjs(x.startsAt).tz(zone).locale(locale);
  const end = dayjs(x.endsAt).tz(zone).locale(locale);
  const wholeDays = start.format('HH:mm') === '00:00' && end.format('HH:mm') === '00:00';
  if (!wholeDays) return { from: start.format('ll HH:mm'), to: end.format('ll HH:mm'), oneDay: false };
  const last = end.subtract(1, 'day');
  return { from: start.format('ll'), to: last.format('ll'), oneDay: last.isSame(start, 'day') };
}

/** Today in the clinic's timezone. */
export function todayIn(zone: string): string {
  return dayjs().tz(zone).format(ISO_DATE);
}

/** Monday..Sunday of the ISO week containing `date`. */
export function weekOf(date: string): string[] {
  const d = dayjs(date, ISO_DATE);
  const monday = d.subtract((d.day() + 6) % 7, 'day');
  return Array.from({ length: 7 }, (_, i) => monday.add(i, 'day').format(ISO_DATE));
}

export function shiftDate(date: string, days: number): string {
  return dayjs(date, ISO_DATE).add(days, 'day').format(ISO_DATE);
}

export interface Interval {
  id: string;
  start: number;
  end: number;
}

export interface Placed {
  id: string;
  /** the column inside its overlap cluster, from 0 */
  lane: number;
  /** how many lanes its overlap cluster needs: the block is 1/lanes wide */
  lanes: number;
}

/**
 * Side-by-side placement of overlapping blocks (a day column of a calendar): blocks that overlap,
 * directly or through a chain, form a cluster; each takes the first lane free at its start.
 */
export function layoutOverlaps(items: readonly Interval[]): Map<string, Placed> {
  const sorted = [...items].sort((a, b) => a.start - b.start || b.end - a.end || a.id.localeCompare(b.id));
  const result = new Map<string, Placed>();
  let cluster: Placed[] = [];
  let laneEnds: number[] = [];
  let clusterEnd = -Infinity;
  const close = () => {
    for (const p of cluster) p.lanes = laneEnds.length;
    cluster = [];
    laneEnds = [];
  };
  for (const item of sorted) {
    if (item.start >= clusterEnd) close();
    let lane = laneEnds.findIndex((end) => end <= item.start);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(item.end);
    } else {
      laneEnds[lane] = item.end;
    }
    const placed: Placed = { id: item.id, lane, lanes: 1 };
    cluster.push(placed);
    result.set(item.id, placed);
    clusterEnd = Math.max(clusterEnd, item.end);
  }
  close();
  return result;
}

/**
 * The hours the grid shows: the working day by default, stretched to whole hours around anything
 * booked or free earlier or later.
 */
export function visibleHours(minutes: readonly { start: number; end: number }[]): { startHour: number; endHour: number } {
  let startHour = DEFAULT_START_HOUR;
  let endHour = DEFAULT_END_HOUR;
  for (const m of minutes) {
    startHour = Math.min(startHour, Math.floor(m.start / 60));
    endHour = Math.max(endHour, Math.ceil(m.end / 60));
  }
  return { startHour: Math.max(0, startHour), endHour: Math.min(24, endHour) };
}

/** The wall-clock minute a pointer at `offsetY` pixels into a column means, snapped to the grid rows. */
export function minuteAtOffset(offsetY: number, rowHeight: number, startHour: number): number {
  const row = Math.max(0, Math.floor(offsetY / rowHeight));
  return startHour * 60 + row * ROW_MINUTES;
}
