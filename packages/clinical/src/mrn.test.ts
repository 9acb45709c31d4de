import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatMrn, isValidMrn, mrnCheckChar, normalizeMrn } from './mrn.ts';

describe('MRN check digit', () => {
  it('formats with prefix, padded sequence and a check character that validates', () => {
    const mrn = formatMrn('kin', 123);
    expect(mrn).toMatch(/^KIN-0000123-[0-9A-Z]$/);
    expect(isValidMrn(mrn)).toBe(true);
  });

  it('accepts lower case and missing dashes, rejects malformed input', () => {
    const mrn = formatMrn('GOM', 42);
    expect(normalizeMrn(mrn.toLowerCase().replace(/-/g, ''))).toBe(mrn);
    expect(normalizeMrn('hello')).toBeNull();
    expect(isValidMrn('KIN-12-3')).toBe(false);
  });

  it('catches every single-character substitution', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9_999_999 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 35 }),
        (seq, pos, delta) => {
          const body = `KIN${String(seq).padStart(7, '0')}`;
          const check = mrnCheckChar(body);
          const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
          const chars = (body + check).split('');
          const i = pos % chars.length;
          const current = alphabet.indexOf(chars[i] as string);
          chars[i] = alphabet[(current + delta) % 36] as string;
          const tampered = chars.join('');
          return mrnCheckChar(tampered.slice(0, -1)) !== tampered.slice(-1);
        },
      ),
    );
  });

  it('catches adjacent transpositions of digits in the sequence', () => {
    const body = 'KIN0012345';
    const swapped = 'KIN0013245';
    expect(mrnCheckChar(body)).not.toBe(mrnCheckChar(swapped));
  });
});
