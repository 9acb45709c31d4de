import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dispense, Worklist, WorklistEntry } from '@sanita/contracts/pharmacy';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import { signedPrescription, stockedLot, type RxItemFixture } from './pharmacy.fixtures.ts';
import { labelInstructions } from './pharmacy.label.ts';
import { pdfText } from '../../../test/pdf.ts';

let ctx: TestContext;
let pharmacist: Session;
let nurse: Session;
let admin: Session;
const KIN = { 'x-clinic-id': '' };

const PARACETAMOL = 'who-eml:paracetamol-500mg-tablet';
const IBUPROFEN = 'who-eml:ibuprofen-400mg-tablet';
const METFORMIN = 'who-eml:metformin-500mg-tablet';

let serial = 0;
/** A drug of its own for each test (its stock is the test's alone): an inventory item of the formulary product. */
const product = (code: string) => ({ code, itemName: `${code} #${++serial}` });

const rx = (items: RxItemFixture[], patientId = ctx.ids.kinPatient, language: 'en' | 'fr' = 'en') =>
  signedPrescription(ctx.sql, {
    patientId,
    clinicId: ctx.ids.kin,
    prescriberId: ctx.ids.users['doctor@sanita.test']!,
    items,
    language,
  });
const lot = (
  p: { code: string; itemName: string },
  lotNumber: string,
  quantity: number,
  expiresInDays: number,
  recalled = false,
) =>
  stockedLot(ctx.sql, {
    clinicId: ctx.ids.kin,
    userId: ctx.ids.users['admin@sanita.test']!,
    ...p,
    lotNumber,
    quantity,
    expiresInDays,
    recalled,
  });
const dispense = (prescriptionId: string, body: unknown, s: Session = pharmacist) =>
  s.req('POST', `/api/pharmacy/prescriptions/${prescriptionId}/dispenses`, body, KIN);
const onHand = async (lotId: string) =>
  (await ctx.sql.query<{ n: number }>('SELECT on_hand AS n FROM inventory_lots WHERE id = $1', [lotId])).rows[0]!.n;
const status = async (id: string) =>
  (await ctx.sql.query<{ status: string }>('SELECT status FROM prescriptions WHERE id = $1', [id])).rows[0]!.status;
const entry = async (id: string): Promise<WorklistEntry> => {
  const res = await pharmacist.req('GET', `/api/pharmacy/prescriptions/${id}`, undefined, KIN);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<WorklistEntry>();
};

beforeAll(async () => {
  ctx = await createTestContext();
  KIN['x-clinic-id'] = ctx.ids.kin;
  [pharmacist, nurse, admin] = (await Promise.all(
    ['pharmacist', 'nurse', 'admin'].map((r) => ctx.login(`${r}@sanita.test`)),
  )) as [Session, Session, Session];
});
afterAll(async () => ctx?.close());

describe('the worklist', () => {
  it("lists the clinic's active prescriptions with what remains, the overrides and the stock; audited", async () => {
    const p = product(PARACETAMOL);
    const { lotId } = await lot(p, 'WL-1', 40, 200);
    const { id, itemIds } = await rx([{ code: PARACETAMOL, quantity: 21 }]);
    // the oldest signed comes first: ahead of whatever the demo's doctors prescribed
    await ctx.sql.query(`UPDATE prescriptions SET signed_at = now() - interval '20 days' WHERE id = $1`, [id]);
    const since = await lastAuditId(ctx.sql);
    const res = await pharmacist.req('GET', '/api/pharmacy/worklist', undefined, KIN);
    expect(res.statusCode, res.body).toBe(200);
    const mine = res.json<Worklist>().data.find((e) => e.prescriptionId === id)!;
    expect(mine).toMatchObject({
      patient: { id: ctx.ids.kinPatient },
      prescriber: { id: ctx.ids.users['doctor@sanita.test'] },
      partlyDispensed: false,
      items: [{ prescriptionItemId: itemIds[0], quantity: 21, dispensed: 0, remaining: 21, substitutionAllowed: true }],
    });
    expect(mine.items[0]!.stock).toContainEqual(
      expect.objectContaining({ name: p.itemName, available: 40, nextLot: expect.objectContaining({ lotId }) }),
    );
    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'pharmacy.worklist.read');
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).toContain(id);
  });

  it('shows what the prescriber recorded about pregnancy and breastfeeding', async () => {
    const { id } = await rx([{ code: PARACETAMOL, quantity: 10 }]);
    await ctx.sql.query(`UPDATE prescriptions SET pregnant = true, breastfeeding = false WHERE id = $1`, [id]);
    const entry = (await pharmacist.req('GET', `/api/pharmacy/worklist`, undefined, KIN))
      .json<Worklist>()
      .data.find((e) => e.prescriptionId === id)!;
    expect(entry).toMatchObject({ pregnant: true, breastfeeding: false });
  });

  it('finds a patient’s prescriptions by any part of the name (accents and case aside) or the MRN without its dashes', async () => {
    const { id } = await rx([{ code: PARACETAMOL, quantity: 10 }]);
    const { rows } = await ctx.sql.query<{ family_name: string; mrn: string }>(
      `SELECT family_name, mrn FROM patients WHERE id = $1`,
      [ctx.ids.kinPatient],
    );
    const { family_name: family, mrn } = rows[0]!;
    const found = async (q: string) =>
      (await pharmacist.req('GET', `/api/pharmacy/worklist?q=${encodeURIComponent(q)}`, undefined, KIN))
        .json<Worklist>()
        .data.map((e) => e.prescriptionId);
    const accented = family.slice(0, 3).toUpperCase().replace(/E/g, 'É').replace(/A/g, 'À');
    expect(await found(accented)).toContain(id);
    expect(await found(mrn.replace(/-/g, '').slice(2, 9))).toContain(id);
    expect(await found('zzqx-nobody')).toEqual([]);
  });

  it('is the pharmacy’s: a nurse gets 403', async () => {
    expect((await nurse.req('GET', '/api/pharmacy/worklist', undefined, KIN)).statusCode).toBe(403);
  });
});

