import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { ApiError } from '../../../lib/api/errors.ts';
import { lineIssues } from './issues.ts';

// the keys stand for the sentences: what matters is which sentence lands at which line and field
const t = ((key: string, options?: Record<string, unknown>) =>
  options && 'limit' in options ? `${key}:${String(options.limit)}` : key) as unknown as TFunction;

const sent = ['rx-a', 'rx-b'];

describe('lineIssues', () => {
  it('puts a 409 at the line and field its details name, with the sentence of its code', () => {
    const err = ApiError.fromBody(409, 'Conflict', {
      error: {
        code: 'OVER_DISPENSE',
        message: 'Only 5 remain to dispense of Warfarin',
        details: [{ field: 'items/1/quantity', message: 'at most 5' }],
      },
    });
    expect(lineIssues(err, sent, t, 'the sentence')).toEqual({ byItem: { 'rx-b': { quantity: 'the sentence' } }, placed: true });
  });

  it('says each refused field of a 400 from its code, never the English message', () => {
    const err = ApiError.fromBody(400, 'Bad Request', {
      error: {
        code: 'VALIDATION_FAILED',
        message: 'x',
        details: [
          { field: 'items/0/inventoryItemId', code: 'invalid', message: 'is not the prescribed medicine' },
          { field: 'items/1/quantity', code: 'maximum', params: { limit: 100000 }, message: 'must be <= 100000' },
          { field: 'items/1/prescriptionItemId', code: 'invalid', message: 'is not an item of this prescription' },
        ],
      },
    });
    expect(lineIssues(err, sent, t, 'the sentence')).toEqual({
      byItem: {
        'rx-a': { inventoryItemId: 'dispense.issues.product' },
        'rx-b': { quantity: 'validation.maximum:100000', line: 'dispense.issues.notOnPrescription' },
      },
      placed: true,
    });
  });

  it('leaves an issue naming no line to the error as a whole', () => {
    const err = ApiError.fromBody(400, 'Bad Request', {
      error: {
        code: 'VALIDATION_FAILED',
        message: 'x',
        details: [{ field: 'counsellingNote', code: 'maxLength', message: 'x' }],
      },
    });
    expect(lineIssues(err, sent, t, 'the sentence').placed).toBe(false);
    expect(lineIssues(new Error('boom'), sent, t, 'the sentence').placed).toBe(false);
  });
});
