import { describe, expect, it } from 'vitest';
import type { LabOrder, LabResult, ReferenceRange } from '@sanita/contracts/lab';
import { unitLabel } from '../components/labels.ts';
import {
  ageWords,
  criticalDrafts,
  dueState,
  flagTone,
  initialDrafts,
  liveFlag,
  nextStep,
  parseDecimal,
  rangeParts,
  toEnterInput,
  toRelease,
  toVerify,
  trendBand,
} from './results.ts';

const K_RANGE: ReferenceRange = {
  sex: null,
  ageMinDays: 0,
  ageMaxDays: null,
  low: 3.5,
  high: 5.1,
  criticalLow: 2.5,
  criticalHigh: 6.5,
};
const HIV_RANGE: ReferenceRange = {
  ...K_RANGE,
  low: null,
  high: null,
  criticalLow: null,
  criticalHigh: null,
  normalCodes: ['NEG'],
};

const ITEM = 'aaaaaaaa-0000-4000-8000-000000000001';
const K = 'bbbbbbbb-0000-4000-8000-000000000001';
const HIV = 'bbbbbbbb-0000-4000-8000-000000000002';

function result(testId: string, over: Partial<LabResult> = {}): LabResult {
  return {
    id: `cccccccc-0000-4000-8000-00000000000${testId === K ? 1 : 2}`,
    orderItemId: ITEM,
    testId,
    code: testId === K ? 'K' : 'HIV',
    loinc: null,
    name: testId === K ? 'Potassium' : 'HIV screen',
    nameFr: null,
    resultType: testId === K ? 'numeric' : 'coded',
    valueNumeric: testId === K ? 4.2 : null,
    valueCode: testId === K ? null : 'NEG',
    valueText: null,
    unit: testId === K ? 'mmol/L' : null,
    range: null,
    rangeText: null,
    flag: null,
    critical: false,
    status: 'entered',
    comment: null,
    source: 'manual',
    observedAt: null,
    enteredAt: '2026-12-07T10:00:00Z',
    enteredBy: null,
    verifiedAt: null,
    verifiedBy: null,
    releasedAt: null,
    releasedBy: null,
    portalHold: false,
    version: 1,
    ...over,
  };
}

function order(status: LabOrder['status'], results: LabResult[], verifyK = true): Pick<LabOrder, 'status' | 'items' | 'version'> {
  return {
    status,
    version: 3,
    items: [
      {
        id: ITEM,
        testId: K,
        code: 'PANEL',
        name: 'Panel',
        nameFr: null,
        kind: 'panel',
        specimenId: null,
        expected: [
          {
            testId: K,
            code: 'K',
            name: 'Potassium',
            nameFr: null,
            resultType: 'numeric',
            unit: 'mmol/L',
            answers: [],
            requiresVerification: verifyK,
            range: K_RANGE,
          },
          {
            testId: HIV,
            code: 'HIV',
            name: 'HIV screen',
            nameFr: null,
            resultType: 'coded',
            unit: null,
            answers: [
              { code: 'NEG', en: 'Negative', fr: 'Négatif' },
              { code: 'POS', en: 'Positive', fr: 'Positif' },
            ],
            requiresVerification: false,
            range: HIV_RANGE,
          },
        ],
        results,
      },
    ],
  };
}