describe('dispensing', () => {
  it('partly, first-expiry-first-out, never from an expired or recalled lot; then the rest completes the prescription', async () => {
    const p = product(PARACETAMOL);
    const late = await lot(p, 'LATE', 50, 300);
    const early = await lot(p, 'EARLY', 5, 40);
    const expired = await lot(p, 'EXPIRED', 100, -2);
    const recalled = await lot(p, 'RECALLED', 100, 10, true);
    const { id, itemIds } = await rx([{ code: PARACETAMOL, quantity: 21 }]);
    const first = await dispense(id, {
      items: [{ prescriptionItemId: itemIds[0], quantity: 8, inventoryItemId: late.itemId }],
      counsellingNote: 'Take with water; no more than 4 g a day',
    });
    expect(first.statusCode, first.body).toBe(201);
    const d = first.json<Dispense>();
    expect(d).toMatchObject({ completed: false, counsellingNote: 'Take with water; no more than 4 g a day' });
    expect(d.lines[0]!.lots.map((l) => [l.lotNumber, l.quantity])).toEqual([
      ['EARLY', 5],
      ['LATE', 3],
    ]);
    expect([
      await onHand(early.lotId),
      await onHand(late.lotId),
      await onHand(expired.lotId),
      await onHand(recalled.lotId),
    ]).toEqual([0, 47, 100, 100]);
    expect(await status(id)).toBe('active');
    expect((await entry(id)).items[0]).toMatchObject({ dispensed: 8, remaining: 13 });

    const over = await dispense(id, { items: [{ prescriptionItemId: itemIds[0], quantity: 14, inventoryItemId: late.itemId }] });
    expect(over.statusCode).toBe(409);
    expect(over.json().error).toMatchObject({ code: 'OVER_DISPENSE', details: [{ field: 'items/0/quantity' }] });

    const rest = await dispense(id, { items: [{ prescriptionItemId: itemIds[0], quantity: 13, inventoryItemId: late.itemId }] });
    expect(rest.statusCode, rest.body).toBe(201);
    expect(rest.json<Dispense>().completed).toBe(true);
    expect(await status(id)).toBe('completed');
    const again = await dispense(id, { items: [{ prescriptionItemId: itemIds[0], quantity: 1, inventoryItemId: late.itemId }] });
    expect(again.json().error.code).toBe('PRESCRIPTION_NOT_DISPENSABLE');

    const history = await pharmacist.req('GET', `/api/pharmacy/prescriptions/${id}/dispenses`, undefined, KIN);
    expect(history.json<{ data: Dispense[] }>().data.map((x) => x.lines[0]!.quantity)).toEqual([8, 13]);
    // the ledger says the same
    const ledger = await ctx.sql.query<{ n: number }>(
      `SELECT -sum(quantity)::int AS n FROM inventory_movements WHERE item_id = $1 AND kind = 'dispense'`,
      [late.itemId],
    );
    expect(ledger.rows[0]!.n).toBe(21);
  });

  it('all or nothing: one line short of stock leaves every lot and the prescription as they were', async () => {
    const a = product(IBUPROFEN);
    const b = product(METFORMIN);
    const la = await lot(a, 'IBU-1', 30, 100);
    const lb = await lot(b, 'MET-1', 2, 100);
    const { id, itemIds } = await rx([
      { code: IBUPROFEN, quantity: 10 },
      { code: METFORMIN, quantity: 60 },
    ]);
    const res = await dispense(id, {
      items: [
        { prescriptionItemId: itemIds[0], quantity: 10, inventoryItemId: la.itemId },
        { prescriptionItemId: itemIds[1], quantity: 5, inventoryItemId: lb.itemId },
      ],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'INSUFFICIENT_STOCK', details: [{ field: 'items/1/quantity' }] });
    expect([await onHand(la.lotId), await onHand(lb.lotId)]).toEqual([30, 2]);
    expect((await ctx.sql.query('SELECT 1 FROM dispenses WHERE prescription_id = $1', [id])).rowCount).toBe(0);
  });

  it('a generic substitution only where the prescriber allowed it, of the same medicine, recorded with its reason', async () => {
    // another maker's ibuprofen 400 mg tablet, as a clinic adds it to its formulary
    await ctx.sql.query(
      `INSERT INTO formulary_items (code, source, name, generic_name, ingredients, strength, form, route, search_text)
       VALUES ('local:brufen-400', 'local', 'Brufen 400 mg tablet', 'Ibuprofen', '{ibuprofen}', '400 mg', 'tablet', 'oral', 'brufen ibuprofen 400')
       ON CONFLICT (code) DO NOTHING`,
    );
    await lot(product(IBUPROFEN), 'SUB-P', 5, 100);
    const brand = await lot(product('local:brufen-400'), 'SUB-B', 20, 100);
    const other = product(PARACETAMOL);
    const paracetamol = await lot(other, 'SUB-O', 20, 100);

    const locked = await rx([{ code: IBUPROFEN, quantity: 10, substitutionAllowed: false }]);
    const refused = await dispense(locked.id, {
      items: [{ prescriptionItemId: locked.itemIds[0], quantity: 10, inventoryItemId: brand.itemId }],
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('SUBSTITUTION_NOT_ALLOWED');

    const open = await rx([{ code: IBUPROFEN, quantity: 10 }]);
    // the worklist offers the other maker's ibuprofen as a substitute, and never the paracetamol
    const listed = (await pharmacist.req('GET', '/api/pharmacy/worklist', undefined, KIN)).json<Worklist>();
    const stock = listed.data.find((e) => e.prescriptionId === open.id)!.items[0]!.stock;
    expect(stock.find((o) => o.inventoryItemId === brand.itemId)).toMatchObject({ substitute: true, available: 20 });
    expect(stock.some((o) => o.substitute === false)).toBe(true);
    expect(stock.some((o) => o.inventoryItemId === paracetamol.itemId)).toBe(false);
    // paracetamol is not ibuprofen: refused whatever the prescriber allowed, and nothing leaves the shelf
    const wrong = await dispense(open.id, {
      items: [{ prescriptionItemId: open.itemIds[0], quantity: 10, inventoryItemId: paracetamol.itemId }],
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details).toEqual([expect.objectContaining({ field: 'items/0/inventoryItemId' })]);
    expect(await onHand(paracetamol.lotId)).toBe(20);

    const ok = await dispense(open.id, {
      items: [
        { prescriptionItemId: open.itemIds[0], quantity: 10, inventoryItemId: brand.itemId, substitutionReason: 'Out of stock' },
      ],
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<Dispense>().lines[0]).toMatchObject({
      substituted: true,
      substitutionReason: 'Out of stock',
      prescribedName: expect.stringMatching(/ibuprofen/i),
    });
    expect(await onHand(brand.lotId)).toBe(10);
  });

  it('20 simultaneous dispenses of the last 10 units: exactly 10 leave, never below zero', async () => {
    const p = product(METFORMIN);
    const { itemId, lotId } = await lot(p, 'LAST-10', 10, 100);
    const rxs = await Promise.all(Array.from({ length: 20 }, () => rx([{ code: METFORMIN, quantity: 1 }])));
    const results = await Promise.all(
      rxs.map((r) => dispense(r.id, { items: [{ prescriptionItemId: r.itemIds[0], quantity: 1, inventoryItemId: itemId }] })),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(10);
    expect(results.filter((r) => r.statusCode === 409).map((r) => r.json().error.code)).toEqual(
      Array(10).fill('INSUFFICIENT_STOCK'),
    );
    expect(await onHand(lotId)).toBe(0);
    const ledger = await ctx.sql.query<{ n: number }>(
      'SELECT sum(quantity)::int AS n FROM inventory_movements WHERE lot_id = $1',
      [lotId],
    );
    expect(ledger.rows[0]!.n).toBe(0);
  });

  it("the pharmacist's own reservation is what the dispense takes; another's is not available", async () => {
    const p = product(PARACETAMOL);
    const { itemId, lotId } = await lot(p, 'RES-1', 6, 100);
    const { id, itemIds } = await rx([{ code: PARACETAMOL, quantity: 6 }]);
    const held = await pharmacist.req('POST', '/api/inventory/reservations', { lotId, quantity: 6, referenceId: id }, KIN);
    expect(held.statusCode, held.body).toBe(201);
    const other = await rx([{ code: PARACETAMOL, quantity: 1 }]);
    const blocked = await dispense(other.id, {
      items: [{ prescriptionItemId: other.itemIds[0], quantity: 1, inventoryItemId: itemId }],
    });
    expect(blocked.json().error.code).toBe('INSUFFICIENT_STOCK');
    const res = await dispense(id, { items: [{ prescriptionItemId: itemIds[0], quantity: 6, inventoryItemId: itemId }] });
    expect(res.statusCode, res.body).toBe(201);
    expect(await onHand(lotId)).toBe(0);
    expect((await ctx.sql.query('SELECT 1 FROM inventory_reservations WHERE lot_id = $1', [lotId])).rowCount).toBe(0);
  });

  it('without a product named, the stocked product of the prescribed formulary item; none stocked → 400 naming it', async () => {
    const { id, itemIds } = await rx([{ code: 'who-eml:folic-acid-1mg-tablet', quantity: 10 }]);
    const res = await dispense(id, { items: [{ prescriptionItemId: itemIds[0], quantity: 10 }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('items/0/inventoryItemId');
    const p = product('who-eml:folic-acid-1mg-tablet');
    await lot(p, 'FA-1', 10, 100);
    const ok = await dispense(id, { items: [{ prescriptionItemId: itemIds[0], quantity: 10 }] });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<Dispense>().lines[0]!.name).toBe(p.itemName);
  });

  it('only pharmacists dispense; a prescription of another clinic is none (404), audited as denied', async () => {
    const { id, itemIds } = await rx([{ code: PARACETAMOL, quantity: 1 }]);
    const body = { items: [{ prescriptionItemId: itemIds[0], quantity: 1 }] };
    expect((await dispense(id, body, nurse)).statusCode).toBe(403);
    const goma = await signedPrescription(ctx.sql, {
      patientId: ctx.ids.gomPatient,
      clinicId: ctx.ids.gom,
      prescriberId: ctx.ids.users['doctor.goma@sanita.test']!,
      items: [{ code: PARACETAMOL, quantity: 1 }],
    });
    const since = await lastAuditId(ctx.sql);
    const res = await dispense(goma.id, { items: [{ prescriptionItemId: goma.itemIds[0], quantity: 1 }] });
    expect(res.statusCode).toBe(404);
    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'prescription.dispense');
    expect(rows).toEqual([expect.objectContaining({ outcome: 'denied' })]);
    // an admin manages stock but does not dispense
    expect((await dispense(id, body, admin)).statusCode).toBe(403);
  });
});

describe('the label', () => {
  it("is a PDF of the dispense, audited; its instructions are in words in the patient's language", async () => {
    const p = product(PARACETAMOL);
    const { itemId } = await lot(p, 'LBL-1', 30, 100);
    const { id, itemIds } = await rx(
      [{ code: PARACETAMOL, quantity: 21, instructions: 'Après les repas' }],
      ctx.ids.kinPatient,
      'fr',
    );
    const d = (
      await dispense(id, { items: [{ prescriptionItemId: itemIds[0], quantity: 21, inventoryItemId: itemId }] })
    ).json<Dispense>();
    const since = await lastAuditId(ctx.sql);
    const res = await pharmacist.req('GET', `/api/pharmacy/dispenses/${d.id}/label.pdf`, undefined, KIN);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // what the patient reads: their name, the product, the dose in words in French, the lot, the advice
    const { pages, text } = await pdfText(res.rawPayload);
    expect(pages).toBe(1);
    const patient = (await entry(id)).patient;
    for (const part of [
      patient.name,
      p.itemName,
      'Quantité: 21 comprimés',
      'Prendre 1 comprimé trois fois par jour pendant 7 jours',
      'Après les repas',
      'Lot LBL-1',
      'Tenir hors de la portée des enfants.',
    ])
      expect(text).toContain(part);
    expect((await auditSince(ctx.sql, since)).filter((r) => r.action === 'dispense.label')).toEqual([
      expect.objectContaining({ outcome: 'success', patient_id: ctx.ids.kinPatient }),
    ]);
    const item = (await entry(id)).items[0]!;
    const words = labelInstructions({ ...item, id: item.prescriptionItemId, refills: 0, instructions: item.instructions }, 'fr');
    expect(words).toEqual(['Prendre 1 comprimé trois fois par jour pendant 7 jours', 'Après les repas']);
    expect(labelInstructions({ ...item, id: item.prescriptionItemId, refills: 0, instructions: null }, 'en')).toEqual([
      'Take 1 tablet three times a day for 7 days',
    ]);
  });
});
