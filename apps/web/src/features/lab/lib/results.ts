// Pure helpers of the lab feature: the flag of a value as it is typed (the server decides it again on
// save, with the same @sanita/clinical code), how a flag shows, what a worklist order needs next, and the
// entry form's values turned into the API's input.
import { codedFlag, isCritical, numericFlag } from '@sanita/clinical/lab/ranges';
import type { EnterResultsInput, LabFlag, LabOrder, LabOrderItem, LabResult, ReferenceRange } from '@sanita/contracts/lab';

export type Expected = LabOrderItem['expected'][number];

/**
 * A number as a person types it: '4.2', '4,2' (French decimal comma), ' 12 '. Null for an empty field,
 * NaN for anything that is not a number (the form says so).
 */
export function parseDecimal(raw: string): number | null {
  const text = raw.trim().replace(/\s/g, '');
  if (!text) return null;
  if (!/^[-+]?(\d+([.,]\d*)?|[.,]\d+)$/.test(text)) return Number.NaN;
  return Number(text.replace(',', '.'));
}

/** The flag of a typed value against the patient's range: H/L/HH/LL for a number, A for an abnormal code. */
export function liveFlag(expected: Pick<Expected, 'resultType' | 'range'>, raw: string): LabFlag | null {
  if (expected.resultType === 'numeric') {
    const value = parseDecimal(raw);
    return value === null || Number.isNaN(value) ? null : numericFlag(value, expected.range);
  }
  if (expected.resultType === 'coded') return raw ? codedFlag(raw, expected.range) : null;
  return null;
}

export { isCritical };

/** How a flag shows: its colour (never alone: the text says it too) and whether it is critical (bold, red). */
export function flagTone(flag: LabFlag | null): { color: string; critical: boolean } {
  switch (flag) {
    case 'HH':
    case 'LL':
      return { color: 'red.9', critical: true };
    case 'H':
      return { color: 'orange.9', critical: false };
    case 'L':
      return { color: 'blue.9', critical: false };
    case 'A':
      return { color: 'grape.9', critical: false };
    case null:
      return { color: 'dark', critical: false };
  }
}

