// Dosing: what a prescriber and a patient read (frequency, instructions in English and French), the
// quantity the pharmacy dispenses, and the dose the safety checks see; properties over generated
// frequencies and doses (never throws, quantity covers the course, checks get the daily dose).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkMedications } from '../medications.ts';
import {
  administrationsPerDay,
  checkDose,
  computeQuantity,
  doseForChecks,
  doseText,
  frequencyText,
  instructionsText,
  parseStrength,
  type Frequency,
} from './dosing.ts';

const tpd = (times: number): Frequency => ({ kind: 'times_per_day', times, asNeeded: false });
const q = (hours: number): Frequency => ({ kind: 'every_hours', hours, asNeeded: false });
const pat = (...pattern: number[]): Frequency => ({ kind: 'pattern', pattern, asNeeded: false });
const night: Frequency = { kind: 'at_night', asNeeded: false };
const once: Frequency = { kind: 'once', asNeeded: false };
const prn = (maxPerDay: number | null, base: Partial<Frequency> = {}): Frequency => ({
  kind: 'times_per_day',
  times: maxPerDay,
  ...base,
  asNeeded: true,
  maxPerDay,
});

describe('administrationsPerDay', () => {
  it.each([
    ['three times a day', tpd(3), 3],
    ['every 8 hours', q(8), 3],
    ['every 6 hours', q(6), 4],
    ['every 12 hours', q(12), 2],
    ['every 48 hours', q(48), 0.5],
    ['1-0-1', pat(1, 0, 1, 0), 2],
    ['2-0-1 (two administrations)', pat(2, 0, 1, 0), 2],
    ['1-1-1-1', pat(1, 1, 1, 1), 4],
    ['at night', night, 1],
    ['once', once, 1],
    ['as needed: the maximum a day', prn(4), 4],
    ['every 6 h as needed, at most 3 a day', prn(3, { kind: 'every_hours', hours: 6 }), 3],
  ] as const)('%s → %s', (_, f, n) => expect(administrationsPerDay(f)).toBe(n));

  it('is null when the frequency is incomplete', () => {
    expect(administrationsPerDay({ kind: 'times_per_day', asNeeded: false })).toBeNull();
    expect(administrationsPerDay({ kind: 'every_hours', hours: 0, asNeeded: false })).toBeNull();
    expect(administrationsPerDay(pat(0, 0, 0, 0))).toBeNull();
    expect(administrationsPerDay({ kind: 'pattern', pattern: [1, 0], asNeeded: false })).toBeNull();
    expect(administrationsPerDay({ kind: 'weekly' as never, asNeeded: false })).toBeNull();
    expect(administrationsPerDay(null as never)).toBeNull();
  });

  it('as needed with no maximum falls back to the schedule', () => {
    expect(administrationsPerDay({ kind: 'every_hours', hours: 6, asNeeded: true, maxPerDay: null })).toBe(4);
  });
});

describe('frequencyText', () => {
  it.each([
    [pat(1, 0, 1, 0), '1-0-1', '1-0-1'],
    [pat(1, 1, 1, 0), '1-1-1', '1-1-1'],
    [pat(0, 0, 1, 0), '0-0-1', '0-0-1'],
    [pat(1, 0, 1, 1), '1-0-1-1', '1-0-1-1'],
    [pat(0.5, 0, 0.5, 0), '½-0-½', '½-0-½'],
    [q(8), 'every 8 hours', 'toutes les 8 heures'],
    [q(1), 'every hour', 'toutes les heures'],
    [q(1.5), 'every 1.5 hours', 'toutes les 1,5 heures'],
    [tpd(1), 'once a day', 'une fois par jour'],
    [tpd(2), 'twice a day', 'deux fois par jour'],
    [tpd(3), 'three times a day', 'trois fois par jour'],
    [tpd(12), 'twelve times a day', 'douze fois par jour'],
    [night, 'once daily at night', 'une fois par jour au coucher'],
    [once, 'once only', 'une seule fois'],
    [prn(4), 'as needed, at most four times a day', 'si besoin, au maximum quatre fois par jour'],
    [prn(1), 'as needed, at most once a day', 'si besoin, au maximum une fois par jour'],
    [
      prn(3, { kind: 'every_hours', hours: 6 }),
      'every 6 hours, as needed, at most three times a day',
      'toutes les 6 heures, si besoin, au maximum trois fois par jour',
    ],
    [
      { kind: 'times_per_day', times: 3, asNeeded: true },
      'as needed, up to three times a day',
      'si besoin, jusqu’à trois fois par jour',
    ],
  ] as const)('%j → "%s" / "%s"', (f, en, fr) => {
    expect(frequencyText(f, 'en')).toBe(en);
    expect(frequencyText(f, 'fr')).toBe(fr);
  });

  it('is empty for an incomplete frequency', () => {
    expect(frequencyText({ kind: 'times_per_day', asNeeded: false }, 'en')).toBe('');
    expect(frequencyText(pat(0, 0, 0, 0), 'fr')).toBe('');
  });
});

