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
 * The chart is staff's, at the active clinic: the permission first (403, for a portal user too),
 * then a patient registered at that clinic (404 otherwise, even with patients:read_all_clinics).
 */
export function canChart(a: Actor, t: Target, permission: Permission): 200 | 403 | 404 {
  if (isPatient(a) || !has(a, permission)) return 403;
  return clinicOf[t] === a.clinic ? 200 : 404;
}

const RECORD = 'POST /api/patients/:patientId/vitals';

const section: MatrixSection = {
  targetRoutes: [
    {
      route: 'GET /api/patients/:patientId/vitals',
      method: 'GET',
      url: (id) => `/api/patients/${id}/vitals`,
      verdict: (a, t) => canChart(a, t, 'chart:read'),
      action: 'vitals.read',
      auditOnce: true,
    },
  ],
  // answers 201, which the target rows do not express: checked below, with what was written
  covers: [RECORD],
  tests: (actor) => {
    const cases = targets.map((t) => {
      const status = canChart(actor, t, 'chart:write');
      return [`${RECORD} on the ${t} patient → ${status === 200 ? 201 : status}, audited`, t, status] as const;
    });
    it.each(cases)('%s', async (_name, target, status) => {
      const { sql } = matrixContext();
      const id = patientIds()[target];
      const count = async () =>
        (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM vitals WHERE patient_id = $1', [id])).rows[0]!.n;
      const before = await count();
      const since = await lastAuditId(sql);
      const res = await call(actor, 'POST', `/api/patients/${id}/vitals`, { heartRate: 72, systolic: 118 });
      expect(res.statusCode, res.body).toBe(status === 200 ? 201 : status);
      if (status === 200) expect(res.json()).toMatchObject({ patientId: id, heartRate: 72, systolic: 118, news2: null });
      else {
        expect(res.json().error.code).toBe(status === 403 ? 'FORBIDDEN' : 'NOT_FOUND');
        expect(res.body).not.toMatch(/"mrn"|"patient"/);
      }
      expect(await count()).toBe(before + (status === 200 ? 1 : 0));
      const rows = (await auditSince(sql, since)).filter(
        (r) => r.actor_user_id === sessionOf(actor).userId && r.action === 'vitals.record',
      );
      expect(rows).toEqual([expect.objectContaining({ patient_id: id, outcome: status === 200 ? 'success' : 'denied' })]);
    });
  },
};
export default section;
