import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LabFlag, ReferenceRange } from '@sanita/contracts/lab';
import { ageInDays, codedFlag, isCritical, numericFlag, rangeText, selectRange } from './ranges.ts';

const range = (o: Partial<ReferenceRange>): ReferenceRange => ({
  sex: null,
  ageMinDays: 0,
  ageMaxDays: null,
  low: null,
  high: null,
  criticalLow: null,
  criticalHigh: null,
  ...o,
});

// haemoglobin-like bands: a child's for either sex, then adult women's, men's and either's
const child = range({ ageMinDays: 0, ageMaxDays: 6575, low: 11.5, high: 15.5 });
const women = range({ sex: 'female', ageMinDays: 6575, low: 12, high: 16 });
const men = range({ sex: 'male', ageMinDays: 6575, low: 13.5, high: 17.5 });
const adults = range({ ageMinDays: 6575, low: 12, high: 17.5 });
const RANGES = [adults, child, men, women];

describe('selectRange', () => {
  it('holds ageMinDays and not ageMaxDays: the last day of a band is in it, its end day is the next band', () => {
    expect(selectRange(RANGES, 'female', 0)).toBe(child);
    expect(selectRange(RANGES, 'female', 6574)).toBe(child);
    expect(selectRange(RANGES, 'female', 6575)).toBe(women);
    expect(selectRange(RANGES, 'male', 6575)).toBe(men);
  });

  it('takes a range of the patient’s sex before one for either, and either’s for another or unknown sex', () => {
    expect(selectRange(RANGES, 'male', 20_000)).toBe(men);
    expect(selectRange(RANGES, 'female', 20_000)).toBe(women);
    expect(selectRange(RANGES, 'other', 20_000)).toBe(adults);
    expect(selectRange(RANGES, null, 20_000)).toBe(adults);
    // the order of the list does not matter
    expect(selectRange([...RANGES].reverse(), 'male', 20_000)).toBe(men);
  });

  it('between two of the same kind, takes the narrower band', () => {
    const infant = range({ ageMinDays: 30, ageMaxDays: 365, low: 9, high: 14 });
    expect(selectRange([child, infant], 'female', 29)).toBe(child);
    expect(selectRange([child, infant], 'female', 30)).toBe(infant);
    expect(selectRange([child, infant], 'female', 364)).toBe(infant);
    expect(selectRange([child, infant], 'female', 365)).toBe(child);
  });

  it('is null when no band holds the age (before birth, or a test with only a men’s range for a woman)', () => {
    expect(selectRange(RANGES, 'female', -1)).toBeNull();
    expect(selectRange([men], 'female', 20_000)).toBeNull();
    expect(selectRange([], 'male', 20_000)).toBeNull();
  });

  it('always returns a range that fits the patient, and one exists whenever any fits', () => {
    const arbRange = fc
      .record({
        sex: fc.constantFrom<ReferenceRange['sex']>(null, 'female', 'male'),
        ageMinDays: fc.integer({ min: 0, max: 40_000 }),
        span: fc.option(fc.integer({ min: 1, max: 20_000 }), { nil: null }),
      })
      .map(({ sex, ageMinDays, span }) => range({ sex, ageMinDays, ageMaxDays: span === null ? null : ageMinDays + span }));
    fc.assert(
      fc.property(
        fc.array(arbRange, { maxLength: 8 }),
        fc.constantFrom('female', 'male', 'other'),
        fc.integer({ min: 0, max: 60_000 }),
        (ranges, sex, age) => {
          const fits = (r: ReferenceRange) =>
            age >= r.ageMinDays && (r.ageMaxDays === null || age < r.ageMaxDays) && (r.sex === null || r.sex === sex);
          const chosen = selectRange(ranges, sex, age);
          if (chosen === null) return !ranges.some(fits);
          // it fits, and no fitting range of the patient's own sex was passed over for an "either" one
          return fits(chosen) && !(chosen.sex === null && ranges.some((r) => r.sex !== null && fits(r)));
        },
      ),
    );
  });
});

describe('ageInDays', () => {
  it('counts whole days from birth to the collection day, across a leap day', () => {
    expect(ageInDays('2024-02-28', '2024-03-01')).toBe(2);
    expect(ageInDays('2000-01-01', '2000-01-01')).toBe(0);
    expect(ageInDays('2000-01-01', new Date('2018-01-01T23:59:00Z'))).toBe(6575);
    expect(ageInDays('2000-01-01', '2018-01-01T08:00:00Z')).toBe(6575);
  });
});

