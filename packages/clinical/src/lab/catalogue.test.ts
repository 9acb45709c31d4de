import { describe, expect, it } from 'vitest';
import type { ReferenceRange } from '@sanita/contracts/lab';
import { LAB_CATALOGUE } from './catalogue.gen.ts';
import { rangeIssues, years } from './catalogue.ts';
import { numericFlag, selectRange } from './ranges.ts';

const byCode = new Map(LAB_CATALOGUE.map((t) => [t.code, t]));
const test = (code: string) => {
  const t = byCode.get(code);
  if (!t) throw new Error(`no ${code}`);
  return t;
};

describe('the shipped catalogue', () => {
  it('has the codes other parts name, about a hundred entries, each code once', () => {
    for (const code of ['CBC', 'BMP', 'CMP', 'LIPID', 'LFT', 'UA', 'ELEC', 'COAG', 'TFT'])
      expect([code, test(code).kind]).toEqual([code, 'panel']);
    for (const code of ['K', 'NA', 'CREAT', 'GLU', 'HGB', 'HBA1C', 'MAL-RDT', 'HIV', 'WBC', 'PLT'])
      expect([code, test(code).kind]).toEqual([code, 'test']);
    expect(LAB_CATALOGUE.length).toBeGreaterThanOrEqual(60);
    expect(LAB_CATALOGUE.length).toBeLessThanOrEqual(120);
    expect(byCode.size).toBe(LAB_CATALOGUE.length);
  });

  it('every unit of a numeric test is valid UCUM (checked by @lhncbc/ucum-lhc)', async () => {
    const name = '@lhncbc/ucum-lhc';
    const ucum = (
      (await import(name)) as {
        default: { UcumLhcUtils: { getInstance(): { validateUnitString(u: string): { status: string } } } };
      }
    ).default.UcumLhcUtils.getInstance();
    const numeric = LAB_CATALOGUE.filter((t) => t.kind === 'test' && t.resultType === 'numeric');
    expect(numeric.length).toBeGreaterThan(50);
    expect(numeric.filter((t) => !t.unit || ucum.validateUnitString(t.unit).status !== 'valid').map((t) => t.code)).toEqual([]);
    expect(ucum.validateUnitString('mmol/litre').status).not.toBe('valid');
  });

  it('panels list existing tests (never a panel), in report order, and the CBC starts with the white cells', () => {
    for (const p of LAB_CATALOGUE.filter((t) => t.kind === 'panel')) {
      expect(p.members.length, p.code).toBeGreaterThan(0);
      for (const m of p.members) expect([p.code, m, byCode.get(m)?.kind]).toEqual([p.code, m, 'test']);
    }
    expect(test('CBC').members.slice(0, 3)).toEqual(['WBC', 'RBC', 'HGB']);
    expect(test('BMP').members).toEqual(['NA', 'K', 'CL', 'HCO3', 'UREA', 'CREAT', 'GLU', 'CA']);
    expect(test('LIPID').members).toEqual(['CHOL', 'TG', 'HDL', 'LDL']);
  });

  it('every entry’s ranges pass the catalogue’s rules; coded tests have answers in English and French', () => {
    for (const t of LAB_CATALOGUE) {
      expect([t.code, rangeIssues(t.ranges, t)]).toEqual([t.code, []]);
      if (t.resultType === 'coded') {
        expect(t.answers.length, t.code).toBeGreaterThan(1);
        for (const a of t.answers) expect(a.en && a.fr, `${t.code} ${a.code}`).toBeTruthy();
      }
    }
    expect(test('MAL-RDT').answers.map((a) => a.code)).toEqual(['NEG', 'PF', 'PAN', 'PF_PAN', 'INVALID']);
    expect(test('HIV').ranges[0]!.normalCodes).toEqual(['NONREACTIVE']);
  });

  it('every numeric test has a range for an adult whatever their sex (PSA: men only)', () => {
    for (const t of LAB_CATALOGUE.filter((x) => x.kind === 'test' && x.resultType === 'numeric'))
      for (const sex of ['female', 'male', 'other'])
        if (!(t.code === 'PSA' && sex !== 'male'))
          expect([t.code, sex, !!selectRange(t.ranges, sex, years(40))]).toEqual([t.code, sex, true]);
  });

  const flag = (code: string, sex: string, ageDays: number, value: number) =>
    numericFlag(value, selectRange(test(code).ranges, sex, ageDays));

  it('judges haemoglobin by age and sex: 12.5 g/dL is low for a man, normal for a woman and a child', () => {
    expect(flag('HGB', 'male', years(30), 12.5)).toBe('L');
    expect(flag('HGB', 'female', years(30), 12.5)).toBeNull();
    expect(flag('HGB', 'male', years(8), 12.5)).toBeNull();
    // a newborn's 16 is normal, a toddler's 16 high
    expect(flag('HGB', 'female', 3, 16)).toBeNull();
    expect(flag('HGB', 'female', years(3), 16)).toBe('H');
    expect(flag('HGB', 'other', years(30), 6.5)).toBe('LL');
  });

  it('has the critical limits a lab phones about: potassium 2.8 / 6.2, glucose, sodium, platelets', () => {
    const k = selectRange(test('K').ranges, 'female', years(50))!;
    expect([k.low, k.high, k.criticalLow, k.criticalHigh]).toEqual([3.5, 5, 2.8, 6.2]);
    expect(flag('K', 'male', years(50), 6.5)).toBe('HH');
    expect(flag('GLU', 'male', years(50), 2.2)).toBe('LL');
    expect(flag('NA', 'male', years(50), 118)).toBe('LL');
    expect(flag('PLT', 'male', years(50), 15)).toBe('LL');
    // an adult's creatinine by sex; a child's ALP is not an adult's
    expect(flag('CREAT', 'male', years(40), 100)).toBeNull();
    expect(flag('CREAT', 'female', years(40), 100)).toBe('H');
    expect(flag('ALP', 'male', years(12), 350)).toBeNull();
    expect(flag('ALP', 'male', years(40), 350)).toBe('H');
    expect(flag('WBC', 'female', 3, 25)).toBeNull();
    expect(flag('WBC', 'female', years(40), 25)).toBe('H');
  });

  it('keeps LOINC’s codes and names and a way to recognise results coded another way', () => {
    expect(test('K')).toMatchObject({
      loinc: '2823-3',
      loincName: 'Potassium [Moles/volume] in Serum or Plasma',
      unit: 'mmol/L',
    });
    expect(test('WBC').alsoLoinc).toContain('26464-8');
    const all = LAB_CATALOGUE.flatMap((t) => [t.loinc, ...t.alsoLoinc]).filter((l): l is string => !!l);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('rangeIssues', () => {
  const base: ReferenceRange = {
    sex: null,
    ageMinDays: 0,
    ageMaxDays: null,
    low: 3.5,
    high: 5,
    criticalLow: 2.8,
    criticalHigh: 6.2,
  };
  const numeric = { resultType: 'numeric' as const };
  it('names the field of each problem', () => {
    expect(rangeIssues([base], numeric)).toEqual([]);
    expect(rangeIssues([{ ...base, low: 6 }], numeric).map((i) => i.field)).toEqual(['ranges.0.high']);
    expect(rangeIssues([{ ...base, criticalLow: 3.5 }], numeric).map((i) => i.field)).toEqual(['ranges.0.criticalLow']);
    expect(rangeIssues([{ ...base, criticalHigh: 4 }], numeric).map((i) => i.field)).toEqual(['ranges.0.criticalHigh']);
    expect(rangeIssues([{ ...base, ageMinDays: 30, ageMaxDays: 30 }], numeric).map((i) => i.field)).toEqual([
      'ranges.0.ageMaxDays',
    ]);
    expect(
      rangeIssues(
        [
          { ...base, ageMaxDays: 400 },
          { ...base, ageMinDays: 365 },
        ],
        numeric,
      ).map((i) => i.field),
    ).toEqual(['ranges.1.ageMinDays']);
    // bands of different sexes may overlap; touching bands do not overlap
    expect(rangeIssues([{ ...base, sex: 'male' }, base], numeric)).toEqual([]);
    expect(
      rangeIssues(
        [
          { ...base, ageMaxDays: 365 },
          { ...base, ageMinDays: 365 },
        ],
        numeric,
      ),
    ).toEqual([]);
    const coded = { resultType: 'coded' as const, answers: [{ code: 'NEG', en: 'Negative', fr: 'Négatif' }] };
    const none = { ...base, low: null, high: null, criticalLow: null, criticalHigh: null };
    expect(rangeIssues([{ ...none, normalCodes: ['NEG'] }], coded)).toEqual([]);
    expect(rangeIssues([{ ...none, normalCodes: ['POS'] }], coded).map((i) => i.field)).toEqual(['ranges.0.normalCodes.0']);
    expect(rangeIssues([base], coded).map((i) => i.field)).toEqual(['ranges.0.low']);
  });
});
