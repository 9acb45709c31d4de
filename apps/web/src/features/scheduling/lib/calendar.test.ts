import { describe, expect, it } from 'vitest';
import { instantAt, layoutOverlaps, minuteAtOffset, visibleHours, wallClock, weekOf, exceptionSpan } from './calendar.ts';

describe('wall clock in the clinic timezone', () => {
  it('places an instant at the clinic’s local time, not the browser’s', () => {
    expect(wallClock('2026-03-12T08:00:00Z', 'Africa/Kinshasa')).toEqual({ date: '2026-03-12', minutes: 9 * 60 });
    expect(wallClock('2026-03-12T08:00:00Z', 'America/New_York')).toEqual({ date: '2026-03-12', minutes: 4 * 60 });
    // late evening UTC is already the next day in Nairobi
    expect(wallClock('2026-03-12T22:30:00Z', 'Africa/Nairobi')).toEqual({ date: '2026-03-13', minutes: 90 });
  });

  it('keeps 09:00 local across a daylight-saving change', () => {
    const before = instantAt('2026-03-27', 9 * 60, 'Europe/Paris');
    const after = instantAt('2026-03-30', 9 * 60, 'Europe/Paris');
    expect(before).toBe('2026-03-27T09:00:00+01:00');
    expect(after).toBe('2026-03-30T09:00:00+02:00');
    expect(wallClock(after, 'Europe/Paris').minutes).toBe(9 * 60);
  });
});

describe('overlap layout', () => {
  it('gives non-overlapping blocks the full width', () => {
    const placed = layoutOverlaps([
      { id: 'a', start: 540, end: 570 },
      { id: 'b', start: 570, end: 600 },
    ]);
    expect(placed.get('a')).toEqual({ id: 'a', lane: 0, lanes: 1 });
    expect(placed.get('b')).toEqual({ id: 'b', lane: 0, lanes: 1 });
  });

  it('puts overlapping blocks side by side and reuses a freed lane within the cluster', () => {
    const placed = layoutOverlaps([
      { id: 'long', start: 540, end: 660 },
      { id: 'first', start: 540, end: 570 },
      { id: 'later', start: 600, end: 630 },
      { id: 'alone', start: 700, end: 730 },
    ]);
    expect(placed.get('long')).toMatchObject({ lane: 0, lanes: 2 });
    expect(placed.get('first')).toMatchObject({ lane: 1, lanes: 2 });
    expect(placed.get('later')).toMatchObject({ lane: 1, lanes: 2 });
    expect(placed.get('alone')).toMatchObject({ lane: 0, lanes: 1 });
  });

  it('needs three lanes when three blocks overlap at once', () => {
    const placed = layoutOverlaps([
      { id: 'a', start: 0, end: 60 },
      { id: 'b', start: 10, end: 60 },
      { id: 'c', start: 20, end: 30 },
    ]);
    expect([...placed.values()].map((p) => p.lane).sort()).toEqual([0, 1, 2]);
    expect([...placed.values()].every((p) => p.lanes === 3)).toBe(true);
  });
});

describe('grid geometry', () => {
  it('stretches the visible hours around early and late items', () => {
    expect(visibleHours([])).toEqual({ startHour: 7, endHour: 19 });
    expect(
      visibleHours([
        { start: 6 * 60 + 30, end: 7 * 60 },
        { start: 19 * 60, end: 20 * 60 + 15 },
      ]),
    ).toEqual({
      startHour: 6,
      endHour: 21,
    });
  });

  it('snaps a pointer position to the 15-minute row under it', () => {
    expect(minuteAtOffset(0, 16, 7)).toBe(420);
    expect(minuteAtOffset(33, 16, 7)).toBe(450);
    expect(minuteAtOffset(-5, 16, 7)).toBe(420);
  });

  it('starts weeks on Monday', () => {
    expect(weekOf('2026-03-12')).toEqual([
      '2026-03-09',
      '2026-03-10',
      '2026-03-11',
      '2026-03-12',
      '2026-03-13',
      '2026-03-14',
      '2026-03-15',
    ]);
  });
});

describe('exceptionSpan', () => {
  const zone = 'Africa/Kinshasa';
  it('reads whole local days as first and last day, one day as one', () => {
    expect(exceptionSpan({ startsAt: '2030-06-29T23:00:00Z', endsAt: '2030-06-30T23:00:00Z' }, zone, 'en')).toEqual({
      from: 'Jun 30, 2030',
      to: 'Jun 30, 2030',
      oneDay: true,
    });
    expect(exceptionSpan({ startsAt: '2030-12-23T23:00:00Z', endsAt: '2030-12-26T23:00:00Z' }, zone, 'en')).toMatchObject({
      from: 'Dec 24, 2030',
      to: 'Dec 26, 2030',
      oneDay: false,
    });
  });
  it('gives the times of anything shorter or not on midnight', () => {
    expect(exceptionSpan({ startsAt: '2030-06-03T12:00:00Z', endsAt: '2030-06-03T15:30:00Z' }, zone, 'en')).toEqual({
      from: 'Jun 3, 2030 13:00',
      to: 'Jun 3, 2030 16:30',
      oneDay: false,
    });
  });
});
