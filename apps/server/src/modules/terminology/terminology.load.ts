import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db/database.ts';

/**
 * Loading the code sets shipped in apps/server/reference into the database, as the owner, at each
 * start (and once in the test template, which every test database is cloned from). A set whose
 * file has not changed since it was loaded (same SHA-256 in `terminology_releases`) is skipped, so
 * a normal start costs one small query; a new file is loaded in one transaction (upsert, and the
 * codes it no longer holds are marked inactive rather than deleted).
 */

/** The files, found next to the server's sources (relative to this module, not the working directory). */
export const REFERENCE = {
  icd10cm: new URL('../../../reference/icd10cm/icd10cm-order-2026.txt.gz', import.meta.url),
  cvx: new URL('../../../reference/cvx/cvx.csv', import.meta.url),
} as const;

export interface Icd10Row {
  orderNo: number;
  code: string;
  codeKey: string;
  billable: boolean;
  shortDescription: string;
  description: string;
}

/** 'E119' → 'E11.9'; a three-character category stays as it is. */
export const dotted = (key: string): string => (key.length > 3 ? `${key.slice(0, 3)}.${key.slice(3)}` : key);

/** CDC's fixed-width order file (README.md of reference/): one row per code, headers included. */
export function parseIcd10Order(text: string): Icd10Row[] {
  const rows: Icd10Row[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const codeKey = line.slice(6, 13).trim();
    const flag = line[14];
    if (!/^[A-Z][0-9A-Z]{2,6}$/.test(codeKey) || (flag !== '0' && flag !== '1'))
      throw new Error(`ICD-10-CM order file: unexpected line ${rows.length + 1}`);
    rows.push({
      orderNo: Number(line.slice(0, 5)),
      code: dotted(codeKey),
      codeKey,
      billable: flag === '1',
      shortDescription: line.slice(16, 76).trim(),
      description: line.slice(77).trim(),
    });
  }
  return rows;
}

export interface CvxRow {
  code: string;
  shortDescription: string;
  fullName: string;
  notes: string | null;
  status: string;
  nonvaccine: boolean;
  updatedOn: string | null;
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      out.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    out.push(row);
  }
  return out.filter((r) => r.some((f) => f.trim() !== ''));
}

export function parseCvx(text: string): CvxRow[] {
  const [header, ...rows] = parseCsv(text);
  const expected = ['cvx_code', 'short_description', 'full_vaccine_name', 'notes', 'status', 'nonvaccine', 'last_updated'];
  if (header?.join(',') !== expected.join(',')) throw new Error('CVX file: unexpected header');
  return rows.map((r) => {
    const [code, short, full, notes, status, nonvaccine, updated] = r.map((f) => f.trim());
    if (!code || !/^[0-9]{1,4}$/.test(code) || !short || !status) throw new Error(`CVX file: unexpected row ${code ?? ''}`);
    return {
      code,
      shortDescription: short,
      fullName: full || short,
      notes: notes || null,
      status,
      nonvaccine: nonvaccine?.toLowerCase() === 'true',
      updatedOn: updated || null,
    };
  });
}

const sha256 = (buf: Buffer) => crypto.createHash('sha256').update(buf).digest('hex');

async function loadedVersion(tx: Tx, name: string): Promise<string | null> {
  const r = await tx.execute<{ version: string }>(sql`SELECT version FROM terminology_releases WHERE name = ${name}`);
  return r.rows[0]?.version ?? null;
}

async function markLoaded(tx: Tx, name: string, version: string, rows: number): Promise<void> {
  await tx.execute(sql`INSERT INTO terminology_releases (name, version, rows) VALUES (${name}, ${version}, ${rows})
    ON CONFLICT (name) DO UPDATE SET version = excluded.version, rows = excluded.rows, loaded_at = now()`);
}

/** One array parameter (drizzle would otherwise spread a JS array into a list of parameters). */
const arr = (values: unknown[], type: string) => sql`${sql.param(values)}::${sql.raw(type)}[]`;

/** The words of a text as search keys: lower case, letters and digits (the files are ASCII). */
export const wordsOf = (text: string): string[] => [...new Set(text.toLowerCase().split(/[^a-z0-9]+/))].filter((w) => w);

/** The word index of icd10_codes, as migration 0016 creates it (dropped and rebuilt around a first load: faster). */
const SEARCH_INDEX = sql`CREATE INDEX IF NOT EXISTS icd10_codes_search ON icd10_codes USING gin (search)`;

