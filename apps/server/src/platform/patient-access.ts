import { eq, is, Placeholder, SQL, sql, StringChunk, type SQLChunk, type SQLWrapper } from 'drizzle-orm';
import { patients } from '../db/schema/patients.ts';
import type { Permission, Principal } from './access.ts';
import { denied, type Refused } from './audit/audited.ts';
import type { Executor } from './db/database.ts';
import { Forbidden, NotFound } from './errors.ts';

/**
 * The one patient-access path: may this principal act on this patient at this clinic?
 *
 * Relationships that grant access, in the order they are tried:
 * - `self`: a portal user (`portal:self`) and their own record, when the rule allows it;
 * - `all_clinics`: staff holding `patients:read_all_clinics`, when the rule allows it (reads);
 * - `clinic`: staff holding the rule's permission in the active clinic, for a patient registered
 *   there (`patient_clinics`) — the one relationship the database decides, with `linkedToClinic`.
 *
 * Break-glass (emergency access to a patient outside these relationships, with a stated reason) is
 * meant to plug in as a further relationship in `decidePatientAccess`: where `clinic` fails, a
 * break-glass grant would turn `hidden` into `ok` and its audit rows carry `break_glass = true`
 * (the column exists in `audit_log`).
 *
 * A module states its rule, plans from the principal (`planPatientAccess`: 403s are decided without
 * the database, so there is no existence oracle), reads the patient with `linkedToClinic` in the
 * same statement as its data when it can (one round trip), then decides (`decidePatientAccess`) and
 * throws `patientRefusal(…)` inside `runAudited`, which audits the refusal as `denied` in its own
 * transaction.
 */
export type PatientRelationship = 'self' | 'all_clinics' | 'clinic';

export interface PatientAccessRule {
  /** what staff need in the active clinic: `patients:read`, `appointments:write`… */
  permission: Permission;
  /** a portal user reaches their own record (reads) */
  self?: boolean;
  /** `patients:read_all_clinics` reaches patients of every clinic (reads only) */
  allClinics?: boolean;
}

/** What the principal alone decides about a patient, before the database is asked. */
export type PatientAccessPlan =
  /** 403 whether or not the patient exists */
  | { verdict: 'forbidden' }
  /** 404: a portal user asking for someone else's record */
  | { verdict: 'hidden' }
  /** any existing patient */
  | { verdict: 'granted'; relationship: 'self' | 'all_clinics' }
  /** only a patient registered at `clinicId` (none without an active clinic) */
  | { verdict: 'if_linked'; clinicId: string | null };

export type PatientAccessVerdict = 'ok' | 'forbidden' | 'hidden';

export function planPatientAccess(p: Principal, patientId: string, rule: PatientAccessRule): PatientAccessPlan {
  if (p.patientId) {
    if (!rule.self || !p.permissions.has('portal:self')) return { verdict: 'forbidden' };
    return p.patientId === patientId ? { verdict: 'granted', relationship: 'self' } : { verdict: 'hidden' };
  }
  if (!p.permissions.has(rule.permission)) return { verdict: 'forbidden' };
  if (rule.allClinics && p.permissions.has('patients:read_all_clinics'))
    return { verdict: 'granted', relationship: 'all_clinics' };
  return { verdict: 'if_linked', clinicId: p.clinicId };
}

/**
 * The verdict once the database has answered: `found` is the patient (undefined when there is no
 * such record) and whether it is registered at the plan's clinic. A patient out of reach looks like
 * it does not exist.
 */
export function decidePatientAccess(plan: PatientAccessPlan, found: { linked: boolean } | undefined): PatientAccessVerdict {
  switch (plan.verdict) {
    case 'forbidden':
    case 'hidden':
      return plan.verdict;
    case 'granted':
      return found ? 'ok' : 'hidden';
    case 'if_linked':
      // the extension point for break-glass: a grant for this patient would answer 'ok' here
      return found?.linked ? 'ok' : 'hidden';
  }
}

/**
 * The refusal of an attempt on a patient: 403 or 404 (`Patient not found`), and its `denied` audit
 * row as `action` (naming the patient only when the record exists). Throw it inside `runAudited`.
 */
export function patientRefusal(verdict: 'forbidden' | 'hidden', patientId: string, exists: boolean, action: string): Refused {
  const error = verdict === 'forbidden' ? new Forbidden() : new NotFound('Patient not found');
  return denied(error, action, { type: 'patient', id: patientId }, exists ? patientId : null);
}

/** The patient's state when registered at the clinic; otherwise a 404 refusal audited as `action`. */
export function requireLinked<P extends { exists: boolean; linked: boolean }>(pat: P, patientId: string, action: string): P {
  if (!pat.linked) throw patientRefusal('hidden', patientId, pat.exists, action);
  return pat;
}

// ------------------------------------------------------------------ the clinic link, in SQL

const LINK = [
  'EXISTS (SELECT 1 FROM patient_clinics link_pc WHERE link_pc.patient_id = ',
  ' AND link_pc.clinic_id = ',
  ')',
] as const;

/**
 * SQL text, for statements written as text with positional parameters: true when the patient
 * `patient` (an expression, e.g. `pt.id`) is registered at `clinic` (e.g. `$3::uuid`).
 */
export function linkedToClinicText(patient: string, clinic: string): string {
  return LINK[0] + patient + LINK[1] + clinic + LINK[2];
}

/**
 * The same condition as a drizzle fragment: `patient` and `clinic` are SQL (a column, sql`p.id`) or
 * values (a uuid, null, a placeholder), which are sent as parameters.
 */
export function linkedToClinic(
  patient: SQLWrapper | string | Placeholder,
  clinic: SQLWrapper | string | null | Placeholder,
): SQL {
  // flat chunks (a patient read and every search build it): a value is a parameter cast to uuid
  const chunks: unknown[] = [LINK_CHUNKS[0]];
  for (const [v, after] of [
    [patient, LINK_CHUNKS[1]],
    [clinic, LINK_CHUNKS[2]],
  ] as const) {
    if (typeof v === 'string' || v === null || v instanceof Placeholder) chunks.push(v, UUID_CAST, after);
    else chunks.push(v, after);
  }
  return new SQL(chunks as SQLChunk[]);
}

const LINK_CHUNKS = LINK.map((text) => new StringChunk(text));
const UUID_CAST = new StringChunk('::uuid');

const uuid = (v: SQLWrapper | string | null | Placeholder): SQLWrapper =>
  typeof v === 'string' || v === null || is(v, Placeholder) ? sql`${v}::uuid` : v;

/**
 * Registers the patient at the clinic (nothing when they already are), once per row of `from` when
 * given (e.g. sql`FROM p` with `patient` sql`p.id`): a statement, or the body of a CTE.
 */
export function registerAtClinic(
  patient: SQLWrapper | string | Placeholder,
  clinic: SQLWrapper | string | Placeholder,
  from: SQL = sql``,
): SQL {
  return sql`INSERT INTO patient_clinics (patient_id, clinic_id) SELECT ${uuid(patient)}, ${uuid(clinic)} ${from} ON CONFLICT DO NOTHING`;
}

/** Whether the patient exists, their status, and whether they are registered at the clinic: one query. */
export async function patientAtClinic(
  db: Executor,
  patientId: string,
  clinicId: string,
): Promise<{ exists: boolean; linked: boolean; status: string | null }> {
  const [row] = await db
    .select({ status: patients.status, linked: sql<boolean>`${linkedToClinic(patients.id, clinicId)}` })
    .from(patients)
    .where(eq(patients.id, patientId))
    .limit(1);
  return { exists: !!row, linked: !!row?.linked, status: row?.status ?? null };
}