describe('numericFlag', () => {
  // potassium: 3.5–5.0, critical at 2.8 and 6.2
  const k = range({ low: 3.5, high: 5.0, criticalLow: 2.8, criticalHigh: 6.2 });

  it('flags L/H outside [low, high] (the limits themselves are normal) and LL/HH at or beyond a critical limit', () => {
    const cases: [number, LabFlag | null][] = [
      [2.7, 'LL'],
      [2.8, 'LL'],
      [2.81, 'L'],
      [3.49, 'L'],
      [3.5, null],
      [4.2, null],
      [5.0, null],
      [5.01, 'H'],
      [6.19, 'H'],
      [6.2, 'HH'],
      [9, 'HH'],
    ];
    for (const [value, flag] of cases) expect([value, numericFlag(value, k)]).toEqual([value, flag]);
    expect(isCritical(numericFlag(2.8, k))).toBe(true);
    expect(isCritical(numericFlag(3.0, k))).toBe(false);
  });

  it('flags one side only of a one-sided range ("< 5", "> 0.9"), and nothing without a range or a number', () => {
    expect(numericFlag(4.9, range({ high: 5 }))).toBeNull();
    expect(numericFlag(5.1, range({ high: 5 }))).toBe('H');
    expect(numericFlag(0, range({ high: 5 }))).toBeNull();
    expect(numericFlag(0.8, range({ low: 0.9 }))).toBe('L');
    expect(numericFlag(100, range({ low: 0.9 }))).toBeNull();
    expect(numericFlag(100, null)).toBeNull();
    expect(numericFlag(Number.NaN, k)).toBeNull();
  });

  const arbRange = fc
    .tuple(
      fc.double({ min: -1000, max: 1000, noNaN: true }),
      fc.double({ min: 0, max: 500, noNaN: true }),
      fc.option(fc.double({ min: 0.001, max: 500, noNaN: true }), { nil: null }),
      fc.option(fc.double({ min: 0.001, max: 500, noNaN: true }), { nil: null }),
    )
    .map(([low, width, belowLow, aboveHigh]) =>
      range({
        low,
        high: low + width,
        criticalLow: belowLow === null ? null : low - belowLow,
        criticalHigh: aboveHigh === null ? null : low + width + aboveHigh,
      }),
    );

  it('never flags a value inside [low, high]', () => {
    fc.assert(
      fc.property(arbRange, fc.double({ min: 0, max: 1, noNaN: true }), (r, t) => {
        const value = r.low! + t * (r.high! - r.low!);
        return value < r.low! || value > r.high! || numericFlag(value, r) === null;
      }),
    );
  });

  it('is monotone: a higher value is never flagged lower (LL < L < none < H < HH)', () => {
    const rank: Record<string, number> = { LL: 0, L: 1, none: 2, H: 3, HH: 4 };
    fc.assert(
      fc.property(
        arbRange,
        fc.double({ min: -3000, max: 3000, noNaN: true }),
        fc.double({ min: -3000, max: 3000, noNaN: true }),
        (r, x, y) => {
          const [a, b] = x <= y ? [x, y] : [y, x];
          return rank[numericFlag(a, r) ?? 'none']! <= rank[numericFlag(b, r) ?? 'none']!;
        },
      ),
    );
  });

  it('flags critical exactly when the value is at or beyond a critical limit', () => {
    fc.assert(
      fc.property(arbRange, fc.double({ min: -3000, max: 3000, noNaN: true }), (r, v) => {
        const beyond = (r.criticalLow !== null && v <= r.criticalLow) || (r.criticalHigh !== null && v >= r.criticalHigh);
        return isCritical(numericFlag(v, r)) === beyond;
      }),
    );
  });
});

describe('codedFlag', () => {
  const hiv = range({ normalCodes: ['NONREACTIVE'] });
  it('flags A an answer that is not a normal one (any case), nothing when the range names none', () => {
    expect(codedFlag('NONREACTIVE', hiv)).toBeNull();
    expect(codedFlag('nonreactive', hiv)).toBeNull();
    expect(codedFlag('REACTIVE', hiv)).toBe('A');
    expect(codedFlag('POS', range({}))).toBeNull();
    expect(codedFlag('POS', null)).toBeNull();
    expect(isCritical(codedFlag('REACTIVE', hiv))).toBe(false);
  });
});

describe('rangeText', () => {
  it('reads as people write a range', () => {
    expect(rangeText(range({ low: 3.5, high: 5.1 }))).toBe('3.5–5.1');
    expect(rangeText(range({ high: 200 }))).toBe('< 200');
    expect(rangeText(range({ low: 0.9 }))).toBe('> 0.9');
    expect(rangeText(range({ normalCodes: ['NEG'] }))).toBe('NEG');
    expect(rangeText(range({}))).toBeNull();
    expect(rangeText(null)).toBeNull();
    // the test's decimals
    expect(rangeText(range({ low: 3.5, high: 5 }), (n) => n.toFixed(1))).toBe('3.5–5.0');
  });
});
