// The laboratory catalogue's SQL: the shipped tests and panels loaded at start, search, reads with the
// active clinic's price, administrators' edits and their revisions, clinic prices and lab settings.
import { sql, type SQL } from 'drizzle-orm';
import { LAB_CATALOGUE } from '@sanita/clinical/lab/catalogue.gen';
import type { ShippedLabTest } from '@sanita/clinical/lab/catalogue';
import type { CodedAnswer, ReferenceRange } from '@sanita/contracts/lab';
import { labTests } from '../../db/schema/lab.ts';
import type { Db, Executor } from '../../platform/db/database.ts';

export type LabTestRow = typeof labTests.$inferSelect;
export type LabTestWithPrice = LabTestRow & { price: string | null; currency: string | null };
export type MemberRow = {
  panelId: string;
  id: string;
  code: string;
  name: string;
  kind: string;
};

/** Lower case, accents folded, spaces collapsed: what search text is compared in. */
export function searchKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}%.+/ -]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The words a test is found by: its code, LOINC codes, names in both languages and LOINC's name. */
export function testSearchText(t: {
  code: string;
  loinc: string | null;
  name: string;
  nameFr: string | null;
  alsoLoinc?: readonly string[];
  loincName?: string | null;
}): string {
  return searchKey([t.code, t.loinc ?? '', ...(t.alsoLoinc ?? []), t.name, t.nameFr ?? '', t.loincName ?? ''].join(' '));
}

// ------------------------------------------------------------------ shipped rows

const SHIPPED = new Map(LAB_CATALOGUE.map((t) => [t.code, t]));
/** LOINC code → the shipped code whose results arrive under it (its own code and the other codes of the same observation) */
const SHIPPED_LOINC = new Map<string, string>(
  LAB_CATALOGUE.flatMap((t) => [t.loinc, ...t.alsoLoinc].filter((l): l is string => !!l).map((l) => [l, t.code] as const)),
);

const shippedRow = (t: ShippedLabTest) => ({
  code: t.code,
  loinc: t.loinc,
  name: t.name,
  name_fr: t.nameFr,
  kind: t.kind,
  specimen_type: t.specimenType,
  result_type: t.resultType,
  unit: t.unit,
  decimals: t.decimals,
  answers: t.answers,
  turnaround_hours: t.turnaroundHours,
  requires_verification: t.requiresVerification,
  ranges: t.ranges,
  search_text: testSearchText(t),
});
const RECORDSET = sql.raw(`x(code text, loinc text, name text, name_fr text, kind text, specimen_type text, result_type text,
                             unit text, decimals smallint, answers jsonb, turnaround_hours int, requires_verification boolean,
                             ranges jsonb, search_text text)`);

/**
 * The shipped tests and panels (@sanita/clinical's catalogue.gen.ts), at each start, in a few statements:
 * a shipped row nobody has edited (version 1) follows the release (names, units, ranges…); a missing one
 * is inserted by its code; a panel nobody has edited gets the release's members. An administrator's
 * edit is never overwritten, nor a local test of the same code. Returns the rows inserted.
 */
