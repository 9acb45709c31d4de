import type { Db, Tx } from '../db/database.ts';
import { pgError } from '../db/queries.ts';
import { writeAudit, type AuditActor, type AuditEntry } from './audit.ts';

/**
 * A refused attempt: the error the caller gets (403, 404…) and the `denied` audit row that must
 * survive the rollback of the transaction that found it. Thrown inside `runAudited` or
 * `runAuditedStatements`, which audit it in its own transaction and then throw `error`.
 */
export class Refused extends Error {
  constructor(
    readonly error: Error,
    readonly entry: AuditEntry,
  ) {
    super(error.message);
  }
}

/** The refusal of an attempt on a resource (404, 403…), audited as `action` denied. */
export function denied(
  error: Error,
  action: string,
  resource: { type: string; id: string },
  patientId: string | null = null,
): Refused {
  return new Refused(error, { action, outcome: 'denied', patientId, resourceType: resource.type, resourceId: resource.id });
}

/**
 * Runs `fn` in a transaction. A `Refused` is audited after the rollback and rethrown as its error;
 * a deadlock (concurrent inserts into an exclusion constraint) is retried, and the retry then sees
 * the winner.
 */
export function runAudited<T>(db: Db, actor: AuditActor, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return runAuditedStatements(db, actor, (d) => d.transaction(fn));
}

/**
 * `runAudited` without BEGIN and COMMIT, for work that reads first and then writes with ONE
 * statement (atomic by itself: e.g. an appointment, its reminders and its audit row commit together
 * or not at all). Under READ COMMITTED, the isolation the server runs at, every statement of a
 * transaction reads its own snapshot and plain reads lock nothing, so reads made before that
 * statement see exactly what they would see inside a transaction; the transaction would only add
 * two round trips. A `Refused` is audited and a deadlock retried as by `runAudited`.
 */
export async function runAuditedStatements<T>(db: Db, actor: AuditActor, fn: (db: Db) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(db);
    } catch (err) {
      if (err instanceof Refused) {
        await writeAudit(db, actor, err.entry);
        throw err.error;
      }
      if (pgError(err)?.code === '40P01' && attempt < 3) continue;
      throw err;
    }
  }
}

/** Audits a refusal found outside `runAudited` (in its own transaction) and returns its error to throw. */
export async function refuse(db: Db, actor: AuditActor, r: Refused): Promise<Error> {
  await writeAudit(db, actor, r.entry);
  return r.error;
}
