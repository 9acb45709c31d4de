import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Tx } from './db/database.ts';

/**
 * One entry of a patient's timeline (the chart's chronological view): what happened, when, at which clinic,
 * by whom, and the few fields its card shows. Each module that has something to show declares a source
 * in its manifest (`timeline`); the timeline module merges them, newest first.
 */
export interface TimelineEntry {
  /** the source's kind: `encounter`, `vitals`, `note`, `document`, `letter`… */
  kind: string;
  id: string;
  at: Date;
  clinicId: string;
  /** who recorded or did it (a display name), when known */
  by: string | null;
  /** what the entry's card shows: a handful of fields, no free text longer than a line or two */
  data: Record<string, unknown>;
}

export interface TimelineQuery {
  patientId: string;
  /** entries strictly older than this position in (at desc, id desc); the first page without it */
  before: { at: Date; id: string } | null;
  from: Date | null;
  to: Date | null;
  /** at most this many entries */
  limit: number;
}

export interface TimelineSource {
  kind: string;
  /**
   * The patient's entries of this kind in (at desc, id desc) order, after `before`, within [from, to].
   * Runs inside the reader's audited transaction, after the patient-access check.
   */
  list(tx: Tx, q: TimelineQuery): Promise<TimelineEntry[]>;
}

/** (at, id) comes before (at', id') in the timeline's order (newest first, then id descending). */
const newer = (a: TimelineEntry, b: TimelineEntry) =>
  a.at.getTime() !== b.at.getTime() ? b.at.getTime() - a.at.getTime() : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/**
 * The first `limit` entries of all sources merged newest first: each source is asked for `limit` (any of its
 * entries beyond could not make the page), so a page costs one indexed query per source whatever the history.
 */
export async function mergeTimeline(tx: Tx, sources: readonly TimelineSource[], q: TimelineQuery): Promise<TimelineEntry[]> {
  const lists: TimelineEntry[][] = [];
  for (const s of sources) lists.push(await s.list(tx, q));
  return lists.flat().sort(newer).slice(0, q.limit);
}

/**
 * The conditions a source's query adds for a page: after the cursor in (at desc, id desc) order, and within
 * [from, to]. `at` and `id` are the source's time and id columns (an index on (patient, at desc, id desc)
 * serves them).
 */
export function timelineWindow(at: AnyPgColumn, id: AnyPgColumn, q: TimelineQuery): SQL[] {
  const conditions: SQL[] = [];
  if (q.before) conditions.push(sql`(${at}, ${id}) < (${q.before.at.toISOString()}::timestamptz, ${q.before.id}::uuid)`);
  if (q.from) conditions.push(sql`${at} >= ${q.from.toISOString()}::timestamptz`);
  if (q.to) conditions.push(sql`${at} <= ${q.to.toISOString()}::timestamptz`);
  return conditions;
}
