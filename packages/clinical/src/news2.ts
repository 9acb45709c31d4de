// NEWS2, the National Early Warning Score 2 (Royal College of Physicians, London, 2017): a pure
// function shared by the browser (score as the nurse types) and the server (score on save).
import type { Consciousness, News2, News2Parameter, News2Risk } from '@sanita/contracts/chart';

/** The seven parameters NEWS2 needs; a set missing one of them has no score. */
export interface News2Input {
  respiratoryRate?: number | null;
  spo2?: number | null;
  /** breathing supplemental oxygen */
  onOxygen?: boolean | null;
  /** SpO2 scale 2: patients with a prescribed target of 88–92 % (hypercapnic respiratory failure) */
  spo2Scale?: 1 | 2 | null;
  systolic?: number | null;
  heartRate?: number | null;
  consciousness?: Consciousness | null;
  temperature?: number | null;
}

/** Breaths per minute: ≤8 → 3, 9–11 → 1, 12–20 → 0, 21–24 → 2, ≥25 → 3. */
export function scoreRespiratoryRate(rr: number): number {
  if (rr <= 8) return 3;
  if (rr <= 11) return 1;
  if (rr <= 20) return 0;
  if (rr <= 24) return 2;
  return 3;
}

/** SpO2 scale 1 (%): ≤91 → 3, 92–93 → 2, 94–95 → 1, ≥96 → 0. */
export function scoreSpo2Scale1(spo2: number): number {
  if (spo2 <= 91) return 3;
  if (spo2 <= 93) return 2;
  if (spo2 <= 95) return 1;
  return 0;
}

/**
 * SpO2 scale 2 (%): ≤83 → 3, 84–85 → 2, 86–87 → 1, 88–92 → 0; at 93 or more: 0 on air, and on
 * oxygen 93–94 → 1, 95–96 → 2, ≥97 → 3 (over-oxygenation is harmful for these patients).
 */
export function scoreSpo2Scale2(spo2: number, onOxygen: boolean): number {
  if (spo2 <= 83) return 3;
  if (spo2 <= 85) return 2;
  if (spo2 <= 87) return 1;
  if (spo2 <= 92 || !onOxygen) return 0;
  if (spo2 <= 94) return 1;
  if (spo2 <= 96) return 2;
  return 3;
}

/** Air → 0, supplemental oxygen → 2. */
export function scoreAirOrOxygen(onOxygen: boolean): number {
  return onOxygen ? 2 : 0;
}

/** Systolic blood pressure (mmHg): ≤90 → 3, 91–100 → 2, 101–110 → 1, 111–219 → 0, ≥220 → 3. */
export function scoreSystolic(sbp: number): number {
  if (sbp <= 90) return 3;
  if (sbp <= 100) return 2;
  if (sbp <= 110) return 1;
  if (sbp <= 219) return 0;
  return 3;
}

/** Pulse (per minute): ≤40 → 3, 41–50 → 1, 51–90 → 0, 91–110 → 1, 111–130 → 2, ≥131 → 3. */
export function scoreHeartRate(hr: number): number {
  if (hr <= 40) return 3;
  if (hr <= 50) return 1;
  if (hr <= 90) return 0;
  if (hr <= 110) return 1;
  if (hr <= 130) return 2;
  return 3;
}

/** ACVPU: alert → 0; new confusion, voice, pain or unresponsive → 3. */
export function scoreConsciousness(c: Consciousness): number {
  return c === 'A' ? 0 : 3;
}

/** Temperature (°C, one decimal): ≤35.0 → 3, 35.1–36.0 → 1, 36.1–38.0 → 0, 38.1–39.0 → 1, ≥39.1 → 2. */
export function scoreTemperature(t: number): number {
  // the chart's bands are in tenths: compare in tenths so that 36.0 is 36.0, not 35.99999
  const tenths = Math.round(t * 10);
  if (tenths <= 350) return 3;
  if (tenths <= 360) return 1;
  if (tenths <= 380) return 0;
  if (tenths <= 390) return 1;
  return 2;
}

/** Risk from the total and the highest single parameter. */
export function news2Risk(total: number, highestSingle: number): News2Risk {
  if (total >= 7) return 'high';
  if (total >= 5) return 'medium';
  if (highestSingle >= 3) return 'low_medium';
  return 'low';
}

/** a value that was measured: not missing, and a number the form could parse (NaN from an empty field is missing) */
const present = <T>(v: T | null | undefined): v is T =>
  v !== null && v !== undefined && (typeof v !== 'number' || Number.isFinite(v));

/** The NEWS2 of a complete set of observations, or null when one of the seven parameters is missing. */
export function news2(v: News2Input): News2 | null {
  const { respiratoryRate, spo2, onOxygen, systolic, heartRate, consciousness, temperature } = v;
  if (
    !present(respiratoryRate) ||
    !present(spo2) ||
    !present(onOxygen) ||
    !present(systolic) ||
    !present(heartRate) ||
    !present(consciousness) ||
    !present(temperature)
  )
    return null;
  const scale = v.spo2Scale === 2 ? 2 : 1;
  const scores: Record<News2Parameter, number> = {
    respiratoryRate: scoreRespiratoryRate(respiratoryRate),
    spo2: scale === 2 ? scoreSpo2Scale2(spo2, onOxygen) : scoreSpo2Scale1(spo2),
    airOrOxygen: scoreAirOrOxygen(onOxygen),
    systolic: scoreSystolic(systolic),
    heartRate: scoreHeartRate(heartRate),
    consciousness: scoreConsciousness(consciousness),
    temperature: scoreTemperature(temperature),
  };
  const values = Object.values(scores);
  const total = values.reduce((a, b) => a + b, 0);
  const highest = Math.max(...values);
  return { total, scale, scores, risk: news2Risk(total, highest), alert: total >= 5 || highest >= 3 };
}
