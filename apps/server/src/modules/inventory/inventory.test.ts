import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Item, Lot, MovementPage, MovementResult, StockList, Transfer, Valuation } from '@sanita/contracts/inventory';
import { createTestContext, type Session, type TestContext } from '../../../test/helpers.ts';

let ctx: TestContext;
let pharmacist: Session;
let admin: Session;
let lab: Session;
let nurse: Session;
const KIN = { 'x-clinic-id': '' };
const GOM = { 'x-clinic-id': '' };

let serial = 0;
async function newItem(s: Session = admin, extra: Record<string, unknown> = {}): Promise<Item> {
  serial += 1;
  const res = await s.req(
    'POST',
    '/api/inventory/items',
    { kind: 'consumable', name: `Gauze ${serial}`, unit: 'pack', ...extra },
    KIN,
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Item>();
}
const inDays = (n: number) => new Date(Date.now() + n * 86400_000).toISOString().slice(0, 10);
async function receive(itemId: string, lotNumber: string, quantity: number, extra: Record<string, unknown> = {}, h = KIN) {
  const res = await admin.req(
    'POST',
    '/api/inventory/lots',
    { itemId, lotNumber, quantity, expiresOn: inDays(365), unitCost: '1.2500', ...extra },
    h,
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<MovementResult>();
}
const lotsOf = async (itemId: string, h = KIN) => {
  const res = await admin.req('GET', `/api/inventory/items/${itemId}/lots`, undefined, h);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ data: Lot[] }>().data;
};
const stockOf = async (itemId: string, h = KIN) => {
  const res = await admin.req('GET', '/api/inventory/stock?all=true', undefined, h);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<StockList>().data.find((r) => r.itemId === itemId);
};
/** Every lot whose balance differs from the sum of its movements (none, ever). */
const ledgerDisagreements = async () =>
  (
    await ctx.sql.query(
      `SELECT l.id, l.on_hand, COALESCE(sum(m.quantity), 0)::int AS ledger FROM inventory_lots l
       LEFT JOIN inventory_movements m ON m.lot_id = l.id GROUP BY l.id HAVING l.on_hand <> COALESCE(sum(m.quantity), 0)`,
    )
  ).rows;

beforeAll(async () => {
  ctx = await createTestContext();
  KIN['x-clinic-id'] = ctx.ids.kin;
  GOM['x-clinic-id'] = ctx.ids.gom;
  [pharmacist, admin, lab, nurse] = (await Promise.all(
    ['pharmacist', 'admin', 'lab_technician', 'nurse'].map((r) => ctx.login(`${r}@sanita.test`)),
  )) as [Session, Session, Session, Session];
});
afterAll(async () => ctx?.close());

describe('items', () => {
  it('a pharmacist adds an item with its reorder level and edits it with the version read', async () => {
    const item = await newItem(pharmacist, { reorderLevel: 12, code: `GZ-${Date.now()}` });
    expect(item).toMatchObject({ kind: 'consumable', unit: 'pack', reorderLevel: 12, version: 1, active: true });
    const edit = await pharmacist.req('PATCH', `/api/inventory/items/${item.id}`, { version: 1, name: 'Sterile gauze' }, KIN);
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({ name: 'Sterile gauze', version: 2 });
    const stale = await pharmacist.req('PATCH', `/api/inventory/items/${item.id}`, { version: 1, unit: 'box' }, KIN);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
    // Goma has its own reorder level for the same catalogue item
    const goma = await admin.req('PUT', `/api/inventory/items/${item.id}/settings`, { reorderLevel: 3 }, GOM);
    expect(goma.json()).toMatchObject({ reorderLevel: 3 });
    expect((await admin.req('GET', `/api/inventory/items/${item.id}`, undefined, KIN)).json()).toMatchObject({
      reorderLevel: 12,
    });
  });

  it('a lab technician reads the stock but changes nothing; a nurse sees none of it', async () => {
    expect((await lab.req('GET', '/api/inventory/stock', undefined, KIN)).statusCode).toBe(200);
    expect((await lab.req('POST', '/api/inventory/items', { kind: 'lab_reagent', name: 'x', unit: 'kit' }, KIN)).statusCode).toBe(
      403,
    );
    expect((await nurse.req('GET', '/api/inventory/stock', undefined, KIN)).statusCode).toBe(403);
  });

  it('only a medication names a formulary product', async () => {
    const res = await admin.req(
      'POST',
      '/api/inventory/items',
      { kind: 'optical_frame', name: 'Frame', unit: 'frame', formularyItemId: '00000000-0000-4000-8000-000000000000' },
      KIN,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('formularyItemId');
  });
});

describe('the ledger', () => {
  it('stock is the sum of the movements after a mixed sequence, and the ledger refuses changes', async () => {
    const item = await newItem();
    const a = await receive(item.id, 'A-1', 100, { expiresOn: inDays(200) });
    await receive(item.id, 'B-1', 40, { expiresOn: inDays(20), unitCost: '0.3333' });
    const again = await receive(item.id, 'A-1', 20, { expiresOn: inDays(200) });
    expect(again.lot.id).toBe(a.lot.id);
    expect(again.lot.onHand).toBe(120);
    const lots = await lotsOf(item.id);
    expect(lots.map((l) => l.lotNumber)).toEqual(['B-1', 'A-1']); // first to expire first
    const [b, aa] = lots as [Lot, Lot];
    const adj = await admin.req('POST', `/api/inventory/lots/${aa.id}/adjust`, { quantity: -7, reason: 'Broken packs' }, KIN);
    expect(adj.statusCode, adj.body).toBe(200);
    expect(adj.json<MovementResult>().movement).toMatchObject({
      kind: 'adjust',
      quantity: -7,
      balanceAfter: 113,
      reason: 'Broken packs',
    });
    expect(
      (await admin.req('POST', `/api/inventory/lots/${b.id}/destroy`, { quantity: 5, reason: 'Water damage' }, KIN)).statusCode,
    ).toBe(200);
    expect(
      (
        await admin.req(
          'POST',
          `/api/inventory/lots/${b.id}/return`,
          { quantity: 10, reason: 'Wrong size', reference: 'RMA-9' },
          KIN,
        )
      ).statusCode,
    ).toBe(200);
    const transfer = await admin.req(
      'POST',
      '/api/inventory/transfers',
      { toClinicId: ctx.ids.gom, lines: [{ lotId: aa.id, quantity: 13 }] },
      KIN,
    );
    expect(transfer.statusCode, transfer.body).toBe(201);
    const take = await admin.req(
      'POST',
      '/api/inventory/stock-takes',
      {
        lines: [
          { lotId: aa.id, counted: 98 },
          { lotId: b.id, counted: 25 },
        ],
        note: 'Monthly count',
      },
      KIN,
    );
    expect(take.statusCode, take.body).toBe(201);
    expect(take.json().lines).toEqual([
      expect.objectContaining({ lotId: aa.id, expected: 100, counted: 98, difference: -2 }),
      expect.objectContaining({ lotId: b.id, expected: 25, counted: 25, difference: 0 }),
    ]);
    // 120 − 7 − 13 − 2 = 98 of A-1, 40 − 5 − 10 = 25 of B-1, and 13 of A-1 at Goma
    expect((await lotsOf(item.id)).map((l) => [l.lotNumber, l.onHand])).toEqual([
      ['B-1', 25],
      ['A-1', 98],
    ]);
    expect((await lotsOf(item.id, GOM)).map((l) => [l.lotNumber, l.onHand, l.expiresOn])).toEqual([['A-1', 13, inDays(200)]]);
    expect(await stockOf(item.id)).toMatchObject({ onHand: 123, available: 123, earliestExpiry: inDays(20) });
    expect(await ledgerDisagreements()).toEqual([]);

    const page1 = (
      await admin.req('GET', `/api/inventory/items/${item.id}/movements?limit=3`, undefined, KIN)
    ).json<MovementPage>();
    expect(page1.data.map((m) => m.kind)).toEqual(['adjust', 'transfer_out', 'return']);
    expect(page1.data[0]).toMatchObject({ referenceType: 'stock_take', quantity: -2 });
    const page2 = (
      await admin.req('GET', `/api/inventory/items/${item.id}/movements?limit=10&cursor=${page1.nextCursor}`, undefined, KIN)
    ).json<MovementPage>();
    expect(page2.data.map((m) => m.kind)).toEqual(['destroy', 'adjust', 'receive', 'receive', 'receive']);
    expect(page2.nextCursor).toBeNull();

    await expect(ctx.sql.query('UPDATE inventory_movements SET quantity = 1000 WHERE lot_id = $1', [aa.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(ctx.sql.query('DELETE FROM inventory_movements WHERE lot_id = $1', [aa.id])).rejects.toThrow(/append-only/);
  });

  it('a lot never goes negative: 409 INSUFFICIENT_STOCK and nothing written', async () => {
    const item = await newItem();
    const { lot } = await receive(item.id, 'N-1', 4);
    const res = await admin.req('POST', `/api/inventory/lots/${lot.id}/destroy`, { quantity: 5, reason: 'x' }, KIN);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('INSUFFICIENT_STOCK');
    expect((await lotsOf(item.id))[0]!.onHand).toBe(4);
    // and the database refuses it even behind the service's back
    await expect(ctx.sql.query('UPDATE inventory_lots SET on_hand = -1 WHERE id = $1', [lot.id])).rejects.toThrow(
      /inventory_lots_on_hand/,
    );
  });

  it('20 simultaneous withdrawals of the last 10 units: exactly 10 leave, never below zero', async () => {
    const item = await newItem();
    const { lot } = await receive(item.id, 'C-1', 10);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        pharmacist.req('POST', `/api/inventory/lots/${lot.id}/adjust`, { quantity: -1, reason: 'Issued to ward' }, KIN),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(10);
    expect(codes.filter((c) => c === 409)).toHaveLength(10);
    expect((await lotsOf(item.id))[0]!.onHand).toBe(0);
    expect(await ledgerDisagreements()).toEqual([]);
  });

  it('a receipt with another expiry for a known lot number is 409 LOT_MISMATCH', async () => {
    const item = await newItem();
    await receive(item.id, 'M-1', 5, { expiresOn: inDays(100) });
    const res = await admin.req(
      'POST',
      '/api/inventory/lots',
      { itemId: item.id, lotNumber: 'M-1', quantity: 5, expiresOn: inDays(101), unitCost: '1' },
      KIN,
    );
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('LOT_MISMATCH');
  });

  it('an expired lot is not received; a recalled one is neither received into nor transferred', async () => {
    const item = await newItem();
    const past = await admin.req(
      'POST',
      '/api/inventory/lots',
      { itemId: item.id, lotNumber: 'OLD-1', quantity: 5, expiresOn: inDays(-3), unitCost: '1' },
      KIN,
    );
    expect(past.statusCode).toBe(400);
    expect(past.json().error.details[0].field).toBe('expiresOn');
    expect(await lotsOf(item.id)).toEqual([]);
    const { lot } = await receive(item.id, 'RC-1', 5, { expiresOn: inDays(100) });
    await admin.req('POST', `/api/inventory/lots/${lot.id}/recall`, { reason: 'Recall notice 12/2026' }, KIN);
    const more = await admin.req(
      'POST',
      '/api/inventory/lots',
      { itemId: item.id, lotNumber: 'RC-1', quantity: 5, expiresOn: inDays(100), unitCost: '1' },
      KIN,
    );
    expect(more.json().error.code).toBe('LOT_RECALLED');
    const moved = await admin.req(
      'POST',
      '/api/inventory/transfers',
      { toClinicId: ctx.ids.gom, lines: [{ lotId: lot.id, quantity: 1 }] },
      KIN,
    );
    expect(moved.json().error.code).toBe('LOT_RECALLED');
    // it leaves by destruction or return only
    expect(
      (await admin.req('POST', `/api/inventory/lots/${lot.id}/return`, { quantity: 5, reason: 'Recalled' }, KIN)).statusCode,
    ).toBe(200);
  });
});

describe('transfers', () => {
  it('all or nothing: a line that cannot be served leaves both clinics as they were', async () => {
    const item = await newItem();
    const { lot: one } = await receive(item.id, 'T-1', 10);
    const { lot: two } = await receive(item.id, 'T-2', 3);
    const res = await admin.req(
      'POST',
      '/api/inventory/transfers',
      {
        toClinicId: ctx.ids.gom,
        lines: [
          { lotId: one.id, quantity: 6 },
          { lotId: two.id, quantity: 4 },
        ],
      },
      KIN,
    );
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'INSUFFICIENT_STOCK', details: [{ field: 'lines/1/quantity' }] });
    expect((await lotsOf(item.id)).map((l) => l.onHand)).toEqual([10, 3]);
    expect(await lotsOf(item.id, GOM)).toEqual([]);
    const moves = await ctx.sql.query('SELECT count(*)::int AS n FROM inventory_movements WHERE item_id = $1', [item.id]);
    expect(moves.rows[0].n).toBe(2); // the two receipts only
  });

  it('pairs the movements by a transfer id in both ledgers', async () => {
    const item = await newItem();
    const { lot } = await receive(item.id, 'P-1', 10, { unitCost: '2.5000', supplier: 'CAMEBU' });
    const res = await admin.req(
      'POST',
      '/api/inventory/transfers',
      { toClinicId: ctx.ids.gom, lines: [{ lotId: lot.id, quantity: 4 }] },
      KIN,
    );
    expect(res.statusCode, res.body).toBe(201);
    const t = res.json<Transfer>();
    expect(t.movements.map((m) => [m.clinicId, m.kind, m.quantity, m.transferId])).toEqual([
      [ctx.ids.kin, 'transfer_out', -4, t.transferId],
      [ctx.ids.gom, 'transfer_in', 4, t.transferId],
    ]);
    expect((await lotsOf(item.id, GOM))[0]).toMatchObject({
      lotNumber: 'P-1',
      onHand: 4,
      unitCost: '2.5000',
      supplier: 'CAMEBU',
    });
  });

  it('needs inventory:manage at the destination too; not to the same clinic', async () => {
    const item = await newItem();
    const { lot } = await receive(item.id, 'Q-1', 10);
    const res = await pharmacist.req(
      'POST',
      '/api/inventory/transfers',
      { toClinicId: ctx.ids.gom, lines: [{ lotId: lot.id, quantity: 1 }] },
      KIN,
    );
    expect(res.statusCode).toBe(403);
    const same = await admin.req(
      'POST',
      '/api/inventory/transfers',
      { toClinicId: ctx.ids.kin, lines: [{ lotId: lot.id, quantity: 1 }] },
      KIN,
    );
    expect(same.json().error.code).toBe('TRANSFER_SAME_CLINIC');
    expect((await lotsOf(item.id))[0]!.onHand).toBe(10);
  });
});

describe('reservations', () => {
  it('hold units while a dispense is in progress, and an expired one frees them (the job)', async () => {
    const item = await newItem();
    const { lot } = await receive(item.id, 'R-1', 10);
    const res = await pharmacist.req('POST', '/api/inventory/reservations', { lotId: lot.id, quantity: 8, minutes: 1 }, KIN);
    expect(res.statusCode, res.body).toBe(201);
    expect(await stockOf(item.id)).toMatchObject({ onHand: 10, reserved: 8, available: 2 });
    // what is reserved cannot leave otherwise
    const out = await admin.req('POST', `/api/inventory/lots/${lot.id}/adjust`, { quantity: -3, reason: 'x' }, KIN);
    expect(out.json().error.code).toBe('INSUFFICIENT_STOCK');
    await ctx.sql.query(`UPDATE inventory_reservations SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      res.json().id,
    ]);
    expect(await ctx.app.services.inventory.releaseExpired()).toBeGreaterThanOrEqual(1);
    expect(await stockOf(item.id)).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
    expect(await ledgerDisagreements()).toEqual([]);
  });

  it('the job queued with a reservation releases it once it has expired', async () => {
    const item = await newItem();
    const { lot } = await receive(item.id, 'R-J', 4);
    const res = await pharmacist.req('POST', '/api/inventory/reservations', { lotId: lot.id, quantity: 4, minutes: 1 }, KIN);
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<{ id: string }>().id;
    // the minute passes: the reservation and its job are due now
    await ctx.sql.query(`UPDATE inventory_reservations SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    const job = await ctx.sql.query(
      `UPDATE pgboss.job SET start_after = now() WHERE name = 'inventory.reservations.release' AND singleton_key = $1`,
      [id],
    );
    expect(job.rowCount).toBe(1);
    await vi.waitFor(
      async () => expect((await ctx.sql.query('SELECT 1 FROM inventory_reservations WHERE id = $1', [id])).rowCount).toBe(0),
      { timeout: 15_000, interval: 250 },
    );
    expect(await stockOf(item.id)).toMatchObject({ reserved: 0, available: 4 });
  });

  it('a reservation released early gives its units back', async () => {
    const item = await newItem();
    const { lot } = await receive(item.id, 'R-2', 5);
    const r = (await pharmacist.req('POST', '/api/inventory/reservations', { lotId: lot.id, quantity: 5 }, KIN)).json();
    expect((await pharmacist.req('POST', '/api/inventory/reservations', { lotId: lot.id, quantity: 1 }, KIN)).statusCode).toBe(
      409,
    );
    expect((await pharmacist.req('DELETE', `/api/inventory/reservations/${r.id}`, undefined, KIN)).statusCode).toBe(200);
    expect(await stockOf(item.id)).toMatchObject({ reserved: 0, available: 5 });
  });
});

describe('alerts and valuation', () => {
  it('expiry alerts by window, recalls, low stock from the reorder level', async () => {
    const item = await newItem(admin, { reorderLevel: 20 });
    await receive(item.id, 'E-10', 5, { expiresOn: inDays(10) });
    await receive(item.id, 'E-45', 5, { expiresOn: inDays(45) });
    const { lot: e80 } = await receive(item.id, 'E-80', 5, { expiresOn: inDays(80) });
    await receive(item.id, 'E-200', 5, { expiresOn: inDays(200) });
    await ctx.sql.query(`UPDATE inventory_lots SET expires_on = current_date - 3 WHERE item_id = $1 AND lot_number = 'E-10'`, [
      item.id,
    ]);
    const alerts = async (days: number) =>
      (await admin.req('GET', `/api/inventory/alerts/expiry?days=${days}`, undefined, KIN))
        .json<{ data: { itemId: string; lotNumber: string; window: number }[] }>()
        .data.filter((a) => a.itemId === item.id)
        .map((a) => [a.lotNumber, a.window]);
    expect(await alerts(30)).toEqual([['E-10', 0]]);
    expect(await alerts(60)).toEqual([
      ['E-10', 0],
      ['E-45', 60],
    ]);
    expect(await alerts(90)).toEqual([
      ['E-10', 0],
      ['E-45', 60],
      ['E-80', 90],
    ]);
    expect((await admin.req('GET', '/api/inventory/alerts/expiry?days=45', undefined, KIN)).statusCode).toBe(400);
    const recall = await admin.req(
      'POST',
      `/api/inventory/lots/${e80.id}/recall`,
      { reason: 'Manufacturer recall 2026/14' },
      KIN,
    );
    expect(recall.json()).toMatchObject({ available: 0 });
    // available: 20 on hand, less the expired 5 and the recalled 5 = 10 ≤ 20
    expect(await stockOf(item.id)).toMatchObject({ onHand: 20, available: 10, lowStock: true });
    const low = (await admin.req('GET', '/api/inventory/alerts/low-stock', undefined, KIN)).json<StockList>();
    expect(low.data.map((r) => r.itemId)).toContain(item.id);
  });

  it('valuation in exact decimals, on screen and as CSV', async () => {
    const item = await newItem(admin, { kind: 'lab_reagent', unit: 'kit' });
    await receive(item.id, 'V-1', 3, { unitCost: '0.1000' });
    await receive(item.id, 'V-2', 3, { unitCost: '0.2000' });
    const v = (await lab.req('GET', '/api/inventory/valuation', undefined, KIN)).json<Valuation>();
    const rows = v.rows.filter((r) => r.itemId === item.id);
    expect(rows.map((r) => r.value)).toEqual(['0.3000', '0.6000']);
    // 0.1 × 3 + 0.2 × 3 is 0.9000 exactly, not 0.9000000000000001
    const reagents = v.rows.filter((r) => r.kind === 'lab_reagent').reduce((s, r) => s + Math.round(Number(r.value) * 1e4), 0);
    expect(v.totals.byKind.lab_reagent).toBe((reagents / 1e4).toFixed(4));
    const csv = await lab.req('GET', '/api/inventory/valuation.csv', undefined, KIN);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="valuation-/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('kind,item,unit,lot,expires_on,on_hand,unit_cost,value');
    expect(lines).toContain(`lab_reagent,${item.name},kit,V-2,${inDays(365)},3,0.2000,0.6000`);
    expect(lines.at(-1)).toBe(`,TOTAL,,,,,,${v.totals.total}`);
  });
});

describe('the demo stock', () => {
  it('has lots at both clinics, some expiring soon, a recalled one, items below their reorder level, and a ledger that agrees', async () => {
    const kin = (await pharmacist.req('GET', '/api/inventory/stock?kind=medication', undefined, KIN)).json<StockList>().data;
    const gom = (await admin.req('GET', '/api/inventory/stock?kind=medication', undefined, GOM)).json<StockList>().data;
    const names = (rows: StockList['data']) => rows.map((r) => r.name);
    for (const drug of [
      'Paracetamol 500 mg tablets',
      'Amoxicillin 500 mg tablets',
      'Artemether 20 mg + lumefantrine 120 mg tablets',
    ]) {
      expect(names(kin)).toContain(drug);
      expect(names(gom)).toContain(drug);
    }
    expect(kin.find((r) => r.name === 'Paracetamol 500 mg tablets')!.formularyItemId).toBeTruthy();
    expect(kin.filter((r) => r.lowStock).map((r) => r.name)).toContain('Metformin 500 mg tablets');
    expect(gom.filter((r) => r.lowStock).map((r) => r.name)).toContain('Amlodipine 5 mg tablets');
    const soon = (await pharmacist.req('GET', '/api/inventory/alerts/expiry?days=30', undefined, KIN)).json<{
      data: { lotNumber: string }[];
    }>().data;
    expect(soon.map((a) => a.lotNumber)).toEqual(expect.arrayContaining(['PCM24-118', 'ALU25-201']));
    const ibuprofen = kin.find((r) => r.name === 'Ibuprofen 400 mg tablets')!;
    const lots = await lotsOf(ibuprofen.itemId);
    expect(lots.find((l) => l.lotNumber === 'IBU24-551')).toMatchObject({ available: 0, recallReason: expect.any(String) });
    expect(ibuprofen).toMatchObject({ onHand: 700, available: 400 });
    expect(await ledgerDisagreements()).toEqual([]);
    // every product the demo's active prescriptions name is stocked where they were written
    const unstocked = await ctx.sql.query(
      `SELECT DISTINCT pi.name FROM prescription_items pi JOIN prescriptions p ON p.id = pi.prescription_id
       WHERE p.status = 'active' AND pi.formulary_item_id IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM inventory_items i JOIN inventory_lots l ON l.item_id = i.id AND l.clinic_id = p.clinic_id
         WHERE i.formulary_item_id = pi.formulary_item_id AND l.on_hand > 0)`,
    );
    expect(unstocked.rows).toEqual([]);
  });
});
