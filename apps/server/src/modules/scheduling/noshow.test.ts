import { describe, expect, it } from 'vitest';
import { noShowRisk } from './noshow.ts';

const tz = 'Africa/Kinshasa'; // UTC+1, no daylight saving
// Tuesday 2026-03-10 10:00 local
const tuesday10 = new Date('2026-03-10T09:00:00Z');
const base = { missed: 0, total: 0, startsAt: tuesday10, bookedAt: new Date('2026-03-10T08:00:00Z'), timezone: tz };

describe('no-show risk', () => {
  it('is the base rate for a new patient booked the same day on a quiet weekday hour', () => {
    const r = noShowRisk(base);
    expect(r.risk).toBeGreaterThan(0.05);
    expect(r.risk).toBeLessThan(0.15);
    for (const f of r.factors) expect(f.weight).toBeCloseTo(0, 1);
  });

  it('rises with the patient’s missed visits, and explains it as "2 of 5"', () => {
    const none = noShowRisk({ ...base, missed: 0, total: 5 });
    const two = noShowRisk({ ...base, missed: 2, total: 5 });
    expect(two.risk).toBeGreaterThan(none.risk + 0.1);
    expect(two.factors[0]).toMatchObject({ code: 'past_no_shows', value: 2, total: 5 });
    expect(two.factors[0]!.weight).toBeGreaterThan(0);
    // a patient who always comes is below the newcomer
    expect(none.risk).toBeLessThan(noShowRisk(base).risk);
  });

  it('smooths a single missed visit instead of calling it certain', () => {
    const r = noShowRisk({ ...base, missed: 1, total: 1 });
    expect(r.risk).toBeLessThan(0.6);
    expect(r.risk).toBeGreaterThan(noShowRisk(base).risk);
  });

  it('rises with lead time and reports the days ahead', () => {
    const far = noShowRisk({ ...base, bookedAt: new Date(tuesday10.getTime() - 40 * 86_400_000) });
    expect(far.risk).toBeGreaterThan(noShowRisk(base).risk + 0.1);
    expect(far.factors.find((f) => f.code === 'lead_time')).toMatchObject({ value: 40 });
  });

  it('reads weekday and hour in the clinic’s time zone', () => {
    // 2026-03-14T07:30Z is Saturday 08:30 in Kinshasa
    const sat = noShowRisk({ ...base, startsAt: new Date('2026-03-14T07:30:00Z'), bookedAt: new Date('2026-03-14T07:00:00Z') });
    expect(sat.factors.find((f) => f.code === 'weekday')).toMatchObject({ value: 6 });
    expect(sat.factors.find((f) => f.code === 'hour_of_day')).toMatchObject({ value: 8 });
    expect(sat.risk).toBeGreaterThan(noShowRisk(base).risk);
    // the same instant is Friday 23:30 in Honolulu
    const hnl = noShowRisk({ ...base, startsAt: new Date('2026-03-14T07:30:00Z'), timezone: 'Pacific/Honolulu' });
    expect(hnl.factors.find((f) => f.code === 'weekday')).toMatchObject({ value: 5 });
  });

  it('stays within 0–1 at the extremes', () => {
    const r = noShowRisk({ ...base, missed: 50, total: 50, bookedAt: new Date(0) });
    expect(r.risk).toBeLessThanOrEqual(1);
    expect(r.risk).toBeGreaterThan(0.9);
  });
});
