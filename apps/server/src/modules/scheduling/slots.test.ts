import { describe, expect, it } from 'vitest';
import { checkWithinAvailability, computeFreeSlots, type SlotQuery, type SlotTemplate } from './slots.ts';

const CONSULT = 'c0000000-0000-4000-8000-000000000001';
const VACCINE = 'c0000000-0000-4000-8000-000000000002';

/** Monday 2030-06-03 in Kinshasa (UTC+1, no daylight saving). */
const MONDAY = '2030-06-03';
const LONG_AGO = new Date('2000-01-01T00:00:00Z');

const tpl = (over: Partial<SlotTemplate> = {}): SlotTemplate => ({
  weekday: 1,
  startTime: '08:00:00',
  endTime: '12:00:00',
  slotMinutes: 20,
  bufferMinutes: 0,
  visitTypeIds: [],
  validFrom: null,
  validTo: null,
  ...over,
});

const query = (over: Partial<SlotQuery> = {}): SlotQuery => ({
  timezone: 'Africa/Kinshasa',
  templates: [tpl()],
  exceptions: [],
  busy: [],
  visitTypeId: CONSULT,
  durationMinutes: 20,
  from: MONDAY,
  to: MONDAY,
  now: LONG_AGO,
  ...over,
});

const starts = (q: Partial<SlotQuery>) => computeFreeSlots(query(q)).map((s) => s.startsAt);
const at = (iso: string) => new Date(iso);

describe('the slot grid', () => {
  it('cuts 08:00–12:00 into 20-minute slots in local time with the clinic offset', () => {
    const slots = computeFreeSlots(query());
    expect(slots).toHaveLength(12);
    expect(slots[0]).toEqual({ startsAt: '2030-06-03T08:00:00+01:00', endsAt: '2030-06-03T08:20:00+01:00' });
    expect(slots.at(-1)).toEqual({ startsAt: '2030-06-03T11:40:00+01:00', endsAt: '2030-06-03T12:00:00+01:00' });
  });

  it('only on the template weekday, and two windows of a day come out in time order', () => {
    const templates = [tpl({ startTime: '13:00', endTime: '14:00' }), tpl({ startTime: '08:00', endTime: '09:00' })];
    expect(starts({ templates, from: '2030-06-02', to: '2030-06-04' })).toEqual([
      '2030-06-03T08:00:00+01:00',
      '2030-06-03T08:20:00+01:00',
      '2030-06-03T08:40:00+01:00',
      '2030-06-03T13:00:00+01:00',
      '2030-06-03T13:20:00+01:00',
      '2030-06-03T13:40:00+01:00',
    ]);
  });

  it('a longer visit starts on the grid and must end by the end of the template', () => {
    // 45 minutes on a 20-minute grid from 08:00 to 10:00: 08:00, 08:20, 08:40, 09:00 (ends 09:45); 09:20 would end 10:05
    expect(starts({ templates: [tpl({ endTime: '10:00' })], durationMinutes: 45 })).toEqual([
      '2030-06-03T08:00:00+01:00',
      '2030-06-03T08:20:00+01:00',
      '2030-06-03T08:40:00+01:00',
      '2030-06-03T09:00:00+01:00',
    ]);
  });

  it('a visit longer than the whole template has no slot', () => {
    expect(starts({ templates: [tpl({ endTime: '08:30' })], durationMinutes: 45 })).toEqual([]);
  });

  it('without a visit type, the grid step is the slot length (used for "next free slot")', () => {
    expect(starts({ templates: [tpl({ endTime: '09:00', slotMinutes: 30 })], visitTypeId: null, durationMinutes: null })).toEqual(
      ['2030-06-03T08:00:00+01:00', '2030-06-03T08:30:00+01:00'],
    );
  });
});

