import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Note } from '@sanita/contracts/notes';
import type {
  PortalAllergyList,
  PortalImmunizationList,
  PortalProblemList,
  PortalVisit,
  PortalVisitList,
} from '@sanita/contracts/portal';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';

let ctx: TestContext;
let doctor: Session; // KIN
let nurse: Session; // KIN
let patient: Session; // Marie Mbuyi, the demo's portal user
const KIN = { 'x-clinic-id': '' };

const SOAP = {
  subjective: 'Says the cough keeps her awake; worried about TB (private worry, clinician only)',
  objective: 'Chest: scattered wheeze. Sats 97 %.',
  assessment: 'Acute bronchitis, clinician reasoning not for the portal',
  plan: 'Salbutamol inhaler; consider CXR if no better in 2 weeks',
};
const SUMMARY = 'Your cough is bronchitis: use the inhaler 2 puffs when needed, and come back in 2 weeks if it is not better.';

/** An encounter of the portal patient in progress at Kinshasa, by the demo doctor, started `minutesAgo`. */
async function encounter(patientId: string, minutesAgo = 0): Promise<string> {
  const { rows } = await ctx.sql.query<{ id: string }>(
    `INSERT INTO encounters (clinic_id, patient_id, practitioner_id, type, status, started_by, started_at)
     VALUES ($1, $2, (SELECT id FROM practitioners WHERE user_id = $3), 'outpatient', 'in_progress', $3,
             now() - make_interval(mins => $4::int)) RETURNING id`,
    [ctx.ids.kin, patientId, doctor.userId, minutesAgo],
  );
  return rows[0]!.id;
}

/** The doctor writes the note (and signs it unless `draft`). */
async function writeNote(encounterId: string, opts: { sign: boolean }): Promise<Note> {
  const saved = await doctor.req(
    'PUT',
    `/api/encounters/${encounterId}/note`,
    {
      version: 0,
      template: 'general',
      sections: SOAP,
      patientSummary: SUMMARY,
      diagnoses: [
        { code: 'J20.9', rank: 'primary' },
        { code: 'R05.9', rank: 'secondary' },
      ],
    },
    KIN,
  );
  expect(saved.statusCode, saved.body).toBe(200);
  if (!opts.sign) return saved.json<Note>();
  const signed = await doctor.req(
    'POST',
    `/api/encounters/${encounterId}/note/sign`,
    { version: saved.json<Note>().version },
    KIN,
  );
  expect(signed.statusCode, signed.body).toBe(200);
  return signed.json<Note>();
}

const get = (url: string) => patient.req('GET', url);

beforeAll(async () => {
  ctx = await createTestContext();
  KIN['x-clinic-id'] = ctx.ids.kin;
  [doctor, nurse, patient] = (await Promise.all(['doctor', 'nurse', 'patient'].map((r) => ctx.login(`${r}@sanita.test`)))) as [
    Session,
    Session,
    Session,
  ];
});
afterAll(async () => {
  await ctx.close();
});

