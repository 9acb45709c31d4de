import { expect, it } from 'vitest';
import type { Permission } from '@sanita/contracts/catalogue';
import { auditSince, lastAuditId } from '../../../test/helpers.ts';
import {
  call,
  clinicOf,
  clinicId,
  has,
  isPatient,
  matrixContext,
  next,
  patientIds,
  sessionOf,
  staffWith,
  targets,
  type Actor,
  type MatrixSection,
  type Target,
} from '../../../test/matrix.ts';

/**
 * Notes are staff's, at the active clinic: the permission first (403, for a portal user and a
 * receptionist too), then an encounter of a patient registered at that clinic (404 otherwise).
 */
export function canNotes(a: Actor, t: Target, permission: Permission): 200 | 403 | 404 {
  if (isPatient(a) || !has(a, permission)) return 403;
  return clinicOf[t] === a.clinic ? 200 : 404;
}

/** An encounter of the target patient at the target's clinic, with its note in the given state. */
async function encounterWith(t: Target, state: 'none' | 'draft' | 'signed'): Promise<string> {
  const { sql } = matrixContext();
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO encounters (clinic_id, patient_id, type, status, started_by)
     VALUES ($1, $2, 'outpatient', 'in_progress', (SELECT id FROM users WHERE email = 'doctor@sanita.test')) RETURNING id`,
    [clinicId(clinicOf[t]), patientIds()[t]],
  );
  const id = rows[0]!.id;
  if (state === 'none') return id;
  const note = await sql.query<{ id: string }>(
    `INSERT INTO notes (encounter_id, template, sections, author_id)
     VALUES ($1, 'general', '{"subjective":"Cough","objective":"","assessment":"Bronchitis","plan":"Rest"}',
             (SELECT id FROM users WHERE email = 'doctor@sanita.test')) RETURNING id`,
    [id],
  );
  await sql.query(
    `INSERT INTO diagnoses (encounter_id, note_id, code, description, rank, added_by)
     VALUES ($1, $2, 'J20.9', 'Acute bronchitis, unspecified', 'primary', (SELECT id FROM users WHERE email = 'doctor@sanita.test'))`,
    [id, note.rows[0]!.id],
  );
  if (state === 'signed')
    await sql.query(`UPDATE notes SET signed_at = now(), signed_by = author_id, version = 2 WHERE id = $1`, [note.rows[0]!.id]);
  return id;
}

const encounters: Partial<Record<Target, string>> = {};
const spareShortcuts: string[] = [];
let shortcutId = '';

const PUT = 'PUT /api/encounters/:id/note';
const SIGN = 'POST /api/encounters/:id/note/sign';
const ADDENDUM = 'POST /api/encounters/:id/note/addenda';

const writes = [
  {
    route: PUT,
    state: 'draft' as const,
    action: 'note.save',
    url: (e: string) => `/api/encounters/${e}/note`,
    method: 'PUT',
    ok: 200,
  },
  {
    route: SIGN,
    state: 'draft' as const,
    action: 'note.sign',
    url: (e: string) => `/api/encounters/${e}/note/sign`,
    method: 'POST',
    ok: 200,
  },
  {
    route: ADDENDUM,
    state: 'signed' as const,
    action: 'note.addendum',
    url: (e: string) => `/api/encounters/${e}/note/addenda`,
    method: 'POST',
    ok: 201,
  },
];

const writeBody = (route: string) =>
  route === PUT
    ? {
        version: 1,
        template: 'general',
        sections: { subjective: 'Cough for a week', objective: '', assessment: 'Bronchitis', plan: 'Rest' },
        patientSummary: null,
        diagnoses: [{ code: 'J20.9', rank: 'primary' }],
      }
    : route === SIGN
      ? { version: 1 }
      : { text: 'Culture negative' };

const canShortcuts = (a: Actor) => staffWith(a, 'notes:shortcuts');

const section: MatrixSection = {
  setup: async () => {
    for (const t of targets) encounters[t] = await encounterWith(t, 'signed');
    const { sql } = matrixContext();
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO note_shortcuts (name, text) SELECT '.matrix' || g, 'text ' || g FROM generate_series(1, 40) g RETURNING id`,
    );
    shortcutId = rows[0]!.id;
    spareShortcuts.push(...rows.slice(1).map((r) => r.id));
  },
  targetRoutes: [
    {
      route: 'GET /api/encounters/:id/note',
      method: 'GET',
      url: (_id, t) => `/api/encounters/${encounters[t]}/note`,
      verdict: (a, t) => canNotes(a, t, 'notes:read'),
      action: 'note.read',
      auditOnce: true,
    },
    {
      route: 'GET /api/encounters/:id/note/history',
      method: 'GET',
      url: (_id, t) => `/api/encounters/${encounters[t]}/note/history`,
      verdict: (a, t) => canNotes(a, t, 'notes:read'),
      action: 'note.history',
      auditOnce: true,
    },
    {
      route: 'GET /api/patients/:patientId/notes',
      method: 'GET',
      url: (id) => `/api/patients/${id}/notes`,
      verdict: (a, t) => canNotes(a, t, 'notes:read'),
      action: 'notes.read',
      auditOnce: true,
    },
  ],
  routes: [
    {
      route: 'GET /api/note-shortcuts',
      method: 'GET',
      url: '/api/note-shortcuts',
      verdict: (a) => (!isPatient(a) && (has(a, 'notes:write') || has(a, 'notes:shortcuts')) ? 'ok' : 403),
    },
    {
      route: 'POST /api/note-shortcuts',
      method: 'POST',
      url: '/api/note-shortcuts',
      body: () => ({ name: `.m${next()}`, text: 'Chest clear.' }),
      verdict: canShortcuts,
      ok: 201,
    },
    {
      route: 'PUT /api/note-shortcuts/:id',
      method: 'PUT',
      url: () => `/api/note-shortcuts/${shortcutId}`,
      body: () => ({ name: `.p${next()}`, text: 'Heart sounds normal.' }),
      verdict: canShortcuts,
    },
    {
      route: 'DELETE /api/note-shortcuts/:id',
      method: 'DELETE',
      url: () => `/api/note-shortcuts/${spareShortcuts.shift()}`,
      verdict: canShortcuts,
    },
  ],
  covers: [PUT, SIGN, ADDENDUM],
  tests: (actor) => {
    const cases = writes.flatMap((w) =>
      targets.map((t) => {
        const status = canNotes(actor, t, 'notes:write');
        return [`${w.route} on the ${t} patient → ${status === 200 ? w.ok : status}, audited`, w, t, status] as const;
      }),
    );
    it.each(cases)('%s', async (_name, w, target, status) => {
      const { sql } = matrixContext();
      const id = await encounterWith(target, w.state);
      const since = await lastAuditId(sql);
      const res = await call(actor, w.method, w.url(id), writeBody(w.route));
      expect(res.statusCode, res.body).toBe(status === 200 ? w.ok : status);
      if (status !== 200) {
        expect(res.json().error.code).toBe(status === 403 ? 'FORBIDDEN' : 'NOT_FOUND');
        expect(res.body).not.toMatch(/Bronchitis|Cough/);
      }
      const { rows } = await sql.query<{ version: number; signed: boolean; addenda: number }>(
        `SELECT n.version, n.signed_at IS NOT NULL AS signed, (SELECT count(*)::int FROM note_addenda a WHERE a.note_id = n.id) AS addenda
           FROM notes n WHERE n.encounter_id = $1`,
        [id],
      );
      const changed = w.route === PUT ? rows[0]!.version > 1 : w.route === SIGN ? rows[0]!.signed : rows[0]!.addenda > 0;
      expect(changed).toBe(status === 200);
      const audit = (await auditSince(sql, since)).filter(
        (r) => r.actor_user_id === sessionOf(actor).userId && r.action === w.action,
      );
      expect(audit).toEqual([
        expect.objectContaining({ patient_id: patientIds()[target], outcome: status === 200 ? 'success' : 'denied' }),
      ]);
    });
  },
};
export default section;
