import type { AnomalyReason, AnomalyReasonCode } from '@sanita/contracts/claims';

/**
 * The anomaly score of a claim at submission: a pure function over figures the repository gathers
 * (claims.repository.ts, `anomalyFigures`). Each reason carries the figures it was computed from so
 * that a reviewer can check it; the score is the sum of the reasons' weights, capped at 1.
 *
 * - amount_outlier: the robust z-score |x − median| / (1.4826 · MAD) of a line's unit amount against
 *   the unit amounts of the same code over the last 365 days (its latest PEER_SAMPLE lines), with at
 *   least MIN_PEERS peers, above Z_THRESHOLD. When the peers all share one price (MAD = 0), a line
 *   more than 50 % away from that price is flagged (z is then reported as null).
 * - duplicate_service: the same patient, code and service date on another claim (not denied, not the
 *   claim this one resubmits).
 * - patient_frequency / provider_frequency: the patient's (practitioner's) claims over the last 30
 *   days above FREQUENCY_FACTOR × the 95th percentile of their peers, and at least the fixed floor.
 * - diagnosis_mismatch: a line whose service needs a diagnosis the claim does not carry, or a sex
 *   the patient does not have (DIAGNOSIS_RULES).
 * - under_threshold: the claimed amount within 5 % below the plan's approval threshold.
 */

export const WEIGHTS: Readonly<Record<AnomalyReasonCode, number>> = {
  amount_outlier: 0.35,
  duplicate_service: 0.45,
  patient_frequency: 0.25,
  provider_frequency: 0.2,
  diagnosis_mismatch: 0.35,
  under_threshold: 0.25,
};
export const Z_THRESHOLD = 3.5;
export const MIN_PEERS = 10;
export const PEER_SAMPLE = 2000;
export const FREQUENCY_DAYS = 30;
export const FREQUENCY_FACTOR = 3;
export const PATIENT_FLOOR = 6;
export const PROVIDER_FLOOR = 40;
export const THRESHOLD_BAND = 0.05;

export interface PeerStats {
  n: number;
  median: number;
  mad: number;
}

export interface ScoredLine {
  id: string;
  kind: string;
  code: string;
  procedureCode: string | null;
  description: string;
  /** what was billed per unit (the invoice line's total / quantity) */
  unitAmount: number;
  peers: PeerStats | null;
  /** another claim with this patient, code and service date */
  duplicate: { claimId: string; number: string; serviceDate: string } | null;
}

export interface AnomalyFigures {
  claimed: number;
  approvalThreshold: number | null;
  lines: ScoredLine[];
  patientSex: string | null;
  /** ICD-10-CM codes of the claim */
  diagnoses: string[];
  patientClaims30: number;
  patientPeerP95: number;
  providerClaims30: number | null;
  providerPeerP95: number | null;
}

export interface AnomalyResult {
  score: number;
  reasons: AnomalyReason[];
}

const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

/** The median of a list of numbers (NaN when empty). */
export function median(values: readonly number[]): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The median and the median absolute deviation of peers' amounts. */
export function peerStats(values: readonly number[]): PeerStats {
  const med = median(values);
  return { n: values.length, median: med, mad: median(values.map((v) => Math.abs(v - med))) };
}

/** |x − median| / (1.4826 · MAD); null when MAD is 0. */
export function robustZ(x: number, s: PeerStats): number | null {
  if (s.mad === 0) return null;
  return Math.abs(x - s.median) / (1.4826 * s.mad);
}

/**
 * Which services need which diagnoses (ICD-10-CM chapters or blocks) or which sex. A line matches a
 * rule by its code, procedure code or description (case-insensitive); it is a mismatch when none of
 * the claim's diagnoses starts with a prefix in `needs` (or falls in a `ranges` block), or when the
 * patient's sex is not `sex`.
 */
export interface DiagnosisRule {
  id: string;
  label: string;
  kinds?: readonly string[];
  match: RegExp;
  /** ICD-10-CM blocks, inclusive, by the first three characters: ['H00', 'H59'] */
  ranges?: readonly (readonly [string, string])[];
  sex?: 'female' | 'male';
}

export const DIAGNOSIS_RULES: readonly DiagnosisRule[] = [
  {
    id: 'pregnancy_test_male',
    label: 'pregnancy test for a male patient',
    match: /\b(hcg|pregnan|grossesse|2106-3|2118-8|19080-1|81025|84702|84703)\b/i,
    sex: 'female',
  },
  {
    id: 'optical_without_eye_diagnosis',
    label: 'optical item without an eye diagnosis (H00–H59)',
    kinds: ['optical'],
    match: /./,
    ranges: [['H00', 'H59']],
  },
  {
    id: 'antimalarial_without_malaria',
    label: 'antimalarial without malaria (B50–B54) or fever (R50)',
    kinds: ['medication'],
    match: /(artemether|artesunate|lumefantrine|amodiaquine|quinine|primaquine|chloroquine|mefloquine|\bP01B)/i,
    ranges: [
      ['B50', 'B54'],
      ['R50', 'R50'],
    ],
  },
  {
    id: 'insulin_without_diabetes',
    label: 'insulin without diabetes (E08–E13) or pregnancy (O24)',
    kinds: ['medication'],
    match: /(insulin|\bA10A)/i,
    ranges: [
      ['E08', 'E13'],
      ['O24', 'O24'],
    ],
  },
];