describe('what removes a slot', () => {
  it('slots in the past (a slot that has started is gone)', () => {
    const now = at('2030-06-03T08:30:00+01:00');
    expect(starts({ now }).slice(0, 2)).toEqual(['2030-06-03T08:40:00+01:00', '2030-06-03T09:00:00+01:00']);
    expect(starts({ now })).toHaveLength(10);
  });

  it('an exception: every slot overlapping it, and only those', () => {
    const exceptions = [{ start: at('2030-06-03T09:10:00+01:00'), end: at('2030-06-03T10:00:00+01:00') }];
    const s = starts({ exceptions });
    expect(s).not.toContain('2030-06-03T09:00:00+01:00');
    expect(s).not.toContain('2030-06-03T09:40:00+01:00');
    expect(s).toContain('2030-06-03T08:40:00+01:00');
    expect(s).toContain('2030-06-03T10:00:00+01:00');
    expect(s).toHaveLength(9);
  });

  it('a whole-day holiday leaves nothing that day but the next week is open', () => {
    const exceptions = [{ start: at('2030-06-03T00:00:00+01:00'), end: at('2030-06-04T00:00:00+01:00') }];
    const s = starts({ exceptions, to: '2030-06-10' });
    expect(s).toHaveLength(12);
    expect(s.every((x) => x.startsWith('2030-06-10'))).toBe(true);
  });

  it('time held by an appointment, and the buffer after a visit may not run into it', () => {
    const busy = [{ start: at('2030-06-03T09:00:00+01:00'), end: at('2030-06-03T09:25:00+01:00') }];
    // no buffer: 08:40 (ends 09:00) is free; 09:00 and 09:20 overlap the held time
    const plain = starts({ busy });
    expect(plain).toContain('2030-06-03T08:40:00+01:00');
    expect(plain).not.toContain('2030-06-03T09:00:00+01:00');
    expect(plain).not.toContain('2030-06-03T09:20:00+01:00');
    expect(plain).toContain('2030-06-03T09:40:00+01:00');
    // a 5-minute buffer: 08:40 would keep the practitioner until 09:05, into the held time
    const buffered = starts({ busy, templates: [tpl({ bufferMinutes: 5 })] });
    expect(buffered).not.toContain('2030-06-03T08:40:00+01:00');
    expect(buffered).toContain('2030-06-03T08:20:00+01:00');
    expect(buffered).toContain('2030-06-03T09:40:00+01:00');
  });

  it('validFrom and validTo bound a template (inclusive local dates)', () => {
    const templates = [tpl({ validFrom: '2030-06-10', validTo: '2030-06-17' })];
    const s = starts({ templates, from: MONDAY, to: '2030-06-30' });
    const days = [...new Set(s.map((x) => x.slice(0, 10)))];
    expect(days).toEqual(['2030-06-10', '2030-06-17']);
  });

  it('a template restricted to some visit types offers nothing for others', () => {
    const templates = [tpl({ visitTypeIds: [VACCINE] })];
    expect(starts({ templates, visitTypeId: CONSULT })).toEqual([]);
    expect(starts({ templates, visitTypeId: VACCINE, durationMinutes: 10 })).toHaveLength(12);
  });

  it('stops at the limit', () => {
    expect(starts({ to: '2030-06-30', limit: 1 })).toEqual(['2030-06-03T08:00:00+01:00']);
  });
});

describe('daylight saving time (Europe/Paris)', () => {
  const paris = (over: Partial<SlotQuery>) => computeFreeSlots(query({ timezone: 'Europe/Paris', ...over }));
  // Sunday 2030-03-31: clocks go from 02:00 to 03:00; Sunday 2030-10-27: from 03:00 back to 02:00
  const sunday = (over: Partial<SlotTemplate> = {}) => tpl({ weekday: 7, startTime: '09:00', endTime: '12:00', ...over });

  it('a 09:00 slot stays 09:00 local across the spring change, and its UTC offset changes', () => {
    const slots = paris({ templates: [sunday()], from: '2030-03-24', to: '2030-03-31' });
    const days = slots.filter((s) => s.startsAt.includes('T09:00:00'));
    expect(days.map((s) => s.startsAt)).toEqual(['2030-03-24T09:00:00+01:00', '2030-03-31T09:00:00+02:00']);
    expect(new Date(days[0]!.startsAt).toISOString()).toBe('2030-03-24T08:00:00.000Z');
    expect(new Date(days[1]!.startsAt).toISOString()).toBe('2030-03-31T07:00:00.000Z');
    // each day has the full 9 slots of 09:00–12:00
    expect(slots.filter((s) => s.startsAt.startsWith('2030-03-31'))).toHaveLength(9);
    expect(slots.filter((s) => s.startsAt.startsWith('2030-03-24'))).toHaveLength(9);
  });

  it('and back again in October', () => {
    const slots = paris({ templates: [sunday()], from: '2030-10-20', to: '2030-10-27' });
    expect(slots.filter((s) => s.startsAt.includes('T09:00:00')).map((s) => s.startsAt)).toEqual([
      '2030-10-20T09:00:00+02:00',
      '2030-10-27T09:00:00+01:00',
    ]);
    expect(slots.filter((s) => s.startsAt.startsWith('2030-10-27'))).toHaveLength(9);
  });

  it('a night template across the spring change has one hour less: 00:00–06:00 gives 5 hourly slots', () => {
    const night = sunday({ startTime: '00:00', endTime: '06:00', slotMinutes: 60 });
    const slots = paris({ templates: [night], from: '2030-03-31', to: '2030-03-31', durationMinutes: 60 });
    expect(slots.map((s) => s.startsAt)).toEqual([
      '2030-03-31T00:00:00+01:00',
      '2030-03-31T01:00:00+01:00',
      '2030-03-31T03:00:00+02:00',
      '2030-03-31T04:00:00+02:00',
      '2030-03-31T05:00:00+02:00',
    ]);
  });
});