describe('my visits', () => {
  it('a draft never shows; once signed the visit shows the summary and diagnoses, never the SOAP text nor an addendum', async () => {
    const id = await encounter(ctx.ids.ownPatient);
    const draft = await writeNote(id, { sign: false });
    const before = await get('/api/portal/visits');
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json<PortalVisitList>().data.map((v) => v.encounterId)).not.toContain(id);
    expect((await get(`/api/portal/visits/${id}`)).statusCode).toBe(404);

    const sign = await doctor.req('POST', `/api/encounters/${id}/note/sign`, { version: draft.version }, KIN);
    expect(sign.statusCode, sign.body).toBe(200);
    const addendum = await doctor.req(
      'POST',
      `/api/encounters/${id}/note/addenda`,
      { text: 'Addendum for colleagues: sputum sent' },
      KIN,
    );
    expect(addendum.statusCode, addendum.body).toBe(201);

    const since = await lastAuditId(ctx.sql);
    const list = await get('/api/portal/visits');
    expect(list.statusCode, list.body).toBe(200);
    const first = list.json<PortalVisitList>().data[0]!;
    expect(first).toEqual({
      encounterId: id,
      startedAt: expect.any(String),
      type: 'outpatient',
      clinic: { id: ctx.ids.kin, name: expect.stringMatching(/Kinshasa/) },
      signedBy: expect.stringMatching(/\S/),
      signedAt: expect.any(String),
      diagnoses: [
        { code: 'J20.9', description: expect.stringMatching(/bronchitis/i), rank: 'primary' },
        { code: 'R05.9', description: expect.stringMatching(/cough/i), rank: 'secondary' },
      ],
      patientSummary: SUMMARY,
    });
    for (const text of [...Object.values(SOAP), 'sputum sent']) expect(list.body).not.toContain(text);
    const one = await get(`/api/portal/visits/${id}`);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json<PortalVisit>()).toEqual(first);
    for (const text of [...Object.values(SOAP), 'sputum sent']) expect(one.body).not.toContain(text);

    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.actor_user_id === patient.userId);
    expect(rows.map((r) => [r.action, r.outcome, r.patient_id])).toEqual([
      ['notes.read', 'success', ctx.ids.ownPatient],
      ['note.read', 'success', ctx.ids.ownPatient],
    ]);
  });

  it('newest first, paged by cursor; only my own encounters; a bad cursor is 400 naming it', async () => {
    const older = await encounter(ctx.ids.ownPatient, 60 * 24 * 3);
    await writeNote(older, { sign: true });
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/api/portal/visits?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<PortalVisitList>();
      expect(page.data.length).toBeLessThanOrEqual(2);
      all.push(...page.data.map((v) => v.encounterId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(all).toContain(older);
    const { rows } = await ctx.sql.query<{ id: string }>(
      `SELECT e.id FROM encounters e JOIN notes n ON n.encounter_id = e.id AND n.signed_at IS NOT NULL
        WHERE e.patient_id = $1 ORDER BY e.started_at DESC, e.id DESC`,
      [ctx.ids.ownPatient],
    );
    expect(all).toEqual(rows.map((r) => r.id));
    const bad = await get('/api/portal/visits?cursor=nope');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { field: string }) => d.field)).toEqual(['querystring.cursor']);
  });

  it("another patient's signed visit is never reachable: 404 as if unknown, audited as denied; staff get 403", async () => {
    const theirs = await encounter(ctx.ids.kinPatient);
    await writeNote(theirs, { sign: true });
    const since = await lastAuditId(ctx.sql);
    const res = await get(`/api/portal/visits/${theirs}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(SUMMARY);
    const list = await get('/api/portal/visits?limit=50');
    expect(list.json<PortalVisitList>().data.map((v) => v.encounterId)).not.toContain(theirs);
    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.actor_user_id === patient.userId);
    expect(rows[0]).toMatchObject({ action: 'note.read', outcome: 'denied' });
    // the other patient is never named in the portal user's audit rows
    expect(rows.some((r) => r.patient_id === ctx.ids.kinPatient)).toBe(false);
    for (const url of ['/api/portal/visits', `/api/portal/visits/${theirs}`, '/api/portal/allergies', '/api/portal/vitals'])
      expect((await doctor.req('GET', url, undefined, KIN)).statusCode, url).toBe(403);
  });
});

describe('my health', () => {
  it('problems: mine, without those entered in error or the clinicians’ notes', async () => {
    const res = await get('/api/portal/problems');
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json<PortalProblemList>().data;
    expect(data.map((p) => p.code)).toEqual(expect.arrayContaining(['I10', 'E11.9']));
    expect(Object.keys(data[0]!).sort()).toEqual(['code', 'description', 'id', 'onsetDate', 'resolutionDate', 'status']);
    const hidden = data[0]!.id;
    await ctx.sql.query(`UPDATE problems SET status = 'entered_in_error' WHERE id = $1`, [hidden]);
    const after = (await get('/api/portal/problems')).json<PortalProblemList>().data;
    expect(after.map((p) => p.id)).not.toContain(hidden);
    expect(after).toHaveLength(data.length - 1);
  });

  it('allergies: recorded, then "no known allergies" as a clinician stated it, then not recorded (not the same as none)', async () => {
    const recorded = await get('/api/portal/allergies');
    expect(recorded.statusCode, recorded.body).toBe(200);
    expect(recorded.json<PortalAllergyList>()).toMatchObject({
      state: 'recorded',
      noKnownStatedAt: null,
      data: expect.arrayContaining([
        expect.objectContaining({ substance: expect.stringMatching(/penicillin/i), criticality: 'high' }),
      ]),
    });
    // a refuted allergy is not the patient's: the record then holds none
    await ctx.sql.query(`UPDATE allergies SET verification_status = 'refuted' WHERE patient_id = $1`, [ctx.ids.ownPatient]);
    expect((await get('/api/portal/allergies')).json<PortalAllergyList>()).toEqual({
      state: 'not_recorded',
      noKnownStatedAt: null,
      data: [],
    });
    const stated = await nurse.req('POST', `/api/patients/${ctx.ids.ownPatient}/allergies/no-known`, undefined, KIN);
    expect(stated.statusCode, stated.body).toBe(200);
    expect((await get('/api/portal/allergies')).json<PortalAllergyList>()).toEqual({
      state: 'no_known',
      noKnownStatedAt: expect.any(String),
      data: [],
    });
  });

  it('vitals: my sets only, newest first', async () => {
    const res = await get('/api/portal/vitals?limit=100');
    expect(res.statusCode, res.body).toBe(200);
    const sets = res.json<{ data: { patientId: string; takenAt: string }[] }>().data;
    expect(sets.length).toBeGreaterThan(1);
    expect(new Set(sets.map((s) => s.patientId))).toEqual(new Set([ctx.ids.ownPatient]));
    const times = sets.map((s) => s.takenAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('immunizations: mine, without lot numbers, notes or those entered in error', async () => {
    const res = await get('/api/portal/immunizations');
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json<PortalImmunizationList>().data;
    expect(data.length).toBeGreaterThan(0);
    expect(res.body).not.toMatch(/lotNumber|"note"/);
    const hidden = data[0]!.id;
    await ctx.sql.query(`UPDATE immunizations SET status = 'entered_in_error' WHERE id = $1`, [hidden]);
    const after = (await get('/api/portal/immunizations')).json<PortalImmunizationList>().data;
    expect(after.map((i) => i.id)).not.toContain(hidden);
  });
});