describe('computeQuantity', () => {
  it('countable dose units: units × administrations × days', () => {
    expect(computeQuantity({ dose: { amount: 1, unit: 'tablet' }, frequency: tpd(3), durationDays: 7 })).toEqual({
      quantity: 21,
      unit: 'tablet',
    });
    expect(computeQuantity({ dose: { amount: 2, unit: 'capsule' }, frequency: q(12), durationDays: 5 })).toEqual({
      quantity: 20,
      unit: 'capsule',
    });
    expect(computeQuantity({ dose: { amount: 2, unit: 'puff' }, frequency: tpd(2), durationDays: 30 })).toEqual({
      quantity: 120,
      unit: 'puff',
    });
    expect(computeQuantity({ dose: { amount: 1, unit: 'suppository' }, frequency: night, durationDays: 3 })).toEqual({
      quantity: 3,
      unit: 'suppository',
    });
  });

  it('a pattern counts its multiples: 2-0-1 of 1 tablet for 10 days is 30 tablets', () => {
    expect(computeQuantity({ dose: { amount: 1, unit: 'tablet' }, frequency: pat(2, 0, 1, 0), durationDays: 10 })).toEqual({
      quantity: 30,
      unit: 'tablet',
    });
  });

  it('half tablets are rounded up to whole tablets over the course', () => {
    expect(computeQuantity({ dose: { amount: 0.5, unit: 'tablet' }, frequency: tpd(3), durationDays: 5 })).toEqual({
      quantity: 8,
      unit: 'tablet',
    });
  });

  it('a mass dose from tablets of known strength gives tablets, rounded up', () => {
    const amoxicillin = { strength: '500mg', form: 'capsule' };
    expect(computeQuantity({ dose: { amount: 500, unit: 'mg' }, frequency: q(8), durationDays: 7, ...amoxicillin })).toEqual({
      quantity: 21,
      unit: 'capsule',
    });
    expect(
      computeQuantity({ dose: { amount: 1, unit: 'g' }, frequency: tpd(2), durationDays: 5, strength: '500mg', form: 'tablet' }),
    ).toEqual({
      quantity: 20,
      unit: 'tablet',
    });
    // 750 mg from 500 mg tablets: 1½ tablets a dose
    expect(
      computeQuantity({
        dose: { amount: 750, unit: 'mg' },
        frequency: tpd(3),
        durationDays: 3,
        strength: '500mg',
        form: 'tablet',
      }),
    ).toEqual({
      quantity: 14,
      unit: 'tablet',
    });
    // 300 mg from 250 mg capsules: capsules do not split, 2 a dose
    expect(
      computeQuantity({
        dose: { amount: 300, unit: 'mg' },
        frequency: tpd(2),
        durationDays: 2,
        strength: '250mg',
        form: 'capsule',
      }),
    ).toEqual({
      quantity: 8,
      unit: 'capsule',
    });
    // micrograms
    expect(
      computeQuantity({
        dose: { amount: 100, unit: 'mcg' },
        frequency: tpd(1),
        durationDays: 28,
        strength: '50ug',
        form: 'tablet',
      }),
    ).toEqual({
      quantity: 56,
      unit: 'tablet',
    });
  });

  it('mL stays mL; a mass dose from a liquid of known concentration gives mL', () => {
    expect(computeQuantity({ dose: { amount: 5, unit: 'mL' }, frequency: tpd(3), durationDays: 7 })).toEqual({
      quantity: 105,
      unit: 'mL',
    });
    expect(computeQuantity({ dose: { amount: 2.5, unit: 'mL' }, frequency: tpd(3), durationDays: 5 })).toEqual({
      quantity: 38,
      unit: 'mL',
    });
    expect(
      computeQuantity({
        dose: { amount: 250, unit: 'mg' },
        frequency: tpd(3),
        durationDays: 7,
        strength: '125mg/5mL',
        form: 'oral suspension',
      }),
    ).toEqual({ quantity: 210, unit: 'mL' });
  });

  it('every 48 hours for 7 days is 4 doses; once is one dose whatever the duration', () => {
    expect(computeQuantity({ dose: { amount: 1, unit: 'tablet' }, frequency: q(48), durationDays: 7 })).toEqual({
      quantity: 4,
      unit: 'tablet',
    });
    expect(computeQuantity({ dose: { amount: 4, unit: 'tablet' }, frequency: once, durationDays: 1 })).toEqual({
      quantity: 4,
      unit: 'tablet',
    });
  });

  it('as needed: the maximum a day for every day', () => {
    expect(computeQuantity({ dose: { amount: 1, unit: 'tablet' }, frequency: prn(4), durationDays: 5 })).toEqual({
      quantity: 20,
      unit: 'tablet',
    });
    expect(
      computeQuantity({
        dose: { amount: 1, unit: 'tablet' },
        frequency: prn(3, { kind: 'every_hours', hours: 6 }),
        durationDays: 2,
      }),
    ).toEqual({ quantity: 6, unit: 'tablet' });
  });

  it('unknown → null: no strength, combinations, IU, applications, tablets of a liquid, incomplete input', () => {
    const base = { frequency: tpd(3), durationDays: 7 };
    expect(computeQuantity({ ...base, dose: { amount: 500, unit: 'mg' } })).toBeNull();
    expect(computeQuantity({ ...base, dose: { amount: 500, unit: 'mg' }, strength: '500mg', form: null })).toBeNull();
    expect(computeQuantity({ ...base, dose: { amount: 1, unit: 'g' }, strength: '875mg + 125mg', form: 'tablet' })).toBeNull();
    expect(computeQuantity({ ...base, dose: { amount: 10, unit: 'IU' }, strength: '100IU/mL' })).toBeNull();
    expect(computeQuantity({ ...base, dose: { amount: 1, unit: 'application' } })).toBeNull();
    expect(computeQuantity({ ...base, dose: { amount: 500, unit: 'mg' }, strength: '1%', form: 'cream' })).toBeNull();
    expect(computeQuantity({ ...base, dose: { amount: 0, unit: 'tablet' } })).toBeNull();
    expect(computeQuantity({ ...base, durationDays: 0, dose: { amount: 1, unit: 'tablet' } })).toBeNull();
    expect(computeQuantity({ ...base, durationDays: 2.5, dose: { amount: 1, unit: 'tablet' } })).toBeNull();
    expect(
      computeQuantity({
        dose: { amount: 1, unit: 'tablet' },
        frequency: { kind: 'times_per_day', asNeeded: false },
        durationDays: 7,
      }),
    ).toBeNull();
    expect(computeQuantity(null as never)).toBeNull();
  });
});

