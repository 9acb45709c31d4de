import { describe, expect, it } from 'vitest';
import type { Coverage } from '@sanita/contracts/claims';
import { claimable } from './claim.ts';
import { add, divide, formatMoney, multiply, percentOf, roundTo, sum, toMinor } from './money.ts';
import { applied, findConversion, overpays, prefill, type RateRow } from './payment.ts';
import { splitInstalments, unplanned } from './plan.ts';
import { countDifference, countsComplete, needsNote } from './session.ts';

describe('money', () => {
  it('rounds per currency: USD to cents, CDF to whole francs, half away from zero', () => {
    expect(roundTo('12.345', 'USD')).toBe('12.35');
    expect(roundTo('12.5', 'CDF')).toBe('13');
    expect(roundTo('-12.5', 'CDF')).toBe('-13');
    expect(roundTo('7', 'USD')).toBe('7.00');
    expect(toMinor('0.1', 'USD')).toBe(10n);
  });
  it('adds without float error', () => {
    expect(add('0.1', '0.2', 'USD')).toBe('0.30');
    expect(sum(['33.33', '33.33', '33.34'], 'USD')).toBe('100.00');
  });
  it('multiplies and divides by a rate with six decimals', () => {
    expect(multiply('10.00', '2850.5', 'CDF')).toBe('28505');
    expect(divide('28505', '2850.5', 'USD')).toBe('10.00');
    expect(multiply('1000', '0.000351', 'USD')).toBe('0.35');
    expect(percentOf('200', '7.5', 'USD')).toBe('15.00');
  });
  it('formats in the reader’s language', () => {
    expect(formatMoney('1250.5', 'USD', 'en')).toBe('1,250.50 USD');
    expect(formatMoney('28505', 'CDF', 'en')).toBe('28,505 CDF');
    expect(formatMoney('-3', 'USD', 'en')).toBe('−3.00 USD');
    expect(formatMoney(null, 'USD', 'en')).toBe('—');
    expect(formatMoney('1250.5', 'USD', 'fr').replace(/\s/g, ' ')).toBe('1 250,50 USD');
  });
});

describe('payment preview', () => {
  const rates: RateRow[] = [
    { from: 'USD', to: 'CDF', rate: '2800', effectiveAt: '2026-12-01T08:00:00.000Z' },
    { from: 'USD', to: 'CDF', rate: '2850.5', effectiveAt: '2026-12-07T08:00:00.000Z' },
    { from: 'USD', to: 'CDF', rate: '2900', effectiveAt: '2026-12-09T08:00:00.000Z' },
  ];
  it('takes the rate in force at the moment, the pair’s own before the opposite pair’s', () => {
    const c = findConversion(rates, 'CDF', 'USD', '2026-12-07T12:00:00.000Z');
    expect(c?.rate.rate).toBe('2850.5');
    expect(c?.direct).toBe(false);
    expect(findConversion(rates, 'USD', 'CDF', '2026-12-02T00:00:00.000Z')).toMatchObject({
      direct: true,
      rate: { rate: '2800' },
    });
    const both = [...rates, { from: 'CDF', to: 'USD', rate: '0.00035', effectiveAt: '2026-11-01T00:00:00.000Z' }];
    expect(findConversion(both, 'CDF', 'USD', '2026-12-07T12:00:00.000Z')).toMatchObject({
      direct: true,
      rate: { rate: '0.00035' },
    });
    expect(findConversion(rates, 'EUR', 'USD', '2026-12-07T12:00:00.000Z')).toBeNull();
    expect(findConversion(rates, 'CDF', 'USD', '2026-11-01T00:00:00.000Z')).toBeNull();
  });
  it('prefills the balance converted, rounded up so that it settles the balance in full', () => {
    const c = findConversion(rates, 'CDF', 'USD', '2026-12-07T12:00:00.000Z');
    expect(prefill('10.00', 'USD', 'CDF', c)).toBe('28505');
    // 12.34 USD × 2850.5 = 35175.17 → 35176 CDF, which settles exactly 12.34 (the server absorbs the rounding)
    const odd = prefill('12.34', 'USD', 'CDF', c)!;
    expect(odd).toBe('35176');
    expect(applied(odd, 'CDF', 'USD', c, '12.34')).toBe('12.34');
    expect(overpays(odd, 'CDF', '12.34', 'USD', c)).toBe(false);
    expect(overpays('35177', 'CDF', '12.34', 'USD', c)).toBe(true);
    // part of it: what 20000 CDF settles
    expect(applied('20000', 'CDF', 'USD', c, '12.34')).toBe('7.02');
  });
  it('a direct rate multiplies', () => {
    const c = { rate: { from: 'USD', to: 'CDF', rate: '3', effectiveAt: '2026-12-01T00:00:00.000Z' }, direct: true };
    expect(prefill('10', 'CDF', 'USD', c)).toBe('3.34');
    expect(applied('3.34', 'USD', 'CDF', c, '10')).toBe('10');
    expect(applied('1.50', 'USD', 'CDF', c, '10')).toBe('5');
  });
  it('same currency: the balance as it is, no rate needed', () => {
    expect(prefill('42.10', 'USD', 'USD', null)).toBe('42.10');
    expect(applied('5', 'USD', 'USD', null)).toBe('5');
    expect(overpays('42.11', 'USD', '42.10', 'USD', null)).toBe(true);
    expect(prefill('42.10', 'USD', 'CDF', null)).toBeNull();
  });
});

