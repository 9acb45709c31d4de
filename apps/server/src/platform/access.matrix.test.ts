import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import { authenticator } from 'otplib';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../test/helpers.ts';
import { DEFAULT_ROLE_PERMISSIONS, ROLES, type Permission, type Role } from './access.ts';

/**
 * The authorization matrix: every role (plus a doctor of the other clinic) against every /api
 * route, and for routes about one patient against the portal user's own patient, another patient
 * of Kinshasa and a patient registered only at Goma. Expectations come from the seeded role →
 * permission table, so the matrix stays true when that table changes; the spot checks at the end
 * are written out by hand so that a mistake in the rules below cannot hide.
 */

type Clinic = 'kin' | 'gom';
type Target = 'own' | 'other' | 'gom';
interface Actor {
  label: string;
  email: string;
  role: Role;
  clinic: Clinic;
}

const actors: Actor[] = [
  ...ROLES.map((role) => ({ label: role, email: `${role}@sanita.test`, role, clinic: 'kin' as const })),
  { label: 'doctor.goma', email: 'doctor.goma@sanita.test', role: 'doctor', clinic: 'gom' },
];
const targets: Target[] = ['own', 'other', 'gom'];
const clinicOf: Record<Target, Clinic> = { own: 'kin', other: 'kin', gom: 'gom' };

// ------------------------------------------------------------------ the rules, from the table

const has = (a: Actor, p: Permission) => DEFAULT_ROLE_PERMISSIONS[a.role].includes(p);
const isPatient = (a: Actor) => a.role === 'patient';

/** Permission first (403), then relationship (404): own record for a patient, same clinic for staff. */
function canRead(a: Actor, t: Target): 200 | 403 | 404 {
  if (isPatient(a)) return !has(a, 'portal:self') ? 403 : t === 'own' ? 200 : 404;
  if (!has(a, 'patients:read')) return 403;
  return clinicOf[t] === a.clinic || has(a, 'patients:read_all_clinics') ? 200 : 404;
}
/** Writing needs patients:write and a patient of the active clinic; reading all clinics is not writing. */
function canWrite(a: Actor, t: Target): 200 | 403 | 404 {
  if (isPatient(a) || !has(a, 'patients:write')) return 403;
  return clinicOf[t] === a.clinic ? 200 : 404;
}
function canMerge(a: Actor, t: Target): 200 | 403 | 404 {
  return has(a, 'patients:merge') ? canWrite(a, t) : 403;
}
const staffWith = (a: Actor, p: Permission) => (!isPatient(a) && has(a, p) ? 'ok' : 403);

// ------------------------------------------------------------------ fixtures

let ctx: TestContext;
const sessions = new Map<string, Session>();
let patientIds: Record<Target, string>;
let pendingInvitee: string;
let counter = 0;

beforeAll(async () => {
  ctx = await createTestContext();
  patientIds = { own: ctx.ids.ownPatient, other: ctx.ids.kinPatient, gom: ctx.ids.gomPatient };
  // one login per actor for the whole file
  const logged = await Promise.all(actors.map((a) => ctx.login(a.email)));
  actors.forEach((a, i) => sessions.set(a.label, logged[i]!));
  const invite = await call(actorNamed('admin'), 'POST', '/api/admin/users', {
    email: 'pending.invitee@sanita.test',
    displayName: 'Pending Invitee',
    memberships: [{ clinicId: ctx.ids.kin, role: 'nurse' }],
  });
  expect(invite.statusCode).toBe(201);
  pendingInvitee = invite.json().id;
});
afterAll(async () => {
  await ctx.close();
});

function actorNamed(label: string): Actor {
  return actors.find((a) => a.label === label)!;
}
const clinicId = (c: Clinic) => (c === 'kin' ? ctx.ids.kin : ctx.ids.gom);

/** Calls the API as this actor, acting in their clinic. */
function call(a: Actor, method: string, url: string, body?: unknown) {
  return sessions.get(a.label)!.req(method, url, body, { 'x-clinic-id': clinicId(a.clinic) });
}

async function versionOf(id: string): Promise<number> {
  const { rows } = await ctx.sql.query<{ version: number }>('SELECT version FROM patients WHERE id = $1', [id]);
  return rows[0]!.version;
}