describe('doseForChecks and checkDose', () => {
  it('mass doses as they are; tablets and mL of known strength in mg; the rest null', () => {
    expect(doseForChecks({ amount: 1, unit: 'g' }, null)).toEqual({ amount: 1, unit: 'g' });
    expect(doseForChecks({ amount: 2, unit: 'tablet' }, '500mg')).toEqual({ amount: 1000, unit: 'mg' });
    expect(doseForChecks({ amount: 0.5, unit: 'tablet' }, '5 mg')).toEqual({ amount: 2.5, unit: 'mg' });
    expect(doseForChecks({ amount: 10, unit: 'mL' }, '125mg/5mL')).toEqual({ amount: 250, unit: 'mg' });
    expect(doseForChecks({ amount: 1, unit: 'tablet' }, '120mg + 60mg')).toBeNull();
    expect(doseForChecks({ amount: 1, unit: 'tablet' }, null)).toBeNull();
    expect(doseForChecks({ amount: 2, unit: 'drop' }, '0.5%')).toBeNull();
    expect(doseForChecks({ amount: -1, unit: 'mg' })).toBeNull();
  });

  it('a pattern gives the largest administration and the daily total', () => {
    expect(checkDose({ amount: 500, unit: 'mg' }, pat(2, 0, 1, 0))).toEqual({
      dose: { amount: 1000, unit: 'mg' },
      timesPerDay: 1.5,
    });
    expect(checkDose({ amount: 1, unit: 'tablet' }, q(6), '500mg')).toEqual({
      dose: { amount: 500, unit: 'mg' },
      timesPerDay: 4,
    });
    expect(checkDose({ amount: 1, unit: 'application' }, tpd(2))).toEqual({ dose: null, timesPerDay: null });
  });

  it('paracetamol 2 tablets of 500 mg every 4 hours is flagged above its daily maximum; 2 tablets 4 times a day is not', () => {
    const check = (f: Frequency, tablets = 2) =>
      checkMedications({
        items: [
          {
            name: 'Paracetamol 500mg tablet',
            ingredients: ['paracetamol'],
            route: 'oral',
            ...checkDose({ amount: tablets, unit: 'tablet' }, f, '500mg'),
          },
        ],
      }).alerts.map((a) => a.code);
    expect(check(q(4))).toContain('dose-daily');
    expect(check(tpd(4))).toEqual([]);
    // a pattern's multiples are of the dose: 2-2-2-2 of 1 tablet is 4 g a day
    expect(check(pat(2, 2, 2, 2), 1)).toEqual([]);
    expect(check(pat(2, 2, 2, 4), 1)).toEqual(expect.arrayContaining(['dose-single', 'dose-daily']));
  });
});