export async function loadLabCatalogue(db: Db): Promise<number> {
  const rows = JSON.stringify(LAB_CATALOGUE.map(shippedRow));
  return db.transaction(async (tx) => {
    await tx.execute(sql`
      UPDATE lab_tests t
         SET loinc = x.loinc, name = x.name, name_fr = x.name_fr, kind = x.kind, specimen_type = x.specimen_type,
             result_type = x.result_type, unit = x.unit, decimals = x.decimals, answers = x.answers,
             turnaround_hours = x.turnaround_hours, requires_verification = x.requires_verification, ranges = x.ranges,
             search_text = x.search_text, updated_at = now()
        FROM jsonb_to_recordset(${rows}::jsonb) AS ${RECORDSET}
       WHERE t.code = x.code AND t.shipped AND t.version = 1
         AND (t.loinc, t.name, t.name_fr, t.kind, t.specimen_type, t.result_type, t.unit, t.decimals, t.answers,
              t.turnaround_hours, t.requires_verification, t.ranges, t.search_text)
             IS DISTINCT FROM
             (x.loinc, x.name, x.name_fr, x.kind, x.specimen_type, x.result_type, x.unit, x.decimals, x.answers,
              x.turnaround_hours, x.requires_verification, x.ranges, x.search_text)`);
    const inserted = await tx.execute(sql`
      INSERT INTO lab_tests (code, loinc, name, name_fr, kind, specimen_type, result_type, unit, decimals, answers,
                             turnaround_hours, requires_verification, ranges, search_text, shipped)
      SELECT x.code, x.loinc, x.name, x.name_fr, x.kind, x.specimen_type, x.result_type, x.unit, x.decimals, x.answers,
             x.turnaround_hours, x.requires_verification, x.ranges, x.search_text, true
        FROM jsonb_to_recordset(${rows}::jsonb) AS ${RECORDSET}
      ON CONFLICT (code) DO NOTHING`);
    // the members of shipped panels nobody has edited: the release's, in its order
    const members = JSON.stringify(
      LAB_CATALOGUE.flatMap((p) => p.members.map((m, i) => ({ panel: p.code, test: m, position: i + 1 }))),
    );
    await tx.execute(sql`
      WITH shipped AS (
        SELECT p.id AS panel_id, t.id AS test_id, x.position
          FROM jsonb_to_recordset(${members}::jsonb) AS x(panel text, test text, position smallint)
          JOIN lab_tests p ON p.code = x.panel AND p.shipped AND p.version = 1 AND p.kind = 'panel'
          JOIN lab_tests t ON t.code = x.test AND t.kind = 'test'),
      gone AS (
        DELETE FROM lab_panel_members m
         USING lab_tests p
         WHERE p.id = m.panel_id AND p.shipped AND p.version = 1
           AND NOT EXISTS (SELECT 1 FROM shipped s WHERE s.panel_id = m.panel_id AND s.test_id = m.test_id))
      INSERT INTO lab_panel_members (panel_id, test_id, position)
      SELECT panel_id, test_id, position FROM shipped
      ON CONFLICT (panel_id, test_id) DO UPDATE SET position = excluded.position
        WHERE lab_panel_members.position <> excluded.position`);
    return inserted.rowCount ?? 0;
  });
}

/** The shipped code whose results arrive under this LOINC code (another method or system of the same observation included). */
export const shippedCodeOfLoinc = (loinc: string): string | undefined => SHIPPED_LOINC.get(loinc);
export const isShippedCode = (code: string): boolean => SHIPPED.has(code);
/** What else a shipped test is found by (LOINC's name, its other LOINC codes), kept when an administrator edits it. */
export const shippedExtras = (code: string) => {
  const t = SHIPPED.get(code);
  return { alsoLoinc: t?.alsoLoinc ?? [], loincName: t?.loincName ?? null };
};

// ------------------------------------------------------------------ reads

const withPrice = (clinicId: string | null) => sql`
  SELECT t.*, p.price::text AS price, p.currency
    FROM lab_tests t
    LEFT JOIN lab_test_prices p ON p.test_id = t.id AND p.clinic_id = ${clinicId ?? null}::uuid`;

