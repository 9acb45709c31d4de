import { expect } from 'vitest';
import {
  actorNamed,
  call,
  clinicOf,
  has,
  isPatient,
  next,
  staffWith,
  versionOf,
  type Actor,
  type MatrixSection,
  type Target,
} from '../../../test/matrix.ts';

/** Permission first (403), then relationship (404): own record for a patient, same clinic for staff. */
export function canRead(a: Actor, t: Target): 200 | 403 | 404 {
  if (isPatient(a)) return !has(a, 'portal:self') ? 403 : t === 'own' ? 200 : 404;
  if (!has(a, 'patients:read')) return 403;
  return clinicOf[t] === a.clinic || has(a, 'patients:read_all_clinics') ? 200 : 404;
}
/** Writing needs patients:write and a patient of the active clinic; reading all clinics is not writing. */
export function canWrite(a: Actor, t: Target): 200 | 403 | 404 {
  if (isPatient(a) || !has(a, 'patients:write')) return 403;
  return clinicOf[t] === a.clinic ? 200 : 404;
}
function canMerge(a: Actor, t: Target): 200 | 403 | 404 {
  return has(a, 'patients:merge') ? canWrite(a, t) : 403;
}

/** A fresh patient at Kinshasa, to be merged away without touching the shared fixtures. */
async function freshKinshasaPatient(): Promise<string> {
  const res = await call(actorNamed('admin'), 'POST', '/api/patients', {
    givenName: 'Doublon',
    familyName: `Matrice${next()}`,
    sex: 'unknown',
    birthDate: '1970-01-01',
    allowDuplicate: true,
  });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

const section: MatrixSection = {
  targetRoutes: [
    {
      route: 'GET /api/patients/:id',
      method: 'GET',
      url: (id) => `/api/patients/${id}`,
      verdict: canRead,
      action: 'patient.read',
      returnsTarget: true,
    },
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
      returnsTarget: true,
    },
    {
      route: 'POST /api/patients/:id/merge',
      method: 'POST',
      url: (id) => `/api/patients/${id}/merge`,
      body: async () => ({ duplicateId: await freshKinshasaPatient() }),
      verdict: canMerge,
      action: 'patient.merge',
      returnsTarget: true,
    },
  ],
  routes: [
    {
      route: 'GET /api/patients',
      method: 'GET',
      url: '/api/patients?q=Mbuyi',
      verdict: (a) => (has(a, 'patients:read') ? 'ok' : 403),
      action: 'patient.search',
      auditRefusals: true,
    },
    {
      route: 'POST /api/patients',
      method: 'POST',
      url: '/api/patients',
      body: () => ({
        givenName: 'Nouveau',
        familyName: `Matrice${next()}`,
        sex: 'female',
        birthDate: '2001-02-03',
        allowDuplicate: true,
      }),
      verdict: (a) => staffWith(a, 'patients:write'),
      ok: 201,
      action: 'patient.create',
      auditRefusals: true,
      check: (res, rows) => expect(rows[0]!.patient_id).toBe(res.json().id),
    },
    {
      route: 'GET /api/patients/duplicates',
      method: 'GET',
      url: '/api/patients/duplicates?givenName=Marie&familyName=Mbuyi',
      verdict: (a) => staffWith(a, 'patients:write'),
      action: 'patient.duplicate_check',
      auditRefusals: true,
    },
  ],
};
export default section;