describe('other zones', () => {
  it('a change at midnight (America/Santiago, Sunday 2026-09-06: 00:00 becomes 01:00): the day starts at 01:00', () => {
    const night = tpl({ weekday: 7, startTime: '00:00', endTime: '03:00', slotMinutes: 60 });
    const slots = computeFreeSlots(
      query({ timezone: 'America/Santiago', templates: [night], from: '2026-09-05', to: '2026-09-07', durationMinutes: 60 }),
    );
    expect(slots.map((s) => s.startsAt)).toEqual(['2026-09-06T01:00:00-03:00', '2026-09-06T02:00:00-03:00']);
  });

  it('an offset of zero is written +00:00 (Europe/London in winter), and the summer offset the week it applies', () => {
    const london = (from: string) =>
      starts({ timezone: 'Europe/London', templates: [tpl({ endTime: '08:40' })], from, to: from }).slice(0, 1);
    expect(london('2030-01-07')).toEqual(['2030-01-07T08:00:00+00:00']);
    expect(london('2030-06-03')).toEqual(['2030-06-03T08:00:00+01:00']);
  });
});

describe('checkWithinAvailability (staff bookings off the grid)', () => {
  const base = {
    timezone: 'Africa/Kinshasa',
    templates: [tpl({ bufferMinutes: 5 })],
    exceptions: [],
    visitTypeId: CONSULT,
    durationMinutes: 20,
    now: LONG_AGO,
  };
  it('accepts a start off the grid inside the hours and adds the buffer', () => {
    const v = checkWithinAvailability({ ...base, start: at('2030-06-03T08:07:00+01:00') });
    expect(v).toMatchObject({ ok: true, end: at('2030-06-03T08:27:00+01:00'), blockEnd: at('2030-06-03T08:32:00+01:00') });
  });
  it('refuses outside the hours, past the end, during an exception, and in the past', () => {
    expect(checkWithinAvailability({ ...base, start: at('2030-06-03T12:00:00+01:00') })).toEqual({
      ok: false,
      reason: 'outside_hours',
    });
    expect(checkWithinAvailability({ ...base, start: at('2030-06-03T11:50:00+01:00') })).toEqual({
      ok: false,
      reason: 'too_long',
    });
    expect(
      checkWithinAvailability({
        ...base,
        exceptions: [{ start: at('2030-06-03T08:15:00+01:00'), end: at('2030-06-03T08:16:00+01:00') }],
        start: at('2030-06-03T08:00:00+01:00'),
      }),
    ).toEqual({ ok: false, reason: 'exception' });
    expect(
      checkWithinAvailability({ ...base, now: at('2030-06-03T09:00:00+01:00'), start: at('2030-06-03T08:00:00+01:00') }),
    ).toEqual({ ok: false, reason: 'past' });
    // Tuesday: no template
    expect(checkWithinAvailability({ ...base, start: at('2030-06-04T09:00:00+01:00') })).toEqual({
      ok: false,
      reason: 'outside_hours',
    });
  });
});
