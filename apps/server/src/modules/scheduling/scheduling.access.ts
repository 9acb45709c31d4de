import type { Executor } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/access.ts';
import { Forbidden } from '../../platform/errors.ts';
import { patientAtClinic, requireLinked } from '../../platform/patient-access.ts';

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
 * (with the patient id only when the record exists). Throw inside `runAudited`.
 */
export async function patientOfClinic(db: Executor, patientId: string, clinicId: string, action: string) {
  return requireLinked(await patientAtClinic(db, patientId, clinicId), patientId, action);
}
