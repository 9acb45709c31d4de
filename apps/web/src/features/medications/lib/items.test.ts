// The prescription as the panel holds it: what a new item from the formulary starts as, how the quantity
// and the instructions follow the dose until the prescriber types their own, what the checks and the
// server are given.
import { describe, expect, it } from 'vitest';
import { checkMedications } from '@sanita/clinical/medications';
import type { CurrentMedication, FormularyItem, Prescription } from '../api/medications.ts';
import {
  asksPregnancyOf,
  carriedAnswers,
  checkInputs,
  cleanFrequency,
  defaultUnit,
  itemFromFormulary,
  itemFromSaved,
  recompute,
  toFavourite,
  toInput,
  withFormulary,
} from './items.ts';

const formulary = (over: Partial<FormularyItem>): FormularyItem => ({
  id: '00000000-0000-4000-8000-000000000001',
  code: 'who-eml:x',
  source: 'who-eml',
  name: 'Amoxicillin capsule, 500mg',
  genericName: 'Amoxicillin',
  ingredients: ['amoxicillin'],
  strength: '500mg',
  form: 'capsule',
  route: 'oral',
  therapeuticClass: null,
  therapeuticGroup: null,
  atc: [],
  rxnorm: null,
  active: true,
  version: 1,
  clinic: null,
  ...over,
});

const current = (over: Partial<CurrentMedication>): CurrentMedication => ({
  source: 'reported',
  id: '00000000-0000-4000-8000-000000000009',
  prescriptionId: null,
  formularyItemId: null,
  name: 'Ibuprofen 400mg tablet',
  ingredients: ['ibuprofen'],
  route: 'oral',
  dose: null,
  frequency: null,
  doseText: null,
  since: null,
  prescriber: null,
  ...over,
});

describe('a new item from the formulary', () => {
  it('starts at 1 capsule three times a day for 7 days: 21 capsules, instructions in the prescription’s language', () => {
    const item = itemFromFormulary(formulary({}), 'fr');
    expect(item).toMatchObject({ doseAmount: '1', doseUnit: 'capsule', route: 'oral', quantity: '21', quantityUnit: 'capsule' });
    expect(item.instructions).toBe('Prendre 1 gélule trois fois par jour pendant 7 jours.');
  });

  it('the dose unit follows the form', () => {
    expect(defaultUnit('tablet', '5mg')).toBe('tablet');
    expect(defaultUnit('oral solution', '125mg/5mL')).toBe('mL');
    expect(defaultUnit('eye drops', '0.5%')).toBe('drop');
    expect(defaultUnit('inhalation', '100ug')).toBe('puff');
    expect(defaultUnit('cream', '1%')).toBe('application');
    expect(defaultUnit('injection', '40mg/mL')).toBe('mg');
    expect(defaultUnit('powder for injection', '1000mg')).toBe('mg');
    expect(defaultUnit('injection', null)).toBe('mL');
    expect(defaultUnit('injection', '100IU/mL')).toBe('IU');
  });
});

describe('recompute', () => {
  it('follows dose, frequency and days until the prescriber types the quantity or the instructions', () => {
    const item = itemFromFormulary(formulary({}), 'en');
    const twice = recompute(
      { ...item, frequency: { kind: 'pattern', pattern: [1, 0, 1, 0], asNeeded: false }, durationDays: '10' },
      'en',
    );
    expect(twice.quantity).toBe('20');
    expect(twice.instructions).toBe('Take 1 capsule in the morning and 1 capsule in the evening for 10 days.');
    const typed = { ...twice, quantity: '30', quantityEdited: true, instructions: 'With food.', instructionsEdited: true };
    const longer = recompute({ ...typed, durationDays: '14' }, 'en');
    expect(longer.quantity).toBe('30');
    expect(longer.instructions).toBe('With food.');
  });

  it('a mass dose from capsules of known strength counts capsules', () => {
    const item = itemFromFormulary(formulary({}), 'en');
    const mg = recompute({ ...item, doseAmount: '1000', doseUnit: 'mg', durationDays: '5' }, 'en');
    expect(mg).toMatchObject({ quantity: '30', quantityUnit: 'capsule' });
    expect(mg.instructions).toBe('Take 1000 mg (2 capsules) three times a day for 5 days.');
  });

  it('an item reloaded from the server keeps its quantity and instructions', () => {
    const saved = itemFromSaved({
      formularyItemId: null,
      name: 'Warfarin 5mg tablet',
      route: 'oral',
      dose: { amount: 1, unit: 'tablet' },
      frequency: { kind: 'times_per_day', times: 1, asNeeded: false },
      durationDays: 30,
      quantity: 28,
      quantityUnit: 'tablet',
      refills: 0,
      instructions: 'One at 6 pm.',
      substitutionAllowed: false,
      overrides: [{ key: 'interaction:x', reason: 'INR weekly' }],
    });
    expect(saved).toMatchObject({ quantity: '28', instructions: 'One at 6 pm.', overrides: { 'interaction:x': 'INR weekly' } });
  });
});

describe('a reloaded item given its formulary item', () => {
  const saved = (quantity: number, instructions: string) =>
    itemFromSaved({
      formularyItemId: '00000000-0000-4000-8000-000000000001',
      name: 'Amoxicillin capsule, 500mg',
      route: 'oral',
      dose: { amount: 500, unit: 'mg' },
      frequency: { kind: 'every_hours', hours: 8, asNeeded: false },
      durationDays: 7,
      quantity,
      quantityUnit: 'capsule',
      refills: 0,
      instructions,
      substitutionAllowed: true,
    });

  it('follows the dose again when the stored quantity and instructions are what would be computed', () => {
    const item = withFormulary(saved(21, 'Take 500 mg (1 capsule) every 8 hours for 7 days.'), formulary({}), 'en');
    expect(item).toMatchObject({ strength: '500mg', form: 'capsule', quantityEdited: false, instructionsEdited: false });
    expect(recompute({ ...item, durationDays: '10' }, 'en').quantity).toBe('30');
  });

  it('keeps what the prescriber typed', () => {
    const item = withFormulary(saved(24, 'With food.'), formulary({}), 'en');
    expect(item).toMatchObject({ quantityEdited: true, instructionsEdited: true });
    expect(recompute({ ...item, durationDays: '10' }, 'en')).toMatchObject({ quantity: '24', instructions: 'With food.' });
  });
});

