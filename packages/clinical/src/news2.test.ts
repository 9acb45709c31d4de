// NEWS2 against the published chart (Royal College of Physicians, London, 2017): every band edge of
// every parameter from both sides, the totals and the risk bands, incomplete sets, and properties
// that hold for any set of observations.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CONSCIOUSNESS, NEWS2_PARAMETERS, NEWS2_RISKS, type News2Risk } from '@sanita/contracts/chart';
import {
  news2,
  news2Risk,
  scoreAirOrOxygen,
  scoreConsciousness,
  scoreHeartRate,
  scoreRespiratoryRate,
  scoreSpo2Scale1,
  scoreSpo2Scale2,
  scoreSystolic,
  scoreTemperature,
  type News2Input,
} from './news2.ts';

/** A healthy adult on air: every parameter scores 0. */
const normal = {
  respiratoryRate: 16,
  spo2: 98,
  onOxygen: false,
  systolic: 120,
  heartRate: 70,
  consciousness: 'A',
  temperature: 37.0,
} as const satisfies News2Input;

/** [value, expected score] pairs: the two sides of every edge of the chart. */
type Edges = readonly (readonly [number, number])[];

describe('NEWS2 chart, band by band', () => {
  const respiration: Edges = [
    [3, 3],
    [8, 3],
    [9, 1],
    [11, 1],
    [12, 0],
    [20, 0],
    [21, 2],
    [24, 2],
    [25, 3],
    [80, 3],
  ];
  it.each(respiration)('respiration rate %d per minute scores %d', (rr, score) => {
    expect(scoreRespiratoryRate(rr)).toBe(score);
    expect(news2({ ...normal, respiratoryRate: rr })?.scores.respiratoryRate).toBe(score);
  });

  const spo2Scale1: Edges = [
    [40, 3],
    [91, 3],
    [92, 2],
    [93, 2],
    [94, 1],
    [95, 1],
    [96, 0],
    [100, 0],
  ];
  it.each(spo2Scale1)('SpO2 scale 1: %d %% scores %d, on air or on oxygen', (spo2, score) => {
    expect(scoreSpo2Scale1(spo2)).toBe(score);
    for (const onOxygen of [false, true]) {
      for (const spo2Scale of [1, undefined, null] as const) {
        expect(news2({ ...normal, spo2, onOxygen, spo2Scale })?.scores.spo2).toBe(score);
      }
    }
  });

  // below 93 the scale does not depend on oxygen; from 93 up it does
  const spo2Scale2AnyAir: Edges = [
    [40, 3],
    [83, 3],
    [84, 2],
    [85, 2],
    [86, 1],
    [87, 1],
    [88, 0],
    [92, 0],
  ];
  it.each(spo2Scale2AnyAir)('SpO2 scale 2: %d %% scores %d, on air or on oxygen', (spo2, score) => {
    expect(scoreSpo2Scale2(spo2, false)).toBe(score);
    expect(scoreSpo2Scale2(spo2, true)).toBe(score);
    expect(news2({ ...normal, spo2, spo2Scale: 2, onOxygen: false })?.scores.spo2).toBe(score);
    expect(news2({ ...normal, spo2, spo2Scale: 2, onOxygen: true })?.scores.spo2).toBe(score);
  });

  const spo2Scale2OnAir: Edges = [
    [93, 0],
    [94, 0],
    [95, 0],
    [96, 0],
    [97, 0],
    [100, 0],
  ];
  it.each(spo2Scale2OnAir)('SpO2 scale 2 on air: %d %% scores %d', (spo2, score) => {
    expect(scoreSpo2Scale2(spo2, false)).toBe(score);
    expect(news2({ ...normal, spo2, spo2Scale: 2, onOxygen: false })?.scores.spo2).toBe(score);
  });

  const spo2Scale2OnOxygen: Edges = [
    [92, 0],
    [93, 1],
    [94, 1],
    [95, 2],
    [96, 2],
    [97, 3],
    [100, 3],
  ];
  it.each(spo2Scale2OnOxygen)('SpO2 scale 2 on oxygen: %d %% scores %d', (spo2, score) => {
    expect(scoreSpo2Scale2(spo2, true)).toBe(score);
    expect(news2({ ...normal, spo2, spo2Scale: 2, onOxygen: true })?.scores.spo2).toBe(score);
  });

  it('air scores 0 and supplemental oxygen 2, on both SpO2 scales', () => {
    expect(scoreAirOrOxygen(false)).toBe(0);
    expect(scoreAirOrOxygen(true)).toBe(2);
    for (const spo2Scale of [1, 2] as const) {
      expect(news2({ ...normal, spo2Scale, onOxygen: false })?.scores.airOrOxygen).toBe(0);
      expect(news2({ ...normal, spo2Scale, onOxygen: true })?.scores.airOrOxygen).toBe(2);
    }
  });

  const systolic: Edges = [
    [40, 3],
    [90, 3],
    [91, 2],
    [100, 2],
    [101, 1],
    [110, 1],
    [111, 0],
    [219, 0],
    [220, 3],
    [300, 3],
  ];
  it.each(systolic)('systolic %d mmHg scores %d', (sbp, score) => {
    expect(scoreSystolic(sbp)).toBe(score);
    expect(news2({ ...normal, systolic: sbp })?.scores.systolic).toBe(score);
  });

  const pulse: Edges = [
    [20, 3],
    [40, 3],
    [41, 1],
    [50, 1],
    [51, 0],
    [90, 0],
    [91, 1],
    [110, 1],
    [111, 2],
    [130, 2],
    [131, 3],
    [300, 3],
  ];
  it.each(pulse)('pulse %d per minute scores %d', (hr, score) => {
    expect(scoreHeartRate(hr)).toBe(score);
    expect(news2({ ...normal, heartRate: hr })?.scores.heartRate).toBe(score);
  });

  const consciousness = [
    ['A', 0],
    ['C', 3],
    ['V', 3],
    ['P', 3],
    ['U', 3],
  ] as const;
  it.each(consciousness)('consciousness %s scores %d (new confusion counts as 3)', (c, score) => {
    expect(scoreConsciousness(c)).toBe(score);
    expect(news2({ ...normal, consciousness: c })?.scores.consciousness).toBe(score);
  });

  const temperature: Edges = [
    [25, 3],
    [35.0, 3],
    [35.1, 1],
    [36.0, 1],
    [36.1, 0],
    [38.0, 0],
    [38.1, 1],
    [39.0, 1],
    [39.1, 2],
    [45, 2],
  ];
  it.each(temperature)('temperature %d °C scores %d', (t, score) => {
    expect(scoreTemperature(t)).toBe(score);
    expect(news2({ ...normal, temperature: t })?.scores.temperature).toBe(score);
  });

  // The chart is in tenths of a degree: a reading with more decimals is scored as it would be
  // recorded, rounded to the nearest tenth, halves up (35.05 reads 35.1, 36.04 reads 36.0).
  const temperatureRounded: Edges = [
    [35.04, 3],
    [35.05, 1],
    [35.95, 1],
    [36.04, 1],
    [36.05, 0],
    [36.0999, 0],
    [38.04, 0],
    [38.05, 1],
    [39.04, 1],
    [39.05, 2],
  ];
  it.each(temperatureRounded)('temperature %d °C is scored at the nearest tenth: %d', (t, score) => {
    expect(scoreTemperature(t)).toBe(score);
    expect(news2({ ...normal, temperature: t })?.scores.temperature).toBe(score);
  });

  it('temperatures computed in floating point land on their tenth (36.0 is not 35.999…)', () => {
    expect(scoreTemperature(35.1 + 0.9)).toBe(1); // 35.99999999999999…
    expect(scoreTemperature(37.9 + 0.2)).toBe(1); // 38.1 up to float error
    expect(scoreTemperature(36.2 - 0.1)).toBe(0);
    expect(scoreTemperature((98.6 - 32) / 1.8)).toBe(0); // 37.0 °C from Fahrenheit
  });
});

