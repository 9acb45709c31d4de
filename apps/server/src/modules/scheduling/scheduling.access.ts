import type { Db, Tx } from '../../platform/db/database.ts';
import { writeAudit, type AuditActor, type AuditEntry } from '../../platform/audit/audit.ts';
import type { Principal } from '../../platform/access.ts';
import { Forbidden, NotFound } from '../../platform/errors.ts';
import { patientAtClinic, pgError } from './appointments.repository.ts';

/** A refusal whose audit row must survive the rollback of the transaction that found it. */
export class Refused extends Error {
  constructor(
    readonly error: Error,
    readonly entry: AuditEntry,
  ) {
    super(error.message);
  }
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
 * statement (atomic by itself: the appointment, its reminders and its audit row commit together or
 * not at all). Under READ COMMITTED, the isolation the server runs at, every statement of a
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

/** The active clinic of a staff user holding appointments:read or :write there. */
export function staffClinic(p: Principal, need: 'read' | 'write'): string {
  if (p.patientId || !p.permissions.has(need === 'read' ? 'appointments:read' : 'appointments:write')) throw new Forbidden();
  if (!p.clinicId) throw new Forbidden('Choose a clinic first', 'NO_CLINIC');
  return p.clinicId;
}

/** The patient record of a portal user. */
export function ownPatient(p: Principal): string {
  if (!p.patientId || !p.permissions.has('portal:self')) throw new Forbidden();
  return p.patientId;
}

/**
 * The patient's state when they belong to the clinic; otherwise a 404 refusal, audited as `action`
 * (with the patient id only when the record exists).
 */
export async function patientOfClinic(tx: Tx, patientId: string, clinicId: string, action: string) {
  return linkedPatient(await patientAtClinic(tx, patientId, clinicId), patientId, action);
}

/** `patientOfClinic` on a state already read (e.g. by the booking context statement). */
export function linkedPatient<P extends { exists: boolean; linked: boolean }>(pat: P, patientId: string, action: string): P {
  if (!pat.linked)
    throw new Refused(new NotFound('Patient not found'), {
      action,
      outcome: 'denied',
      patientId: pat.exists ? patientId : null,
      resourceType: 'patient',
      resourceId: patientId,
    });
  return pat;
}
