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
  type TargetRoute,
} from '../../../test/matrix.ts';

/**
 * Problems, allergies and history are staff's, at the active clinic: the permission first (403, for
 * a portal user too), then a patient registered at that clinic (404 otherwise).
 */
export function canHistory(a: Actor, t: Target, permission: Permission): 200 | 403 | 404 {
  if (isPatient(a) || !has(a, permission)) return 403;
  return clinicOf[t] === a.clinic ? 200 : 404;
}

/** One item of each kind per target patient, recorded behind the API's back, for the routes that name one. */
const items: Record<'problem' | 'allergy' | 'history', Partial<Record<Target, string>>> = {
  problem: {},
  allergy: {},
  history: {},
};

async function fixtures(): Promise<void> {
  const { sql, ids } = matrixContext();
  const doctor = ids.users['doctor@sanita.test']!;
  for (const t of targets) {
    const patientId = patientIds()[t];
    const clinicId = clinicOf[t] === 'kin' ? ids.kin : ids.gom;
    const add = async (q: string) => (await sql.query<{ id: string }>(q, [patientId, clinicId, doctor])).rows[0]!.id;
    items.problem[t] = await add(
      `INSERT INTO problems (patient_id, clinic_id, description, created_by, updated_by) VALUES ($1, $2, 'Matrix problem', $3, $3) RETURNING id`,
    );
    items.allergy[t] = await add(
      `INSERT INTO allergies (patient_id, clinic_id, substance, category, status, created_by, updated_by)
       VALUES ($1, $2, 'Matrix substance', 'other', 'resolved', $3, $3) RETURNING id`,
    );
    items.history[t] = await add(
      `INSERT INTO history_entries (patient_id, clinic_id, kind, condition, created_by, updated_by)
       VALUES ($1, $2, 'medical', 'Matrix condition', $3, $3) RETURNING id`,
    );
  }
}

const read = (path: string, action: string, item?: keyof typeof items): TargetRoute => ({
  route: `GET /api/patients/:patientId/${path}`,
  method: 'GET',
  url: (id, t) => `/api/patients/${id}/${item ? path.replace(':id', items[item][t]!) : path}`,
  verdict: (a, t) => canHistory(a, t, 'history:read'),
  action,
  auditOnce: true,
});

/** Writes: the status a user sees, what is written, and the one audit row (success or denied). */
interface WriteCase {
  route: string;
  method: 'POST' | 'PATCH';
  url: (patientId: string, t: Target) => string;
  body: (t: Target) => unknown;
  action: string;
  ok: number;
}
const versionOf = async (table: string, id: string) =>
  (await matrixContext().sql.query<{ version: number }>(`SELECT version FROM ${table} WHERE id = $1`, [id])).rows[0]!.version;

const WRITES: WriteCase[] = [
  {
    route: 'POST /api/patients/:patientId/problems',
    method: 'POST',
    url: (id) => `/api/patients/${id}/problems`,
    body: () => ({ description: 'Matrix headache' }),
    action: 'problem.record',
    ok: 201,
  },
  {
    route: 'PATCH /api/patients/:patientId/problems/:id',
    method: 'PATCH',
    url: (id, t) => `/api/patients/${id}/problems/${items.problem[t]}`,
    body: async (t) => ({ version: await versionOf('problems', items.problem[t]!), note: `edited ${Date.now()}` }),
    action: 'problem.update',
    ok: 200,
  },
  {
    route: 'POST /api/patients/:patientId/allergies',
    method: 'POST',
    url: (id) => `/api/patients/${id}/allergies`,
    // refuted: it does not count as an active allergy, so that stating NKA below is not refused
    body: () => ({ substanceCode: 'egg', verificationStatus: 'refuted' }),
    action: 'allergy.record',
    ok: 201,
  },
  {
    route: 'PATCH /api/patients/:patientId/allergies/:id',
    method: 'PATCH',
    url: (id, t) => `/api/patients/${id}/allergies/${items.allergy[t]}`,
    body: async (t) => ({ version: await versionOf('allergies', items.allergy[t]!), note: `edited ${Date.now()}` }),
    action: 'allergy.update',
    ok: 200,
  },
  {
    route: 'POST /api/patients/:patientId/history',
    method: 'POST',
    url: (id) => `/api/patients/${id}/history`,
    body: () => ({ kind: 'social', occupation: 'Matrix tester' }),
    action: 'history.record',
    ok: 201,
  },
  {
    route: 'PATCH /api/patients/:patientId/history/:id',
    method: 'PATCH',
    url: (id, t) => `/api/patients/${id}/history/${items.history[t]}`,
    body: async (t) => ({ version: await versionOf('history_entries', items.history[t]!), note: `edited ${Date.now()}` }),
    action: 'history.update',
    ok: 200,
  },
];
const NKA = 'POST /api/patients/:patientId/allergies/no-known';