describe('NEWS2 totals, risk and alert', () => {
  it('worked example: RR 22, SpO2 95 % on air, SBP 105, HR 115, alert, 38.5 °C → 2+1+0+1+2+0+1 = 7, high', () => {
    expect(
      news2({
        respiratoryRate: 22,
        spo2: 95,
        onOxygen: false,
        systolic: 105,
        heartRate: 115,
        consciousness: 'A',
        temperature: 38.5,
      }),
    ).toEqual({
      total: 7,
      scale: 1,
      scores: {
        respiratoryRate: 2,
        spo2: 1,
        airOrOxygen: 0,
        systolic: 1,
        heartRate: 2,
        consciousness: 0,
        temperature: 1,
      },
      risk: 'high',
      alert: true,
    });
  });

  it('worked example: a COPD patient on scale 2 over-oxygenated at 97 % → 0+3+2+0+0+0+0 = 5, medium; the same set on scale 1 is 2, low', () => {
    const set = {
      respiratoryRate: 18,
      spo2: 97,
      onOxygen: true,
      systolic: 130,
      heartRate: 85,
      consciousness: 'A',
      temperature: 37.2,
    } as const;
    expect(news2({ ...set, spo2Scale: 2 })).toEqual({
      total: 5,
      scale: 2,
      scores: {
        respiratoryRate: 0,
        spo2: 3,
        airOrOxygen: 2,
        systolic: 0,
        heartRate: 0,
        consciousness: 0,
        temperature: 0,
      },
      risk: 'medium',
      alert: true,
    });
    expect(news2(set)).toMatchObject({ total: 2, scale: 1, risk: 'low', alert: false });
  });

  it('worked example: new confusion alone → 0+0+0+0+0+3+0 = 3, low–medium, and an alert', () => {
    expect(news2({ ...normal, consciousness: 'C' })).toMatchObject({
      total: 3,
      risk: 'low_medium',
      alert: true,
    });
  });

  it('a healthy set scores 0, low, no alert', () => {
    expect(news2(normal)).toMatchObject({ total: 0, scale: 1, risk: 'low', alert: false });
  });

  // [changes, total, risk, alert]
  const bands = [
    [{ respiratoryRate: 21 }, 2, 'low', false],
    [{ respiratoryRate: 21, heartRate: 111 }, 4, 'low', false],
    [{ respiratoryRate: 25 }, 3, 'low_medium', true],
    [{ respiratoryRate: 25, heartRate: 91 }, 4, 'low_medium', true],
    [{ respiratoryRate: 21, heartRate: 111, temperature: 38.1 }, 5, 'medium', true],
    [{ respiratoryRate: 21, heartRate: 111, temperature: 39.1 }, 6, 'medium', true],
    [{ systolic: 90, temperature: 38.1, heartRate: 91 }, 5, 'medium', true],
    [{ systolic: 90, heartRate: 111, temperature: 38.1 }, 6, 'medium', true],
    [{ respiratoryRate: 21, heartRate: 111, temperature: 39.1, systolic: 110 }, 7, 'high', true],
    [{ systolic: 220, heartRate: 131 }, 6, 'medium', true],
    [{ systolic: 220, heartRate: 131, temperature: 38.1 }, 7, 'high', true],
    [
      {
        respiratoryRate: 8,
        spo2: 91,
        onOxygen: true,
        systolic: 90,
        heartRate: 131,
        consciousness: 'U',
        temperature: 35.0,
      },
      20,
      'high',
      true,
    ],
  ] as const satisfies readonly (readonly [Partial<News2Input>, number, News2Risk, boolean])[];
  it.each(bands)('%o → total %d, risk %s, alert %s', (changes, total, risk, alert) => {
    expect(news2({ ...normal, ...changes })).toMatchObject({ total, risk, alert });
  });

  it('risk from the total and the highest single score: 0–4 low, a 3 with total ≤ 4 low–medium, 5–6 medium, ≥ 7 high', () => {
    for (let total = 0; total <= 20; total++) {
      for (let highest = 0; highest <= 3; highest++) {
        const expected: News2Risk = total >= 7 ? 'high' : total >= 5 ? 'medium' : highest === 3 ? 'low_medium' : 'low';
        expect(news2Risk(total, highest)).toBe(expected);
      }
    }
  });
});

