import type { LightMyRequestResponse } from 'fastify';
import { createTestContext, type Session, type TestContext } from './helpers.ts';
import { defaultRoleMatrix, ROLES, type Permission, type Role } from '../src/platform/access.ts';
import { modules } from '../src/modules/index.ts';

/**
 * What the rows of the authorization matrix share. Each module keeps its rows next to it
 * (`modules/<name>/<name>.matrix.ts`, referenced by its manifest); platform/access.matrix.test.ts
 * runs them for every actor and fails when a registered route has no row.
 */

export type Clinic = 'kin' | 'gom';
export type Target = 'own' | 'other' | 'gom';
export interface Actor {
  label: string;
  email: string;
  role: Role;
  clinic: Clinic;
}
export type Verdict = 'ok' | 403 | 404 | 400 | 409;

/** A route about one patient, called on the portal user's own patient, another Kinshasa patient and a Goma patient. */
export interface TargetRoute {
  route: string;
  method: string;
  url: (patientId: string, target: Target) => string;
  body?: (patientId: string) => Promise<unknown>;
  verdict: (a: Actor, t: Target) => 200 | 403 | 404;
  /** the audited action; the row names the target patient */
  action: string;
  /** the answer is the target patient (its `id`) */
  returnsTarget?: boolean;
  /** a 403 is refused before anything is read, so nothing is audited */
  forbiddenUnaudited?: boolean;
  /** exactly one audit row of this action (else: at least one for this patient) */
  auditOnce?: boolean;
}

/** A route without a patient in its path. */
export interface PlainRoute {
  route: string;
  method: string;
  /** a function when it needs ids only known once the database exists */
  url: string | (() => string);
  body?: () => unknown;
  /** the status for this actor; 'ok' means the route's success status */
  verdict: (a: Actor) => Verdict;
  ok?: number;
  /** audited patient-data action: one success row when the call succeeds */
  action?: string;
  /** refusals are audited too (as denied), and a success writes at least one row */
  auditRefusals?: boolean;
  /** the row is about a list, not one patient (no patient_id) */
  listAudit?: boolean;
  /** further checks of a successful answer and its audit rows */
  check?: (res: LightMyRequestResponse, rows: AuditRow[]) => void;
}

export interface AuditRow {
  action: string;
  outcome: string;
  patient_id: string | null;
  actor_user_id: string | null;
}

/** A module's rows of the matrix. */
export interface MatrixSection {
  /** fixtures, read once the database exists (beforeAll, in manifest order) */
  setup?: () => Promise<void>;
  targetRoutes?: TargetRoute[];
  routes?: PlainRoute[];
  /** routes anyone may call without a token */
  publicRoutes?: string[];
  /** routes checked by this section's own `tests` rather than by rows */
  covers?: string[];
  /** further cases for each actor (inside its describe) */
  tests?: (actor: Actor) => void;
}

export const actors: Actor[] = [
  ...ROLES.map((role) => ({ label: role, email: `${role}@sanita.test`, role, clinic: 'kin' as const })),
  { label: 'doctor.goma', email: 'doctor.goma@sanita.test', role: 'doctor', clinic: 'gom' },
];
export const targets: Target[] = ['own', 'other', 'gom'];
export const clinicOf: Record<Target, Clinic> = { own: 'kin', other: 'kin', gom: 'gom' };
export const anyUuid = '00000000-0000-4000-8000-000000000000';

// ------------------------------------------------------------------ the rules, from the table

/** The seeded role → permission table, assembled from the manifests. */
export const DEFAULT_ROLE_PERMISSIONS = defaultRoleMatrix(modules);
export const has = (a: Actor, p: Permission) => DEFAULT_ROLE_PERMISSIONS[a.role].includes(p);
export const isPatient = (a: Actor) => a.role === 'patient';
export const staffWith = (a: Actor, p: Permission) => (!isPatient(a) && has(a, p) ? 'ok' : 403);

// ------------------------------------------------------------------ the shared state

let context: TestContext | null = null;
const sessions = new Map<string, Session>();
let counter = 0;

/** The test context of the matrix file (once started). */
export function matrixContext(): TestContext {
  if (!context) throw new Error('the matrix has not started');
  return context;
}
/** A number never returned before in this file, for unique names. */
export const next = () => ++counter;

/** One database and one login per actor for the whole file. */
export async function startMatrix(): Promise<TestContext> {
  context = await createTestContext();
  const logged = await Promise.all(actors.map((a) => context!.login(a.email)));
  actors.forEach((a, i) => sessions.set(a.label, logged[i]!));
  return context;
}

export function sessionOf(a: Actor): Session {
  return sessions.get(a.label)!;
}
export function actorNamed(label: string): Actor {
  return actors.find((a) => a.label === label)!;
}
export const clinicId = (c: Clinic) => (c === 'kin' ? matrixContext().ids.kin : matrixContext().ids.gom);
export const patientIds = (): Record<Target, string> => {
  const { ids } = matrixContext();
  return { own: ids.ownPatient, other: ids.kinPatient, gom: ids.gomPatient };
};

/** Calls the API as this actor, acting in their clinic. */
export function call(a: Actor, method: string, url: string, body?: unknown) {
  return sessionOf(a).req(method, url, body, { 'x-clinic-id': clinicId(a.clinic) });
}

export async function versionOf(id: string): Promise<number> {
  const { rows } = await matrixContext().sql.query<{ version: number }>('SELECT version FROM patients WHERE id = $1', [id]);
  return rows[0]!.version;
}

/** The first id a query returns. */
export async function oneId(q: string, params: unknown[] = []): Promise<string> {
  return (await matrixContext().sql.query<{ id: string }>(q, params)).rows[0]!.id;
}
