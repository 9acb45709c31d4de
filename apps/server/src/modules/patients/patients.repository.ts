import { and, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type pg from 'pg';
import type { Executor } from '../../platform/db/database.ts';
import { auditInsert, auditPlaceholders, auditRow, auditValues, type AuditActor } from '../../platform/audit/audit.ts';
import { namedByShape, namedStatement, runNamedOnPool } from '../../platform/db/queries.ts';
import { linkedToClinic, registerAtClinic } from '../../platform/patient-access.ts';
import { patients } from '../../db/schema/patients.ts';
import { users } from '../../db/schema/identity.ts';
import { auditLog } from '../../db/schema/audit.ts';

export type PatientRow = typeof patients.$inferSelect;
export type NewPatientRow = typeof patients.$inferInsert;
/** The columns a record's reader sees: without the derived search columns. */
export type PatientRecord = Omit<
  PatientRow,
  'searchName' | 'phoneKeys' | 'nationalIdHash' | 'nameWords' | 'searchPhonetic' | 'createdBy'
>;

const summaryColumns = sql`p.id, p.mrn, p.given_name AS "givenName", p.middle_name AS "middleName", p.family_name AS "familyName",
  p.sex, p.birth_date AS "birthDate", p.phones, p.status, p.primary_clinic_id AS "primaryClinicId"`;

export type SummaryRow = {
  id: string;
  mrn: string;
  givenName: string;
  middleName: string | null;
  familyName: string;
  sex: 'female' | 'male' | 'other' | 'unknown';
  birthDate: string;
  phones: string[];
  status: 'active' | 'deceased' | 'merged';
  primaryClinicId: string;
};

/** The clinic's MRN prefix and the next MRN number, in one round trip; undefined if there is no such clinic. */
export async function allocateMrn(db: Executor, clinicId: string): Promise<{ prefix: string; seq: number } | undefined> {
  const res = await db.execute<{ prefix: string; seq: number }>(
    sql`SELECT c.mrn_prefix AS prefix, nextval('patient_mrn_seq')::bigint AS seq FROM clinics c WHERE c.id = ${clinicId}::uuid`,
  );
  return res.rows[0];
}

const patientColumns = Object.entries(getTableColumns(patients));

/**
 * Inserts a patient, registers them at `clinicId` and writes the audit row of `action`, in one
 * statement: atomic on its own, and one round trip.
 */
export async function insertPatientAudited(
  db: Executor,
  row: NewPatientRow & { id: string },
  clinicId: string,
  actor: AuditActor,
  audit: { action: string; details: Record<string, unknown> },
): Promise<PatientRow> {
  const insert = db.insert(patients).values(row).returning();
  const res = await db.execute<Record<string, unknown>>(sql`
    WITH p AS (${insert.getSQL()}),
    link AS (${registerAtClinic(sql`p.id`, clinicId, sql`FROM p`)}),
    a AS (${auditInsert(
      {
        ...auditRow(actor, { action: audit.action, resourceType: 'patient', details: audit.details }),
        patientId: sql`p.id`,
        resourceId: sql`p.id::text`,
      },
      sql`FROM p`,
    )})
    SELECT * FROM p`);
  // the statement returns column names: map them back to the table's fields, as the query builder would
  const raw = res.rows[0]!;
  return Object.fromEntries(
    patientColumns.map(([key, col]) => [key, raw[col.name] === null ? null : col.mapFromDriverValue(raw[col.name])]),
  ) as PatientRow;
}

/**
 * The patient and whether it is registered at `clinicId`, in one query; prepared, since every
 * chart, edit and merge starts with it.
 */
export async function findPatientWithLink(
  db: Executor,
  id: string,
  clinicId: string | null,
): Promise<{ patient: PatientRow; linked: boolean } | undefined> {
  const [row] = await db
    .select({
      patient: patients,
      linked: sql<boolean>`${linkedToClinic(patients.id, sql.placeholder('clinicId'))}`,
    })
    .from(patients)
    .where(eq(patients.id, sql.placeholder('id')))
    .limit(1)
    .prepare('patient_with_link')
    .execute({ id, clinicId });
  return row;
}

/** The active (or deceased) record of an MRN, for interfaces. */
export async function findByMrn(
  db: Executor,
  mrn: string,
): Promise<{ id: string; mrn: string; primaryClinicId: string } | undefined> {
  const [row] = await db
    .select({ id: patients.id, mrn: patients.mrn, primaryClinicId: patients.primaryClinicId })
    .from(patients)
    .where(and(eq(patients.mrn, mrn), sql`${patients.status} <> 'merged'`))
    .limit(1);
  return row;
}

export interface SearchFilters {
  nameTokens?: string[];
  mrn?: string;
  phoneKey?: string;
  birthDate?: string;
  nationalIdHash?: string;
  /** a digits-only query could be a phone number or a national ID */
  phoneOrNationalId?: { phoneKey: string; nationalIdHash: string };
  /** when set, only patients registered at this clinic */
  clinicId: string | null;
  /** rows to return (the service asks for one more than it shows, to know whether a next page exists) */
  limit: number;
  offset: number;
}

/** How many rows the fuzzy tier of a name search ranks: enough to fill a few pages. */
export const NAME_CANDIDATES = 100;

/**
 * The `patient_name_keys` key an exact search reads for distinct typed words: the word, or the
 * first two in code-point order (as migration 0013 builds them); further words filter.
 */
function nameKey([a, b]: string[]): string {
  if (b === undefined) return a!;
  return a! < b ? `${a} ${b}` : `${b} ${a}`;
}

/**
 * Search, and the audit row that records it, in one statement: one round trip, one transaction,
 * planned once per connection (a named statement per query shape).
 *
 * With a name, two tiers: first the patients whose name contains every typed word exactly, in name
 * order, read page by page from `patient_name_keys` (one typed word, or the first two as a pair)
 * so that a family name shared by thousands costs one page of index entries; then — only when those
 * do not fill the page — the patients whose name words look like (trigram word similarity), sound
 * like (Double Metaphone) or begin with each typed word, best match first. That tier corrects
 * spelling the way a spell checker does: each typed word is looked up in the vocabulary of name
 * words (`patient_name_words`, one row per distinct word, kept by triggers), and the patients are
 * found by the words it gives on the GIN index of name words, so no name is compared row by row.
 * It ranks at most NAME_CANDIDATES rows, so a very common name costs the same as a rare one.
 */
export async function searchPatientsAudited(
  pool: pg.Pool,
  f: SearchFilters,
  audit: { actor: AuditActor; shown: number; details: Record<string, unknown> },
): Promise<SummaryRow[]> {
  const where: SQL[] = [sql`p.status <> 'merged'`];
  if (f.mrn) where.push(sql`p.mrn = ${f.mrn}`);
  if (f.phoneKey) where.push(sql`p.phone_keys @> ARRAY[${f.phoneKey}]::text[]`);
  if (f.birthDate) where.push(sql`p.birth_date = ${f.birthDate}::date`);
  if (f.nationalIdHash) where.push(sql`p.national_id_hash = ${f.nationalIdHash}`);
  if (f.phoneOrNationalId)
    where.push(
      sql`(p.phone_keys @> ARRAY[${f.phoneOrNationalId.phoneKey}]::text[] OR p.national_id_hash = ${f.phoneOrNationalId.nationalIdHash})`,
    );
  if (f.clinicId) where.push(linkedToClinic(sql`p.id`, f.clinicId));
  const filters = sql.join(where, sql` AND `);

  let found: SQL;
  if (f.nameTokens?.length) {
    const words = sql`${sql.param(f.nameTokens)}::text[]`;
    // each typed word: the words of the vocabulary that look like it (trigram word similarity at the
    // session's threshold), sound like it (same Double Metaphone code) or begin with it (tokens hold
    // only letters and digits, so the LIKE pattern has no wildcard but the final %); then the patients
    // with one of those words for every typed word, through the GIN index on name_words
    const fuzzy = sql.join(
      f.nameTokens.map(
        (t) => sql`p.name_words && ARRAY(SELECT v.word FROM patient_name_words v
             WHERE ${t}::text <% v.word OR v.phonetic = nullif(dmetaphone(${t}::text), '') OR v.word LIKE ${t}::text || '%')`,
      ),
      sql` AND `,
    );
    // the key holds one or two of the words: only a third word and more filter further (a filter the
    // planner cannot estimate would make it sort every match instead of reading the key in order)
    const distinct = [...new Set(f.nameTokens)];
    const narrow = distinct.length > 2 ? sql`p.name_words @> ${words}` : sql`true`;
    found = sql`
      exact AS (
        SELECT ${summaryColumns}, 1::float8 AS score, 0 AS tier
          FROM patient_name_keys k JOIN patients p ON p.id = k.patient_id
         WHERE k.key = ${nameKey(distinct)} AND ${narrow} AND ${filters}
         ORDER BY k.family_name, k.given_name, k.patient_id
         LIMIT ${f.offset + f.limit}),
      close AS (
        SELECT ${summaryColumns}, word_similarity(${f.nameTokens.join(' ')}, p.search_name)::float8 AS score, 1 AS tier FROM patients p
         WHERE (SELECT count(*) FROM exact) < ${f.offset + f.limit}
           AND ${fuzzy} AND NOT (p.name_words @> ${words}) AND ${filters} LIMIT ${NAME_CANDIDATES}),
      found AS (SELECT * FROM exact UNION ALL SELECT * FROM close)`;
  } else {
    found = sql`found AS (SELECT ${summaryColumns}, 1::float8 AS score, 0 AS tier FROM patients p WHERE ${filters})`;
  }
  // the audit row lists the ids shown, counted and gathered by the statement itself
  const row = {
    ...auditRow(audit.actor, { action: 'patient.search' }),
    details: sql`${JSON.stringify(audit.details)}::jsonb
               || jsonb_build_object('results', count(*), 'ids', coalesce(jsonb_agg(id), '[]'::jsonb))`,
  };
  const statement = namedByShape(
    'patient_search',
    sql`
    WITH ${found},
    page AS (SELECT * FROM found ORDER BY tier, score DESC, "familyName", "givenName", id LIMIT ${f.limit} OFFSET ${f.offset}),
    shown AS (SELECT id FROM page ORDER BY tier, score DESC, "familyName", "givenName", id LIMIT ${audit.shown}),
    a AS (${auditInsert(row, sql`FROM shown`)})
    SELECT id, mrn, "givenName", "middleName", "familyName", sex, "birthDate", phones, status, "primaryClinicId"
      FROM page ORDER BY tier, score DESC, "familyName", "givenName", id`,
  );
  return runNamedOnPool<SummaryRow>(pool, statement);
}

/** Likely duplicates: similar name with the same birth date or phone, or same birth date and phone. */
export async function findDuplicateCandidates(
  db: Executor,
  c: { name: string; birthDate?: string; phoneKey?: string; clinicId: string | null; excludeId?: string },
): Promise<(SummaryRow & { score: number })[]> {
  const bd = c.birthDate ?? null;
  const pk = c.phoneKey ?? null;
  const res = await db.execute<SummaryRow & { score: number }>(sql`
    SELECT ${summaryColumns},
           round((0.5 * similarity(p.search_name, ${c.name})
                 + CASE WHEN p.birth_date = ${bd}::date THEN 0.3 ELSE 0 END
                 + CASE WHEN ${pk}::text IS NOT NULL AND p.phone_keys @> ARRAY[${pk}::text] THEN 0.2 ELSE 0 END)::numeric, 2)::float8 AS score
      FROM patients p
     WHERE p.status = 'active'
       ${c.excludeId ? sql`AND p.id <> ${c.excludeId}` : sql``}
       ${c.clinicId ? sql`AND ${linkedToClinic(sql`p.id`, c.clinicId)}` : sql``}
       -- found through the birth-date or phone index, then compared by name
       AND (p.birth_date = ${bd}::date OR p.phone_keys @> ARRAY[${pk}::text])
       AND (
         (p.birth_date = ${bd}::date AND similarity(p.search_name, ${c.name}) >= 0.3)
         OR (${pk}::text IS NOT NULL AND p.phone_keys @> ARRAY[${pk}::text] AND (similarity(p.search_name, ${c.name}) >= 0.3 OR p.birth_date = ${bd}::date))
       )
     ORDER BY score DESC
     LIMIT 10`);
  return res.rows.filter((r) => r.score >= 0.5);
}

/** Applies `changes` when the stored version is `version`; returns the new row or undefined. */
export async function updatePatientVersioned(
  db: Executor,
  id: string,
  version: number,
  changes: Partial<NewPatientRow>,
): Promise<PatientRow | undefined> {
  const [row] = await db
    .update(patients)
    .set({ ...changes, version: sql`${patients.version} + 1`, updatedAt: new Date() })
    .where(and(eq(patients.id, id), eq(patients.version, version)))
    .returning();
  return row;
}

/** Moves every record of `fromId` that this module owns to `toId`. */
export async function reassignPatientLinks(db: Executor, fromId: string, toId: string): Promise<void> {
  await db.execute(sql`
    INSERT INTO patient_clinics (patient_id, clinic_id)
    SELECT ${toId}, clinic_id FROM patient_clinics WHERE patient_id = ${fromId}
    ON CONFLICT DO NOTHING`);
  await db.update(users).set({ patientId: toId }).where(eq(users.patientId, fromId));
}

export async function accessLog(
  db: Executor,
  patientId: string,
  limit: number,
  before: number | null,
  excludeActorUserId?: string,
) {
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorName: users.displayName,
      actorRole: auditLog.actorRole,
      action: auditLog.action,
      outcome: auditLog.outcome,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(
      and(
        eq(auditLog.patientId, patientId),
        before ? sql`${auditLog.id} < ${before}` : undefined,
        excludeActorUserId ? sql`${auditLog.actorUserId} IS DISTINCT FROM ${excludeActorUserId}` : undefined,
      ),
    )
    .orderBy(sql`${auditLog.id} DESC`)
    .limit(limit);
  return rows;
}

/** Row locks in id order, so that concurrent merges of overlapping pairs cannot deadlock. */
export async function lockPatients(db: Executor, ids: string[]): Promise<void> {
  await db.execute(
    sql`SELECT 1 FROM patients WHERE id IN (${sql.join(
      [...ids].sort().map((i) => sql`${i}`),
      sql`, `,
    )}) ORDER BY id FOR UPDATE`,
  );
}

const ph = (name: string) => sql.placeholder(name);
const READ_AUDITED = namedStatement(
  'patient_read_audited',
  sql`
  WITH p AS (
    SELECT t.*, (${ph('bypassLink')}::boolean OR ${linkedToClinic(sql`t.id`, ph('clinicId'))}) AS allowed
      FROM patients t WHERE t.id = ${ph('id')}::uuid
  ), a AS (${auditInsert(
    {
      ...auditPlaceholders(),
      clinicId: ph('clinicId'),
      patientId: sql`p.id`,
      resourceId: sql`p.id::text`,
      outcome: sql`CASE WHEN p.allowed THEN 'success' ELSE 'denied' END`,
    },
    sql`FROM p`,
  )})
  SELECT id, mrn, given_name AS "givenName", middle_name AS "middleName", family_name AS "familyName", sex,
         birth_date AS "birthDate", phones, email, address, preferred_language AS "preferredLanguage",
         national_id_enc AS "nationalIdEnc", emergency_contacts AS "emergencyContacts", blood_type AS "bloodType",
         primary_clinic_id AS "primaryClinicId", status, merged_into_id AS "mergedIntoId", deceased_at AS "deceasedAt",
         version, created_at AS "createdAt", updated_at AS "updatedAt", allowed
    FROM p`,
);

/**
 * Reads a patient and writes its audit row in one statement (one transaction, one round trip):
 * `allowed` is `bypassLink` or the patient being registered at `clinicId`, and the audit row says
 * whether the read was allowed. Undefined when no such patient exists (and nothing is written).
 */
export async function readPatientAudited(
  pool: pg.Pool,
  id: string,
  clinicId: string | null,
  bypassLink: boolean,
  actor: AuditActor,
): Promise<{ patient: PatientRecord; allowed: boolean } | undefined> {
  const [row] = await runNamedOnPool<PatientRecord & { allowed: boolean }>(pool, READ_AUDITED, {
    id,
    clinicId,
    bypassLink,
    ...auditValues({ actor, entry: { action: 'patient.read', resourceType: 'patient' } }),
  });
  if (!row) return undefined;
  const { allowed, ...patient } = row;
  return { patient, allowed };
}