type RawRow = {
  id: string;
  code: string;
  loinc: string | null;
  name: string;
  name_fr: string | null;
  kind: 'test' | 'panel';
  specimen_type: LabTestRow['specimenType'];
  result_type: LabTestRow['resultType'];
  unit: string | null;
  decimals: number;
  answers: CodedAnswer[];
  turnaround_hours: number;
  requires_verification: boolean;
  ranges: ReferenceRange[];
  active: boolean;
  shipped: boolean;
  search_text: string;
  version: number;
  created_at: Date | string;
  created_by: string | null;
  updated_at: Date | string;
  updated_by: string | null;
  price: string | null;
  currency: string | null;
};
const toRow = (r: RawRow): LabTestWithPrice => ({
  id: r.id,
  code: r.code,
  loinc: r.loinc,
  name: r.name,
  nameFr: r.name_fr,
  kind: r.kind,
  specimenType: r.specimen_type,
  resultType: r.result_type,
  unit: r.unit,
  decimals: r.decimals,
  answers: r.answers,
  turnaroundHours: r.turnaround_hours,
  requiresVerification: r.requires_verification,
  ranges: r.ranges,
  active: r.active,
  shipped: r.shipped,
  searchText: r.search_text,
  version: r.version,
  createdAt: new Date(r.created_at),
  createdBy: r.created_by,
  updatedAt: new Date(r.updated_at),
  updatedBy: r.updated_by,
  price: r.price,
  currency: r.currency,
});

/** Escapes LIKE's wildcards. */
const escapeLike = (w: string) => w.replace(/[\\%_]/g, (c) => `\\${c}`);
/** How alike a typed word must be to a word of the test (trigram word similarity) to count as a typo of it. */
const WORD_SIMILARITY = 0.5;

/**
 * Tests and panels whose code, LOINC codes or names hold every typed word (as written, or close enough
 * to be a typo): an exact code or LOINC code first, then names that begin with the first word, then the
 * best matches; with no words, the catalogue by name.
 */
export async function searchTests(
  db: Executor,
  clinicId: string | null,
  q: { text: string; words: string[]; kind?: 'test' | 'panel'; includeInactive?: boolean; limit: number },
): Promise<LabTestWithPrice[]> {
  const conditions: SQL[] = [];
  const scores: SQL[] = [];
  for (const w of q.words) {
    const like = `%${escapeLike(w)}%`;
    conditions.push(sql`(t.search_text LIKE ${like} OR word_similarity(${w}, t.search_text) >= ${WORD_SIMILARITY})`);
    scores.push(sql`greatest(word_similarity(${w}, t.search_text), CASE WHEN t.search_text LIKE ${like} THEN 1 ELSE 0 END)`);
  }
  if (q.kind) conditions.push(sql`t.kind = ${q.kind}`);
  if (!q.includeInactive) conditions.push(sql`t.active`);
  const order: SQL[] = [];
  if (q.words.length) {
    const exact = q.text.trim();
    order.push(sql`(lower(t.code) = lower(${exact}) OR t.loinc IS NOT DISTINCT FROM ${exact}) DESC`);
    order.push(sql`(' ' || t.search_text LIKE ${`% ${escapeLike(q.words[0]!)}%`}) DESC`);
    order.push(sql`(${sql.join(scores, sql` + `)}) DESC`);
  }
  order.push(sql`t.name`, sql`t.id`);
  const where = conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
  const { rows } = await db.execute<RawRow>(
    sql`${withPrice(clinicId)} ${where} ORDER BY ${sql.join(order, sql`, `)} LIMIT ${q.limit}`,
  );
  return rows.map(toRow);
}

export async function testsByIds(db: Executor, ids: string[], clinicId: string | null): Promise<LabTestWithPrice[]> {
  if (!ids.length) return [];
  const { rows } = await db.execute<RawRow>(sql`${withPrice(clinicId)} WHERE t.id = ANY(${sql.param(ids)}::uuid[])`);
  return rows.map(toRow);
}

/** A test's row by a column's value (its code, exact; or its LOINC code, a test before a panel), active ones unless asked. */
export async function testBy(
  db: Executor,
  by: 'code' | 'loinc',
  value: string,
  clinicId: string | null,
  includeInactive = false,
): Promise<LabTestWithPrice | undefined> {
  const col = by === 'code' ? sql`t.code = ${value}` : sql`t.loinc = ${value}`;
  const active = includeInactive ? sql`` : sql`AND t.active`;
  const { rows } = await db.execute<RawRow>(
    sql`${withPrice(clinicId)} WHERE ${col} ${active} ORDER BY (t.kind = 'test') DESC, t.code LIMIT 1`,
  );
  return rows[0] && toRow(rows[0]);
}