/** The range as people read it, with its critical limits when it has them: '3.5–5.1 (critical < 2.5, > 6.5)'. */
export function rangeParts(range: ReferenceRange | null): { normal: string | null; critical: string | null } {
  if (!range) return { normal: null, critical: null };
  const { low, high } = range;
  const normal =
    low !== null && high !== null
      ? `${low}–${high}`
      : high !== null
        ? `< ${high}`
        : low !== null
          ? `> ${low}`
          : range.normalCodes?.length
            ? range.normalCodes.join(', ')
            : null;
  const critical = [
    range.criticalLow !== null ? `≤ ${range.criticalLow}` : null,
    range.criticalHigh !== null ? `≥ ${range.criticalHigh}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return { normal, critical: critical || null };
}

/** A result's value as text: the number with the test's decimals, the code's label, or the text. */
export function resultValue(
  result: Pick<LabResult, 'valueNumeric' | 'valueCode' | 'valueText'>,
  answerLabel?: (code: string) => string,
): string {
  if (result.valueNumeric !== null) return String(result.valueNumeric);
  if (result.valueCode !== null) return answerLabel ? answerLabel(result.valueCode) : result.valueCode;
  return result.valueText ?? '';
}

/** What the lab does next to an order. */
export type NextStep = 'collect' | 'receive' | 'enter' | 'verify' | 'release' | 'done';

/** The latest result of each expected test of an order, by `orderItemId:testId`. */
export function resultsByExpected(order: Pick<LabOrder, 'items'>): Map<string, LabResult> {
  const map = new Map<string, LabResult>();
  for (const item of order.items) {
    for (const r of item.results) map.set(`${item.id}:${r.testId}`, r);
  }
  return map;
}

/** Whether a test's entered result needs a second person before release. */
function needsVerification(order: Pick<LabOrder, 'items'>, r: LabResult): boolean {
  const item = order.items.find((i) => i.id === r.orderItemId);
  return item?.expected.find((e) => e.testId === r.testId)?.requiresVerification ?? true;
}

/** Results entered and waiting for verification by someone other than the one who entered them. */
export function toVerify(order: Pick<LabOrder, 'items'>): LabResult[] {
  return inReportOrder(order).filter((r) => r.status === 'entered' && needsVerification(order, r));
}

/** Results entered of tests that need no verification: the lab releases them as they are. */
export function toRelease(order: Pick<LabOrder, 'items'>): LabResult[] {
  return inReportOrder(order).filter((r) => r.status === 'entered' && !needsVerification(order, r));
}

/** An order's results in report order: by item, then by the panel's order of its tests. */
export function inReportOrder(order: Pick<LabOrder, 'items'>): LabResult[] {
  return order.items.flatMap((item) => {
    const rank = new Map(item.expected.map((e, i) => [e.testId, i]));
    return [...item.results].sort((a, b) => (rank.get(a.testId) ?? 99) - (rank.get(b.testId) ?? 99));
  });
}

/** The expected tests of an order that have no result yet. */
export function missingResults(order: Pick<LabOrder, 'items'>): number {
  const have = resultsByExpected(order);
  return order.items.reduce((n, item) => n + item.expected.filter((e) => !have.has(`${item.id}:${e.testId}`)).length, 0);
}

/** The step an order waits at, from its status and its results. */
export function nextStep(order: Pick<LabOrder, 'status' | 'items'>): NextStep {
  switch (order.status) {
    case 'ordered':
      return 'collect';
    case 'collected':
      return 'receive';
    case 'completed':
    case 'cancelled':
      return 'done';
    case 'received':
    case 'in_progress':
      if (missingResults(order) > 0) return 'enter';
      if (toVerify(order).length > 0) return 'verify';
      if (toRelease(order).length > 0) return 'release';
      return 'done';
  }
}

/** Due now or past due ('overdue'), within the hour ('soon'), or later. */
export function dueState(dueAt: string, now: Date = new Date()): 'overdue' | 'soon' | 'later' {
  const left = Date.parse(dueAt) - now.getTime();
  if (left <= 0) return 'overdue';
  if (left <= 3_600_000) return 'soon';
  return 'later';
}

/** What the entry form holds per expected test: the typed value (number as text, a code, or text) and a comment. */
export interface DraftValue {
  value: string;
  comment: string;
}

export const draftKey = (itemId: string, testId: string) => `${itemId}:${testId}`;

/** The form's starting values: the results already entered (unverified ones may be corrected). */
export function initialDrafts(order: Pick<LabOrder, 'items'>): Record<string, DraftValue> {
  const drafts: Record<string, DraftValue> = {};
  for (const item of order.items) {
    for (const e of item.expected) {
      const r = item.results.find((x) => x.testId === e.testId);
      const value = r ? (r.valueNumeric !== null ? String(r.valueNumeric) : (r.valueCode ?? r.valueText ?? '')) : '';
      drafts[draftKey(item.id, e.testId)] = { value, comment: r?.comment ?? '' };
    }
  }
  return drafts;
}

export interface DraftProblem {
  key: string;
  problem: 'notANumber';
}

/**
 * The results to send: each expected test with a value typed that is not already verified or released
 * and differs from what was entered (a number for a numeric test, the code, the text). Fields that are
 * not numbers are reported instead of sent.
 */
export function toEnterInput(
  order: Pick<LabOrder, 'items' | 'version'>,
  drafts: Record<string, DraftValue>,
): { input: EnterResultsInput | null; problems: DraftProblem[] } {
  const results: EnterResultsInput['results'] = [];
  const problems: DraftProblem[] = [];
  for (const item of order.items) {
    for (const e of item.expected) {
      const key = draftKey(item.id, e.testId);
      const draft = drafts[key];
      if (!draft || !draft.value.trim()) continue;
      const existing = item.results.find((r) => r.testId === e.testId);
      if (existing && existing.status !== 'entered') continue;
      const comment = draft.comment.trim();
      const row: EnterResultsInput['results'][number] = { orderItemId: item.id, testId: e.testId };
      if (e.resultType === 'numeric') {
        const n = parseDecimal(draft.value);
        if (n === null || Number.isNaN(n)) {
          problems.push({ key, problem: 'notANumber' });
          continue;
        }
        if (existing && existing.valueNumeric === n && (existing.comment ?? '') === comment) continue;
        row.valueNumeric = n;
        if (e.unit) row.unit = e.unit;
      } else if (e.resultType === 'coded') {
        if (existing && existing.valueCode === draft.value && (existing.comment ?? '') === comment) continue;
        row.valueCode = draft.value;
      } else {
        const text = draft.value.trim();
        if (existing && existing.valueText === text && (existing.comment ?? '') === comment) continue;
        row.valueText = text;
      }
      if (comment) row.comment = comment;
      results.push(row);
    }
  }
  return { input: results.length ? { results, version: order.version } : null, problems };
}

/** Critical values among the drafts (confirmed before saving), with the test's name. */
export function criticalDrafts(
  order: Pick<LabOrder, 'items'>,
  drafts: Record<string, DraftValue>,
): { key: string; name: string; nameFr: string | null; value: string; flag: LabFlag }[] {
  const found: { key: string; name: string; nameFr: string | null; value: string; flag: LabFlag }[] = [];
  for (const item of order.items) {
    for (const e of item.expected) {
      const key = draftKey(item.id, e.testId);
      const draft = drafts[key];
      if (!draft) continue;
      const flag = liveFlag(e, draft.value);
      if (flag && isCritical(flag)) found.push({ key, name: e.name, nameFr: e.nameFr, value: draft.value.trim(), flag });
    }
  }
  return found;
}

/** A band to shade on a trend chart: the normal range, bounded by the data where it is open on one side. */
export function trendBand(range: ReferenceRange | null, values: number[]): { from: number; to: number } | null {
  if (!range || (range.low === null && range.high === null)) return null;
  const min = Math.min(...values, range.low ?? Infinity, range.high ?? Infinity);
  const max = Math.max(...values, range.low ?? -Infinity, range.high ?? -Infinity);
  return { from: range.low ?? Math.min(0, min), to: range.high ?? max * 1.2 };
}

/** An age band's limit in days as people say it: 30 days, 6 months, 18 years. */
export function ageWords(days: number): { unit: 'days' | 'months' | 'years'; count: number } {
  if (days < 60) return { unit: 'days', count: days };
  if (days < 730) return { unit: 'months', count: Math.floor(days / 30.4375) };
  return { unit: 'years', count: Math.floor(days / 365.25) };
}
