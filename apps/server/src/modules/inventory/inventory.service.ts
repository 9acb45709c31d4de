import { randomUUID } from 'node:crypto';
import type {
  AdjustInput,
  ExpiryAlert,
  Item,
  ItemInput,
  ItemQuery,
  ItemSettingsInput,
  ItemUpdate,
  Lot,
  Movement,
  MovementKind,
  MovementQuery,
  MovementResult,
  RecallInput,
  ReceiveInput,
  RemoveInput,
  Reservation,
  ReservationInput,
  StockQuery,
  StockRow,
  StockTake,
  StockTakeInput,
  Transfer,
  TransferInput,
  Valuation,
} from '@sanita/contracts/inventory';
import type { Principal } from '../../platform/access.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { runAudited } from '../../platform/audit/audited.ts';
import type { Db, Executor, Tx } from '../../platform/db/database.ts';
import { isUniqueViolation, pgError } from '../../platform/db/queries.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { EventBus, Room } from '../../platform/realtime/events.ts';
import * as repo from './inventory.repository.ts';

/** The room of a clinic's stock events: memberships holding inventory:read. */
export const inventoryRoom = (clinicId: string): Room => `inventory:${clinicId}`;
/** The job that releases expired reservations (one per reservation, due when it expires). */
export const RELEASE_JOB = 'inventory.reservations.release';