/** The members of these panels, in report order. */
export async function membersOf(db: Executor, panelIds: string[]): Promise<Map<string, MemberRow[]>> {
  const out = new Map<string, MemberRow[]>();
  if (!panelIds.length) return out;
  const { rows } = await db.execute<MemberRow>(sql`
    SELECT m.panel_id AS "panelId", t.id, t.code, t.name, t.kind
      FROM lab_panel_members m JOIN lab_tests t ON t.id = m.test_id
     WHERE m.panel_id = ANY(${sql.param(panelIds)}::uuid[])
     ORDER BY m.panel_id, m.position, t.code`);
  for (const r of rows) out.set(r.panelId, [...(out.get(r.panelId) ?? []), r]);
  return out;
}

// ------------------------------------------------------------------ writes

export async function lockTest(db: Executor, id: string): Promise<LabTestRow | undefined> {
  const { rows } = await db.execute<RawRow>(sql`${withPrice(null)} WHERE t.id = ${id} FOR UPDATE OF t`);
  return rows[0] && toRow(rows[0]);
}

export async function codeTaken(db: Executor, code: string, exceptId: string | null): Promise<boolean> {
  const { rows } = await db.execute(
    sql`SELECT 1 FROM lab_tests WHERE lower(code) = lower(${code}) AND id IS DISTINCT FROM ${exceptId}::uuid`,
  );
  return rows.length > 0;
}

export async function insertTest(db: Executor, row: typeof labTests.$inferInsert): Promise<string> {
  const [stored] = await db.insert(labTests).values(row).returning({ id: labTests.id });
  return stored!.id;
}

export async function updateTest(db: Executor, id: string, set: Partial<typeof labTests.$inferInsert>): Promise<void> {
  await db
    .update(labTests)
    .set({ ...set, updatedAt: sql`now()` })
    .where(sql`${labTests.id} = ${id}`);
}

export async function setMembers(db: Executor, panelId: string, testIds: string[]): Promise<void> {
  await db.execute(sql`DELETE FROM lab_panel_members WHERE panel_id = ${panelId}`);
  if (!testIds.length) return;
  await db.execute(sql`
    INSERT INTO lab_panel_members (panel_id, test_id, position)
    SELECT ${panelId}, m.id, m.position FROM unnest(${sql.param(testIds)}::uuid[]) WITH ORDINALITY AS m(id, position)`);
}

export async function insertRevision(
  db: Executor,
  r: {
    testId: string;
    version: number;
    action: 'created' | 'updated';
    changes: Record<string, { before: unknown; after: unknown }>;
    by: string;
  },
): Promise<void> {
  await db.execute(sql`
    INSERT INTO lab_test_revisions (test_id, version, action, changes, changed_by)
    VALUES (${r.testId}, ${r.version}, ${r.action}, ${JSON.stringify(r.changes)}::jsonb, ${r.by})`);
}

export async function revisionsOf(db: Executor, testId: string) {
  const { rows } = await db.execute<{
    version: number;
    at: Date | string;
    by_id: string | null;
    by_name: string | null;
    changes: Record<string, { before: unknown; after: unknown }>;
  }>(sql`
    SELECT r.version, r.changed_at AS at, r.changed_by AS by_id, u.display_name AS by_name, r.changes
      FROM lab_test_revisions r LEFT JOIN users u ON u.id = r.changed_by
     WHERE r.test_id = ${testId}
     ORDER BY r.version, r.changed_at`);
  return rows;
}

