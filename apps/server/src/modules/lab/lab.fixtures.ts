import crypto from 'node:crypto';
import type pg from 'pg';
import type { ReferenceRange } from '@sanita/contracts/lab';

// Test fixtures of the lab's tests and matrix rows: catalogue rows of their own (codes unique per
// call, so that the catalogue's shipped tests never clash), encounters in progress, orders at a step.

const YEAR = 365;
const range = (r: Partial<ReferenceRange>): ReferenceRange => ({
  sex: null,
  ageMinDays: 0,
  ageMaxDays: null,
  low: null,
  high: null,
  criticalLow: null,
  criticalHigh: null,
  ...r,
});

export interface LabFixtureTests {
  /** potassium, mmol/L, 3.5–5.1, critical ≤ 2.5 / ≥ 6.5; released without verification */
  k: string;
  /** glucose, mmol/L, 3.9–5.5; mg/dL converts */
  glu: string;
  /** haemoglobin, g/dL: women 12–16, men 13–17 from 18 years; children 11–14.5 under 18; needs verification */
  hgb: string;
  /** a panel of potassium and glucose */
  panel: string;
  /** malaria RDT, coded negative/positive (negative normal); whole blood */
  mal: string;
  /** a free-text comment test */
  note: string;
}

async function insertTest(
  sql: pg.Pool,
  v: {
    code: string;
    loinc?: string;
    name: string;
    kind?: 'test' | 'panel';
    specimen?: string;
    type?: 'numeric' | 'coded' | 'text';
    unit?: string | null;
    decimals?: number;
    answers?: unknown[];
    tat?: number;
    verify?: boolean;
    ranges?: ReferenceRange[];
  },
): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO lab_tests (code, loinc, name, kind, specimen_type, result_type, unit, decimals, answers, turnaround_hours,
       requires_verification, ranges, search_text)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, lower($3)) RETURNING id`,
    [
      v.code,
      v.loinc ?? null,
      v.name,
      v.kind ?? 'test',
      v.specimen ?? 'serum',
      v.type ?? 'numeric',
      v.unit === undefined ? 'mmol/L' : v.unit,
      v.decimals ?? 1,
      JSON.stringify(v.answers ?? []),
      v.tat ?? 24,
      v.verify ?? false,
      JSON.stringify(v.ranges ?? []),
    ],
  );
  return rows[0]!.id;
}

/** A small catalogue of its own. */
export async function labTests(sql: pg.Pool): Promise<LabFixtureTests> {
  const s = crypto.randomBytes(3).toString('hex').toUpperCase();
  const k = await insertTest(sql, {
    code: `K-${s}`,
    name: `Potassium ${s}`,
    loinc: '2823-3',
    tat: 6,
    ranges: [range({ low: 3.5, high: 5.1, criticalLow: 2.5, criticalHigh: 6.5 })],
  });
  const glu = await insertTest(sql, {
    code: `GLU-${s}`,
    name: `Glucose ${s}`,
    loinc: '2345-7',
    tat: 12,
    ranges: [range({ low: 3.9, high: 5.5, criticalLow: 2.2, criticalHigh: 25 })],
  });
  const hgb = await insertTest(sql, {
    code: `HGB-${s}`,
    name: `Haemoglobin ${s}`,
    unit: 'g/dL',
    specimen: 'whole_blood',
    verify: true,
    ranges: [
      range({ ageMinDays: 0, ageMaxDays: 18 * YEAR, low: 11, high: 14.5 }),
      range({ sex: 'female', ageMinDays: 18 * YEAR, low: 12, high: 16, criticalLow: 7 }),
      range({ sex: 'male', ageMinDays: 18 * YEAR, low: 13, high: 17, criticalLow: 7 }),
    ],
  });
  const panel = await insertTest(sql, { code: `BMP-${s}`, name: `Basic panel ${s}`, kind: 'panel', unit: null, tat: 48 });
  await sql.query(`INSERT INTO lab_panel_members (panel_id, test_id, position) VALUES ($1, $2, 0), ($1, $3, 1)`, [panel, k, glu]);
  const mal = await insertTest(sql, {
    code: `MAL-${s}`,
    name: `Malaria RDT ${s}`,
    type: 'coded',
    unit: null,
    specimen: 'whole_blood',
    tat: 1,
    answers: [
      { code: 'negative', en: 'Negative', fr: 'Négatif' },
      { code: 'positive', en: 'Positive', fr: 'Positif' },
    ],
    ranges: [range({ normalCodes: ['negative'] })],
  });
  const note = await insertTest(sql, {
    code: `NOTE-${s}`,
    name: `Smear comment ${s}`,
    type: 'text',
    unit: null,
    specimen: 'whole_blood',
  });
  return { k, glu, hgb, panel, mal, note };
}

/** An encounter of the patient at the clinic (in progress unless said), started by the demo doctor. */
export async function encounter(sql: pg.Pool, patientId: string, clinicId: string, status = 'in_progress'): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO encounters (clinic_id, patient_id, type, status, started_by)
     SELECT $1, $2, 'outpatient', $3, id FROM users WHERE email = 'doctor@sanita.test' RETURNING id`,
    [clinicId, patientId, status],
  );
  return rows[0]!.id;
}
