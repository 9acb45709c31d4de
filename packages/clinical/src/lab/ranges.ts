// Reference ranges and flags: which range applies to a patient (sex, age on the collection day) and
// how a value compares with it. Pure code, shared by the browser (result entry shows the flag as it
// is typed) and the server (which decides it on save).
import type { LabFlag, ReferenceRange } from '@sanita/contracts/lab';

/** Whole days from birth to `on` (both YYYY-MM-DD, or `on` a Date: its UTC day). */
export function ageInDays(birthDate: string, on: string | Date): number {
  const day = typeof on === 'string' ? on.slice(0, 10) : on.toISOString().slice(0, 10);
  return Math.floor((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${birthDate.slice(0, 10)}T00:00:00Z`)) / 86_400_000);
}

/**
 * The range that applies to a patient of `sex` aged `ageDays`: among those whose band
 * [ageMinDays, ageMaxDays) holds the age, one for that sex before one for either; between two of the
 * same kind, the narrower band. Null when none fits (the result is then not flagged).
 */
export function selectRange(ranges: readonly ReferenceRange[], sex: string | null, ageDays: number): ReferenceRange | null {
  let best: ReferenceRange | null = null;
  let bestScore = -Infinity;
  for (const r of ranges) {
    if (ageDays < r.ageMinDays || (r.ageMaxDays !== null && ageDays >= r.ageMaxDays)) continue;
    if (r.sex !== null && r.sex !== sex) continue;
    const width = (r.ageMaxDays ?? 60_000) - r.ageMinDays;
    const score = (r.sex !== null ? 1e6 : 0) - width;
    if (score > bestScore) {
      best = r;
      bestScore = score;
    }
  }
  return best;
}

/** LL/HH beyond a critical limit (at or past it), L/H outside [low, high], null within or with no range. */
export function numericFlag(value: number, range: ReferenceRange | null): LabFlag | null {
  if (!range || !Number.isFinite(value)) return null;
  if (range.criticalLow !== null && value <= range.criticalLow) return 'LL';
  if (range.criticalHigh !== null && value >= range.criticalHigh) return 'HH';
  if (range.low !== null && value < range.low) return 'L';
  if (range.high !== null && value > range.high) return 'H';
  return null;
}

/** 'A' for a coded answer the range does not list as normal; null when normal or when the range names no normal codes. */
export function codedFlag(code: string, range: ReferenceRange | null): LabFlag | null {
  const normal = range?.normalCodes;
  if (!normal || normal.length === 0) return null;
  return normal.some((c) => c.toLowerCase() === code.toLowerCase()) ? null : 'A';
}

export const isCritical = (flag: LabFlag | null): boolean => flag === 'LL' || flag === 'HH';

/** The range as people read it: '3.5–5.1', '< 200', '> 40', or the normal codes joined ('negative'). */
export function rangeText(range: ReferenceRange | null, format: (n: number) => string = String): string | null {
  if (!range) return null;
  const { low, high } = range;
  if (low !== null && high !== null) return `${format(low)}–${format(high)}`;
  if (high !== null) return `< ${format(high)}`;
  if (low !== null) return `> ${format(low)}`;
  if (range.normalCodes?.length) return range.normalCodes.join(', ');
  return null;
}