describe('instructionsText and doseText', () => {
  it.each([
    [
      { dose: { amount: 1, unit: 'tablet' }, frequency: tpd(3), durationDays: 7 },
      'Take 1 tablet three times a day for 7 days',
      'Prendre 1 comprimé trois fois par jour pendant 7 jours',
    ],
    [
      { dose: { amount: 2, unit: 'capsule' }, frequency: tpd(2), durationDays: 1 },
      'Take 2 capsules twice a day for 1 day',
      'Prendre 2 gélules deux fois par jour pendant 1 jour',
    ],
    [
      { dose: { amount: 0.5, unit: 'tablet' }, frequency: night, durationDays: 30 },
      'Take ½ tablet once daily at night for 30 days',
      'Prendre ½ comprimé une fois par jour au coucher pendant 30 jours',
    ],
    [
      { dose: { amount: 1.5, unit: 'tablet' }, frequency: tpd(1), durationDays: 10 },
      'Take 1½ tablets once a day for 10 days',
      'Prendre 1½ comprimé une fois par jour pendant 10 jours',
    ],
    [
      { dose: { amount: 1, unit: 'tablet' }, frequency: pat(1, 0, 1, 0), durationDays: 14 },
      'Take 1 tablet in the morning and 1 tablet in the evening for 14 days',
      'Prendre 1 comprimé le matin et 1 comprimé le soir pendant 14 jours',
    ],
    [
      { dose: { amount: 1, unit: 'tablet' }, frequency: pat(2, 1, 1, 0), durationDays: 5 },
      'Take 2 tablets in the morning, 1 tablet at midday and 1 tablet in the evening for 5 days',
      'Prendre 2 comprimés le matin, 1 comprimé à midi et 1 comprimé le soir pendant 5 jours',
    ],
    [
      { dose: { amount: 1, unit: 'tablet' }, frequency: prn(4), durationDays: 5 },
      'Take 1 tablet as needed, at most four times a day, for 5 days',
      'Prendre 1 comprimé si besoin, au maximum quatre fois par jour, pendant 5 jours',
    ],
    [
      { dose: { amount: 1, unit: 'g' }, frequency: tpd(2), durationDays: 5, strength: '500mg', form: 'tablet' },
      'Take 1 g (2 tablets) twice a day for 5 days',
      'Prendre 1 g (2 comprimés) deux fois par jour pendant 5 jours',
    ],
    [
      { dose: { amount: 2.5, unit: 'mL' }, frequency: q(8), durationDays: 5 },
      'Take 2.5 mL every 8 hours for 5 days',
      'Prendre 2,5 mL toutes les 8 heures pendant 5 jours',
    ],
    [
      { dose: { amount: 2, unit: 'drop' }, frequency: tpd(4), durationDays: 7, route: 'ophthalmic' },
      'Instil 2 drops four times a day for 7 days',
      'Instiller 2 gouttes quatre fois par jour pendant 7 jours',
    ],
    [
      { dose: { amount: 2, unit: 'puff' }, frequency: prn(4), durationDays: 30, route: 'inhalation' },
      'Inhale 2 puffs as needed, at most four times a day, for 30 days',
      'Inhaler 2 bouffées si besoin, au maximum quatre fois par jour, pendant 30 jours',
    ],
    [
      { dose: { amount: 1, unit: 'application' }, frequency: tpd(2), durationDays: 10, route: 'topical' },
      'Apply 1 application twice a day for 10 days',
      'Appliquer 1 application deux fois par jour pendant 10 jours',
    ],
    [{ dose: { amount: 2, unit: 'g' }, frequency: once, durationDays: 1 }, 'Take 2 g once only', 'Prendre 2 g une seule fois'],
    [
      { dose: { amount: 1, unit: 'g' }, frequency: q(24), durationDays: 5, route: 'parenteral' },
      'Give 1 g every 24 hours for 5 days',
      'Administrer 1 g toutes les 24 heures pendant 5 jours',
    ],
  ] as const)('%j', (item, en, fr) => {
    expect(instructionsText(item, 'en')).toBe(en);
    expect(instructionsText(item, 'fr')).toBe(fr);
  });

  it('a mass dose that is not a whole number of half tablets does not claim a tablet count', () => {
    expect(
      instructionsText(
        { dose: { amount: 300, unit: 'mg' }, frequency: tpd(2), durationDays: 5, strength: '500mg', form: 'tablet' },
        'en',
      ),
    ).toBe('Take 300 mg twice a day for 5 days');
  });

  it('is empty when the dose or frequency is incomplete', () => {
    expect(instructionsText({ dose: { amount: 0, unit: 'tablet' }, frequency: tpd(3), durationDays: 7 }, 'en')).toBe('');
    expect(
      instructionsText({ dose: { amount: 1, unit: 'tablet' }, frequency: { kind: 'times_per_day', asNeeded: false } }, 'fr'),
    ).toBe('');
  });

  it('doseText: fractions for countable units, decimals in the language for others, French µg', () => {
    expect(doseText({ amount: 0.25, unit: 'tablet' }, 'en')).toBe('¼ tablet');
    expect(doseText({ amount: 2, unit: 'suppository' }, 'en')).toBe('2 suppositories');
    expect(doseText({ amount: 100, unit: 'mcg' }, 'fr')).toBe('100 µg');
    expect(doseText({ amount: 10, unit: 'IU' }, 'fr')).toBe('10 UI');
    expect(doseText({ amount: 0.125, unit: 'mg' }, 'fr')).toBe('0,125 mg');
  });
});

