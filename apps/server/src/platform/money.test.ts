import { describe, expect, it } from 'vitest';
import { allocate, money, moneyText, roundTo, sum } from './money.ts';

describe('money', () => {
  it('rounds half up to the currency’s minor units: USD cents, CDF none', () => {
    expect(moneyText('4.995', 'USD')).toBe('5.00');
    expect(moneyText('4.994', 'USD')).toBe('4.99');
    expect(moneyText('1234.5', 'CDF')).toBe('1235');
    expect(moneyText('1234.49', 'CDF')).toBe('1234');
    expect(moneyText('-2.005', 'USD')).toBe('-2.01');
    expect(roundTo('0.125', 'EUR').toString()).toBe('0.13');
  });

  it('adds exactly where floats do not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sum(['0.1', '0.2']).eq('0.3')).toBe(true);
    expect(money('19.99').times(3).toFixed(2)).toBe('59.97');
  });

  it('allocates a total over weights so that the rounded parts add up exactly', () => {
    const parts = allocate('10', ['1', '1', '1'], 'USD');
    expect(parts.map((p) => p.toFixed(2))).toEqual(['3.34', '3.33', '3.33']);
    const cdf = allocate('1001', ['1234', '3000', '1000'], 'CDF');
    expect(sum(cdf).toString()).toBe('1001');
    expect(cdf.every((p) => p.isInteger())).toBe(true);
    expect(allocate('5', ['0', '0'], 'USD').map((p) => p.toString())).toEqual(['5', '0']);
  });
});
