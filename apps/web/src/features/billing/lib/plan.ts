// A payment plan's instalments: the balance split into equal parts (what rounding leaves goes to the
// first), one a month from a first due date; edited instalments must sum to the balance.
import dayjs from 'dayjs';
import { fromMinor, isDecimal, sum, toMinor } from './money.ts';

export interface InstalmentDraft {
  dueDate: string;
  amount: string;
}

export function splitInstalments(balance: string, count: number, currency: string, firstDue: string): InstalmentDraft[] {
  const total = toMinor(balance, currency);
  const n = BigInt(Math.max(1, Math.floor(count)));
  const part = total / n;
  const rest = total - part * n;
  return Array.from({ length: Number(n) }, (_, i) => ({
    dueDate: dayjs(firstDue).add(i, 'month').format('YYYY-MM-DD'),
    amount: fromMinor(i === 0 ? part + rest : part, currency),
  }));
}

/** What the instalments leave unplanned (balance − their sum); null when an amount is not a number. */
export function unplanned(balance: string, instalments: readonly InstalmentDraft[], currency: string): string | null {
  if (instalments.some((i) => !isDecimal(i.amount.trim()))) return null;
  return fromMinor(
    toMinor(balance, currency) -
      toMinor(
        sum(
          instalments.map((i) => i.amount.trim()),
          currency,
        ),
        currency,
      ),
    currency,
  );
}
