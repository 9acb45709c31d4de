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
  staffWith,
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
const ACKNOWLEDGE = 'POST /api/news2-alerts/:id/acknowledge';

/** An open alert at a clinic (with the set that raised it), on a patient registered there. */
async function openAlert(patientId: string, clinicId: string): Promise<string> {
  const { sql } = matrixContext();
  const { rows } = await sql.query<{ id: string }>(
    `WITH v AS (
       INSERT INTO vitals (patient_id, clinic_id, recorded_by, taken_at, respiratory_rate, spo2, on_oxygen, systolic,
                           heart_rate, consciousness, temperature, news2_total, news2_risk)
       SELECT $1, $2, u.id, now(), 26, 95, false, 120, 100, 'A', 37.0, 5, 'medium' FROM users u
        WHERE u.email = 'nurse@sanita.test'
       RETURNING id, patient_id, clinic_id)
     INSERT INTO news2_alerts (clinic_id, patient_id, vitals_id, total, risk, trigger)
     SELECT clinic_id, patient_id, id, 5, 'medium', 'total' FROM v RETURNING id`,
    [patientId, clinicId],
  );
  return rows[0]!.id;
}

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
    {
      route: 'GET /api/patients/:patientId/news2-alerts',
      method: 'GET',
      url: (id) => `/api/patients/${id}/news2-alerts`,
      verdict: (a, t) => canChart(a, t, 'chart:read'),
      action: 'news2_alert.read',
      auditOnce: true,
    },
  ],
  routes: [
    {
      // the active clinic's open alerts, with names: one audit row listing the patients shown
      route: 'GET /api/news2-alerts',
      method: 'GET',
      url: '/api/news2-alerts?status=open',
      verdict: (a) => staffWith(a, 'chart:read'),
      action: 'news2_alert.list',
      listAudit: true,
      check: (res) => {
        const data = res.json<{ data: { status: string }[] }>().data;
        expect(data.every((a) => a.status === 'open')).toBe(true);
      },
    },
    {
      route: 'GET /api/news2-alerts/settings',
      method: 'GET',
      url: '/api/news2-alerts/settings',
      verdict: (a) => (staffWith(a, 'chart:read') === 'ok' ? 'ok' : staffWith(a, 'settings:write')),
    },
    {
      route: 'PUT /api/news2-alerts/settings',
      method: 'PUT',
      url: '/api/news2-alerts/settings',
      body: () => ({ escalationMinutes: 15 }),
      verdict: (a) => staffWith(a, 'settings:write'),
    },
  ],
  // answer 201 / need an alert of their own: checked below, with what was written
  covers: [RECORD, ACKNOWLEDGE],
  tests: (actor) => {
    // acknowledging: chart:write first (403), then an alert of the active clinic (404 otherwise)
    const ackCases = (['kin', 'gom'] as const).map((clinic) => {
      const status = isPatient(actor) || !has(actor, 'chart:write') ? 403 : clinic === actor.clinic ? 200 : 404;
      return [`${ACKNOWLEDGE} on a ${clinic} alert → ${status}, audited`, clinic, status] as const;
    });
    it.each(ackCases)('%s', async (_name, clinic, status) => {
      const { sql, ids } = matrixContext();
      const patientId = clinic === 'kin' ? patientIds().other : patientIds().gom;
      const alertId = await openAlert(patientId, clinic === 'kin' ? ids.kin : ids.gom);
      const since = await lastAuditId(sql);
      const res = await call(actor, 'POST', `/api/news2-alerts/${alertId}/acknowledge`, {});
      expect(res.statusCode, res.body).toBe(status);
      const { rows } = await sql.query<{ status: string; acknowledged_by: string | null }>(
        'SELECT status, acknowledged_by FROM news2_alerts WHERE id = $1',
        [alertId],
      );
      expect(rows[0]).toEqual(
        status === 200
          ? { status: 'acknowledged', acknowledged_by: sessionOf(actor).userId }
          : { status: 'open', acknowledged_by: null },
      );
      if (status !== 200) expect(res.body).not.toMatch(/"mrn"|"patient"/);
      const audited = (await auditSince(sql, since)).filter(
        (r) => r.actor_user_id === sessionOf(actor).userId && r.action === 'news2_alert.acknowledge',
      );
      expect(audited).toEqual([
        expect.objectContaining({
          outcome: status === 200 ? 'success' : 'denied',
          patient_id: status === 200 ? patientId : null,
        }),
      ]);
    });

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