describe('NEWS2 on incomplete sets', () => {
  const required = [
    'respiratoryRate',
    'spo2',
    'onOxygen',
    'systolic',
    'heartRate',
    'consciousness',
    'temperature',
  ] as const satisfies readonly (keyof News2Input)[];

  it.each(required)('no score without %s (undefined, null or absent)', (key) => {
    expect(news2({ ...normal, [key]: undefined })).toBeNull();
    expect(news2({ ...normal, [key]: null })).toBeNull();
    const { [key]: _omitted, ...rest } = normal;
    expect(news2(rest)).toBeNull();
  });

  it.each(['respiratoryRate', 'spo2', 'systolic', 'heartRate', 'temperature'] as const)(
    'an unreadable %s (NaN, as an emptied number field gives) is missing, not scored',
    (key) => {
      expect(news2({ ...normal, [key]: Number.NaN })).toBeNull();
      expect(news2({ ...normal, [key]: Number.POSITIVE_INFINITY })).toBeNull();
    },
  );

  it('nothing at all has no score', () => {
    expect(news2({})).toBeNull();
  });

  it('a missing SpO2 scale means scale 1 (scale 2 is prescribed, never assumed)', () => {
    const low = { ...normal, spo2: 90, onOxygen: true };
    for (const spo2Scale of [undefined, null] as const) {
      expect(news2({ ...low, spo2Scale })).toMatchObject({ scale: 1, scores: { spo2: 3 } });
    }
    const { spo2Scale: _none, ...absent } = { ...low, spo2Scale: 2 };
    expect(news2(absent)).toMatchObject({ scale: 1, scores: { spo2: 3 } });
    expect(news2({ ...low, spo2Scale: 2 })).toMatchObject({ scale: 2, scores: { spo2: 0 } });
  });

  it('breathing air (false) is a value, not a missing one', () => {
    expect(news2({ ...normal, onOxygen: false })).not.toBeNull();
  });
});

