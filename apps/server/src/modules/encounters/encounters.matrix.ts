import { expect, it } from 'vitest';
import type { Permission } from '@sanita/contracts/catalogue';
import { lastAuditId } from '../../../test/helpers.ts';
import {
  call,
  clinicId,
  clinicOf,
  has,
  isPatient,
  matrixContext,
  patientIds,
  sessionOf,
  staffWith,
  targets,
  type Actor,
  type MatrixSection,
  type Target,
} from '../../../test/matrix.ts';

/**
 * Encounters are staff's, at the active clinic: the permission first (403, for a portal user too),
 * then a patient registered at that clinic (404 otherwise, even with patients:read_all_clinics).
 */
export function canEncounter(a: Actor, t: Target, permission: Permission): 200 | 403 | 404 {
  if (isPatient(a) || !has(a, permission)) return 403;
  return clinicOf[t] === a.clinic ? 200 : 404;
}

/** An encounter in progress per target patient, at the patient's clinic (fixtures of this section). */
const encounterOf: Partial<Record<Target, string>> = {};

const START = 'POST /api/encounters';
const FINISH = 'POST /api/encounters/:id/finish';
const CANCEL = 'POST /api/encounters/:id/cancel';

async function insertEncounter(patientId: string, clinic: string, status = 'in_progress'): Promise<string> {
  const { sql } = matrixContext();
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO encounters (clinic_id, patient_id, type, status, started_by)
     SELECT $1, $2, 'outpatient', $3, id FROM users WHERE email = 'doctor@sanita.test' RETURNING id`,
    [clinic, patientId, status],
  );
  return rows[0]!.id;
}

const auditRows = async (since: number, a: Actor, action: string) =>
  (
    await matrixContext().sql.query<{ outcome: string; patient_id: string | null }>(
      'SELECT outcome, patient_id FROM audit_log WHERE id > $1 AND actor_user_id = $2 AND action = $3 ORDER BY id',
      [since, sessionOf(a).userId, action],
    )
  ).rows;

const section: MatrixSection = {
  setup: async () => {
    const ids = patientIds();
    for (const t of targets) encounterOf[t] = await insertEncounter(ids[t], clinicId(clinicOf[t]), 'finished');
  },
  targetRoutes: [
    {
      route: 'GET /api/patients/:patientId/encounters',
      method: 'GET',
      url: (id) => `/api/patients/${id}/encounters`,
      verdict: (a, t) => canEncounter(a, t, 'encounters:read'),
      action: 'encounter.read',
      auditOnce: true,
    },
    {
      route: 'GET /api/encounters/:id',
      method: 'GET',
      url: (_id, t) => `/api/encounters/${encounterOf[t]}`,
      verdict: (a, t) => canEncounter(a, t, 'encounters:read'),
      action: 'encounter.read',
      auditOnce: true,
    },
  ],
  routes: [
    {
      route: 'GET /api/encounters/today',
      method: 'GET',
      url: '/api/encounters/today',
      verdict: (a) => staffWith(a, 'encounters:write'),
      action: 'encounter.today',
      auditRefusals: true,
      listAudit: true,
    },
  ],
  // they change what they touch, and answer 201/200: checked below with what was written
  covers: [START, FINISH, CANCEL],
  tests: (actor) => {
    const cases = targets.map((t) => {
      const status = canEncounter(actor, t, 'encounters:write');
      return [
        `${START} (walk-in), ${FINISH} and ${CANCEL} on the ${t} patient → ${status === 200 ? '201/200' : status}, audited`,
        t,
        status,
      ] as const;
    });
    it.each(cases)('%s', async (_name, target, status) => {
      const { sql } = matrixContext();
      const id = patientIds()[target];
      const count = async () =>
        (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM encounters WHERE patient_id = $1`, [id])).rows[0]!.n;
      const before = await count();
      let since = await lastAuditId(sql);
      const res = await call(actor, 'POST', '/api/encounters', { patientId: id });
      if (status === 200) {
        // another actor may have left this walk-in's encounter in progress: then it is answered again
        expect([200, 201], res.body).toContain(res.statusCode);
        expect(res.json()).toMatchObject({ patientId: id, status: 'in_progress' });
        expect(await count()).toBe(before + (res.statusCode === 201 ? 1 : 0));
        expect(await auditRows(since, actor, 'encounter.start')).toEqual(
          res.statusCode === 201 ? [expect.objectContaining({ outcome: 'success', patient_id: id })] : [],
        );
        const e = res.json<{ id: string; version: number }>();
        since = await lastAuditId(sql);
        const fin = await call(actor, 'POST', `/api/encounters/${e.id}/finish`, { version: e.version });
        expect(fin.statusCode, fin.body).toBe(200);
        expect(await auditRows(since, actor, 'encounter.finish')).toEqual([
          expect.objectContaining({ outcome: 'success', patient_id: id }),
        ]);
        const cancel = await call(actor, 'POST', `/api/encounters/${e.id}/cancel`, { version: e.version + 1 });
        expect(cancel.statusCode).toBe(409);
        expect(cancel.json().error.code).toBe('ENCOUNTER_CLOSED');
        return;
      }
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.code).toBe(status === 403 ? 'FORBIDDEN' : 'NOT_FOUND');
      expect(res.body).not.toMatch(/"mrn"|"patient"/);
      expect(await count()).toBe(before);
      const rows = await auditRows(since, actor, 'encounter.start');
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.outcome === 'denied')).toBe(true);
      // finishing or cancelling another's encounter: refused the same way, nothing changes
      const open = await insertEncounter(id, clinicId(clinicOf[target]));
      for (const action of ['finish', 'cancel']) {
        since = await lastAuditId(sql);
        const r = await call(actor, 'POST', `/api/encounters/${open}/${action}`, { version: 1 });
        expect(r.statusCode, r.body).toBe(status);
        expect(await auditRows(since, actor, `encounter.${action}`)).toEqual([
          expect.objectContaining({ outcome: 'denied', patient_id: id }),
        ]);
      }
      const { rows: left } = await sql.query(`SELECT status FROM encounters WHERE id = $1`, [open]);
      expect(left[0].status).toBe('in_progress');
    });
  },
};
export default section;
