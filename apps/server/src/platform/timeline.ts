import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Permission } from './access.ts';
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
   * What a reader needs, besides the timeline's own chart:read, to see entries of this kind (e.g. notes:read
   * for notes): the kind is left out of the pages and the kinds of a reader without it, in the active clinic.
   */
  permission?: Permission;
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
 * [from, to]. `at` and `id` are the source's time (a timestamptz column, or the expression an index is on)
 * and id columns (an index on (patient, at desc, id desc) serves them). The cursor's plain bound on `at`
 * repeats the row comparison for the planner, which cannot bound an index scan with a row comparison whose
 * columns come from two tables (a note's time is its encounter's).
 */
export function timelineWindow(at: AnyPgColumn | SQLWrapper, id: AnyPgColumn, q: TimelineQuery): SQL[] {
  const conditions: SQL[] = [];
  if (q.before) {
    const before = q.before.at.toISOString();
    conditions.push(sql`${at} <= ${before}::timestamptz`);
    conditions.push(sql`(${at}, ${id}) < (${before}::timestamptz, ${q.before.id}::uuid)`);
  }
  if (q.from) conditions.push(sql`${at} >= ${q.from.toISOString()}::timestamptz`);
  if (q.to) conditions.push(sql`${at} <= ${q.to.toISOString()}::timestamptz`);
  return conditions;
}