const inRange = (code: string, [from, to]: readonly [string, string]) => {
  const c = code.toUpperCase().replace('.', '').slice(0, 3);
  return c >= from && c <= to;
};

/** The rule a line breaks, if any. */
export function diagnosisMismatch(
  line: Pick<ScoredLine, 'kind' | 'code' | 'procedureCode' | 'description'>,
  diagnoses: readonly string[],
  sex: string | null,
): DiagnosisRule | null {
  for (const r of DIAGNOSIS_RULES) {
    if (r.kinds && !r.kinds.includes(line.kind)) continue;
    if (!r.match.test(`${line.code} ${line.procedureCode ?? ''} ${line.description}`)) continue;
    if (r.sex && sex && sex !== r.sex) return r;
    if (r.ranges && !diagnoses.some((d) => r.ranges!.some((range) => inRange(d, range)))) return r;
  }
  return null;
}

/** The score and its reasons. */
export function scoreClaim(f: AnomalyFigures): AnomalyResult {
  const reasons: AnomalyReason[] = [];
  const add = (code: AnomalyReasonCode, lineId: string | null, details: AnomalyReason['details']) =>
    reasons.push({ code, weight: WEIGHTS[code], lineId, details });

  for (const l of f.lines) {
    if (l.peers && l.peers.n >= MIN_PEERS) {
      const z = robustZ(l.unitAmount, l.peers);
      const flagged = z === null ? Math.abs(l.unitAmount - l.peers.median) > 0.5 * l.peers.median : z > Z_THRESHOLD;
      if (flagged)
        add('amount_outlier', l.id, {
          code: l.code,
          amount: round(l.unitAmount),
          median: round(l.peers.median),
          mad: round(l.peers.mad),
          z: z === null ? null : round(z, 1),
          peers: l.peers.n,
        });
    }
    if (l.duplicate)
      add('duplicate_service', l.id, {
        code: l.code,
        serviceDate: l.duplicate.serviceDate,
        otherClaimId: l.duplicate.claimId,
        otherClaimNumber: l.duplicate.number,
      });
    const rule = diagnosisMismatch(l, f.diagnoses, f.patientSex);
    if (rule)
      add('diagnosis_mismatch', l.id, {
        code: l.code,
        rule: rule.id,
        explanation: rule.label,
        diagnoses: f.diagnoses.join(', ') || null,
        sex: f.patientSex,
      });
  }
  const patientLimit = Math.max(FREQUENCY_FACTOR * f.patientPeerP95, PATIENT_FLOOR);
  if (f.patientClaims30 > patientLimit)
    add('patient_frequency', null, {
      count: f.patientClaims30,
      days: FREQUENCY_DAYS,
      peersP95: round(f.patientPeerP95),
      limit: round(patientLimit),
    });
  if (f.providerClaims30 !== null && f.providerPeerP95 !== null) {
    const providerLimit = Math.max(FREQUENCY_FACTOR * f.providerPeerP95, PROVIDER_FLOOR);
    if (f.providerClaims30 > providerLimit)
      add('provider_frequency', null, {
        count: f.providerClaims30,
        days: FREQUENCY_DAYS,
        peersP95: round(f.providerPeerP95),
        limit: round(providerLimit),
      });
  }
  if (f.approvalThreshold !== null && f.approvalThreshold > 0) {
    const t = f.approvalThreshold;
    if (f.claimed < t && f.claimed >= t * (1 - THRESHOLD_BAND))
      add('under_threshold', null, { claimed: f.claimed, threshold: t, belowBy: round(t - f.claimed) });
  }
  // one reason of a kind per line is enough, but several lines may each be flagged: the score counts each kind once
  const kinds = new Set(reasons.map((r) => r.code));
  const score = Math.min(
    1,
    round(
      [...kinds].reduce((s, k) => s + WEIGHTS[k], 0),
      4,
    ),
  );
  return { score, reasons };
}

/** The p-th percentile (0–1) of counts, by linear interpolation (0 when empty). */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const i = (s.length - 1) * p;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return s[lo]! + (s[hi]! - s[lo]!) * (i - lo);
}

/** The 95th percentile of the peers' counts, once the claim's own patient (or practitioner), counted `own`, is taken out. */
export function peerP95(counts: readonly number[], own: number): number {
  const i = own > 0 ? counts.indexOf(own) : -1;
  return percentile(i >= 0 ? [...counts.slice(0, i), ...counts.slice(i + 1)] : counts, 0.95);
}