/** An instant as the API writes it; raw SQL answers timestamps as PostgreSQL's text ('2026-12-07 11:24:45.40+00'). */
export const iso = (d: Date | string) =>
  (typeof d === 'string' ? new Date(d.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')) : d).toISOString();

function toLot(r: repo.LotRow): Lot {
  return {
    id: r.id,
    clinicId: r.clinicId,
    itemId: r.itemId,
    lotNumber: r.lotNumber,
    expiresOn: r.expiresOn,
    unitCost: r.unitCost,
    supplier: r.supplier,
    receivedAt: iso(r.receivedAt),
    recalledAt: r.recalledAt ? iso(r.recalledAt) : null,
    recallReason: r.recallReason,
    onHand: r.onHand,
    reserved: r.reserved,
    available: r.recalledAt || r.expired ? 0 : r.onHand - r.reserved,
    expired: r.expired,
  };
}

export function toMovement(r: repo.MovementRow): Movement {
  return {
    id: r.id,
    clinicId: r.clinicId,
    itemId: r.itemId,
    lotId: r.lotId,
    lotNumber: r.lotNumber,
    kind: r.kind,
    quantity: r.quantity,
    balanceAfter: r.balanceAfter,
    reason: r.reason,
    reference: r.reference,
    referenceType: r.referenceType,
    referenceId: r.referenceId,
    transferId: r.transferId,
    at: iso(r.createdAt),
    by: { id: r.createdBy, name: r.createdByName },
  };
}

const toStockRow = (r: repo.StockRowDb): StockRow => ({
  ...r,
  lowStock: r.reorderLevel > 0 && r.available <= r.reorderLevel,
});

/** A lot's balance would fall below zero or below what is reserved: the lot's CHECK refused it. */
function isShortage(err: unknown): boolean {
  const e = pgError(err);
  return e?.code === '23514' && (e.constraint === 'inventory_lots_on_hand' || e.constraint === 'inventory_lots_reserved');
}
const shortage = (field = 'quantity') =>
  new Conflict('There are not enough units available', 'INSUFFICIENT_STOCK', [{ field, message: 'exceeds what is available' }]);

/** A CSV cell: quoted when it holds a separator, a quote or a line break; a leading formula character is neutralised. */
export function csvCell(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** What one dispense of an item took from its lots. */
export interface Allocation {
  lotId: string;
  lotNumber: string;
  expiresOn: string;
  quantity: number;
  movementId: string;
}

export class InventoryService {
  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly jobs: JobQueue,
  ) {}

  private clinic(p: Principal): string {
    if (!p.clinicId) throw new Forbidden();
    return p.clinicId;
  }

  private changed(clinicId: string, itemIds: string[]) {
    this.events.publish('inventory.changed', { clinicId, itemIds: [...new Set(itemIds)] }, [inventoryRoom(clinicId)]);
  }

  // ------------------------------------------------------------------ items

  async listItems(p: Principal, q: ItemQuery): Promise<{ data: Item[]; total: number }> {
    const clinicId = this.clinic(p);
    const { rows, total } = await repo.listItems(this.db, clinicId, { ...q, limit: q.limit ?? 50, offset: q.offset ?? 0 });
    return { data: rows, total };
  }

  async getItem(p: Principal, id: string): Promise<Item> {
    const item = await repo.getItem(this.db, id, this.clinic(p));
    if (!item) throw new NotFound('No such item');
    return item;
  }

  async createItem(p: Principal, actor: AuditActor, input: ItemInput): Promise<Item> {
    const clinicId = this.clinic(p);
    return runAudited(this.db, actor, async (tx) => {
      if (input.kind !== 'medication' && input.formularyItemId)
        throw new Invalid([{ field: 'formularyItemId', code: 'invalid', message: 'only a medication names a formulary item' }]);
      const id = await this.uniqueCode(() =>
        repo.insertItem(tx, {
          kind: input.kind,
          name: input.name,
          unit: input.unit,
          formularyItemId: input.formularyItemId ?? null,
          code: input.code ?? null,
          userId: p.userId,
        }),
      );
      if (input.reorderLevel !== undefined) await repo.setReorderLevel(tx, clinicId, id, input.reorderLevel, p.userId);
      await writeAudit(tx, actor, {
        action: 'inventory.item.create',
        resourceType: 'inventory_item',
        resourceId: id,
        details: { kind: input.kind },
      });
      return (await repo.getItem(tx, id, clinicId))!;
    });
  }

  private async uniqueCode<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isUniqueViolation(err, 'inventory_items_code'))
        throw new Invalid([{ field: 'code', code: 'invalid', message: 'is already the code of another item' }]);
      throw err;
    }
  }

  async updateItem(p: Principal, actor: AuditActor, id: string, input: ItemUpdate): Promise<Item> {
    const clinicId = this.clinic(p);
    return runAudited(this.db, actor, async (tx) => {
      const item = await repo.getItem(tx, id, clinicId, true);
      if (!item) throw new NotFound('No such item');
      if (item.version !== input.version) throw new Conflict('The item changed since you read it', 'STALE_VERSION');
      const next = {
        name: input.name ?? item.name,
        unit: input.unit ?? item.unit,
        formularyItemId: input.formularyItemId === undefined ? item.formularyItemId : input.formularyItemId,
        code: input.code === undefined ? item.code : input.code,
        active: input.active ?? item.active,
      };
      if (item.kind !== 'medication' && next.formularyItemId)
        throw new Invalid([{ field: 'formularyItemId', code: 'invalid', message: 'only a medication names a formulary item' }]);
      await this.uniqueCode(() => repo.updateItem(tx, id, { ...next, userId: p.userId }));
      const changes = Object.fromEntries(
        (Object.keys(next) as (keyof typeof next)[])
          .filter((k) => next[k] !== item[k])
          .map((k) => [k, { from: item[k], to: next[k] }]),
      );
      await writeAudit(tx, actor, {
        action: 'inventory.item.update',
        resourceType: 'inventory_item',
        resourceId: id,
        details: { changes },
      });
      return (await repo.getItem(tx, id, clinicId))!;
    });
  }

  async setSettings(p: Principal, actor: AuditActor, id: string, input: ItemSettingsInput): Promise<Item> {
    const clinicId = this.clinic(p);
    const result = await runAudited(this.db, actor, async (tx) => {
      if (!(await repo.getItem(tx, id, clinicId))) throw new NotFound('No such item');
      await repo.setReorderLevel(tx, clinicId, id, input.reorderLevel, p.userId);
      await writeAudit(tx, actor, {
        action: 'inventory.item.settings',
        resourceType: 'inventory_item',
        resourceId: id,
        details: { reorderLevel: input.reorderLevel },
      });
      return (await repo.getItem(tx, id, clinicId))!;
    });
    this.changed(clinicId, [id]);
    return result;
  }

  // ------------------------------------------------------------------ views

  async stock(p: Principal, q: StockQuery): Promise<{ data: StockRow[] }> {
    const rows = (await repo.stock(this.db, this.clinic(p), q)).map(toStockRow);
    return { data: q.lowOnly ? rows.filter((r) => r.lowStock) : rows };
  }

  async lowStock(p: Principal): Promise<{ data: StockRow[] }> {
    return this.stock(p, { lowOnly: true, all: true });
  }

  async lots(p: Principal, itemId: string): Promise<{ data: Lot[] }> {
    const clinicId = this.clinic(p);
    if (!(await repo.getItem(this.db, itemId, clinicId))) throw new NotFound('No such item');
    return { data: (await repo.lotsOfItem(this.db, clinicId, itemId, true)).map(toLot) };
  }

  async movements(p: Principal, itemId: string, q: MovementQuery): Promise<{ data: Movement[]; nextCursor: string | null }> {
    const clinicId = this.clinic(p);
    if (!(await repo.getItem(this.db, itemId, clinicId))) throw new NotFound('No such item');
    const limit = q.limit ?? 50;
    const rows = await repo.movementsOfItem(this.db, clinicId, itemId, limit + 1, q.cursor);
    const page = rows.slice(0, limit);
    return { data: page.map(toMovement), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
  }

  async expiryAlerts(p: Principal, days: number): Promise<{ data: ExpiryAlert[] }> {
    const rows = await repo.expiring(this.db, this.clinic(p), days);
    return {
      data: rows.map((r) => ({ ...r, window: r.daysLeft < 0 ? 0 : r.daysLeft <= 30 ? 30 : r.daysLeft <= 60 ? 60 : 90 })),
    };
  }

  async valuation(p: Principal): Promise<Valuation> {
    const clinicId = this.clinic(p);
    const { rows, byKind } = await repo.valuation(this.db, clinicId);
    const { total = '0.0000', ...kinds } = byKind;
    return { clinicId, at: new Date().toISOString(), rows, totals: { byKind: kinds, total } };
  }

  /** The valuation as CSV (one line per lot, then the totals), exact decimals as PostgreSQL computed them. */
  async valuationCsv(p: Principal): Promise<string> {
    const v = await this.valuation(p);
    const lines = [
      ['kind', 'item', 'unit', 'lot', 'expires_on', 'on_hand', 'unit_cost', 'value'],
      ...v.rows.map((r) => [r.kind, r.name, r.unit, r.lotNumber, r.expiresOn, r.onHand, r.unitCost, r.value]),
      ...Object.entries(v.totals.byKind).map(([kind, total]) => [kind, 'TOTAL', '', '', '', '', '', total]),
      ['', 'TOTAL', '', '', '', '', '', v.totals.total],
    ];
    return lines.map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n';
  }

  // ------------------------------------------------------------------ movements

  /** Runs a movement; a balance that would go below zero (or below what is reserved) is 409 INSUFFICIENT_STOCK. */
  async move(tx: Executor, m: repo.NewMovement): Promise<repo.MovementRow> {
    try {
      return await repo.move(tx, m);
    } catch (err) {
      if (isShortage(err)) throw shortage();
      throw err;
    }
  }

  /** A delivery: a new lot, or more units of the lot of that number (its expiry must match). */
  async receive(p: Principal, actor: AuditActor, input: ReceiveInput): Promise<MovementResult> {
    const clinicId = this.clinic(p);
    const result = await runAudited(this.db, actor, async (tx) => {
      const item = await repo.getItem(tx, input.itemId, clinicId);
      if (!item) throw new Invalid([{ field: 'itemId', code: 'invalid', message: 'is not an item of the catalogue' }]);
      if (!item.active) throw new Invalid([{ field: 'itemId', code: 'invalid', message: 'is an inactive item' }]);
      let lot = await repo.findLot(tx, clinicId, item.id, input.lotNumber);
      if (!lot) {
        await repo.insertLot(tx, {
          clinicId,
          itemId: item.id,
          lotNumber: input.lotNumber,
          expiresOn: input.expiresOn,
          unitCost: input.unitCost,
          supplier: input.supplier ?? null,
        });
        lot = (await repo.findLot(tx, clinicId, item.id, input.lotNumber))!;
        if (lot.expired)
          throw new Invalid([{ field: 'expiresOn', code: 'invalid', message: 'is in the past: an expired lot is not received' }]);
      } else if (lot.recalledAt) {
        throw new Conflict(`Lot ${input.lotNumber} is recalled`, 'LOT_RECALLED', [
          { field: 'lotNumber', message: 'is a recalled lot' },
        ]);
      } else if (lot.expiresOn !== input.expiresOn) {
        throw new Conflict(`Lot ${input.lotNumber} is recorded with another expiry date`, 'LOT_MISMATCH', [
          { field: 'expiresOn', message: `lot ${input.lotNumber} expires on ${lot.expiresOn}` },
        ]);
      }
      const movement = await this.move(tx, {
        clinicId,
        lotId: lot.id,
        kind: 'receive',
        quantity: input.quantity,
        reference: input.reference ?? null,
        userId: p.userId,
      });
      await writeAudit(tx, actor, {
        action: 'inventory.receive',
        resourceType: 'inventory_lot',
        resourceId: lot.id,
        details: { itemId: item.id, quantity: input.quantity, movementId: movement.id },
      });
      return { lot: toLot((await repo.getLot(tx, lot.id, clinicId))!), movement: toMovement(movement) };
    });
    this.changed(clinicId, [result.lot.itemId]);
    return result;
  }

  /** A signed correction of a lot's count, with the reason. */
  async adjust(p: Principal, actor: AuditActor, lotId: string, input: AdjustInput): Promise<MovementResult> {
    if (input.quantity === 0) throw new Invalid([{ field: 'quantity', code: 'invalid', message: 'must not be 0' }]);
    return this.lotMovement(p, actor, lotId, 'adjust', input.quantity, input.reason, null);
  }

  /** Units destroyed (expired, damaged, recalled) or returned to the supplier: allowed from any lot, expired or recalled too. */
  async remove(p: Principal, actor: AuditActor, lotId: string, kind: 'destroy' | 'return', input: RemoveInput) {
    return this.lotMovement(p, actor, lotId, kind, -input.quantity, input.reason, input.reference ?? null);
  }

  private async lotMovement(
    p: Principal,
    actor: AuditActor,
    lotId: string,
    kind: MovementKind,
    quantity: number,
    reason: string,
    reference: string | null,
  ): Promise<MovementResult> {
    const clinicId = this.clinic(p);
    const result = await runAudited(this.db, actor, async (tx) => {
      const lot = await repo.getLot(tx, lotId, clinicId, true);
      if (!lot) throw new NotFound('No such lot');
      if (quantity < 0 && lot.onHand - lot.reserved < -quantity) throw shortage();
      const movement = await this.move(tx, { clinicId, lotId, kind, quantity, reason, reference, userId: p.userId });
      await writeAudit(tx, actor, {
        action: `inventory.${kind}`,
        resourceType: 'inventory_lot',
        resourceId: lotId,
        details: { itemId: lot.itemId, quantity, movementId: movement.id },
      });
      return { lot: toLot((await repo.getLot(tx, lotId, clinicId))!), movement: toMovement(movement) };
    });
    this.changed(clinicId, [result.lot.itemId]);
    return result;
  }

  /** Marks a lot recalled: it is never dispensed again (it can still be destroyed or returned). */
  async recall(p: Principal, actor: AuditActor, lotId: string, input: RecallInput): Promise<Lot> {
    const clinicId = this.clinic(p);
    const lot = await runAudited(this.db, actor, async (tx) => {
      const found = await repo.getLot(tx, lotId, clinicId, true);
      if (!found) throw new NotFound('No such lot');
      if (found.recalledAt) throw new Conflict('The lot is already recalled', 'LOT_RECALLED');
      await repo.recallLot(tx, lotId, input.reason);
      await writeAudit(tx, actor, {
        action: 'inventory.recall',
        resourceType: 'inventory_lot',
        resourceId: lotId,
        details: { itemId: found.itemId },
      });
      return toLot((await repo.getLot(tx, lotId, clinicId))!);
    });
    this.changed(clinicId, [lot.itemId]);
    return lot;
  }

  /**
   * Moves units from the active clinic's lots to another clinic, all or nothing: each source lot
   * gets a transfer_out, its counterpart at the destination (same item, lot number, expiry and
   * cost; created when missing) a transfer_in, all paired by one transfer id. The caller needs
   * inventory:manage at both clinics: the destination's stock changes too, so a membership there
   * holding it is required (no cross-clinic permission exists for stock).
   */
  async transfer(p: Principal, actor: AuditActor, input: TransferInput): Promise<Transfer> {
    const fromClinicId = this.clinic(p);
    const toClinicId = input.toClinicId;
    if (toClinicId === fromClinicId)
      throw new Conflict('A transfer goes to another clinic', 'TRANSFER_SAME_CLINIC', [
        { field: 'toClinicId', message: 'is the clinic the stock is in' },
      ]);
    const member = p.memberships.some((m) => m.clinicId === toClinicId && m.permissions.includes('inventory:manage'));
    if (!member) throw new Forbidden('You need inventory:manage at the destination clinic');
    const lotIds = input.lines.map((l) => l.lotId);
    if (new Set(lotIds).size !== lotIds.length)
      throw new Invalid([{ field: 'lines', code: 'uniqueItems', message: 'names a lot twice' }]);
    const transferId = randomUUID();
    const result = await runAudited(this.db, actor, async (tx) => {
      const lots = new Map((await repo.lockLots(tx, lotIds, fromClinicId)).map((l) => [l.id, l]));
      const movements: Movement[] = [];
      for (const [i, line] of input.lines.entries()) {
        const lot = lots.get(line.lotId);
        if (!lot) throw new Invalid([{ field: `lines/${i}/lotId`, code: 'invalid', message: 'is not a lot of this clinic' }]);
        // expired or recalled stock is destroyed or returned where it is, not moved
        this.usable(lot, `lines/${i}/lotId`);
        if (lot.onHand - lot.reserved < line.quantity) throw shortage(`lines/${i}/quantity`);
        const out = await this.move(tx, {
          clinicId: fromClinicId,
          lotId: lot.id,
          kind: 'transfer_out',
          quantity: -line.quantity,
          transferId,
          reason: input.note ?? null,
          userId: p.userId,
        });
        await repo.insertLot(tx, {
          clinicId: toClinicId,
          itemId: lot.itemId,
          lotNumber: lot.lotNumber,
          expiresOn: lot.expiresOn,
          unitCost: lot.unitCost,
          supplier: lot.supplier,
          recalledAt: lot.recalledAt,
          recallReason: lot.recallReason,
        });
        const target = (await repo.findLot(tx, toClinicId, lot.itemId, lot.lotNumber))!;
        if (target.expiresOn !== lot.expiresOn)
          throw new Conflict(`Lot ${lot.lotNumber} is recorded at the destination with another expiry date`, 'LOT_MISMATCH', [
            { field: `lines/${i}/lotId`, message: `expires on ${target.expiresOn} there` },
          ]);
        const into = await this.move(tx, {
          clinicId: toClinicId,
          lotId: target.id,
          kind: 'transfer_in',
          quantity: line.quantity,
          transferId,
          reason: input.note ?? null,
          userId: p.userId,
        });
        movements.push(toMovement(out), toMovement(into));
      }
      await writeAudit(tx, actor, {
        action: 'inventory.transfer',
        resourceType: 'inventory_transfer',
        resourceId: transferId,
        details: { toClinicId, lines: input.lines },
      });
      return { transferId, fromClinicId, toClinicId, movements };
    });
    const itemIds = result.movements.map((m) => m.itemId);
    this.changed(fromClinicId, itemIds);
    this.changed(toClinicId, itemIds);
    return result;
  }

  /** A count sheet reconciled in one transaction: each lot whose count differs gets an adjustment. */
  async stockTake(p: Principal, actor: AuditActor, input: StockTakeInput): Promise<StockTake> {
    const clinicId = this.clinic(p);
    const lotIds = input.lines.map((l) => l.lotId);
    if (new Set(lotIds).size !== lotIds.length)
      throw new Invalid([{ field: 'lines', code: 'uniqueItems', message: 'names a lot twice' }]);
    const result = await runAudited(this.db, actor, async (tx) => {
      const lots = new Map((await repo.lockLots(tx, lotIds, clinicId)).map((l) => [l.id, l]));
      const take = await repo.insertStockTake(tx, clinicId, input.note ?? null, p.userId);
      const lines: StockTake['lines'] = [];
      for (const [i, line] of input.lines.entries()) {
        const lot = lots.get(line.lotId);
        if (!lot) throw new Invalid([{ field: `lines/${i}/lotId`, code: 'invalid', message: 'is not a lot of this clinic' }]);
        const difference = line.counted - lot.onHand;
        if (line.counted < lot.reserved)
          throw new Conflict('Units of this lot are reserved for a dispense in progress', 'INSUFFICIENT_STOCK', [
            { field: `lines/${i}/counted`, message: `${lot.reserved} units are reserved` },
          ]);
        if (difference !== 0)
          await this.move(tx, {
            clinicId,
            lotId: lot.id,
            kind: 'adjust',
            quantity: difference,
            reason: input.note ? `Stock take: ${input.note}` : 'Stock take',
            referenceType: 'stock_take',
            referenceId: take.id,
            userId: p.userId,
          });
        lines.push({
          lotId: lot.id,
          itemId: lot.itemId,
          lotNumber: lot.lotNumber,
          expected: lot.onHand,
          counted: line.counted,
          difference,
        });
      }
      await repo.insertStockTakeLines(tx, take.id, lines);
      await writeAudit(tx, actor, {
        action: 'inventory.stock_take',
        resourceType: 'inventory_stock_take',
        resourceId: take.id,
        details: { lots: lines.length, adjusted: lines.filter((l) => l.difference !== 0).length },
      });
      return {
        id: take.id,
        clinicId,
        at: iso(take.createdAt),
        by: { id: p.userId, name: p.displayName },
        note: input.note ?? null,
        lines,
      };
    });
    this.changed(
      clinicId,
      result.lines.filter((l) => l.difference !== 0).map((l) => l.itemId),
    );
    return result;
  }

  // ------------------------------------------------------------------ reservations

  /** Holds units of a lot while a dispense is in progress; a job releases them when they expire. */
  async reserve(p: Principal, actor: AuditActor, input: ReservationInput): Promise<Reservation> {
    const clinicId = this.clinic(p);
    const r = await runAudited(this.db, actor, async (tx) => {
      const lot = await repo.getLot(tx, input.lotId, clinicId, true);
      if (!lot) throw new Invalid([{ field: 'lotId', code: 'invalid', message: 'is not a lot of this clinic' }]);
      this.usable(lot, 'lotId');
      if (lot.onHand - lot.reserved < input.quantity) throw shortage();
      return repo.reserve(tx, {
        clinicId,
        lotId: lot.id,
        quantity: input.quantity,
        minutes: input.minutes ?? 15,
        ownerId: p.userId,
        referenceId: input.referenceId ?? null,
      });
    });
    await this.jobs.send(RELEASE_JOB, { reservationId: r.id }, { startAfter: new Date(iso(r.expiresAt)), singletonKey: r.id });
    this.changed(clinicId, [r.itemId]);
    return { id: r.id, lotId: r.lotId, quantity: r.quantity, expiresAt: iso(r.expiresAt), referenceId: r.referenceId };
  }

  /** Ends a reservation early (the dialog was closed); only its owner or someone managing the stock may. */
  async release(p: Principal, actor: AuditActor, id: string): Promise<void> {
    const clinicId = this.clinic(p);
    const released = await runAudited(this.db, actor, async (tx) => {
      const r = await repo.getReservation(tx, id, clinicId);
      if (!r) throw new NotFound('No such reservation');
      if (r.ownerId !== p.userId && !p.permissions.has('inventory:manage')) throw new Forbidden();
      return repo.releaseOne(tx, id, clinicId);
    });
    for (const r of released) this.changed(r.clinicId, [r.itemId]);
  }

  /** Releases every expired reservation (the job; idempotent). */
  async releaseExpired(): Promise<number> {
    const released = await this.db.transaction((tx) => repo.releaseExpired(tx));
    const byClinic = new Map<string, string[]>();
    for (const r of released) byClinic.set(r.clinicId, [...(byClinic.get(r.clinicId) ?? []), r.itemId]);
    for (const [clinicId, itemIds] of byClinic) this.changed(clinicId, itemIds);
    return released.length;
  }

  async start(): Promise<void> {
    await this.jobs.work(RELEASE_JOB, async () => {
      await this.releaseExpired();
    });
    // reservations whose job was lost (or that expired while no node ran) are released now
    await this.releaseExpired();
  }

  private usable(lot: repo.LotRow, field: string) {
    if (lot.recalledAt)
      throw new Conflict(`Lot ${lot.lotNumber} is recalled`, 'LOT_RECALLED', [{ field, message: 'is a recalled lot' }]);
    if (lot.expired)
      throw new Conflict(`Lot ${lot.lotNumber} has expired`, 'LOT_EXPIRED', [{ field, message: 'is an expired lot' }]);
  }

  // ------------------------------------------------------------------ for the pharmacy (inside its transaction)

  /** Items of the catalogue, read in the caller's transaction. */
  itemFor(tx: Executor, id: string, clinicId: string) {
    return repo.getItem(tx, id, clinicId);
  }

  /** Active medication items filling these formulary products, with what the clinic has of each, and its next lot. */
  async stockFor(tx: Executor, clinicId: string, formularyItemIds: string[]) {
    if (!formularyItemIds.length) return [];
    return (await repo.stockForFormulary(tx, clinicId, formularyItemIds)).map(
      ({ available, nextLotId, nextLotNumber, nextLotExpiresOn, ...item }) => ({
        item,
        available,
        nextLot: nextLotId ? { lotId: nextLotId, lotNumber: nextLotNumber!, expiresOn: nextLotExpiresOn! } : null,
      }),
    );
  }

  /**
   * Takes `quantity` units of an item from the clinic's lots, first-expiry-first-out, never from an
   * expired or recalled lot, as `dispense` movements referencing `referenceId`. The lots are locked
   * first, so concurrent dispenses queue and each sees what the previous one left; when too few
   * remain, 409 INSUFFICIENT_STOCK and nothing is taken (the caller's transaction rolls back).
   * The caller's own reservations for `reservedFor` are released first (their units are the ones
   * this dispense takes).
   */
  async dispense(
    tx: Tx,
    v: {
      clinicId: string;
      itemId: string;
      quantity: number;
      userId: string;
      referenceId: string;
      reservedFor?: string;
      field: string;
    },
  ): Promise<Allocation[]> {
    if (v.reservedFor) await repo.releaseFor(tx, v.clinicId, v.userId, v.reservedFor);
    const lots = await repo.dispensableLots(tx, v.clinicId, v.itemId);
    let left = v.quantity;
    const taken: Allocation[] = [];
    for (const lot of lots) {
      if (left === 0) break;
      const q = Math.min(left, lot.onHand - lot.reserved);
      if (q <= 0) continue;
      const m = await this.move(tx, {
        clinicId: v.clinicId,
        lotId: lot.id,
        kind: 'dispense',
        quantity: -q,
        referenceType: 'dispense',
        referenceId: v.referenceId,
        userId: v.userId,
      });
      taken.push({ lotId: lot.id, lotNumber: lot.lotNumber, expiresOn: lot.expiresOn, quantity: q, movementId: m.id });
      left -= q;
    }
    if (left > 0) throw shortage(v.field);
    return taken;
  }

  /** What dispense movements referencing these ids took, per reference: lot, number, expiry, units. */
  async dispensedFrom(tx: Executor, referenceIds: string[]) {
    const out = new Map<string, { lotId: string; lotNumber: string; expiresOn: string; quantity: number }[]>();
    const rows = await repo.movementsByReference(tx, referenceIds);
    for (const m of rows.filter((r) => r.kind === 'dispense')) {
      const list = out.get(m.referenceId!) ?? [];
      list.push({ lotId: m.lotId, lotNumber: m.lotNumber, expiresOn: m.lotExpiresOn, quantity: -m.quantity });
      out.set(m.referenceId!, list);
    }
    return out;
  }

  /** Tells the clinic's stock screens that these items changed (after the caller's commit). */
  notifyChanged(clinicId: string, itemIds: string[]) {
    this.changed(clinicId, itemIds);
  }
}