describe('parseStrength', () => {
  it.each([
    ['500mg', { mgPerUnit: 500 }],
    ['1 g', { mgPerUnit: 1000 }],
    ['100ug', { mgPerUnit: 0.1 }],
    ['125mg/5mL', { mgPerMl: 25 }],
    ['40mg/mL', { mgPerMl: 40 }],
    ['2,5mg', { mgPerUnit: 2.5 }],
    ['120mg + 60mg', null],
    ['1%', null],
    ['100IU/mL', null],
    ['', null],
  ] as const)('%s', (s, expected) => expect(parseStrength(s)).toEqual(expected));
});

// ------------------------------------------------------------------ properties

const frequencyArb: fc.Arbitrary<Frequency> = fc.oneof(
  fc.record({
    kind: fc.constant('times_per_day' as const),
    times: fc.integer({ min: 1, max: 12 }),
    asNeeded: fc.constant(false),
  }),
  fc.record({ kind: fc.constant('every_hours' as const), hours: fc.integer({ min: 1, max: 72 }), asNeeded: fc.constant(false) }),
  fc.record({
    kind: fc.constant('pattern' as const),
    pattern: fc.tuple(...[0, 1, 2, 3].map(() => fc.constantFrom(0, 0.5, 1, 2, 3))).filter((p) => p.some((x) => x > 0)),
    asNeeded: fc.constant(false),
  }),
  fc.record({ kind: fc.constantFrom('at_night' as const), asNeeded: fc.constant(false) }),
  fc.record({
    kind: fc.constantFrom('times_per_day' as const, 'every_hours' as const),
    times: fc.integer({ min: 1, max: 12 }),
    hours: fc.integer({ min: 1, max: 72 }),
    asNeeded: fc.constant(true),
    maxPerDay: fc.integer({ min: 1, max: 12 }),
  }),
);
const countableArb = fc.constantFrom('tablet', 'capsule', 'drop', 'puff', 'sachet', 'suppository', 'patch');
const amountArb = fc.constantFrom(0.25, 0.5, 1, 1.5, 2, 3, 4, 10);

