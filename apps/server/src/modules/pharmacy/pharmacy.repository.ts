import { sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { linkedToClinic } from '../../platform/patient-access.ts';

/** Whether the patient is registered at the clinic (the patient-access linkage) and not merged away. */
export async function patientAt(
  db: Executor,
  patientId: string,
  clinicId: string | null,
): Promise<{ linked: boolean; merged: boolean } | undefined> {
  const res = await db.execute<{ linked: boolean; merged: boolean }>(
    sql`SELECT ${linkedToClinic(sql`p.id`, clinicId)} AS linked, (p.status = 'merged') AS merged FROM patients p WHERE p.id = ${patientId}`,
  );
  return res.rows[0];
}

/** Units dispensed so far per prescription item, over every dispense. */
export async function dispensedByItem(db: Executor, prescriptionItemIds: string[]): Promise<Map<string, number>> {
  if (!prescriptionItemIds.length) return new Map();
  const res = await db.execute<{ id: string; q: number }>(
    sql`SELECT prescription_item_id AS id, sum(quantity)::int AS q FROM dispense_lines
        WHERE prescription_item_id = ANY(${sql.param(prescriptionItemIds)}::uuid[]) GROUP BY prescription_item_id`,
  );
  return new Map(res.rows.map((r) => [r.id, r.q]));
}

export async function insertDispense(
  db: Executor,
  v: { prescriptionId: string; patientId: string; clinicId: string; counsellingNote: string | null; userId: string },
): Promise<{ id: string }> {
  const res = await db.execute<{ id: string }>(
    sql`INSERT INTO dispenses (prescription_id, patient_id, clinic_id, counselling_note, dispensed_by)
        VALUES (${v.prescriptionId}, ${v.patientId}, ${v.clinicId}, ${v.counsellingNote}, ${v.userId}) RETURNING id`,
  );
  return res.rows[0]!;
}

export async function insertLine(
  db: Executor,
  v: {
    dispenseId: string;
    prescriptionItemId: string;
    inventoryItemId: string;
    quantity: number;
    substituted: boolean;
    substitutionReason: string | null;
  },
): Promise<string> {
  const res = await db.execute<{ id: string }>(
    sql`INSERT INTO dispense_lines (dispense_id, prescription_item_id, inventory_item_id, quantity, substituted, substitution_reason)
        VALUES (${v.dispenseId}, ${v.prescriptionItemId}, ${v.inventoryItemId}, ${v.quantity}, ${v.substituted}, ${v.substitutionReason})
        RETURNING id`,
  );
  return res.rows[0]!.id;
}

export async function markCompleted(db: Executor, dispenseId: string): Promise<void> {
  await db.execute(sql`UPDATE dispenses SET completed = TRUE WHERE id = ${dispenseId}`);
}

export type DispenseRow = {
  id: string;
  prescriptionId: string;
  patientId: string;
  clinicId: string;
  counsellingNote: string | null;
  completed: boolean;
  dispensedBy: string;
  dispensedByName: string;
  dispensedAt: Date | string;
};

export type LineRow = {
  id: string;
  dispenseId: string;
  prescriptionItemId: string;
  inventoryItemId: string;
  quantity: number;
  substituted: boolean;
  substitutionReason: string | null;
};

const dispenseColumns = sql`d.id, d.prescription_id AS "prescriptionId", d.patient_id AS "patientId", d.clinic_id AS "clinicId",
  d.counselling_note AS "counsellingNote", d.completed, d.dispensed_by AS "dispensedBy", u.display_name AS "dispensedByName",
  d.dispensed_at AS "dispensedAt"`;

/** A prescription's dispenses, oldest first. */
export async function dispensesOf(db: Executor, prescriptionId: string): Promise<DispenseRow[]> {
  const res = await db.execute<DispenseRow>(
    sql`SELECT ${dispenseColumns} FROM dispenses d JOIN users u ON u.id = d.dispensed_by
        WHERE d.prescription_id = ${prescriptionId} ORDER BY d.dispensed_at, d.id`,
  );
  return res.rows;
}

export async function dispenseById(db: Executor, id: string): Promise<DispenseRow | undefined> {
  const res = await db.execute<DispenseRow>(
    sql`SELECT ${dispenseColumns} FROM dispenses d JOIN users u ON u.id = d.dispensed_by WHERE d.id = ${id}`,
  );
  return res.rows[0];
}

/** The lines of dispenses (what each gave for a prescription item). */
export async function linesOf(db: Executor, dispenseIds: string[]): Promise<LineRow[]> {
  if (!dispenseIds.length) return [];
  const res = await db.execute<LineRow>(
    sql`SELECT dl.id, dl.dispense_id AS "dispenseId", dl.prescription_item_id AS "prescriptionItemId",
          dl.inventory_item_id AS "inventoryItemId", dl.quantity, dl.substituted, dl.substitution_reason AS "substitutionReason"
        FROM dispense_lines dl WHERE dl.dispense_id = ANY(${sql.param(dispenseIds)}::uuid[]) ORDER BY dl.dispense_id, dl.id`,
  );
  return res.rows;
}

export async function clinicName(db: Executor, clinicId: string): Promise<string> {
  const res = await db.execute<{ name: string }>(sql`SELECT name FROM clinics WHERE id = ${clinicId}`);
  return res.rows[0]?.name ?? '';
}

/** A merged duplicate's dispenses move to the surviving record (their prescriptions move with medications' hook). */
export async function moveDispenses(db: Executor, fromId: string, toId: string): Promise<void> {
  await db.execute(sql`UPDATE dispenses SET patient_id = ${toId} WHERE patient_id = ${fromId}`);
}