/** A fresh patient at Kinshasa, to be merged away without touching the shared fixtures. */
async function freshKinshasaPatient(): Promise<string> {
  counter += 1;
  const res = await call(actorNamed('admin'), 'POST', '/api/patients', {
    givenName: 'Doublon',
    familyName: `Matrice${counter}`,
    sex: 'unknown',
    birthDate: '1970-01-01',
    allowDuplicate: true,
  });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

/** The audit rows this actor wrote since `since` for `action`. */
async function auditedAs(since: number, a: Actor, action: string) {
  const userId = sessions.get(a.label)!.userId;
  return (await auditSince(ctx.sql, since)).filter((r) => r.actor_user_id === userId && r.action === action);
}

function expectRefusal(res: { statusCode: number; json(): unknown }, status: number) {
  const body = res.json() as { error?: { code: string }; mrn?: unknown };
  expect(body.error?.code).toBe(status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : body.error?.code);
  expect(body.mrn).toBeUndefined();
}

// ------------------------------------------------------------------ routes about one patient

interface PatientRoute {
  route: string;
  method: string;
  url: (id: string) => string;
  body?: (id: string) => Promise<unknown>;
  verdict: (a: Actor, t: Target) => 200 | 403 | 404;
  action: string;
}

const patientRoutes: PatientRoute[] = [
  { route: 'GET /api/patients/:id', method: 'GET', url: (id) => `/api/patients/${id}`, verdict: canRead, action: 'patient.read' },
  {
    route: 'GET /api/patients/:id/access-log',
    method: 'GET',
    url: (id) => `/api/patients/${id}/access-log`,
    verdict: canRead,
    action: 'patient.access_log.read',
  },
  {
    route: 'PATCH /api/patients/:id',
    method: 'PATCH',
    url: (id) => `/api/patients/${id}`,
    body: async (id) => ({ version: await versionOf(id), preferredLanguage: 'fr' }),
    verdict: canWrite,
    action: 'patient.update',
  },
  {
    route: 'POST /api/patients/:id/merge',
    method: 'POST',
    url: (id) => `/api/patients/${id}/merge`,
    body: async () => ({ duplicateId: await freshKinshasaPatient() }),
    verdict: canMerge,
    action: 'patient.merge',
  },
];

// ------------------------------------------------------------------ routes about patients, no id

interface PlainRoute {
  route: string;
  method: string;
  /** a function when it needs ids only known once the database exists */
  url: string | (() => string);
  body?: () => unknown;
  /** the status for this actor; 'ok' means the route's success status */
  verdict: (a: Actor) => 'ok' | 403 | 404 | 400 | 409;
  ok?: number;
  /** audited patient-data action, when the route is about patient data */
  action?: string;
}

const patientCollectionRoutes: PlainRoute[] = [
  {
    route: 'GET /api/patients',
    method: 'GET',
    url: '/api/patients?q=Mbuyi',
    verdict: (a) => (has(a, 'patients:read') ? 'ok' : 403),
    action: 'patient.search',
  },
  {
    route: 'POST /api/patients',
    method: 'POST',
    url: '/api/patients',
    body: () => {
      counter += 1;
      return {
        givenName: 'Nouveau',
        familyName: `Matrice${counter}`,
        sex: 'female',
        birthDate: '2001-02-03',
        allowDuplicate: true,
      };
    },
    verdict: (a) => staffWith(a, 'patients:write'),
    ok: 201,
    action: 'patient.create',
  },
  {
    route: 'GET /api/patients/duplicates',
    method: 'GET',
    url: '/api/patients/duplicates?givenName=Marie&familyName=Mbuyi',
    verdict: (a) => staffWith(a, 'patients:write'),
    action: 'patient.duplicate_check',
  },
  {
    route: 'GET /api/portal/me',
    method: 'GET',
    url: '/api/portal/me',
    verdict: (a) => (has(a, 'portal:self') ? 'ok' : 403),
    action: 'patient.read',
  },
  {
    route: 'GET /api/portal/access-log',
    method: 'GET',
    url: '/api/portal/access-log',
    verdict: (a) => (has(a, 'portal:self') ? 'ok' : 403),
    action: 'patient.access_log.read',
  },
];

const anyUuid = '00000000-0000-4000-8000-000000000000';
const userRoutes: PlainRoute[] = [
  { route: 'GET /api/auth/me', method: 'GET', url: '/api/auth/me', verdict: () => 'ok' },
  { route: 'GET /api/auth/sessions', method: 'GET', url: '/api/auth/sessions', verdict: () => 'ok' },
  { route: 'DELETE /api/auth/sessions', method: 'DELETE', url: '/api/auth/sessions', verdict: () => 'ok' },
  // someone else's (here: nobody's) session is not mine to revoke
  { route: 'DELETE /api/auth/sessions/:id', method: 'DELETE', url: `/api/auth/sessions/${anyUuid}`, verdict: () => 404 },
  { route: 'GET /api/auth/2fa', method: 'GET', url: '/api/auth/2fa', verdict: () => 'ok' },
  {
    route: 'POST /api/auth/password',
    method: 'POST',
    url: '/api/auth/password',
    body: () => ({ currentPassword: 'not-my-password-1', newPassword: 'Another-long-pass-77' }),
    verdict: () => 400,
  },
  { route: 'POST /api/auth/2fa/setup', method: 'POST', url: '/api/auth/2fa/setup', verdict: () => 'ok' },
  {
    route: 'POST /api/auth/2fa/disable',
    method: 'POST',
    url: '/api/auth/2fa/disable',
    body: () => ({ password: 'not-my-password-1', code: '123456' }),
    verdict: () => 409,
  },
];
const usersRead = (a: Actor) => (has(a, 'users:read') || has(a, 'users:write') ? 'ok' : 403);
const usersWrite = (a: Actor) => (has(a, 'users:write') ? 'ok' : 403);
const adminRoutes: PlainRoute[] = [
  { route: 'GET /api/admin/users', method: 'GET', url: '/api/admin/users', verdict: usersRead },
  {
    route: 'POST /api/admin/users',
    method: 'POST',
    url: '/api/admin/users',
    body: () => {
      counter += 1;
      return {
        email: `matrix.${counter}@sanita.test`,
        displayName: `Matrix ${counter}`,
        memberships: [{ clinicId: ctx.ids.kin, role: 'nurse' }],
      };
    },
    verdict: usersWrite,
    ok: 201,
  },
  {
    route: 'GET /api/admin/users/:id',
    method: 'GET',
    url: () => `/api/admin/users/${ctx.ids.users['nurse@sanita.test']}`,
    verdict: usersRead,
  },
  {
    route: 'PATCH /api/admin/users/:id',
    method: 'PATCH',
    url: () => `/api/admin/users/${ctx.ids.users['cashier@sanita.test']}`,
    body: () => ({ displayName: 'Rose Mwamba' }),
    verdict: usersWrite,
  },
  {
    route: 'PUT /api/admin/users/:id/memberships',
    method: 'PUT',
    url: () => `/api/admin/users/${ctx.ids.users['optician@sanita.test']}/memberships`,
    body: () => ({ memberships: [{ clinicId: ctx.ids.kin, role: 'optician' }] }),
    verdict: usersWrite,
  },
  {
    route: 'POST /api/admin/users/:id/unlock',
    method: 'POST',
    url: () => `/api/admin/users/${ctx.ids.users['cashier@sanita.test']}/unlock`,
    verdict: usersWrite,
  },
  {
    route: 'POST /api/admin/users/:id/invitation',
    method: 'POST',
    url: () => `/api/admin/users/${pendingInvitee}/invitation`,
    verdict: usersWrite,
  },
  {
    route: 'GET /api/admin/roles',
    method: 'GET',
    url: '/api/admin/roles',
    verdict: (a) => (has(a, 'roles:write') || has(a, 'users:write') ? 'ok' : 403),
  },
  {
    // writes back the insurer role as it is: the matrix must not change under its own feet
    route: 'PUT /api/admin/roles/:id',
    method: 'PUT',
    url: '/api/admin/roles/insurer',
    body: () => ({ permissions: [...DEFAULT_ROLE_PERMISSIONS.insurer], requireMfa: false }),
    verdict: (a) => (has(a, 'roles:write') ? 'ok' : 403),
  },
  {
    route: 'GET /api/admin/audit',
    method: 'GET',
    url: '/api/admin/audit?limit=5',
    verdict: (a) => (has(a, 'audit:read') ? 'ok' : 403),
  },
  {
    route: 'POST /api/admin/audit/verify',
    method: 'POST',
    url: '/api/admin/audit/verify',
    verdict: (a) => (has(a, 'audit:read') ? 'ok' : 403),
  },
];

// scheduling master data, practitioners and availability; the target is a seeded Kinshasa
// practitioner without a login (so "self" never applies) and fixtures are read in beforeAll
const sched = { specialty: '', visitType: '', practitioner: '', consultation: '', exceptions: [] as string[] };
const settingsWrite = (a: Actor) => staffWith(a, 'settings:write');
const schedulingRoutes: PlainRoute[] = [
  { route: 'GET /api/specialties', method: 'GET', url: '/api/specialties', verdict: () => 'ok' },
  {
    route: 'POST /api/specialties',
    method: 'POST',
    url: '/api/specialties',
    body: () => ({ code: `matrix-${++counter}`, name: `Matrix ${counter}`, nameFr: `Matrice ${counter}` }),
    verdict: settingsWrite,
    ok: 201,
  },
  {
    route: 'PATCH /api/specialties/:id',
    method: 'PATCH',
    url: () => `/api/specialties/${sched.specialty}`,
    body: () => ({ nameFr: 'Cardiologie' }),
    verdict: settingsWrite,
  },
  { route: 'GET /api/visit-types', method: 'GET', url: '/api/visit-types', verdict: () => 'ok' },
  {
    route: 'POST /api/visit-types',
    method: 'POST',
    url: '/api/visit-types',
    body: () => ({ code: `matrix-${++counter}`, name: `Matrix ${counter}`, nameFr: `Matrice ${counter}`, durationMinutes: 15 }),
    verdict: settingsWrite,
    ok: 201,
  },
  {
    route: 'PATCH /api/visit-types/:id',
    method: 'PATCH',
    url: () => `/api/visit-types/${sched.visitType}`,
    body: () => ({ color: 'orange' }),
    verdict: settingsWrite,
  },
  { route: 'GET /api/practitioners', method: 'GET', url: '/api/practitioners?language=fr', verdict: () => 'ok' },
  {
    route: 'POST /api/practitioners',
    method: 'POST',
    url: '/api/practitioners',
    body: () => ({ displayName: `Dr Matrix ${++counter}`, clinicIds: [ctx.ids.kin] }),
    verdict: settingsWrite,
    ok: 201,
  },
  {
    route: 'GET /api/practitioners/:id',
    method: 'GET',
    url: () => `/api/practitioners/${sched.practitioner}`,
    verdict: () => 'ok',
  },
  {
    route: 'PATCH /api/practitioners/:id',
    method: 'PATCH',
    url: () => `/api/practitioners/${sched.practitioner}`,
    body: () => ({ bio: 'General surgeon.' }),
    verdict: (a) => (a.clinic === 'kin' ? settingsWrite(a) : 403),
  },
  {
    route: 'POST /api/practitioners/:id/ical-token',
    method: 'POST',
    url: () => `/api/practitioners/${sched.practitioner}/ical-token`,
    verdict: (a) => (a.clinic === 'kin' ? settingsWrite(a) : 403),
  },
  {
    route: 'GET /api/practitioners/:id/availability',
    method: 'GET',
    url: () => `/api/practitioners/${sched.practitioner}/availability`,
    verdict: (a) => staffWith(a, 'appointments:read'),
  },
  {
    // a Goma actor without availability:write is refused before the relationship is looked at
    route: 'PUT /api/practitioners/:id/templates',
    method: 'PUT',
    url: () => `/api/practitioners/${sched.practitioner}/templates`,
    body: () => ({
      clinicId: ctx.ids.kin,
      templates: [{ weekday: 1, startTime: '08:00', endTime: '12:00', slotMinutes: 20, bufferMinutes: 5 }],
    }),
    verdict: (a) => (staffWith(a, 'availability:write') === 403 ? 403 : a.clinic === 'kin' ? 'ok' : 404),
  },
  {
    // the active clinic's closures: a Goma actor asking for Kinshasa's does not find them
    route: 'GET /api/availability/exceptions',
    method: 'GET',
    url: () => `/api/availability/exceptions?clinicId=${ctx.ids.kin}`,
    verdict: (a) =>
      staffWith(a, 'appointments:read') === 403 && staffWith(a, 'settings:write') === 403 ? 403 : a.clinic === 'kin' ? 'ok' : 404,
  },
  {
    route: 'POST /api/availability/exceptions',
    method: 'POST',
    url: '/api/availability/exceptions',
    body: () => ({
      practitionerId: sched.practitioner,
      kind: 'leave',
      startsAt: '2031-01-06T08:00:00Z',
      endsAt: '2031-01-06T12:00:00Z',
    }),
    verdict: (a) => (staffWith(a, 'availability:write') === 403 ? 403 : a.clinic === 'kin' ? 'ok' : 404),
    ok: 201,
  },
  {
    route: 'DELETE /api/availability/exceptions/:id',
    method: 'DELETE',
    url: () => `/api/availability/exceptions/${sched.exceptions.pop()}`,
    verdict: (a) => (staffWith(a, 'availability:write') === 403 ? 403 : a.clinic === 'kin' ? 'ok' : 404),
  },
  {
    route: 'GET /api/practitioners/:id/slots',
    method: 'GET',
    url: () =>
      `/api/practitioners/${sched.practitioner}/slots?clinicId=${ctx.ids.kin}&visitTypeId=${sched.consultation}&from=2031-01-06&to=2031-01-12`,
    verdict: () => 'ok',
  },
];

// front desk: a matrix service point of Kinshasa with its own queue; each actor allowed to walk a
// patient in takes the next Kinshasa patient of a pool, then calls them, so call-next always finds one
const fd = { servicePoint: '', triage: '', displayToken: '', patients: [] as string[], next: 0 };
const queueRead = (a: Actor) => (staffWith(a, 'queue:read') === 403 ? 403 : a.clinic === 'kin' ? 'ok' : 404);
const queueWrite = (a: Actor) => (staffWith(a, 'queue:write') === 403 ? 403 : a.clinic === 'kin' ? 'ok' : 404);
/** ticket moves on a ticket that does not exist: the permission (403) before the lookup (404) */
const noTicket = (a: Actor) => (staffWith(a, 'queue:write') === 403 ? 403 : 404);
const frontDeskRoutes: PlainRoute[] = [
  {
    route: 'GET /api/service-points',
    method: 'GET',
    url: '/api/service-points',
    verdict: (a) => (staffWith(a, 'queue:read') === 'ok' || staffWith(a, 'appointments:read') === 'ok' ? 'ok' : 403),
  },
  {
    route: 'POST /api/service-points',
    method: 'POST',
    url: '/api/service-points',
    body: () => ({ code: `MX${++counter}`, name: `Matrix ${counter}`, kind: 'other', ticketPrefix: 'MX' }),
    verdict: settingsWrite,
    ok: 201,
  },
  {
    route: 'PATCH /api/service-points/:id',
    method: 'PATCH',
    url: () => `/api/service-points/${fd.triage}`,
    body: () => ({ name: 'Triage' }),
    verdict: (a) => (settingsWrite(a) === 403 ? 403 : a.clinic === 'kin' ? 'ok' : 404),
  },
  {
    route: 'POST /api/visits/walk-in',
    method: 'POST',
    url: '/api/visits/walk-in',
    body: () => ({ patientId: fd.patients[fd.next++], servicePointId: fd.servicePoint, priority: 'normal' }),
    verdict: queueWrite,
    ok: 201,
    action: 'visit.walk_in',
  },
  {
    route: 'GET /api/queue',
    method: 'GET',
    url: () => `/api/queue?servicePointId=${fd.servicePoint}`,
    verdict: queueRead,
    action: 'queue.list',
  },
  {
    route: 'POST /api/queue/call-next',
    method: 'POST',
    url: '/api/queue/call-next',
    body: () => ({ servicePointId: fd.servicePoint }),
    verdict: queueWrite,
    action: 'queue.ticket.call',
  },
  {
    route: 'POST /api/appointments/:id/check-in',
    method: 'POST',
    url: `/api/appointments/${anyUuid}/check-in`,
    body: () => ({ servicePointId: fd.servicePoint, priority: 'normal' }),
    verdict: noTicket,
  },
  ...(['call', 'start', 'done', 'skip', 'requeue'] as const).map((action) => ({
    route: `POST /api/queue/tickets/:id/${action}`,
    method: 'POST',
    url: `/api/queue/tickets/${anyUuid}/${action}`,
    body: () => ({}),
    verdict: noTicket,
  })),
  {
    route: 'POST /api/queue/tickets/:id/transfer',
    method: 'POST',
    url: `/api/queue/tickets/${anyUuid}/transfer`,
    body: () => ({ servicePointId: fd.servicePoint }),
    verdict: noTicket,
  },
  { route: 'GET /api/display-tokens', method: 'GET', url: '/api/display-tokens', verdict: settingsWrite },
  {
    route: 'POST /api/display-tokens',
    method: 'POST',
    url: '/api/display-tokens',
    body: () => ({ name: `Matrix TV ${++counter}`, servicePointIds: [] }),
    verdict: settingsWrite,
    ok: 201,
  },
  {
    route: 'POST /api/display-tokens/:id/revoke',
    method: 'POST',
    url: () => `/api/display-tokens/${fd.displayToken}/revoke`,
    verdict: (a) => (settingsWrite(a) === 403 ? 403 : a.clinic === 'kin' ? 'ok' : 404),
  },
];

beforeAll(async () => {
  const kin = ctx.ids.kin;
  const q = async (text: string, params: unknown[] = []) => (await ctx.sql.query<{ id: string }>(text, params)).rows;
  fd.servicePoint = (
    await q(
      `INSERT INTO service_points (clinic_id, code, name, kind, ticket_prefix) VALUES ($1, 'MATRIX', 'Matrix', 'other', 'M') RETURNING id`,
      [kin],
    )
  )[0]!.id;
  fd.triage = (await q(`SELECT id FROM service_points WHERE clinic_id = $1 AND code = 'TRIAGE'`, [kin]))[0]!.id;
  fd.displayToken = (
    await q(
      `INSERT INTO display_tokens (clinic_id, name, token_hash) VALUES ($1, 'Matrix TV', 'matrix-not-a-real-hash') RETURNING id`,
      [kin],
    )
  )[0]!.id;
  fd.patients = (
    await q(
      `SELECT p.id FROM patients p JOIN patient_clinics pc ON pc.patient_id = p.id AND pc.clinic_id = $1
       WHERE p.status = 'active' ORDER BY p.mrn LIMIT $2`,
      [kin, actors.length + 5],
    )
  ).map((r) => r.id);
});

beforeAll(async () => {
  const one = async (q: string) => (await ctx.sql.query<{ id: string }>(q)).rows[0]!.id;
  sched.specialty = await one(`SELECT id FROM specialties WHERE code = 'cardiology'`);
  sched.visitType = await one(`SELECT id FROM visit_types WHERE code = 'procedure'`);
  sched.consultation = await one(`SELECT id FROM visit_types WHERE code = 'consultation'`);
  // not the practitioner the appointment rows book (Dr Ngoy): these rows rewrite the weekly hours
  sched.practitioner = await one(`SELECT id FROM practitioners WHERE display_name = 'Dr Joseph Kabamba'`);
  // one leave per actor for the DELETE route to remove
  const { rows } = await ctx.sql.query<{ id: string }>(
    `INSERT INTO availability_exceptions (practitioner_id, kind, starts_at, ends_at)
     SELECT $1, 'leave', '2031-02-03T08:00Z'::timestamptz + g * interval '1 day', '2031-02-03T12:00Z'::timestamptz + g * interval '1 day'
     FROM generate_series(1, $2::int) g RETURNING id`,
    [sched.practitioner, actors.length + 5],
  );
  sched.exceptions = rows.map((r) => r.id);
});

// appointments and the waiting list: each actor acts on fixtures of its own (appointments of a
// Kinshasa practitioner inserted in beforeAll, free slots computed once), so no case depends on
// another; a Goma actor reaches nothing at Kinshasa (404 after the permission check)
const ap = {
  byTarget: {} as Record<Target, string>,
  fresh: {} as Record<string, string[]>,
  slots: [] as string[],
  portalSlots: [] as string[],
  kinPatients: [] as string[],
  entries: [] as string[],
  ownEntry: '',
  consultation: '',
  practitioner: '',
};
const take = (kind: string) => ap.fresh[kind]!.pop()!;
const apptRead = (a: Actor) => staffWith(a, 'appointments:read');
const apptWrite = (a: Actor) => (staffWith(a, 'appointments:write') === 403 ? 403 : a.clinic === 'kin' ? 'ok' : 404);
const portalSelf = (a: Actor) => (has(a, 'portal:self') ? 'ok' : 403);
/** GET /api/appointments/:id on each target's appointment: the clinic is the relationship */
const appointmentByTarget = (a: Actor, t: Target): 200 | 403 | 404 =>
  isPatient(a) || !has(a, 'appointments:read') ? 403 : clinicOf[t] === a.clinic ? 200 : 404;
const appointmentRoutes: PlainRoute[] = [
  {
    route: 'GET /api/appointments',
    method: 'GET',
    url: '/api/appointments?from=2031-05-01&to=2031-05-20',
    verdict: apptRead,
    action: 'appointment.list',
  },
  {
    route: 'POST /api/appointments',
    method: 'POST',
    url: '/api/appointments',
    body: () => ({
      patientId: ap.kinPatients[counter++ % ap.kinPatients.length],
      practitionerId: ap.practitioner,
      visitTypeId: ap.consultation,
      startsAt: ap.slots.pop(),
    }),
    verdict: apptWrite,
    ok: 201,
    action: 'appointment.create',
  },
  {
    route: 'POST /api/appointments/:id/confirm',
    method: 'POST',
    url: () => `/api/appointments/${take('requested')}/confirm`,
    verdict: apptWrite,
    action: 'appointment.confirm',
  },
  {
    route: 'POST /api/appointments/:id/cancel',
    method: 'POST',
    url: () => `/api/appointments/${take('cancel')}/cancel`,
    body: () => ({ reason: 'matrix' }),
    verdict: apptWrite,
    action: 'appointment.cancel',
  },
  {
    route: 'POST /api/appointments/:id/reschedule',
    method: 'POST',
    url: () => `/api/appointments/${take('reschedule')}/reschedule`,
    body: () => ({ startsAt: ap.slots.pop() }),
    verdict: apptWrite,
    ok: 201,
    action: 'appointment.reschedule',
  },
  {
    route: 'POST /api/appointments/:id/status',
    method: 'POST',
    url: () => `/api/appointments/${take('past')}/status`,
    body: () => ({ status: 'no_show' }),
    verdict: apptWrite,
    action: 'appointment.status',
  },
  { route: 'GET /api/waitlist', method: 'GET', url: '/api/waitlist', verdict: apptRead, action: 'waitlist.list' },
  {
    route: 'POST /api/waitlist',
    method: 'POST',
    url: '/api/waitlist',
    body: () => ({
      patientId: ap.kinPatients[counter++ % ap.kinPatients.length],
      visitTypeId: ap.consultation,
      earliest: '2031-06-01',
      latest: '2031-06-30',
    }),
    verdict: apptWrite,
    ok: 201,
    action: 'waitlist.create',
  },
  {
    route: 'POST /api/waitlist/:id/cancel',
    method: 'POST',
    url: () => `/api/waitlist/${ap.entries.pop()}/cancel`,
    verdict: apptWrite,
    action: 'waitlist.cancel',
  },
  // nothing is offered on these entries: staff who may act get 409 INVALID_STATUS
  ...(['accept', 'decline'] as const).map((action) => ({
    route: `POST /api/waitlist/:id/${action}`,
    method: 'POST',
    url: () => `/api/waitlist/${ap.entries[0]}/${action}`,
    verdict: (a: Actor) => (apptWrite(a) === 'ok' ? (409 as const) : apptWrite(a)),
  })),
  {
    route: 'GET /api/portal/appointments',
    method: 'GET',
    url: '/api/portal/appointments',
    verdict: portalSelf,
    action: 'appointment.list',
  },
  {
    route: 'POST /api/portal/appointments',
    method: 'POST',
    url: '/api/portal/appointments',
    body: () => ({
      clinicId: ctx.ids.kin,
      practitionerId: ap.practitioner,
      visitTypeId: ap.consultation,
      startsAt: ap.portalSlots.pop(),
    }),
    verdict: portalSelf,
    ok: 201,
    action: 'appointment.create',
  },
  {
    route: 'POST /api/portal/appointments/:id/cancel',
    method: 'POST',
    url: () => `/api/portal/appointments/${take('own')}/cancel`,
    verdict: portalSelf,
    action: 'appointment.cancel',
  },
  {
    route: 'POST /api/portal/appointments/:id/reschedule',
    method: 'POST',
    url: () => `/api/portal/appointments/${take('own')}/reschedule`,
    body: () => ({ startsAt: ap.portalSlots.pop() }),
    verdict: portalSelf,
    ok: 201,
    action: 'appointment.reschedule',
  },
  { route: 'GET /api/portal/waitlist', method: 'GET', url: '/api/portal/waitlist', verdict: portalSelf, action: 'waitlist.list' },
  ...(['accept', 'decline'] as const).map((action) => ({
    route: `POST /api/portal/waitlist/:id/${action}`,
    method: 'POST',
    url: () => `/api/portal/waitlist/${ap.ownEntry}/${action}`,
    verdict: (a: Actor) => (has(a, 'portal:self') ? (409 as const) : (403 as const)),
  })),
];

beforeAll(async () => {
  const kin = ctx.ids.kin;
  const one = async (q: string, p: unknown[] = []) => (await ctx.sql.query<{ id: string }>(q, p)).rows[0]!.id;
  ap.consultation = await one(`SELECT id FROM visit_types WHERE code = 'consultation'`);
  ap.practitioner = await one(`SELECT id FROM practitioners WHERE display_name = 'Dr Patrice Ngoy'`);
  const ilunga = await one(`SELECT id FROM practitioners WHERE display_name = 'Dr Béatrice Ilunga'`);
  const kavira = await one(`SELECT id FROM practitioners WHERE display_name = 'Dr Esther Kavira'`);
  ap.kinPatients = (
    await ctx.sql.query<{ id: string }>(
      `SELECT p.id FROM patients p JOIN patient_clinics pc ON pc.patient_id = p.id AND pc.clinic_id = $1
        WHERE p.status = 'active' AND p.id <> $2 ORDER BY p.mrn DESC LIMIT 40`,
      [kin, ctx.ids.ownPatient],
    )
  ).rows.map((r) => r.id);
  // every other slot: a 20-minute visit and Dr Ngoy's 5-minute buffer overlap the next start
  const slots = async (from: string, to: string) =>
    (
      await ctx.app.services.availability.freeSlots({
        practitionerId: ap.practitioner,
        clinicId: kin,
        visitTypeId: ap.consultation,
        from,
        to,
      })
    ).data
      .filter((_s, i) => i % 2 === 0)
      .map((s) => s.startsAt);
  ap.slots = await slots('2031-03-03', '2031-03-31');
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  ap.portalSlots = await slots(day(25), day(45));
  let k = 0;
  const insert = async (practitionerId: string, clinicId: string, patientId: string, status: string, past = false) => {
    k += 1;
    // long past or far ahead: clear of the demo's appointments of these patients
    const start = `'${past ? '2020-05-01' : '2031-05-01'}T00:00Z'::timestamptz + interval '${k * 30} minutes'`;
    return one(
      `INSERT INTO appointments (clinic_id, practitioner_id, patient_id, visit_type_id, starts_at, ends_at, block_ends_at, status, source)
       VALUES ($1, $2, $3, $4, ${start}, ${start} + interval '20 minutes', ${start} + interval '20 minutes', $5, 'staff') RETURNING id`,
      [clinicId, practitionerId, patientId, ap.consultation, status],
    );
  };
  ap.byTarget = {
    own: await insert(ap.practitioner, kin, ctx.ids.ownPatient, 'booked'),
    other: await insert(ap.practitioner, kin, ctx.ids.kinPatient, 'booked'),
    gom: await insert(kavira, ctx.ids.gom, ctx.ids.gomPatient, 'booked'),
  };
  const n = actors.length;
  const many = async (make: (i: number) => Promise<string>) => Promise.all(Array.from({ length: n }, (_x, i) => make(i)));
  ap.fresh.requested = [];
  for (let i = 0; i < n; i++) ap.fresh.requested.push(await insert(ilunga, kin, ap.kinPatients[i % 40]!, 'requested'));
  for (const kind of ['cancel', 'reschedule']) {
    ap.fresh[kind] = [];
    for (let i = 0; i < n; i++) ap.fresh[kind].push(await insert(ap.practitioner, kin, ap.kinPatients[i % 40]!, 'booked'));
  }
  ap.fresh.past = [];
  for (let i = 0; i < n; i++) ap.fresh.past.push(await insert(ap.practitioner, kin, ap.kinPatients[i % 40]!, 'booked', true));
  ap.fresh.own = [];
  for (let i = 0; i < 2 * n; i++) ap.fresh.own.push(await insert(ap.practitioner, kin, ctx.ids.ownPatient, 'booked'));
  ap.entries = await many((i) =>
    one(
      `INSERT INTO waitlist_entries (clinic_id, patient_id, visit_type_id, earliest, latest, status)
       VALUES ($1, $2, $3, '2031-07-01', '2031-07-31', 'waiting') RETURNING id`,
      [kin, ap.kinPatients[i % 40], ap.consultation],
    ),
  );
  ap.entries.push(ap.entries[0]!); // accept/decline read entries[0]; the cancel route pops from the end
  ap.ownEntry = await one(
    `INSERT INTO waitlist_entries (clinic_id, patient_id, visit_type_id, earliest, latest, status)
     VALUES ($1, $2, $3, '2031-07-01', '2031-07-31', 'waiting') RETURNING id`,
    [kin, ctx.ids.ownPatient, ap.consultation],
  );
});

/** Routes anyone may call without a token; everything else under /api needs one. */
const PUBLIC_ROUTES = new Set([
  'POST /api/auth/login',
  'POST /api/auth/refresh',
  'POST /api/auth/logout',
  'POST /api/auth/password/forgot',
  'POST /api/auth/password/reset',
  'POST /api/auth/register',
  'POST /api/auth/verify-email',
  'POST /api/auth/invitations/accept',
  'GET /api/clinics',
  'GET /api/ical/:token.ics',
  // a waiting-room screen: its display token (header) is checked by the route, 401 without it
  'GET /api/display/board',
]);
/** Covered by its own test below rather than the per-role table (it needs a setup step first). */
const COVERED_ELSEWHERE = new Set(['POST /api/auth/2fa/enable']);

const urlOf = (r: PlainRoute) => (typeof r.url === 'function' ? r.url() : r.url);
const statusFor = (r: PlainRoute, v: ReturnType<PlainRoute['verdict']>) => (v === 'ok' ? (r.ok ?? 200) : v);

// ------------------------------------------------------------------ the matrix

describe('every /api route is in this matrix', () => {
  it('the OpenAPI document lists no route the matrix does not classify', () => {
    const doc = ctx.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const registered = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const classified = new Set([
      ...patientRoutes.map((r) => r.route),
      ...patientCollectionRoutes.map((r) => r.route),
      ...userRoutes.map((r) => r.route),
      ...adminRoutes.map((r) => r.route),
      ...schedulingRoutes.map((r) => r.route),
      ...frontDeskRoutes.map((r) => r.route),
      ...appointmentRoutes.map((r) => r.route),
      'GET /api/appointments/:id',
      ...PUBLIC_ROUTES,
      ...COVERED_ELSEWHERE,
    ]);
    expect(registered.length).toBeGreaterThan(30);
    expect(registered.filter((r) => r.includes(' /api/') && !classified.has(r))).toEqual([]);
    // and nothing in the matrix is stale
    expect([...classified].filter((r) => !registered.includes(r))).toEqual([]);
  });
});

/** it.each with a leading name column, so that test names read without quotes */
const named = <T>(cases: T[], name: (c: T) => string): [string, T][] => cases.map((c) => [name(c), c]);

describe.each(actors.map((a) => [a.label, a] as const))('%s', (_label, actor) => {
  const targetCases = patientRoutes.flatMap((r) => targets.map((target) => ({ ...r, target, status: r.verdict(actor, target) })));
  it.each(named(targetCases, (c) => `${c.route} on the ${c.target} patient → ${c.status}, audited`))('%s', async (_n, c) => {
    const id = patientIds[c.target];
    const body = c.body ? await c.body(id) : undefined;
    const since = await lastAuditId(ctx.sql);
    const res = await call(actor, c.method, c.url(id), body);
    expect(res.statusCode, res.body).toBe(c.status);
    if (c.status === 200) {
      if (c.action !== 'patient.access_log.read') expect(res.json().id).toBe(id);
    } else expectRefusal(res, c.status);
    const rows = await auditedAs(since, actor, c.action);
    expect(rows).toContainEqual(expect.objectContaining({ patient_id: id, outcome: c.status === 200 ? 'success' : 'denied' }));
  });

  const collectionCases = patientCollectionRoutes.map((r) => ({ ...r, status: statusFor(r, r.verdict(actor)) }));
  it.each(named(collectionCases, (c) => `${c.route} → ${c.status}, audited`))('%s', async (_n, c) => {
    const since = await lastAuditId(ctx.sql);
    const res = await call(actor, c.method, urlOf(c), c.body?.());
    expect(res.statusCode, res.body).toBe(c.status);
    const rows = await auditedAs(since, actor, c.action!);
    expect(rows.length, `${c.action} audited`).toBeGreaterThan(0);
    if (c.status >= 400) {
      expectRefusal(res, c.status);
      expect(rows.every((r) => r.outcome === 'denied')).toBe(true);
      return;
    }
    expect(rows.every((r) => r.outcome === 'success')).toBe(true);
    if (c.route === 'POST /api/patients') expect(rows[0]!.patient_id).toBe(res.json().id);
    if (c.route === 'GET /api/portal/me') {
      expect(res.json().id).toBe(ctx.ids.ownPatient);
      expect(rows[0]!.patient_id).toBe(ctx.ids.ownPatient);
    }
  });

  it.each(
    named(
      [...userRoutes, ...adminRoutes, ...schedulingRoutes].map((r) => ({ ...r, status: statusFor(r, r.verdict(actor)) })),
      (c) => `${c.route} → ${c.status}`,
    ),
  )('%s', async (_n, c) => {
    const res = await call(actor, c.method, urlOf(c), c.body?.());
    expect(res.statusCode, res.body).toBe(c.status);
    if (c.status === 403) expect(res.json().error.code).toBe('FORBIDDEN');
  });

  it.each(
    named(
      frontDeskRoutes.map((r) => ({ ...r, status: statusFor(r, r.verdict(actor)) })),
      (c) => `${c.route} → ${c.status}${c.action ? ', audited' : ''}`,
    ),
  )('%s', async (_n, c) => {
    const since = await lastAuditId(ctx.sql);
    const res = await call(actor, c.method, urlOf(c), c.body?.());
    expect(res.statusCode, res.body).toBe(c.status);
    if (c.status === 403) expect(res.json().error.code).toBe('FORBIDDEN');
    if (c.action && c.status < 300) {
      const rows = await auditedAs(since, actor, c.action);
      expect(rows, `${c.action} audited`).toHaveLength(1);
      expect(rows[0]!.outcome).toBe('success');
      if (c.action !== 'queue.list') expect(rows[0]!.patient_id).toBeTruthy();
    }
    if (c.status >= 400) expect(JSON.stringify(res.json())).not.toMatch(/"mrn"|"patient"/);
  });

  it.each(
    named(
      targets.map((target) => ({ target, status: appointmentByTarget(actor, target) })),
      (c) => `GET /api/appointments/:id of the ${c.target} patient → ${c.status}${c.status === 403 ? '' : ', audited'}`,
    ),
  )('%s', async (_n, c) => {
    const since = await lastAuditId(ctx.sql);
    const res = await call(actor, 'GET', `/api/appointments/${ap.byTarget[c.target]}`);
    expect(res.statusCode, res.body).toBe(c.status);
    if (c.status === 403) return expectRefusal(res, 403);
    const rows = await auditedAs(since, actor, 'appointment.read');
    expect(rows).toEqual([
      expect.objectContaining({ patient_id: patientIds[c.target], outcome: c.status === 200 ? 'success' : 'denied' }),
    ]);
    if (c.status === 404) expect(JSON.stringify(res.json())).not.toMatch(/"mrn"|"patient"/);
  });

  it.each(
    named(
      appointmentRoutes.map((r) => ({ ...r, status: statusFor(r, r.verdict(actor)) })),
      (c) => `${c.route} → ${c.status}${c.action && c.status < 300 ? ', audited' : ''}`,
    ),
  )('%s', async (_n, c) => {
    const since = await lastAuditId(ctx.sql);
    const res = await call(actor, c.method, urlOf(c), c.body?.());
    expect(res.statusCode, res.body).toBe(c.status);
    if (c.status === 403) expect(res.json().error.code).toBe('FORBIDDEN');
    if (c.action && c.status < 300) {
      const rows = await auditedAs(since, actor, c.action);
      expect(rows, `${c.action} audited`).toHaveLength(1);
      expect(rows[0]!.outcome).toBe('success');
      // one patient's data: the row names them; lists name the patients shown in details
      if (!c.route.startsWith('GET /api/appointments') && c.route !== 'GET /api/waitlist')
        expect(rows[0]!.patient_id).toBeTruthy();
    }
    if (c.status >= 400) expect(JSON.stringify(res.json())).not.toMatch(/"mrn"|"patient"/);
  });

  it('POST /api/auth/2fa/enable → 400 for a wrong code after setup (the route is open to every role)', async () => {
    const setup = await call(actor, 'POST', '/api/auth/2fa/setup');
    expect(setup.statusCode).toBe(200);
    const secret = setup.json().secret as string;
    const near = new Set([-2, -1, 0, 1, 2].map((k) => authenticator.clone({ epoch: Date.now() + k * 30_000 }).generate(secret)));
    let wrong = '000000';
    while (near.has(wrong)) wrong = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
    const res = await call(actor, 'POST', '/api/auth/2fa/enable', { code: wrong });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toContainEqual(expect.objectContaining({ field: 'code' }));
  });
});

// ------------------------------------------------------------------ hand-written spot checks

describe('spot checks, written out by hand', () => {
  const as = (label: string) => actorNamed(label);

  it('a doctor reads a Kinshasa patient', async () => {
    const res = await call(as('doctor'), 'GET', `/api/patients/${ctx.ids.kinPatient}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(ctx.ids.kinPatient);
  });
  it('a pharmacist reads but cannot change a patient (403)', async () => {
    expect((await call(as('pharmacist'), 'GET', `/api/patients/${ctx.ids.kinPatient}`)).statusCode).toBe(200);
    const res = await call(as('pharmacist'), 'PATCH', `/api/patients/${ctx.ids.kinPatient}`, {
      version: await versionOf(ctx.ids.kinPatient),
      givenName: 'Changed',
    });
    expect(res.statusCode).toBe(403);
    const { rows } = await ctx.sql.query('SELECT given_name FROM patients WHERE id = $1', [ctx.ids.kinPatient]);
    expect(rows[0].given_name).not.toBe('Changed');
  });
  it('an insurer cannot read a patient record (403)', async () => {
    expect((await call(as('insurer'), 'GET', `/api/patients/${ctx.ids.kinPatient}`)).statusCode).toBe(403);
    expect((await call(as('insurer'), 'GET', '/api/patients?q=Mbuyi')).statusCode).toBe(403);
  });
  it('a patient cannot search (403) nor read another patient (404), but reads themself', async () => {
    expect((await call(as('patient'), 'GET', '/api/patients?q=Mbuyi')).statusCode).toBe(403);
    expect((await call(as('patient'), 'GET', `/api/patients/${ctx.ids.kinPatient}`)).statusCode).toBe(404);
    expect((await call(as('patient'), 'GET', `/api/patients/${ctx.ids.ownPatient}`)).statusCode).toBe(200);
    expect((await call(as('patient'), 'PATCH', `/api/patients/${ctx.ids.ownPatient}`, { version: 1 })).statusCode).toBe(403);
  });
  it('a Kinshasa doctor gets 404 for a Goma patient; the Goma doctor reads it', async () => {
    expect((await call(as('doctor'), 'GET', `/api/patients/${ctx.ids.gomPatient}`)).statusCode).toBe(404);
    expect((await call(as('doctor.goma'), 'GET', `/api/patients/${ctx.ids.gomPatient}`)).statusCode).toBe(200);
    expect((await call(as('doctor.goma'), 'GET', `/api/patients/${ctx.ids.kinPatient}`)).statusCode).toBe(404);
  });
  it('a receptionist registers (201); a cashier cannot (403) and nothing is created', async () => {
    const body = { givenName: 'Spot', familyName: 'Check', sex: 'male', birthDate: '1999-09-09', allowDuplicate: true };
    expect((await call(as('receptionist'), 'POST', '/api/patients', body)).statusCode).toBe(201);
    const count = async () => (await ctx.sql.query('SELECT count(*)::int AS n FROM patients')).rows[0].n as number;
    const before = await count();
    expect((await call(as('cashier'), 'POST', '/api/patients', body)).statusCode).toBe(403);
    expect(await count()).toBe(before);
  });
  it('a manager lists users but cannot invite; only admins edit the role matrix', async () => {
    expect((await call(as('manager'), 'GET', '/api/admin/users')).statusCode).toBe(200);
    expect(
      (
        await call(as('manager'), 'POST', '/api/admin/users', {
          email: 'spot.manager@sanita.test',
          displayName: 'X',
          memberships: [{ clinicId: ctx.ids.kin, role: 'nurse' }],
        })
      ).statusCode,
    ).toBe(403);
    expect((await call(as('doctor'), 'PUT', '/api/admin/roles/insurer', { permissions: [], requireMfa: false })).statusCode).toBe(
      403,
    );
  });
  it('the rules above agree with these spot checks', () => {
    expect(canRead(as('doctor'), 'other')).toBe(200);
    expect(canWrite(as('pharmacist'), 'other')).toBe(403);
    expect(canRead(as('insurer'), 'other')).toBe(403);
    expect(canRead(as('patient'), 'other')).toBe(404);
    expect(canRead(as('doctor'), 'gom')).toBe(404);
    expect(canRead(as('super_admin'), 'gom')).toBe(200);
    expect(canWrite(as('super_admin'), 'gom')).toBe(404);
  });
});

describe('the active clinic (X-Clinic-Id)', () => {
  it('refuses a clinic the user is not a member of with 403 CLINIC_FORBIDDEN', async () => {
    const doctor = sessions.get('doctor')!;
    const since = await lastAuditId(ctx.sql);
    for (const clinic of [ctx.ids.gom, anyUuid, 'not-a-uuid']) {
      const res = await doctor.req('GET', `/api/patients/${ctx.ids.gomPatient}`, undefined, { 'x-clinic-id': clinic });
      expect(res.statusCode, clinic).toBe(403);
      expect(res.json().error.code).toBe('CLINIC_FORBIDDEN');
    }
    // each refusal is an audited access attempt; the patient was never looked at
    const { rows } = await ctx.sql.query(
      `SELECT action, outcome, actor_user_id, resource_id, patient_id, ip IS NOT NULL AS has_ip FROM audit_log WHERE id > $1 ORDER BY id`,
      [since],
    );
    expect(rows).toEqual(
      [ctx.ids.gom, anyUuid, 'not-a-uuid'].map((clinic) => ({
        action: 'access.clinic',
        outcome: 'denied',
        actor_user_id: doctor.userId,
        resource_id: clinic,
        patient_id: null,
        has_ip: true,
      })),
    );
  });

  it('lets an admin acting at Goma read the Goma patient, and not while acting at Kinshasa', async () => {
    const admin = sessions.get('admin')!;
    const atGoma = await admin.req('GET', `/api/patients/${ctx.ids.gomPatient}`, undefined, { 'x-clinic-id': ctx.ids.gom });
    expect(atGoma.statusCode).toBe(200);
    expect(atGoma.json().id).toBe(ctx.ids.gomPatient);
    const atKin = await admin.req('GET', `/api/patients/${ctx.ids.gomPatient}`, undefined, { 'x-clinic-id': ctx.ids.kin });
    expect(atKin.statusCode).toBe(404);
    const search = await admin.req('GET', '/api/patients?q=Mbuyi', undefined, { 'x-clinic-id': ctx.ids.gom });
    expect((search.json().data as { primaryClinicId: string }[]).every((p) => p.primaryClinicId === ctx.ids.gom)).toBe(true);
  });

  it('lets a super admin read every clinic from Kinshasa but change a Goma record only while acting at Goma', async () => {
    const sa = sessions.get('super_admin')!;
    const kin = { 'x-clinic-id': ctx.ids.kin };
    expect((await sa.req('GET', `/api/patients/${ctx.ids.gomPatient}`, undefined, kin)).statusCode).toBe(200);
    const body = async () => ({ version: await versionOf(ctx.ids.gomPatient), preferredLanguage: 'sw' });
    expect((await sa.req('PATCH', `/api/patients/${ctx.ids.gomPatient}`, await body(), kin)).statusCode).toBe(404);
    const atGoma = await sa.req('PATCH', `/api/patients/${ctx.ids.gomPatient}`, await body(), { 'x-clinic-id': ctx.ids.gom });
    expect(atGoma.statusCode).toBe(200);
    expect(atGoma.json().preferredLanguage).toBe('sw');
  });

  it('acts in the only clinic of a single-clinic user without the header', async () => {
    const doctor = sessions.get('doctor')!;
    expect((await doctor.req('GET', `/api/patients/${ctx.ids.kinPatient}`)).statusCode).toBe(200);
    expect((await doctor.req('GET', '/api/auth/me')).json().clinicId).toBe(ctx.ids.kin);
  });
});

describe('without a token', () => {
  const operations = () => {
    const doc = ctx.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    return Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => ({ method: m.toUpperCase(), path: p, key: `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}` })),
    );
  };
  const concrete = (p: string) => p.replace('{id}', p.startsWith('/api/admin/roles') ? 'doctor' : anyUuid);

  it('every non-public /api route answers 401 and writes nothing', async () => {
    const ops = operations().filter((o) => o.path.startsWith('/api/') && !PUBLIC_ROUTES.has(o.key));
    expect(ops.length).toBeGreaterThan(25);
    const since = await lastAuditId(ctx.sql);
    for (const o of ops) {
      for (const authorization of [undefined, 'Bearer not-a-token', 'Basic YWRtaW46YWRtaW4=']) {
        const res = await ctx.app.inject({
          method: o.method as 'GET',
          url: concrete(o.path),
          headers: authorization ? { authorization } : {},
          ...(['POST', 'PUT', 'PATCH'].includes(o.method) ? { payload: {} } : {}),
        });
        expect(res.statusCode, `${o.key} ${authorization ?? 'no header'}`).toBe(401);
        expect(res.json().error.code).toBe(authorization === 'Bearer not-a-token' ? 'INVALID_TOKEN' : 'UNAUTHORIZED');
      }
    }
    const rows = await auditSince(ctx.sql, since);
    expect(rows.filter((r) => r.action.startsWith('patient.'))).toEqual([]);
  });

  it('public routes answer without a token (never "authentication required")', async () => {
    for (const key of PUBLIC_ROUTES) {
      const [method, path] = key.split(' ') as [string, string];
      const res = await ctx.app.inject({ method: method as 'GET', url: path, ...(method === 'POST' ? { payload: {} } : {}) });
      expect(res.statusCode, key).toBeLessThan(500);
      if (res.statusCode === 401) expect(res.json().error.code, key).not.toBe('UNAUTHORIZED');
    }
    const clinics = await ctx.app.inject({ method: 'GET', url: '/api/clinics' });
    expect(clinics.statusCode).toBe(200);
    expect((clinics.json().data as { code: string }[]).map((c) => c.code).sort()).toEqual(['GOM', 'KIN']);
  });

  it('a token stops working after logout, on every kind of route', async () => {
    const s = await ctx.login('nurse@sanita.test');
    const out = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${s.token}`, 'x-csrf-token': s.cookies.sanita_csrf! },
      cookies: { sanita_csrf: s.cookies.sanita_csrf!, sanita_refresh: s.cookies.sanita_refresh! },
    });
    expect(out.statusCode).toBe(200);
    for (const url of [`/api/patients/${ctx.ids.kinPatient}`, '/api/patients?q=Mbuyi', '/api/auth/me', '/api/portal/me']) {
      const res = await s.req('GET', url);
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error.code).toBe('INVALID_TOKEN');
    }
  });
});
