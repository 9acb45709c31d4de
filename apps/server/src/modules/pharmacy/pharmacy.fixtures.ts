import { randomBytes } from 'node:crypto';
import type pg from 'pg';

// Test fixtures of the pharmacy's tests and matrix rows: signed prescriptions and stocked lots,
// written behind the API's back (as the prescriber's signing would leave them).

export interface RxItemFixture {
  /** the formulary product's code ('who-eml:paracetamol-500mg-tablet') */
  code: string;
  quantity: number;
  substitutionAllowed?: boolean;
  instructions?: string;
}

/** An active (signed) prescription of the patient at the clinic; its items in order. */
export async function signedPrescription(
  sql: pg.Pool,
  v: { patientId: string; clinicId: string; prescriberId: string; items: RxItemFixture[]; language?: 'en' | 'fr' },
): Promise<{ id: string; itemIds: string[] }> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO prescriptions (patient_id, clinic_id, prescriber_id, status, language) VALUES ($1, $2, $3, 'draft', $4) RETURNING id`,
    [v.patientId, v.clinicId, v.prescriberId, v.language ?? 'en'],
  );
  const id = rows[0]!.id;
  const itemIds: string[] = [];
  for (const [position, item] of v.items.entries()) {
    const res = await sql.query<{ id: string }>(
      `INSERT INTO prescription_items (prescription_id, position, formulary_item_id, name, ingredients, route, dose_amount, dose_unit,
         frequency, duration_days, quantity, quantity_unit, instructions, substitution_allowed)
       SELECT $1, $2, f.id, f.name, f.ingredients, 'oral', 1, 'tablet', '{"kind":"times_per_day","times":3,"asNeeded":false}', 7, $4,
         'tablet', $5, $6
       FROM formulary_items f WHERE f.code = $3 RETURNING id`,
      [id, position, item.code, item.quantity, item.instructions ?? null, item.substitutionAllowed ?? true],
    );
    if (!res.rows[0]) throw new Error(`no formulary product ${item.code}`);
    itemIds.push(res.rows[0].id);
  }
  await sql.query(
    `UPDATE prescriptions SET status = 'active', signed_at = now(), expires_at = now() + interval '30 days', verification_code = $2
     WHERE id = $1`,
    [
      id,
      randomBytes(9)
        .toString('base64')
        .replace(/[^A-Z0-9]/gi, 'X')
        .toUpperCase()
        .slice(0, 12),
    ],
  );
  return { id, itemIds };
}

/** The inventory item of a formulary product (created once per code and database), and a lot of it at the clinic. */
export async function stockedLot(
  sql: pg.Pool,
  v: {
    clinicId: string;
    userId: string;
    code: string;
    lotNumber: string;
    quantity: number;
    expiresInDays: number;
    recalled?: boolean;
    itemName?: string;
  },
): Promise<{ itemId: string; lotId: string }> {
  const name = v.itemName ?? `Stock of ${v.code}`;
  const found = await sql.query<{ id: string }>(`SELECT id FROM inventory_items WHERE name = $1`, [name]);
  const itemId =
    found.rows[0]?.id ??
    (
      await sql.query<{ id: string }>(
        `INSERT INTO inventory_items (kind, name, unit, formulary_item_id, created_by, updated_by)
         SELECT 'medication', $1, 'tablet', f.id, $3, $3 FROM formulary_items f WHERE f.code = $2 RETURNING id`,
        [name, v.code, v.userId],
      )
    ).rows[0]!.id;
  const lot = await sql.query<{ id: string }>(
    `INSERT INTO inventory_lots (clinic_id, item_id, lot_number, expires_on, unit_cost, recalled_at, recall_reason)
     VALUES ($1, $2, $3, current_date + $4::int, 0.05, $5, $6) RETURNING id`,
    [v.clinicId, itemId, v.lotNumber, v.expiresInDays, v.recalled ? new Date() : null, v.recalled ? 'Recall' : null],
  );
  const lotId = lot.rows[0]!.id;
  await sql.query(
    `WITH l AS (UPDATE inventory_lots SET on_hand = $2 WHERE id = $1 RETURNING id, item_id, clinic_id)
     INSERT INTO inventory_movements (clinic_id, item_id, lot_id, kind, quantity, balance_after, created_by)
     SELECT clinic_id, item_id, id, 'receive', $2, $2, $3 FROM l`,
    [lotId, v.quantity, v.userId],
  );
  return { itemId, lotId };
}
