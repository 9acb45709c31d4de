import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  diagnosisMismatch,
  median,
  peerP95,
  peerStats,
  percentile,
  robustZ,
  scoreClaim,
  WEIGHTS,
  type AnomalyFigures,
} from './claims.anomaly.ts';
import { payerShare } from './claims.rules.ts';
import { money } from '../../platform/money.ts';
import type { PlanRules } from '@sanita/contracts/claims';

const base = (over: Partial<AnomalyFigures> = {}): AnomalyFigures => ({
  claimed: 20,
  approvalThreshold: 150,
  lines: [],
  patientSex: 'female',
  diagnoses: ['J06.9'],
  patientClaims30: 1,
  patientPeerP95: 2,
  providerClaims30: 10,
  providerPeerP95: 12,
  ...over,
});
const line = (over: Record<string, unknown> = {}) => ({
  id: '00000000-0000-4000-8000-000000000001',
  kind: 'consultation',
  code: 'CONS-GEN',
  procedureCode: null,
  description: 'General consultation',
  unitAmount: 25,
  peers: { n: 40, median: 25, mad: 1.5 },
  duplicate: null,
  ...over,
});
const codes = (f: AnomalyFigures) => scoreClaim(f).reasons.map((r) => r.code);

describe('the anomaly scorer (pure)', () => {
  it('finds nothing in an ordinary claim', () => {
    expect(scoreClaim(base({ lines: [line()] }))).toEqual({ score: 0, reasons: [] });
  });

  it.each([
    // unit amount, peers, flagged
    [180, { n: 40, median: 25, mad: 1.5 }, true], // z = 69.7
    [30, { n: 40, median: 25, mad: 1.5 }, false], // z = 2.25
    [33, { n: 40, median: 25, mad: 1.5 }, true], // z = 3.6
    [180, { n: 9, median: 25, mad: 1.5 }, false], // too few peers
    [40, { n: 12, median: 25, mad: 0 }, true], // one price among peers, 60 % above it
    [30, { n: 12, median: 25, mad: 0 }, false], // 20 % above
  ])('amount_outlier: %s against %o → %s', (amount, peers, flagged) => {
    expect(codes(base({ lines: [line({ unitAmount: amount, peers })] })).includes('amount_outlier')).toBe(flagged);
  });

  it('amount_outlier carries its figures', () => {
    const r = scoreClaim(base({ lines: [line({ unitAmount: 180 })] })).reasons[0]!;
    expect(r).toMatchObject({
      code: 'amount_outlier',
      weight: WEIGHTS.amount_outlier,
      details: { amount: 180, median: 25, mad: 1.5, peers: 40 },
    });
    expect(r.details.z).toBeCloseTo(155 / (1.4826 * 1.5), 1);
  });

  it('duplicate_service names the other claim', () => {
    const dup = { claimId: '00000000-0000-4000-8000-000000000002', number: 'CLM-KIN-2026-000001', serviceDate: '2026-12-01' };
    const r = scoreClaim(base({ lines: [line({ duplicate: dup })] }));
    expect(r.reasons).toEqual([
      expect.objectContaining({ code: 'duplicate_service', details: expect.objectContaining({ otherClaimNumber: dup.number }) }),
    ]);
  });

  it.each([
    [7, 1, true], // above the floor of 6 and 3 × 1
    [6, 1, false], // at the floor
    [10, 4, false], // under 3 × 4
    [13, 4, true],
  ])('patient_frequency: %s claims with peers at p95 %s → %s', (count, p95, flagged) => {
    expect(codes(base({ patientClaims30: count, patientPeerP95: p95 })).includes('patient_frequency')).toBe(flagged);
  });

  it('provider_frequency above 3 × the peers’ p95 and the floor', () => {
    expect(codes(base({ providerClaims30: 200, providerPeerP95: 30 }))).toContain('provider_frequency');
    expect(codes(base({ providerClaims30: 39, providerPeerP95: 5 }))).not.toContain('provider_frequency');
    expect(codes(base({ providerClaims30: null, providerPeerP95: null }))).toEqual([]);
  });

  it.each([
    ['pregnancy test, male', { kind: 'lab_test', code: '2106-3', description: 'Pregnancy test (hCG, urine)' }, 'male', [], true],
    [
      'pregnancy test, female',
      { kind: 'lab_test', code: '2106-3', description: 'Pregnancy test (hCG, urine)' },
      'female',
      [],
      false,
    ],
    ['glasses, no eye diagnosis', { kind: 'optical', code: 'OPT-GLASSES', description: 'Spectacles' }, 'female', ['J06.9'], true],
    ['glasses, myopia', { kind: 'optical', code: 'OPT-GLASSES', description: 'Spectacles' }, 'female', ['H52.13'], false],
    [
      'artemether, no malaria',
      { kind: 'medication', code: 'MED-AL', description: 'Artemether/lumefantrine 20/120' },
      'male',
      ['J06.9'],
      true,
    ],
    [
      'artemether, malaria',
      { kind: 'medication', code: 'MED-AL', description: 'Artemether/lumefantrine 20/120' },
      'male',
      ['B54'],
      false,
    ],
    [
      'artemether, fever',
      { kind: 'medication', code: 'MED-AL', description: 'Artemether/lumefantrine 20/120' },
      'male',
      ['R50.9'],
      false,
    ],
    ['insulin, no diabetes', { kind: 'medication', code: 'MED-INS', description: 'Insulin glargine' }, 'male', ['I10'], true],
    ['insulin, diabetes', { kind: 'medication', code: 'MED-INS', description: 'Insulin glargine' }, 'male', ['E11.9'], false],
    ['amoxicillin', { kind: 'medication', code: 'MED-AMOX500', description: 'Amoxicillin 500 mg' }, 'male', [], false],
  ])('diagnosis_mismatch: %s', (_name, l, sex, dx, flagged) => {
    expect(!!diagnosisMismatch({ procedureCode: null, ...l }, dx, sex)).toBe(flagged);
  });

  it.each([
    [145, 150, true],
    [142.5, 150, true], // exactly 5 % under
    [142.49, 150, false],
    [150, 150, false],
    [145, null, false],
  ])('under_threshold: %s claimed, threshold %s → %s', (claimed, threshold, flagged) => {
    expect(codes(base({ claimed, approvalThreshold: threshold })).includes('under_threshold')).toBe(flagged);
  });

  it('scores min(1, Σ weights of the kinds found), whatever the figures', () => {
    fc.assert(
      fc.property(
        fc.record({
          unit: fc.double({ min: 0, max: 10_000, noNaN: true }),
          dup: fc.boolean(),
          count: fc.integer({ min: 0, max: 60 }),
          p95: fc.double({ min: 0, max: 20, noNaN: true }),
          claimed: fc.double({ min: 0, max: 1000, noNaN: true }),
          sex: fc.constantFrom('female', 'male', null),
          preg: fc.boolean(),
        }),
        (v) => {
          const r = scoreClaim(
            base({
              claimed: v.claimed,
              patientSex: v.sex,
              patientClaims30: v.count,
              patientPeerP95: v.p95,
              lines: [
                line({
                  unitAmount: v.unit,
                  duplicate: v.dup ? { claimId: 'x', number: 'n', serviceDate: '2026-01-01' } : null,
                  ...(v.preg ? { kind: 'lab_test', code: '2106-3', description: 'hCG' } : {}),
                }),
              ],
            }),
          );
          const kinds = [...new Set(r.reasons.map((x) => x.code))];
          expect(r.score).toBeGreaterThanOrEqual(0);
          expect(r.score).toBeLessThanOrEqual(1);
          expect(r.score).toBeCloseTo(
            Math.min(
              1,
              kinds.reduce((s, k) => s + WEIGHTS[k], 0),
            ),
            4,
          );
          expect(kinds.includes('duplicate_service')).toBe(v.dup);
        },
      ),
    );
  });

  it('median, MAD, robust z and percentiles', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(peerStats([1, 2, 3, 4, 100])).toEqual({ n: 5, median: 3, mad: 1 });
    expect(robustZ(10, { n: 5, median: 3, mad: 1 })).toBeCloseTo(7 / 1.4826, 6);
    expect(robustZ(10, { n: 5, median: 3, mad: 0 })).toBeNull();
    expect(percentile([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8, 6);
    expect(percentile([], 0.95)).toBe(0);
    // the claim's own patient is not its own peer
    expect(peerP95([1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 12], 12)).toBeCloseTo(2.5, 6);
    expect(peerP95([1, 2], 0)).toBeCloseTo(1.95, 6);
  });
});

describe('coverage rules (payer share)', () => {
  const rules = (r: Partial<PlanRules>): PlanRules => ({
    coveredKinds: ['consultation'],
    excludedCodes: [],
    copay: '0',
    coinsurancePercent: '0',
    annualLimit: null,
    perClaimLimit: null,
    approvalThreshold: null,
    ...r,
  });
  it('co-pay once per claim, then co-insurance on the rest, spread over the lines exactly', () => {
    const r = payerShare(
      [{ total: '25.00' }, { total: '8.00' }, { total: '10.01' }],
      rules({ copay: '2.00', coinsurancePercent: '20' }),
      'USD',
      null,
    );
    // (43.01 − 2) = 41.01; 20 % = 8.20 (rounded); payer 32.81
    expect(r).toMatchObject({ gross: '43.01', copay: '2.00', coinsurance: '8.20', claimed: '32.81', capped: null });
    expect(r.lines.reduce((s, x) => s + Math.round(Number(x) * 100), 0)).toBe(3281);
  });
  it('CDF without minor units', () => {
    const r = payerShare([{ total: '25001' }], rules({ coinsurancePercent: '15' }), 'CDF', null);
    expect(r.claimed).toBe('21251');
  });
  it('a co-pay above the bill leaves nothing', () => {
    expect(payerShare([{ total: '1.50' }], rules({ copay: '2.00' }), 'USD', null).claimed).toBe('0.00');
  });
  it('the per-claim limit, then what is left of the annual limit', () => {
    expect(payerShare([{ total: '900.00' }], rules({ perClaimLimit: '500.00' }), 'USD', null)).toMatchObject({
      claimed: '500.00',
      capped: 'per_claim_limit',
    });
    expect(payerShare([{ total: '900.00' }], rules({ perClaimLimit: '500.00' }), 'USD', money('120.50'))).toMatchObject({
      claimed: '120.50',
      capped: 'annual_limit',
    });
    expect(payerShare([{ total: '900.00' }], rules({}), 'USD', money('-3'))).toMatchObject({ claimed: '0.00' });
  });
});
