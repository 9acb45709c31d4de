import { expect, it } from 'vitest';
import type { Permission } from '@sanita/contracts/catalogue';
import { auditSince, lastAuditId } from '../../../test/helpers.ts';
import {
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

/**
 * Immunizations are staff's, at the active clinic: the permission first (403, for a portal user
 * too), then a patient registered at that clinic (404 otherwise).
 */
function can(a: Actor, t: Target, permission: Permission): 200 | 403 | 404 {
  if (isPatient(a) || !has(a, permission)) return 403;
  return clinicOf[t] === a.clinic ? 200 : 404;
}

const RECORD = 'POST /api/patients/:patientId/immunizations';
const CORRECT = 'PATCH /api/patients/:patientId/immunizations/:id';
const ERROR = 'POST /api/patients/:patientId/immunizations/:id/entered-in-error';

/** An immunization of the patient, written behind the API's back (version 1). */
async function existing(patientId: string, t: Target): Promise<string> {
  const { sql, ids } = matrixContext();
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO immunizations (patient_id, clinic_id, cvx_code, occurred_on, source, performer_name, created_by, updated_by)
     VALUES ($1, $2, '03', '2020-01-01', 'reported', 'Matrix', $3, $3) RETURNING id`,
    [patientId, clinicOf[t] === 'kin' ? ids.kin : ids.gom, ids.users['nurse@sanita.test']],
  );
  return rows[0]!.id;
}

const count = async (patientId: string) =>
  (
    await matrixContext().sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM immunization_revisions r JOIN immunizations i ON i.id = r.immunization_id WHERE i.patient_id = $1',
      [patientId],
    )
  ).rows[0]!.n;

const section: MatrixSection = {
  targetRoutes: [
    {
      route: 'GET /api/patients/:patientId/immunizations',
      method: 'GET',
      url: (id) => `/api/patients/${id}/immunizations`,
      verdict: (a, t) => can(a, t, 'immunizations:read'),
      action: 'immunizations.read',
      auditOnce: true,
    },
  ],
  // 201s and bodies the target rows do not express: checked below, with what was written
  covers: [RECORD, CORRECT, ERROR],
  tests: (actor) => {
    const writes = [
      ['record', RECORD, 'immunization.record'],
      ['correct', CORRECT, 'immunization.correct'],
      ['enter in error', ERROR, 'immunization.entered_in_error'],
    ] as const;
    const cases = writes.flatMap(([verb, route, action]) =>
      targets.map((t) => {
        const status = can(actor, t, 'immunizations:write');
        const ok = verb === 'record' ? 201 : 200;
        return [`${route} on the ${t} patient → ${status === 200 ? ok : status}, audited`, verb, action, t, status, ok] as const;
      }),
    );
    it.each(cases)('%s', async (_name, verb, action, target, status, ok) => {
      const { sql } = matrixContext();
      const id = patientIds()[target];
      const immunizationId = verb === 'record' ? null : await existing(id, target);
      const before = await count(id);
      const since = await lastAuditId(sql);
      const res =
        verb === 'record'
          ? await call(actor, 'POST', `/api/patients/${id}/immunizations`, {
              cvxCode: '03',
              occurredOn: '2021-03-04',
              source: 'reported',
            })
          : verb === 'correct'
            ? await call(actor, 'PATCH', `/api/patients/${id}/immunizations/${immunizationId}`, { version: 1, doseNumber: 2 })
            : await call(actor, 'POST', `/api/patients/${id}/immunizations/${immunizationId}/entered-in-error`, {
                version: 1,
                reason: 'Wrong patient',
              });
      expect(res.statusCode, res.body).toBe(status === 200 ? ok : status);
      if (status === 200) expect(res.json()).toMatchObject({ patientId: id, cvxCode: '03' });
      else {
        expect(res.json().error.code).toBe(status === 403 ? 'FORBIDDEN' : 'NOT_FOUND');
        expect(res.body).not.toMatch(/"mrn"|"patient"/);
      }
      expect(await count(id)).toBe(before + (status === 200 ? 1 : 0));
      const rows = (await auditSince(sql, since)).filter(
        (r) => r.actor_user_id === sessionOf(actor).userId && r.action === action,
      );
      expect(rows).toEqual([expect.objectContaining({ patient_id: id, outcome: status === 200 ? 'success' : 'denied' })]);
    });
  },
};
export default section;