// Any set of observations the contract admits (integers, temperature in tenths or arbitrary).
const tenths = (min: number, max: number) => fc.integer({ min: min * 10, max: max * 10 }).map((k) => k / 10);
const temperatureArb = fc.oneof(tenths(25, 45), fc.double({ min: 25, max: 45, noNaN: true }));
const completeSet = fc.record({
  respiratoryRate: fc.integer({ min: 3, max: 80 }),
  spo2: fc.integer({ min: 40, max: 100 }),
  onOxygen: fc.boolean(),
  spo2Scale: fc.constantFrom(1 as const, 2 as const, undefined),
  systolic: fc.integer({ min: 40, max: 300 }),
  heartRate: fc.integer({ min: 20, max: 300 }),
  consciousness: fc.constantFrom(...CONSCIOUSNESS),
  temperature: temperatureArb,
});

const must = (input: News2Input) => {
  const result = news2(input);
  if (!result) throw new Error('a complete set must have a score');
  return result;
};

describe('NEWS2 properties', () => {
  it('the total is the sum of the seven scores, each the chart’s score for its parameter', () => {
    fc.assert(
      fc.property(completeSet, (set) => {
        const r = must(set);
        expect(Object.keys(r.scores).sort()).toEqual([...NEWS2_PARAMETERS].sort());
        expect(r.total).toBe(Object.values(r.scores).reduce((a, b) => a + b, 0));
        expect(r.scores).toEqual({
          respiratoryRate: scoreRespiratoryRate(set.respiratoryRate),
          spo2: set.spo2Scale === 2 ? scoreSpo2Scale2(set.spo2, set.onOxygen) : scoreSpo2Scale1(set.spo2),
          airOrOxygen: scoreAirOrOxygen(set.onOxygen),
          systolic: scoreSystolic(set.systolic),
          heartRate: scoreHeartRate(set.heartRate),
          consciousness: scoreConsciousness(set.consciousness),
          temperature: scoreTemperature(set.temperature),
        });
        for (const s of Object.values(r.scores)) expect([0, 1, 2, 3]).toContain(s);
      }),
    );
  });

  it('alert when the total is 5 or more or any one parameter scores 3; risk follows the total and the highest score', () => {
    fc.assert(
      fc.property(completeSet, (set) => {
        const r = must(set);
        const highest = Math.max(...Object.values(r.scores));
        expect(r.alert).toBe(r.total >= 5 || highest === 3);
        expect(r.risk).toBe(news2Risk(r.total, highest));
      }),
    );
  });

  // For each numeric parameter: the band that scores 0, and how to put a value in a set.
  const numeric = [
    { name: 'respiration', lo: 12, hi: 20, arb: fc.integer({ min: 3, max: 80 }), key: 'respiratoryRate' },
    { name: 'systolic', lo: 111, hi: 219, arb: fc.integer({ min: 40, max: 300 }), key: 'systolic' },
    { name: 'pulse', lo: 51, hi: 90, arb: fc.integer({ min: 20, max: 300 }), key: 'heartRate' },
    { name: 'temperature', lo: 36.1, hi: 38.0, arb: temperatureArb, key: 'temperature' },
  ] as const;
  const parameterOf = {
    respiratoryRate: 'respiratoryRate',
    systolic: 'systolic',
    heartRate: 'heartRate',
    temperature: 'temperature',
  } as const;

  it.each(numeric)('moving $name further from its normal band never lowers its score nor the total', ({ lo, hi, arb, key }) => {
    fc.assert(
      fc.property(completeSet, arb, arb, (set, a, b) => {
        const [x, y] = a <= b ? [a, b] : [b, a];
        const rx = must({ ...set, [key]: x });
        const ry = must({ ...set, [key]: y });
        const p = parameterOf[key];
        // below the band, the lower value is further from normal; above it, the higher one
        if (y <= hi) {
          expect(rx.scores[p]).toBeGreaterThanOrEqual(ry.scores[p]);
          expect(rx.total).toBeGreaterThanOrEqual(ry.total);
        }
        if (x >= lo) {
          expect(ry.scores[p]).toBeGreaterThanOrEqual(rx.scores[p]);
          expect(ry.total).toBeGreaterThanOrEqual(rx.total);
        }
      }),
    );
  });

  it('SpO2: lower never scores less on either scale; on scale 2 with oxygen, higher above 92 never scores less', () => {
    const spo2 = fc.integer({ min: 40, max: 100 });
    fc.assert(
      fc.property(completeSet, spo2, spo2, (set, a, b) => {
        const [x, y] = a <= b ? [a, b] : [b, a];
        const rx = must({ ...set, spo2: x });
        const ry = must({ ...set, spo2: y });
        const normalFrom = set.spo2Scale === 2 ? 88 : 96;
        if (y <= normalFrom) {
          expect(rx.scores.spo2).toBeGreaterThanOrEqual(ry.scores.spo2);
          expect(rx.total).toBeGreaterThanOrEqual(ry.total);
        }
        if (set.spo2Scale === 2 && set.onOxygen && x >= 92) {
          expect(ry.scores.spo2).toBeGreaterThanOrEqual(rx.scores.spo2);
          expect(ry.total).toBeGreaterThanOrEqual(rx.total);
        }
        if (set.spo2Scale === 2 && !set.onOxygen && x >= 88) expect(ry.scores.spo2).toBe(0);
        if (set.spo2Scale !== 2 && x >= 96) expect(ry.scores.spo2).toBe(0);
      }),
    );
  });

  it('consciousness other than alert never lowers the total; oxygen never lowers it on scale 1', () => {
    fc.assert(
      fc.property(completeSet, fc.constantFrom(...CONSCIOUSNESS), (set, c) => {
        expect(must({ ...set, consciousness: c }).total).toBeGreaterThanOrEqual(must({ ...set, consciousness: 'A' }).total);
        expect(must({ ...set, spo2Scale: 1, onOxygen: true }).total).toBe(
          must({ ...set, spo2Scale: 1, onOxygen: false }).total + 2,
        );
      }),
    );
  });

  it('risk never falls as the total rises, for the same highest single score', () => {
    const rank = (r: News2Risk) => NEWS2_RISKS.indexOf(r);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        (a, b, h1, h2) => {
          const [t1, t2] = a <= b ? [a, b] : [b, a];
          const [lowH, highH] = h1 <= h2 ? [h1, h2] : [h2, h1];
          expect(rank(news2Risk(t2, lowH))).toBeGreaterThanOrEqual(rank(news2Risk(t1, lowH)));
          expect(rank(news2Risk(t2, highH))).toBeGreaterThanOrEqual(rank(news2Risk(t1, lowH)));
          // from 5 up, the highest single score no longer matters
          if (t1 >= 5) expect(news2Risk(t1, lowH)).toBe(news2Risk(t1, highH));
        },
      ),
    );
  });

  it('scale 1 and scale 2 agree on every parameter but SpO2', () => {
    fc.assert(
      fc.property(completeSet, (set) => {
        const one = must({ ...set, spo2Scale: 1 });
        const two = must({ ...set, spo2Scale: 2 });
        expect(one.scale).toBe(1);
        expect(two.scale).toBe(2);
        const { spo2: s1, ...rest1 } = one.scores;
        const { spo2: s2, ...rest2 } = two.scores;
        expect(rest1).toEqual(rest2);
        expect(one.total - s1).toBe(two.total - s2);
      }),
    );
  });

  it('a temperature is scored as its nearest tenth', () => {
    fc.assert(
      fc.property(fc.double({ min: 25, max: 45, noNaN: true }), (t) => {
        expect(scoreTemperature(t)).toBe(scoreTemperature(Math.round(t * 10) / 10));
      }),
    );
  });
});
