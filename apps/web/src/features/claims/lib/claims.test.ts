import { describe, expect, it } from 'vitest';
import type { Coverage } from '@sanita/contracts/claims';
import { amountText, coveragesOn, formToRules, lineCover, ownLineReason, rulesToForm } from './claims.ts';

const rules = {
  coveredKinds: ['consultation', 'lab_test'] as ('consultation' | 'lab_test')[],
  excludedCodes: ['LAB-HIV'],
  copay: '2000',
  coinsurancePercent: '10',
  annualLimit: null,
  perClaimLimit: '500000',
  approvalThreshold: null,
};

describe('amountText', () => {
  it('writes CDF without decimals and USD with two', () => {
    expect(amountText(1500.4, 'CDF')).toBe('1500');
    expect(amountText(12.5, 'USD')).toBe('12.50');
    expect(amountText('7', 'USD')).toBe('7.00');
  });
  it('gives null for an empty or bad value', () => {
    expect(amountText('', 'CDF')).toBeNull();
    expect(amountText('abc', 'USD')).toBeNull();
    expect(amountText(-1, 'USD')).toBeNull();
  });
});

describe('lineCover', () => {
  const line = { kind: 'consultation', code: 'CONSULT-GP', unitPrice: '20000', total: '20000' };
  it('covers a line of a covered kind whose code is not excluded', () => {
    expect(lineCover(rules, line)).toBe('covered');
  });
  it('says why a line is not covered', () => {
    expect(lineCover(rules, { ...line, kind: 'medication' })).toBe('kind_not_covered');
    expect(lineCover(rules, { ...line, kind: 'lab_test', code: 'LAB-HIV' })).toBe('code_excluded');
    expect(lineCover(rules, { ...line, unitPrice: null })).toBe('not_billable');
    expect(lineCover(rules, { ...line, total: '0' })).toBe('not_billable');
  });
});

describe('coveragesOn', () => {
  const c = (id: string, over: Partial<Coverage>): Coverage =>
    ({ id, active: true, validFrom: '2026-01-01', validTo: null, priority: 1, ...over }) as Coverage;
  it('keeps the coverages valid on the date, by priority', () => {
    const list = [
      c('second', { priority: 2 }),
      c('first', { priority: 1 }),
      c('ended', { validTo: '2026-03-01' }),
      c('later', { validFrom: '2026-12-01' }),
      c('inactive', { active: false }),
    ];
    expect(coveragesOn(list, '2026-06-15').map((x) => x.id)).toEqual(['first', 'second']);
  });
});

describe('ownLineReason', () => {
  it('hides a reason that repeats the decision note', () => {
    expect(ownLineReason('Not medically necessary', ['Not medically necessary'])).toBeNull();
    expect(ownLineReason('Above the tariff', ['Not medically necessary'])).toBe('Above the tariff');
    expect(ownLineReason(null, ['x'])).toBeNull();
  });
});

describe('plan rules form', () => {
  it('round-trips the rules, an empty limit being no limit', () => {
    const form = rulesToForm(rules);
    expect(form.excludedCodes).toBe('LAB-HIV');
    expect(form.annualLimit).toBe('');
    expect(formToRules(form, 'CDF')).toEqual(rules);
  });
  it('splits excluded codes on lines and commas, without duplicates', () => {
    const form = { ...rulesToForm(rules), excludedCodes: 'A, B\nA;C\n\n' };
    expect(formToRules(form, 'USD').excludedCodes).toEqual(['A', 'B', 'C']);
    expect(formToRules({ ...form, copay: 3 }, 'USD').copay).toBe('3.00');
  });
});
