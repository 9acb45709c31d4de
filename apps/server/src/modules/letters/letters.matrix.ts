import { expect, it } from 'vitest';
import type { Permission } from '@sanita/contracts/catalogue';
import { auditSince, lastAuditId } from '../../../test/helpers.ts';
import {
  actors,
  call,
  clinicOf,
  has,
  isPatient,
  matrixContext,
  patientIds,
  sessionOf,
  targets,
  type Actor,
  type MatrixSection,
  type Target,
} from '../../../test/matrix.ts';

/** Letters are staff's, at the active clinic: the permission first (403), then a patient registered there (404). */
function canLetters(a: Actor, t: Target, permission: Permission): 200 | 403 | 404 {
  if (isPatient(a) || !has(a, permission)) return 403;
  return clinicOf[t] === a.clinic ? 200 : 404;
}

const ISSUE = 'POST /api/patients/:patientId/letters';
const REVOKE = 'POST /api/letters/:id/revoke';
const SICK = { kind: 'sick_note', restFrom: '2026-12-07', restTo: '2026-12-08' };

/** A letter issued for the own (Kinshasa) patient, written straight to the database (the routes are under test). */
async function letterOfOwnPatient(): Promise<string> {
  const { sql, ids } = matrixContext();
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO letters (patient_id, clinic_id, kind, language, rest_from, rest_to, snapshot, issued_by, verification_code)
     SELECT $1, $2, 'sick_note', 'en', '2026-12-07', '2026-12-08',
            '{"patient":{"name":"M","birthDate":"1990-01-01","sex":"female","mrn":"KIN-0000001-Q"},"clinic":{"name":"K","address":null,"timezone":"Africa/Kinshasa"},"organisation":"S","practitioner":{"name":"D","licenceNumber":null,"specialties":[]}}',
            u.id, upper(substr(md5(random()::text), 1, 12))
       FROM users u WHERE u.email = 'doctor@sanita.test' RETURNING id`,
    [patientIds().own, ids.kin],
  );
  return rows[0]!.id;
}

/**
 * A consultation of the own (Kinshasa) patient whose note is signed, written straight to the database:
 * one per actor, so that each successful visit-summary request issues its own (201).
 */
async function signedConsultationOfOwnPatient(): Promise<string> {
  const { sql, ids } = matrixContext();
  const doctor = `(SELECT id FROM users WHERE email = 'doctor@sanita.test')`;
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO encounters (clinic_id, patient_id, type, status, started_by)
     VALUES ($1, $2, 'outpatient', 'in_progress', ${doctor}) RETURNING id`,
    [ids.kin, patientIds().own],
  );
  const id = rows[0]!.id;
  await sql.query(
    `INSERT INTO notes (encounter_id, template, sections, patient_summary, author_id, signed_at, signed_by, version)
     VALUES ($1, 'general', '{"subjective":"Cough","objective":"","assessment":"Bronchitis","plan":"Rest"}',
             'Rest and drink plenty.', ${doctor}, now(), ${doctor}, 2)`,
    [id],
  );
  return id;
}

/** Issuing a visit summary prints the signed note: letters:read and notes:read, at the encounter's clinic. */
function canVisitSummary(a: Actor): 'ok' | 403 | 404 {
  if (isPatient(a) || !has(a, 'letters:read') || !has(a, 'notes:read')) return 403;
  return a.clinic === 'kin' ? 'ok' : 404;
}

const fd = { letter: '', consultations: [] as string[] };

const section: MatrixSection = {
  async setup() {
    fd.letter = await letterOfOwnPatient();
    for (let i = 0; i < actors.length; i++) fd.consultations.push(await signedConsultationOfOwnPatient());
  },
  targetRoutes: [
    {
      route: 'GET /api/patients/:patientId/letters',
      method: 'GET',
      url: (id) => `/api/patients/${id}/letters`,
      verdict: (a, t) => canLetters(a, t, 'letters:read'),
      action: 'letter.list',
      auditOnce: true,
    },
  ],
  routes: [
    {
      route: 'GET /api/letters/:id/pdf',
      method: 'GET',
      url: () => `/api/letters/${fd.letter}/pdf`,
      verdict: (a) => {
        const v = canLetters(a, 'own', 'letters:read');
        return v === 200 ? 'ok' : v;
      },
      action: 'letter.read',
      auditRefusals: true,
    },
    {
      route: 'POST /api/encounters/:id/visit-summary',
      method: 'POST',
      url: () => `/api/encounters/${fd.consultations.pop()}/visit-summary`,
      body: () => ({ language: 'en' }),
      verdict: canVisitSummary,
      ok: 201,
      action: 'visit_summary.issue',
      auditRefusals: true,
      check: (res, rows) => {
        expect(res.json()).toMatchObject({ kind: 'visit_summary', patientId: patientIds().own });
        expect(rows.map((r) => r.patient_id)).toEqual([patientIds().own]);
      },
    },
  ],
  publicRoutes: ['GET /api/verify/:code'],
  // issuing answers 201 and revoking changes the letter: each actor gets its own, checked below
  covers: [ISSUE, REVOKE],
  tests: (actor) => {
    const issueCases = targets.map((t) => {
      const status = canLetters(actor, t, 'letters:write');
      return [`${ISSUE} on the ${t} patient → ${status === 200 ? 201 : status}, audited`, t, status] as const;
    });
    it.each(issueCases)('%s', async (_name, target, status) => {
      const { sql } = matrixContext();
      const id = patientIds()[target];
      const count = async () =>
        (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM letters WHERE patient_id = $1', [id])).rows[0]!.n;
      const before = await count();
      const since = await lastAuditId(sql);
      const res = await call(actor, 'POST', `/api/patients/${id}/letters`, SICK);
      expect(res.statusCode, res.body).toBe(status === 200 ? 201 : status);
      if (status !== 200) expect(res.json().error.code).toBe(status === 403 ? 'FORBIDDEN' : 'NOT_FOUND');
      expect(await count()).toBe(before + (status === 200 ? 1 : 0));
      const rows = (await auditSince(sql, since)).filter(
        (r) => r.actor_user_id === sessionOf(actor).userId && r.action === 'letter.issue',
      );
      expect(rows).toEqual([expect.objectContaining({ patient_id: id, outcome: status === 200 ? 'success' : 'denied' })]);
    });

    const revoke = canLetters(actor, 'own', 'letters:write');
    it(`${REVOKE} of a Kinshasa letter → ${revoke}, audited`, async () => {
      const { sql } = matrixContext();
      const letter = await letterOfOwnPatient();
      const since = await lastAuditId(sql);
      const res = await call(actor, 'POST', `/api/letters/${letter}/revoke`, { reason: 'matrix' });
      expect(res.statusCode, res.body).toBe(revoke);
      const { rows } = await sql.query<{ revoked: boolean }>(
        'SELECT revoked_at IS NOT NULL AS revoked FROM letters WHERE id = $1',
        [letter],
      );
      expect(rows[0]!.revoked).toBe(revoke === 200);
      const audit = (await auditSince(sql, since)).filter(
        (r) => r.actor_user_id === sessionOf(actor).userId && r.action === 'letter.revoke',
      );
      expect(audit).toEqual([expect.objectContaining({ outcome: revoke === 200 ? 'success' : 'denied' })]);
    });
  },
};
export default section;
