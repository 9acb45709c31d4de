import type { Lot } from '@sanita/contracts/inventory';

export interface PlannedLot {
  lotId: string;
  lotNumber: string;
  expiresOn: string;
  quantity: number;
}

/**
 * The lots a dispense of `quantity` units would take, as the server chooses them: first expiry first
 * out, never an expired or recalled lot, each lot's available units (on hand less reservations).
 * `short` is what the usable lots cannot cover.
 */
export function planLots(lots: readonly Lot[], quantity: number): { lots: PlannedLot[]; short: number } {
  const usable = lots
    .filter((l) => !l.expired && !l.recalledAt && l.available > 0)
    .sort((a, b) => a.expiresOn.localeCompare(b.expiresOn) || a.receivedAt.localeCompare(b.receivedAt));
  const planned: PlannedLot[] = [];
  let left = Math.max(0, Math.floor(quantity));
  for (const lot of usable) {
    if (left === 0) break;
    const take = Math.min(left, lot.available);
    planned.push({ lotId: lot.id, lotNumber: lot.lotNumber, expiresOn: lot.expiresOn, quantity: take });
    left -= take;
  }
  return { lots: planned, short: left };
}