/** The clinic's price of a test in the clinic's currency (its first); null removes it. */
export async function setPrice(db: Executor, clinicId: string, testId: string, price: string | null, by: string): Promise<void> {
  if (price === null) {
    await db.execute(sql`DELETE FROM lab_test_prices WHERE clinic_id = ${clinicId} AND test_id = ${testId}`);
    return;
  }
  await db.execute(sql`
    INSERT INTO lab_test_prices (clinic_id, test_id, price, currency, updated_by)
    SELECT c.id, ${testId}, ${price}::numeric, c.currencies[1], ${by} FROM clinics c WHERE c.id = ${clinicId}
    ON CONFLICT (clinic_id, test_id)
    DO UPDATE SET price = excluded.price, currency = excluded.currency, updated_at = now(), updated_by = excluded.updated_by`);
}

/**
 * Prices for many tests of a clinic by code (the demo seed; tests): inserted or replaced in one
 * statement, in the clinic's currency.
 */
export async function setPricesByCode(db: Executor, clinicId: string, prices: Record<string, string>, by: string | null) {
  const rows = JSON.stringify(Object.entries(prices).map(([code, price]) => ({ code, price })));
  const res = await db.execute(sql`
    INSERT INTO lab_test_prices (clinic_id, test_id, price, currency, updated_by)
    SELECT c.id, t.id, x.price::numeric, c.currencies[1], ${by}::uuid
      FROM jsonb_to_recordset(${rows}::jsonb) AS x(code text, price text)
      JOIN lab_tests t ON t.code = x.code
      JOIN clinics c ON c.id = ${clinicId}
    ON CONFLICT (clinic_id, test_id)
    DO UPDATE SET price = excluded.price, currency = excluded.currency, updated_at = now(), updated_by = excluded.updated_by`);
  return res.rowCount ?? 0;
}

export async function settingsOf(db: Executor, clinicId: string): Promise<{ criticalEscalationMinutes: number } | undefined> {
  const { rows } = await db.execute<{ minutes: number }>(
    sql`SELECT critical_escalation_minutes AS minutes FROM lab_settings WHERE clinic_id = ${clinicId}`,
  );
  return rows[0] && { criticalEscalationMinutes: rows[0].minutes };
}

export async function putSettings(db: Executor, clinicId: string, minutes: number, by: string): Promise<void> {
  await db.execute(sql`
    INSERT INTO lab_settings (clinic_id, critical_escalation_minutes, updated_by) VALUES (${clinicId}, ${minutes}, ${by})
    ON CONFLICT (clinic_id)
    DO UPDATE SET critical_escalation_minutes = excluded.critical_escalation_minutes, updated_at = now(), updated_by = excluded.updated_by`);
}

/**
 * Prices the demo sets at its clinics (in their first currency, USD): common tests and panels at what a
 * private clinic in Kinshasa might charge; HIV testing free, as national programmes make it. The
 * catalogue ships no price: each clinic sets its own.
 */
export const DEMO_LAB_PRICES: Readonly<Record<string, string>> = {
  CBC: '8.00',
  BMP: '15.00',
  CMP: '22.00',
  ELEC: '10.00',
  LFT: '14.00',
  LIPID: '12.00',
  UA: '4.00',
  'MAL-RDT': '2.50',
  'MAL-SMEAR': '3.00',
  HIV: '0.00',
  HBA1C: '10.00',
  GLU: '2.00',
  'GLU-CAP': '1.00',
  CREAT: '4.00',
  K: '4.00',
  NA: '4.00',
  HGB: '2.00',
  CRP: '6.00',
  UPT: '2.00',
  RPR: '3.00',
  HBSAG: '4.00',
  TSH: '12.00',
};

/** The demo seed: DEMO_LAB_PRICES at a clinic (returns the prices set). */
export const seedDemoLabPrices = (db: Executor, clinicId: string): Promise<number> =>
  setPricesByCode(db, clinicId, DEMO_LAB_PRICES, null);
