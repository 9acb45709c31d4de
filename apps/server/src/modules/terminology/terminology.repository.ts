import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';

export type Icd10Row = {
  code: string;
  description: string;
  billable: boolean;
};

export type CvxRow = {
  code: string;
  shortDescription: string;
  fullName: string;
  status: string;
  nonvaccine: boolean;
};

const ICD_COLUMNS = sql`code, description, billable`;
const CVX_COLUMNS = sql`code, short_description AS "shortDescription", full_name AS "fullName", status, nonvaccine`;

/** One array parameter (drizzle would otherwise spread a JS array into a list of parameters). */
const arr = (values: unknown[], type: string) => sql`${sql.param(values)}::${sql.raw(type)}[]`;

export async function icd10ByCodes(db: Executor, codes: string[]): Promise<Icd10Row[]> {
  if (!codes.length) return [];
  const r = await db.execute<Icd10Row>(sql`SELECT ${ICD_COLUMNS} FROM icd10_codes WHERE code = ANY(${arr(codes, 'text')})`);
  return r.rows;
}

/**
 * Codes beginning with `key` (no dot, upper case): the code itself first, then billable codes,
 * shorter (more general) codes first, in CDC's order.
 */
export async function icd10ByCodePrefix(db: Executor, key: string, limit: number, billableOnly: boolean): Promise<Icd10Row[]> {
  const r = await db.execute<Icd10Row>(sql`
    SELECT ${ICD_COLUMNS} FROM icd10_codes
    WHERE code_key LIKE ${`${key}%`} AND active ${billableOnly ? sql`AND billable` : sql``}
    ORDER BY code_key = ${key} DESC, billable DESC, length(code_key), order_no
    LIMIT ${limit}`);
  return r.rows;
}

/**
 * Codes a clinic in primary care names every day (malaria, hypertension, type 2 diabetes…): a word
 * search ranks them first among the billable codes it finds. A short hand-made list, not statistics.
 */
export const COMMON_ICD10 = new Set([
  'B54',
  'B50.9',
  'I10',
  'E11.9',
  'E10.9',
  'E66.9',
  'J06.9',
  'J18.9',
  'J20.9',
  'J45.909',
  'A09',
  'K29.70',
  'K21.9',
  'N39.0',
  'R50.9',
  'R51.9',
  'R10.9',
  'R05.9',
  'D64.9',
  'D50.9',
  'B20',
  'A15.0',
  'A01.00',
  'E86.0',
  'E43',
  'E44.0',
  'O80',
  'Z34.90',
  'Z00.00',
  'Z00.129',
  'Z23',
  'M54.50',
  'L30.9',
  'H10.9',
  'H66.90',
  'J02.9',
  'J03.90',
  'I50.9',
  'I63.9',
  'F32.A',
  'F41.9',
  'G40.909',
  'A90',
  'B65.9',
  'B82.9',
  'N76.0',
  'A64',
  'E78.5',
  'K59.00',
  'R11.2',
  'U07.1',
]);

/**
 * Codes whose descriptions hold every word of `query` (a tsquery): billable codes first, the
 * common ones first among them, initial encounters before sequelae and later encounters (the 7th
 * character of injury codes: A, B, C initial; D to R subsequent; S sequela), then the
 * more general codes (shorter code, shorter description), in CDC's order.
 */
export async function icd10ByWords(
  db: Executor,
  query: SQL,
  limit: number,
  billableOnly: boolean,
  exclude: string[] = [],
): Promise<Icd10Row[]> {
  const r = await db.execute<Icd10Row>(sql`
    SELECT ${ICD_COLUMNS} FROM icd10_codes
    WHERE search @@ (${query}) AND active ${billableOnly ? sql`AND billable` : sql``}
      ${exclude.length ? sql`AND NOT (code = ANY(${arr(exclude, 'text')}))` : sql``}
    ORDER BY billable DESC, code = ANY(${arr([...COMMON_ICD10], 'text')}) DESC,
      (length(code_key) = 7 AND right(code_key, 1) IN ('D', 'E', 'F', 'G', 'H', 'J', 'K', 'M', 'N', 'P', 'Q', 'R', 'S')) ASC,
      length(code_key), length(description), order_no
    LIMIT ${limit}`);
  return r.rows;
}

/** For each typed word, the words of the ICD-10-CM vocabulary that look like it (trigram similarity), best first. */
export async function similarWords(db: Executor, words: string[], perWord: number): Promise<string[][]> {
  const r = await db.execute<{ i: number; words: string[] }>(sql`
    SELECT t.i::int AS i, coalesce(array_agg(s.word ORDER BY s.sim DESC) FILTER (WHERE s.word IS NOT NULL), '{}') AS words
    FROM unnest(${arr(words, 'text')}) WITH ORDINALITY AS t(typed, i)
    LEFT JOIN LATERAL (
      SELECT w.word, similarity(w.word, t.typed) AS sim FROM icd10_words w
      WHERE w.word % t.typed ORDER BY sim DESC LIMIT ${perWord}
    ) s ON true
    GROUP BY t.i ORDER BY t.i`);
  return r.rows.map((row) => row.words);
}

export async function cvxByCodes(db: Executor, codes: string[]): Promise<CvxRow[]> {
  if (!codes.length) return [];
  const r = await db.execute<CvxRow>(sql`SELECT ${CVX_COLUMNS} FROM cvx_codes WHERE code = ANY(${arr(codes, 'text')})`);
  return r.rows;
}

/**
 * CVX codes: the code itself, or every word found (as a prefix of a word) in the short or full name
 * or the notes. The code first, then active vaccines, non-vaccines last, then by short description.
 * Without either, the active vaccines. 288 rows: a scan.
 */
export async function searchCvx(db: Executor, code: string | null, words: string[], limit: number): Promise<CvxRow[]> {
  const text = sql`lower(unaccent(short_description || ' ' || full_name || ' ' || coalesce(notes, '')))`;
  const conditions = words.map((w) => sql`${text} ~ ${`(^|[^a-z0-9])${w.replace(/[^a-z0-9]/g, '')}`}`);
  // among active vaccines, one named by the words in its short description ('influenza') before one
  // whose full name holds them (Hib: Haemophilus influenzae)
  const shortText = sql`lower(unaccent(short_description))`;
  const shortMatch = words.length
    ? sql.join(
        words.map((w) => sql`${shortText} ~ ${`(^|[^a-z0-9])${w.replace(/[^a-z0-9]/g, '')}`}`),
        sql` AND `,
      )
    : null;
  const byWords = conditions.length ? sql`(${sql.join(conditions, sql` AND `)})` : null;
  const byCode = code !== null ? sql`code = ${code}` : null;
  const match = byCode && byWords ? sql`(${byCode} OR ${byWords})` : (byCode ?? byWords ?? sql`status = 'Active'`);
  const r = await db.execute<CvxRow>(sql`
    SELECT ${CVX_COLUMNS} FROM cvx_codes WHERE ${match}
    ORDER BY code = ${code ?? ''} DESC, status = 'Active' DESC, ${shortMatch ? sql`(${shortMatch}) DESC,` : sql``} nonvaccine, status, short_description
    LIMIT ${limit}`);
  return r.rows;
}