describe('session count', () => {
  const rows = [
    { currency: 'USD', method: 'cash', expected: '120.50' },
    { currency: 'CDF', method: 'cash', expected: '56000' },
  ];
  it('shows counted − expected', () => {
    expect(countDifference(rows[0]!, '120.00')).toBe('-0.50');
    expect(countDifference(rows[1]!, '56000')).toBe('0');
    expect(countDifference(rows[1]!, 'abc')).toBeNull();
  });
  it('asks for a note only when a count differs', () => {
    expect(needsNote(rows, { 'USD:cash': '120.5', 'CDF:cash': '56000' })).toBe(false);
    expect(needsNote(rows, { 'USD:cash': '120.5', 'CDF:cash': '55000' })).toBe(true);
    expect(countsComplete(rows, { 'USD:cash': '120.5' })).toBe(false);
    expect(countsComplete(rows, { 'USD:cash': '120.5', 'CDF:cash': '0' })).toBe(true);
  });
});

describe('payment plan', () => {
  it('splits the balance into monthly instalments that sum to it', () => {
    const parts = splitInstalments('100.00', 3, 'USD', '2026-12-31');
    expect(parts.map((p) => p.amount)).toEqual(['33.34', '33.33', '33.33']);
    expect(parts.map((p) => p.dueDate)).toEqual(['2026-12-31', '2027-01-31', '2027-02-28']);
    expect(unplanned('100.00', parts, 'USD')).toBe('0.00');
    expect(unplanned('100', [{ dueDate: '2026-12-31', amount: '40' }], 'CDF')).toBe('60');
    expect(unplanned('100', [{ dueDate: '2026-12-31', amount: 'x' }], 'CDF')).toBeNull();
  });
});

describe('an invoice to claim from the insurer', () => {
  const coverage = (validFrom: string, validTo: string | null, active = true) => ({ active, validFrom, validTo }) as Coverage;
  const invoice = (status: 'draft' | 'issued' | 'paid' | 'void', ...days: string[]) => ({
    status,
    lines: days.map((serviceDate) => ({ serviceDate })) as never[],
  });
  it('is issued (paid or not) with a coverage valid on a service date', () => {
    expect(claimable(invoice('issued', '2026-12-07'), [coverage('2026-01-01', null)])).toBe(true);
    expect(claimable(invoice('paid', '2026-12-07'), [coverage('2026-01-01', '2026-12-07')])).toBe(true);
  });
  it('is not a draft or a voided invoice, nor one of a patient uncovered on its dates', () => {
    expect(claimable(invoice('draft', '2026-12-07'), [coverage('2026-01-01', null)])).toBe(false);
    expect(claimable(invoice('void', '2026-12-07'), [coverage('2026-01-01', null)])).toBe(false);
    expect(claimable(invoice('issued', '2026-12-07'), [])).toBe(false);
    expect(claimable(invoice('issued', '2026-12-07'), [coverage('2026-01-01', '2026-11-30')])).toBe(false);
    expect(claimable(invoice('issued', '2026-12-07'), [coverage('2026-01-01', null, false)])).toBe(false);
  });
});