describe('lab results helpers', () => {
  it('reads numbers as people type them, the French decimal comma too', () => {
    expect(parseDecimal('4.2')).toBe(4.2);
    expect(parseDecimal(' 4,25 ')).toBe(4.25);
    expect(parseDecimal('')).toBeNull();
    expect(parseDecimal('4.2.1')).toBeNaN();
    expect(parseDecimal('high')).toBeNaN();
  });

  it('flags a value as it is typed against the patient range', () => {
    const k = order('received', []).items[0]!.expected[0]!;
    const hiv = order('received', []).items[0]!.expected[1]!;
    expect(liveFlag(k, '4.0')).toBeNull();
    expect(liveFlag(k, '5,4')).toBe('H');
    expect(liveFlag(k, '3.1')).toBe('L');
    expect(liveFlag(k, '6.8')).toBe('HH');
    expect(liveFlag(k, '2.5')).toBe('LL');
    expect(liveFlag(k, 'x')).toBeNull();
    expect(liveFlag(hiv, 'POS')).toBe('A');
    expect(liveFlag(hiv, 'NEG')).toBeNull();
  });

  it('shows critical flags bold red and the others in their own colour', () => {
    expect(flagTone('HH')).toEqual({ color: 'red.9', critical: true });
    expect(flagTone('H').critical).toBe(false);
    expect(flagTone(null).color).toBe('dark');
  });

  it('says the range with its critical limits', () => {
    expect(rangeParts(K_RANGE)).toEqual({ normal: '3.5–5.1', critical: '≤ 2.5, ≥ 6.5' });
    expect(rangeParts(HIV_RANGE)).toEqual({ normal: 'NEG', critical: null });
    expect(rangeParts({ ...K_RANGE, low: null, criticalLow: null, criticalHigh: null })).toEqual({
      normal: '< 5.1',
      critical: null,
    });
  });

  it('knows the next step of an order', () => {
    expect(nextStep(order('ordered', []))).toBe('collect');
    expect(nextStep(order('collected', []))).toBe('receive');
    expect(nextStep(order('received', []))).toBe('enter');
    expect(nextStep(order('in_progress', [result(K)]))).toBe('enter');
    const both = order('in_progress', [result(K), result(HIV)]);
    expect(nextStep(both)).toBe('verify');
    expect(toVerify(both).map((r) => r.testId)).toEqual([K]);
    expect(toRelease(both).map((r) => r.testId)).toEqual([HIV]);
    expect(nextStep(order('in_progress', [result(K, { status: 'released' }), result(HIV)]))).toBe('release');
    // in the panel's order whatever the order they were entered in
    expect(toRelease(order('in_progress', [result(HIV), result(K)], false)).map((r) => r.testId)).toEqual([K, HIV]);
    expect(nextStep(order('completed', []))).toBe('done');
  });

  it('sends only the values typed or changed, as the API wants them', () => {
    const o = order('in_progress', [result(HIV)]);
    const drafts = initialDrafts(o);
    expect(drafts[`${ITEM}:${HIV}`]).toEqual({ value: 'NEG', comment: '' });
    expect(toEnterInput(o, drafts).input).toBeNull();
    drafts[`${ITEM}:${K}`] = { value: '6,9', comment: ' haemolysed? ' };
    expect(toEnterInput(o, drafts)).toEqual({
      input: {
        version: 3,
        results: [{ orderItemId: ITEM, testId: K, valueNumeric: 6.9, unit: 'mmol/L', comment: 'haemolysed?' }],
      },
      problems: [],
    });
    expect(criticalDrafts(o, drafts)).toEqual([
      { key: `${ITEM}:${K}`, name: 'Potassium', nameFr: null, value: '6,9', flag: 'HH' },
    ]);
    drafts[`${ITEM}:${K}`] = { value: 'abc', comment: '' };
    expect(toEnterInput(o, drafts).problems).toEqual([{ key: `${ITEM}:${K}`, problem: 'notANumber' }]);
  });

  it('does not send a result already verified or released', () => {
    const o = order('in_progress', [result(K, { status: 'verified' })]);
    const drafts = initialDrafts(o);
    drafts[`${ITEM}:${K}`] = { value: '5', comment: '' };
    expect(toEnterInput(o, drafts).input).toBeNull();
  });

  it('says when an order is due', () => {
    const now = new Date('2026-12-07T10:00:00Z');
    expect(dueState('2026-12-07T09:59:00Z', now)).toBe('overdue');
    expect(dueState('2026-12-07T10:30:00Z', now)).toBe('soon');
    expect(dueState('2026-12-07T14:00:00Z', now)).toBe('later');
  });

  it('shades the normal band of a trend, bounded by the data where open', () => {
    expect(trendBand(K_RANGE, [4, 7])).toEqual({ from: 3.5, to: 5.1 });
    expect(trendBand({ ...K_RANGE, low: null }, [4, 7])).toEqual({ from: 0, to: 5.1 });
    expect(trendBand(null, [1])).toBeNull();
  });
});

describe('lab labels', async () => {
  const { membersText, withCode } = await import('../components/labels.ts');
  it('names a test with its code once', () => {
    expect(withCode('Potassium', 'K')).toBe('Potassium (K)');
    expect(withCode('Full blood count (CBC) with differential', 'CBC')).toBe('Full blood count (CBC) with differential');
    expect(withCode('Vitamin K level', 'K')).toBe('Vitamin K level (K)');
  });
  it('shortens a long panel', () => {
    expect(membersText(['A', 'B'])).toBe('A, B');
    expect(membersText(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'])).toBe('A, B, C, D, E, F +2');
  });
});

describe('age bands', () => {
  it('says a limit in days, months or years', () => {
    expect(ageWords(30)).toEqual({ unit: 'days', count: 30 });
    expect(ageWords(183)).toEqual({ unit: 'months', count: 6 });
    expect(ageWords(6575)).toEqual({ unit: 'years', count: 18 });
  });
});

describe('units as people write them', () => {
  it('turns UCUM codes into the usual symbols', () => {
    expect(unitLabel('10*9/L')).toBe('10⁹/L');
    expect(unitLabel('10*12/L')).toBe('10¹²/L');
    expect(unitLabel('umol/L')).toBe('µmol/L');
    expect(unitLabel('ug/L')).toBe('µg/L');
    expect(unitLabel('m[IU]/L')).toBe('mIU/L');
    expect(unitLabel('{cells}/uL')).toBe('cells/µL');
    expect(unitLabel('mmol/L')).toBe('mmol/L');
    expect(unitLabel('U/L')).toBe('U/L');
    expect(unitLabel(null)).toBe('');
  });
});
