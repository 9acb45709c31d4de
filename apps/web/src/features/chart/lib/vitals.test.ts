import { describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { VitalsInput } from '@sanita/contracts/chart';
import { bmiOf, EMPTY_VITALS, formatBp, hasMeasure, RISK_COLOR, vitalsBody } from './vitals.ts';

describe('vitals form', () => {
  it('sends only what was entered, oxygen and scale with a saturation', () => {
    const body = vitalsBody({ ...EMPTY_VITALS, systolic: 118, spo2: 95, spo2Scale: '2', note: '  after walk ' });
    expect(body).toEqual({ systolic: 118, spo2: 95, onOxygen: false, spo2Scale: 2, note: 'after walk' });
    expect(Value.Check(VitalsInput, body)).toBe(true);
  });

  it('an empty form is no set of vitals; oxygen alone is sent but is no measure', () => {
    expect(vitalsBody(EMPTY_VITALS)).toEqual({});
    const oxygenOnly = vitalsBody({ ...EMPTY_VITALS, onOxygen: true, note: 'x' });
    expect(oxygenOnly).toEqual({ onOxygen: true, note: 'x' });
    expect(hasMeasure(oxygenOnly)).toBe(false);
    expect(hasMeasure(vitalsBody({ ...EMPTY_VITALS, consciousness: 'V' }))).toBe(true);
    expect(hasMeasure(vitalsBody({ ...EMPTY_VITALS, pain: 0 }))).toBe(true);
  });

  it('BMI from kg and cm, one decimal, only with both', () => {
    expect(bmiOf(70, 175)).toBe(22.9);
    expect(bmiOf(70, null)).toBeNull();
    expect(bmiOf(undefined, 175)).toBeNull();
  });

  it('blood pressure reads 120/80, a missing half as a dash', () => {
    expect(formatBp(120, 80)).toBe('120/80');
    expect(formatBp(120, null)).toBe('120/—');
    expect(formatBp(null, null)).toBe('—');
  });

  it('each risk band has a colour of its own, from teal to red', () => {
    expect(new Set(Object.values(RISK_COLOR)).size).toBe(4);
    expect(RISK_COLOR.low).toMatch(/^teal/);
    expect(RISK_COLOR.high).toBe('red');
  });
});
