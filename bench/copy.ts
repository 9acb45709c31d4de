import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import pgCopy from 'pg-copy-streams';

/** One value in COPY's text format (null → \N; tabs, newlines and backslashes escaped). */
export function cell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v !== 'string') return String(v);
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** A row of COPY's text format. */
export const row = (cells: (string | number | boolean | null | undefined)[]): string => `${cells.map(cell).join('\t')}\n`;

/** COPY `sqlText` FROM STDIN with the given lines, sent in chunks of about 1 MiB. */
export async function copy(c: pg.Client, sqlText: string, rows: Iterable<string> | AsyncIterable<string>): Promise<void> {
  async function* batched(): AsyncGenerator<string> {
    let buf = '';
    for await (const r of rows) {
      buf += r;
      if (buf.length > 1 << 20) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  await pipeline(Readable.from(batched()), c.query(pgCopy.from(sqlText)));
}

/**
 * Drops the secondary indexes and the foreign keys of `tables` (inside the caller's transaction) and
 * returns what rebuilds them from their own definitions: building an index or validating a foreign
 * key once over the loaded rows is much faster than maintaining it row by row during a COPY.
 */
export async function deferIndexes(c: pg.Client, tables: string[]): Promise<() => Promise<void>> {
  const idx = await c.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`,
    [tables],
  );
  const fks = await c.query<{ tbl: string; conname: string; def: string }>(
    `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE contype = 'f' AND conrelid = ANY($1::regclass[])`,
    [tables],
  );
  for (const k of fks.rows) await c.query(`ALTER TABLE ${k.tbl} DROP CONSTRAINT ${k.conname}`);
  for (const i of idx.rows) await c.query(`DROP INDEX ${i.indexname}`);
  return async () => {
    for (const i of idx.rows) await c.query(i.indexdef);
    for (const k of fks.rows) await c.query(`ALTER TABLE ${k.tbl} ADD CONSTRAINT ${k.conname} ${k.def}`);
  };
}
