// Closing a cashier session: per currency × method, what was expected, what is counted, the difference.
import { compare, isDecimal, subtract } from './money.ts';

export interface CountRow {
  currency: string;
  method: string;
  expected: string;
}

/** counted − expected in the row's currency; null while the count is not a number. */
export function countDifference(row: CountRow, counted: string): string | null {
  if (!isDecimal(counted.trim())) return null;
  return subtract(counted.trim(), row.expected, row.currency);
}

/** Whether a closing note is required: some count differs from what was expected. */
export function needsNote(rows: readonly CountRow[], counts: Readonly<Record<string, string>>): boolean {
  return rows.some((row) => {
    const d = countDifference(row, counts[countKey(row)] ?? '');
    return d !== null && compare(d, '0', row.currency) !== 0;
  });
}

/** Every row has a count that is a non-negative decimal. */
export function countsComplete(rows: readonly CountRow[], counts: Readonly<Record<string, string>>): boolean {
  return rows.every((row) => {
    const v = (counts[countKey(row)] ?? '').trim();
    return isDecimal(v) && !v.startsWith('-');
  });
}

export const countKey = (row: { currency: string; method: string }) => `${row.currency}:${row.method}`;