describe('what the server and the checks are given', () => {
  it('only the frequency fields of its kind; overrides only for the alerts shown and with a reason', () => {
    expect(
      cleanFrequency({ kind: 'pattern', pattern: [1, 0, 1, 0], times: 3, hours: 8, asNeeded: false, maxPerDay: null }),
    ).toEqual({
      kind: 'pattern',
      pattern: [1, 0, 1, 0],
      asNeeded: false,
    });
    const item = {
      ...itemFromFormulary(formulary({}), 'en'),
      overrides: { 'interaction:a': ' INR weekly ', 'interaction:b': '   ', 'interaction:old': 'no longer shown' },
    };
    const input = toInput(item, ['interaction:a', 'interaction:b']);
    expect(input.overrides).toEqual([{ key: 'interaction:a', reason: 'INR weekly' }]);
    expect(input).toMatchObject({ dose: { amount: 1, unit: 'capsule' }, durationDays: 7, quantity: 21, quantityUnit: 'capsule' });
    expect(toFavourite(item)).not.toHaveProperty('overrides');
  });

  it('the checks see the named items against the current medications, not this prescription’s own', () => {
    const warfarin = itemFromFormulary(
      formulary({ name: 'Warfarin 5mg tablet', ingredients: ['warfarin'], strength: '5mg', form: 'tablet' }),
      'en',
    );
    const blank = { ...warfarin, key: 'blank', name: ' ' };
    const own = current({ source: 'prescription', prescriptionId: 'p1', name: 'Warfarin 5mg tablet', ingredients: ['warfarin'] });
    const { input, indexes } = checkInputs([blank, warfarin], [current({}), own], 'p1', {});
    expect(indexes).toEqual([1]);
    expect(input.current?.map((c) => c.name)).toEqual(['Ibuprofen 400mg tablet']);
    const result = checkMedications(input);
    expect(result.blocking).toBe(true);
    expect(result.alerts[0]).toMatchObject({
      code: 'interaction',
      item: 0,
      drugs: ['Warfarin 5mg tablet', 'Ibuprofen 400mg tablet'],
    });
  });
});

describe('pregnancy and breastfeeding', () => {
  const NOW = Date.parse('2026-12-07T12:00:00Z');
  const warfarin = itemFromFormulary(
    formulary({ name: 'Warfarin 5mg tablet', ingredients: ['warfarin'], strength: '5mg', form: 'tablet' }),
    'en',
  );

  it('warfarin for a pregnant patient: a blocking pregnancy alert as the doctor types; none when unknown or "no"', () => {
    const pregnancy = (pregnant: boolean | null) => {
      const { input } = checkInputs([warfarin], [], null, { patient: { ageYears: 30, pregnant, breastfeeding: null } });
      return checkMedications(input).alerts.filter((a) => a.code === 'pregnancy');
    };
    expect(pregnancy(true)).toEqual([
      expect.objectContaining({
        key: 'pregnancy:warfarin',
        severity: 'contraindicated',
        blocking: true,
        drugs: ['Warfarin 5mg tablet'],
      }),
    ]);
    expect(pregnancy(null)).toEqual([]);
    expect(pregnancy(false)).toEqual([]);
  });

  it('is asked of women aged 10 to 60 only', () => {
    expect(asksPregnancyOf({ sex: 'female', birthDate: '1996-04-01' }, NOW)).toBe(true);
    expect(asksPregnancyOf({ sex: 'female', birthDate: '2016-12-07' }, NOW)).toBe(true);
    expect(asksPregnancyOf({ sex: 'female', birthDate: '2016-12-08' }, NOW)).toBe(false);
    expect(asksPregnancyOf({ sex: 'female', birthDate: '1960-01-01' }, NOW)).toBe(false);
    expect(asksPregnancyOf({ sex: 'male', birthDate: '1996-04-01' }, NOW)).toBe(false);
    expect(asksPregnancyOf(undefined, NOW)).toBe(false);
  });

  it('a new prescription starts with the answers of the latest one of the last nine months', () => {
    const rx = (over: Partial<Prescription>) =>
      ({ status: 'active', pregnant: null, breastfeeding: null, signedAt: null, createdAt: '', ...over }) as Prescription;
    const older = rx({ pregnant: false, signedAt: '2026-06-01T09:00:00Z' });
    const latest = rx({ pregnant: true, breastfeeding: false, signedAt: '2026-10-01T09:00:00Z' });
    const cancelled = rx({ status: 'cancelled', pregnant: false, signedAt: '2026-11-01T09:00:00Z' });
    const silent = rx({ signedAt: '2026-11-20T09:00:00Z' });
    expect(carriedAnswers([older, latest, cancelled, silent], NOW)).toEqual({
      answers: { pregnant: true, breastfeeding: false },
      from: '2026-10-01T09:00:00Z',
    });
    // ten months ago: too old to say anything now
    expect(carriedAnswers([rx({ pregnant: true, signedAt: '2026-02-01T09:00:00Z' })], NOW)).toEqual({
      answers: { pregnant: null, breastfeeding: null },
      from: null,
    });
  });
});