const section: MatrixSection = {
  setup: fixtures,
  targetRoutes: [
    read('problems', 'problems.read'),
    read('allergies', 'allergies.read'),
    read('history', 'history.read'),
    read('problems/:id/revisions', 'problem.revisions.read', 'problem'),
    read('allergies/:id/revisions', 'allergy.revisions.read', 'allergy'),
    read('history/:id/revisions', 'history.revisions.read', 'history'),
  ],
  covers: [...WRITES.map((w) => w.route), NKA],
  tests: (actor) => {
    const cases = WRITES.flatMap((w) =>
      targets.map((t) => {
        const status = canHistory(actor, t, 'history:write');
        return [`${w.route} on the ${t} patient → ${status === 200 ? w.ok : status}, audited`, w, t, status] as const;
      }),
    );
    it.each(cases)('%s', async (_name, w, target, status) => {
      const { sql } = matrixContext();
      const id = patientIds()[target];
      const revisions = async () =>
        (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM history_revisions WHERE patient_id = $1', [id])).rows[0]!
          .n;
      const before = await revisions();
      const since = await lastAuditId(sql);
      const res = await call(actor, w.method, w.url(id, target), await w.body(target));
      expect(res.statusCode, res.body).toBe(status === 200 ? w.ok : status);
      if (status !== 200) {
        expect(res.json().error.code).toBe(status === 403 ? 'FORBIDDEN' : 'NOT_FOUND');
        expect(res.body).not.toMatch(/Matrix|"mrn"/);
      } else expect(res.json()).toMatchObject({ patientId: id, updatedBy: { id: sessionOf(actor).userId } });
      // every change is a revision; a refusal writes none
      expect(await revisions()).toBe(before + (status === 200 ? 1 : 0));
      const rows = (await auditSince(sql, since)).filter(
        (r) => r.actor_user_id === sessionOf(actor).userId && r.action === w.action,
      );
      expect(rows).toEqual([expect.objectContaining({ patient_id: id, outcome: status === 200 ? 'success' : 'denied' })]);
    });

    it.each(targets.map((t) => [t, canHistory(actor, t, 'history:write')] as const))(
      `${NKA} on the %s patient → 200 (its allergies none active), else its refusal, audited`,
      async (target, status) => {
        const { sql } = matrixContext();
        const id = patientIds()[target];
        // no active allergy, so that the statement is allowed
        await sql.query(`UPDATE allergies SET status = 'resolved' WHERE patient_id = $1`, [id]);
        const since = await lastAuditId(sql);
        const res = await call(actor, 'POST', `/api/patients/${id}/allergies/no-known`);
        expect(res.statusCode, res.body).toBe(status);
        if (status === 200) expect(res.json().noKnownAllergies).toMatchObject({ statedBy: { id: sessionOf(actor).userId } });
        const rows = (await auditSince(sql, since)).filter(
          (r) => r.actor_user_id === sessionOf(actor).userId && r.action === 'allergies.no_known',
        );
        expect(rows).toEqual([expect.objectContaining({ patient_id: id, outcome: status === 200 ? 'success' : 'denied' })]);
      },
    );
  },
};
export default section;