async function loadIcd10(tx: Tx, rows: Icd10Row[]): Promise<void> {
  const col = <K extends keyof Icd10Row>(k: K) => rows.map((r) => r[k]);
  // the search vector: the words of both descriptions (CDC's short one has its abbreviations),
  // computed here (PostgreSQL's text parser would take seconds for the whole set); the search
  // matches each typed word as a prefix, which also finds plurals
  const wordLists = rows.map((r) => wordsOf(`${r.description} ${r.shortDescription}`));
  const words = wordLists.map((ws) => `{${ws.map((w) => `"${w}"`).join(',')}}`);
  const values = sql`
    SELECT code, code_key, order_no, billable, short_description, description, array_to_tsvector(words::text[]), true
    FROM unnest(${arr(col('code'), 'text')}, ${arr(col('codeKey'), 'text')}, ${arr(col('orderNo'), 'int')},
                ${arr(col('billable'), 'bool')}, ${arr(col('shortDescription'), 'text')}, ${arr(col('description'), 'text')},
                ${arr(words, 'text')})
         AS t(code, code_key, order_no, billable, short_description, description, words)`;
  const columns = sql`(code, code_key, order_no, billable, short_description, description, search, active)`;
  const empty = (await tx.execute(sql`SELECT NOT EXISTS (SELECT 1 FROM icd10_codes) AS empty`)).rows[0]!.empty === true;
  if (empty) {
    // a first load: the GIN index is built once at the end rather than row by row
    await tx.execute(sql`DROP INDEX IF EXISTS icd10_codes_search`);
    await tx.execute(sql`INSERT INTO icd10_codes ${columns} ${values}`);
    await tx.execute(SEARCH_INDEX);
  } else {
    await tx.execute(sql`
      INSERT INTO icd10_codes ${columns} ${values}
      ON CONFLICT (code) DO UPDATE SET code_key = excluded.code_key, order_no = excluded.order_no,
        billable = excluded.billable, short_description = excluded.short_description,
        description = excluded.description, search = excluded.search, active = true
      WHERE (icd10_codes.order_no, icd10_codes.billable, icd10_codes.short_description, icd10_codes.description, icd10_codes.active)
        IS DISTINCT FROM (excluded.order_no, excluded.billable, excluded.short_description, excluded.description, true)`);
    await tx.execute(
      sql`UPDATE icd10_codes c SET active = false
          WHERE active AND NOT EXISTS (SELECT 1 FROM unnest(${arr(col('code'), 'text')}) AS n(code) WHERE n.code = c.code)`,
    );
  }
  // the vocabulary, for the typo-tolerant second try of a search that found nothing
  const vocabulary = [...new Set(wordLists.flat())];
  await tx.execute(sql`INSERT INTO icd10_words (word) SELECT unnest(${arr(vocabulary, 'text')}) ON CONFLICT DO NOTHING`);
}

async function loadCvx(tx: Tx, rows: CvxRow[]): Promise<void> {
  const col = <K extends keyof CvxRow>(k: K) => rows.map((r) => r[k]);
  await tx.execute(sql`
    INSERT INTO cvx_codes (code, short_description, full_name, notes, status, nonvaccine, updated_on)
    SELECT * FROM unnest(${arr(col('code'), 'text')}, ${arr(col('shortDescription'), 'text')}, ${arr(col('fullName'), 'text')},
                         ${arr(col('notes'), 'text')}, ${arr(col('status'), 'text')}, ${arr(col('nonvaccine'), 'bool')},
                         ${arr(col('updatedOn'), 'text')})
    ON CONFLICT (code) DO UPDATE SET short_description = excluded.short_description, full_name = excluded.full_name,
      notes = excluded.notes, status = excluded.status, nonvaccine = excluded.nonvaccine, updated_on = excluded.updated_on`);
}

export interface LoadResult {
  icd10cm: number | 'unchanged';
  cvx: number | 'unchanged';
}

/**
 * Loads ICD-10-CM and CVX when their files changed since the last load (or were never loaded).
 * Serialised by a transaction-scoped advisory lock, so nodes starting together load once.
 */
export async function loadTerminology(db: Db, files: { icd10cm: URL; cvx: URL } = REFERENCE): Promise<LoadResult> {
  const icdFile = fs.readFileSync(files.icd10cm);
  const cvxFile = fs.readFileSync(files.cvx);
  const icdVersion = sha256(icdFile);
  const cvxVersion = sha256(cvxFile);
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('sanita.terminology'))`);
    const result: LoadResult = { icd10cm: 'unchanged', cvx: 'unchanged' };
    if ((await loadedVersion(tx, 'icd10cm')) !== icdVersion) {
      const text = (files.icd10cm.pathname.endsWith('.gz') ? zlib.gunzipSync(icdFile) : icdFile).toString('latin1');
      const rows = parseIcd10Order(text);
      await loadIcd10(tx, rows);
      await markLoaded(tx, 'icd10cm', icdVersion, rows.length);
      result.icd10cm = rows.length;
    }
    if ((await loadedVersion(tx, 'cvx')) !== cvxVersion) {
      const rows = parseCvx(cvxFile.toString('utf8'));
      await loadCvx(tx, rows);
      await markLoaded(tx, 'cvx', cvxVersion, rows.length);
      result.cvx = rows.length;
    }
    return result;
  });
}