describe('properties', () => {
  it('never throws on any input, and gives null or text rather than nonsense', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), fc.anything(), (dose, frequency, days, strength) => {
        const input = { dose, frequency, durationDays: days, strength, form: strength } as never;
        const r = computeQuantity(input);
        expect(r === null || (Number.isInteger(r.quantity) && r.quantity > 0)).toBe(true);
        expect(typeof instructionsText(input, 'en')).toBe('string');
        expect(typeof frequencyText(frequency as never, 'fr')).toBe('string');
        administrationsPerDay(frequency as never);
        doseForChecks(dose as never, strength as never);
        checkDose(dose as never, frequency as never, strength as never);
      }),
      { numRuns: 500 },
    );
  });

  it('a countable quantity covers the whole course and wastes less than one unit', () => {
    fc.assert(
      fc.property(frequencyArb, countableArb, amountArb, fc.integer({ min: 1, max: 90 }), (frequency, unit, amount, days) => {
        const r = computeQuantity({ dose: { amount, unit }, frequency, durationDays: days });
        expect(r).not.toBeNull();
        const perDay =
          frequency.kind === 'pattern' ? frequency.pattern!.reduce((a, b) => a + b, 0) : administrationsPerDay(frequency)!;
        const exact =
          frequency.kind === 'every_hours' && !frequency.asNeeded
            ? amount * Math.ceil((days * 24) / frequency.hours!)
            : amount * perDay * days;
        expect(r!.unit).toBe(unit);
        expect(r!.quantity).toBeGreaterThanOrEqual(exact - 1e-9);
        expect(r!.quantity - exact).toBeLessThan(1);
      }),
    );
  });

  it('quantity grows with the duration', () => {
    fc.assert(
      fc.property(frequencyArb, amountArb, fc.integer({ min: 1, max: 89 }), (frequency, amount, days) => {
        const a = computeQuantity({ dose: { amount, unit: 'tablet' }, frequency, durationDays: days })!;
        const b = computeQuantity({ dose: { amount, unit: 'tablet' }, frequency, durationDays: days + 1 })!;
        expect(b.quantity).toBeGreaterThanOrEqual(a.quantity);
      }),
    );
  });

  it('the same dose in mg or in tablets of known strength dispenses the same number of tablets', () => {
    fc.assert(
      fc.property(
        frequencyArb,
        fc.constantFrom(0.5, 1, 2, 3),
        fc.constantFrom(5, 25, 250, 500),
        fc.integer({ min: 1, max: 60 }),
        (frequency, tablets, strengthMg, days) => {
          const inTablets = computeQuantity({ dose: { amount: tablets, unit: 'tablet' }, frequency, durationDays: days });
          const inMg = computeQuantity({
            dose: { amount: tablets * strengthMg, unit: 'mg' },
            frequency,
            durationDays: days,
            strength: `${strengthMg}mg`,
            form: 'tablet',
          });
          expect(inMg).toEqual(inTablets);
        },
      ),
    );
  });

  it('checkDose gives the checks the daily dose: dose × timesPerDay = mg a day', () => {
    fc.assert(
      fc.property(frequencyArb, fc.constantFrom(0.5, 1, 2), fc.constantFrom(250, 500), (frequency, tablets, strengthMg) => {
        const { dose, timesPerDay } = checkDose({ amount: tablets, unit: 'tablet' }, frequency, `${strengthMg}mg`);
        const perDay =
          frequency.kind === 'pattern' ? frequency.pattern!.reduce((a, b) => a + b, 0) : administrationsPerDay(frequency)!;
        expect(dose!.amount * timesPerDay!).toBeCloseTo(tablets * strengthMg * perDay, 6);
      }),
    );
  });

  it('every complete frequency has a text in both languages, and instructions name the duration', () => {
    fc.assert(
      fc.property(frequencyArb, countableArb, amountArb, fc.integer({ min: 2, max: 90 }), (frequency, unit, amount, days) => {
        expect(frequencyText(frequency, 'en')).not.toBe('');
        expect(frequencyText(frequency, 'fr')).not.toBe('');
        expect(instructionsText({ dose: { amount, unit }, frequency, durationDays: days }, 'en')).toContain(`for ${days} days`);
        expect(instructionsText({ dose: { amount, unit }, frequency, durationDays: days }, 'fr')).toContain(
          `pendant ${days} jours`,
        );
      }),
    );
  });
});
