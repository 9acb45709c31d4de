import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EncounterNote, Note, NoteHistory, NoteInput, NoteList } from '@sanita/contracts/notes';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';

let ctx: TestContext;
let doctor: Session; // KIN
let nurse: Session; // KIN
let desk: Session; // receptionist, KIN
let admin: Session; // KIN
let gomaDoctor: Session; // Goma
const KIN = { 'x-clinic-id': '' };

/** A new encounter in progress at a clinic, by the demo doctor (as the encounters service would start it). */
async function encounter(patientId = ctx.ids.kinPatient, clinicId = ctx.ids.kin): Promise<string> {
  const { rows } = await ctx.sql.query<{ id: string }>(
    `INSERT INTO encounters (clinic_id, patient_id, practitioner_id, type, status, started_by)
     VALUES ($1, $2, (SELECT id FROM practitioners WHERE user_id = $3), 'outpatient', 'in_progress', $3) RETURNING id`,
    [clinicId, patientId, doctor.userId],
  );
  return rows[0]!.id;
}

const SECTIONS = {
  subjective: 'Fever for 3 days',
  objective: 'T 38.9 °C, RDT positive',
  assessment: 'Uncomplicated malaria',
  plan: 'Artemether-lumefantrine for 3 days',
};
const draft = (version: number, over: Partial<NoteInput> = {}): NoteInput => ({
  version,
  template: 'general',
  sections: SECTIONS,
  patientSummary: 'You have malaria: take all the tablets.',
  diagnoses: [{ code: 'B54', description: 'Unspecified malaria', rank: 'primary' }],
  ...over,
});
const put = (s: Session, id: string, body: unknown, h = KIN) => s.req('PUT', `/api/encounters/${id}/note`, body, h);
const sign = (s: Session, id: string, version: number) => s.req('POST', `/api/encounters/${id}/note/sign`, { version }, KIN);
const fields = (res: { json(): unknown }) =>
  ((res.json() as { error: { details?: { field: string }[] } }).error.details ?? []).map((d) => d.field);

beforeAll(async () => {
  ctx = await createTestContext();
  KIN['x-clinic-id'] = ctx.ids.kin;
  [doctor, nurse, desk, admin, gomaDoctor] = (await Promise.all(
    ['doctor', 'nurse', 'receptionist', 'admin', 'doctor.goma'].map((r) => ctx.login(`${r}@sanita.test`)),
  )) as [Session, Session, Session, Session, Session];
});
afterAll(async () => {
  await ctx.close();
});

describe('writing a note', () => {
  it('GET before any save: no note, the encounter, the default template; the first save (version 0) creates it', async () => {
    const id = await encounter();
    const empty = await doctor.req('GET', `/api/encounters/${id}/note`, undefined, KIN);
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json<EncounterNote>()).toMatchObject({
      note: null,
      defaultTemplate: 'general',
      encounter: { id, patientId: ctx.ids.kinPatient, status: 'in_progress' },
    });
    const saved = await put(doctor, id, draft(0));
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<Note>()).toMatchObject({
      encounterId: id,
      status: 'draft',
      version: 1,
      sections: SECTIONS,
      diagnoses: [{ code: 'B54', rank: 'primary', addedBy: { id: doctor.userId } }],
      author: { id: doctor.userId },
    });
    const again = await put(doctor, id, draft(1, { sections: { ...SECTIONS, plan: 'ACT, paracetamol' } }));
    expect(again.json<Note>()).toMatchObject({ version: 2, sections: { plan: 'ACT, paracetamol' } });
    const read = await doctor.req('GET', `/api/encounters/${id}/note`, undefined, KIN);
    expect(read.json<EncounterNote>().note).toMatchObject({ version: 2, sections: { plan: 'ACT, paracetamol' } });
  });

  it('two tabs save from the same version: the second gets 409 STALE_VERSION with the current note, nothing overwritten', async () => {
    const id = await encounter();
    const v1 = (await put(doctor, id, draft(0))).json<Note>().version;
    const tabA = await put(doctor, id, draft(v1, { sections: { ...SECTIONS, plan: 'from tab A' } }));
    expect(tabA.statusCode, tabA.body).toBe(200);
    const tabB = await put(doctor, id, draft(v1, { sections: { ...SECTIONS, plan: 'from tab B' } }));
    expect(tabB.statusCode, tabB.body).toBe(409);
    expect(tabB.json().error.code).toBe('STALE_VERSION');
    expect(tabB.json().error.details.current).toMatchObject({ version: v1 + 1, sections: { plan: 'from tab A' } });
    const { rows } = await ctx.sql.query(`SELECT sections->>'plan' AS plan FROM notes WHERE encounter_id = $1`, [id]);
    expect(rows).toEqual([{ plan: 'from tab A' }]);
  });

  it('diagnoses: two primaries or a code twice → 400 naming the item; a malformed code → 400 naming it', async () => {
    const id = await encounter();
    const two = await put(
      doctor,
      id,
      draft(0, {
        diagnoses: [
          { code: 'B54', rank: 'primary' },
          { code: 'I10', rank: 'primary' },
        ],
      }),
    );
    expect(two.statusCode).toBe(400);
    expect(fields(two)).toEqual(['diagnoses.1.rank']);
    const twice = await put(
      doctor,
      id,
      draft(0, {
        diagnoses: [
          { code: 'B54', rank: 'primary' },
          { code: 'B54', rank: 'secondary' },
        ],
      }),
    );
    expect(fields(twice)).toEqual(['diagnoses.1.code']);
    const bad = await put(doctor, id, draft(0, { diagnoses: [{ code: 'malaria', rank: 'primary' }] }));
    expect(bad.statusCode).toBe(400);
    expect(fields(bad)).toEqual(['diagnoses.0.code']);
    const { rows } = await ctx.sql.query('SELECT count(*)::int AS n FROM notes WHERE encounter_id = $1', [id]);
    expect(rows[0].n).toBe(0);
  });

  it('ophthalmology: the exam per eye is kept, a measure out of range → 400 naming it', async () => {
    const id = await encounter();
    const eyes = {
      right: { visualAcuity: '6/9', sphere: -1.25, cylinder: -0.5, axis: 90, iop: 16 },
      left: { visualAcuity: '20/30', iop: 18 },
    };
    const ok = await put(doctor, id, draft(0, { template: 'ophthalmology', sections: { ...SECTIONS, eyes } }));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<Note>().sections.eyes).toEqual(eyes);
    const bad = await put(
      doctor,
      id,
      draft(1, { template: 'ophthalmology', sections: { ...SECTIONS, eyes: { ...eyes, left: { iop: 120 } } } }),
    );
    expect(bad.statusCode).toBe(400);
    expect(fields(bad)).toEqual(['sections.eyes.left.iop']);
    const acuity = await put(
      doctor,
      id,
      draft(1, { template: 'ophthalmology', sections: { ...SECTIONS, eyes: { ...eyes, right: { visualAcuity: '6-9' } } } }),
    );
    expect(fields(acuity)).toEqual(['sections.eyes.right.visualAcuity']);
  });
});

describe('signing', () => {
  it('without a primary diagnosis → 400 naming diagnoses; nothing signed', async () => {
    const id = await encounter();
    const v = (await put(doctor, id, draft(0, { diagnoses: [{ code: 'I10', rank: 'secondary' }] }))).json<Note>().version;
    const res = await sign(doctor, id, v);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'diagnoses', code: 'required' })]);
    expect(res.json().error.message).toContain('primary diagnosis');
    const { rows } = await ctx.sql.query('SELECT signed_at FROM notes WHERE encounter_id = $1', [id]);
    expect(rows).toEqual([{ signed_at: null }]);
  });

  it('signed: read-only for the API (409 NOTE_SIGNED) and for the database itself (a direct UPDATE or DELETE raises)', async () => {
    const id = await encounter();
    const v = (await put(doctor, id, draft(0))).json<Note>().version;
    const signed = await sign(doctor, id, v);
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json<Note>()).toMatchObject({ status: 'signed', signedBy: { id: doctor.userId }, version: v + 1 });
    expect(signed.json<Note>().signedAt).toBeTruthy();

    const edit = await put(doctor, id, draft(v + 1, { sections: { ...SECTIONS, plan: 'changed' } }));
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.code).toBe('NOTE_SIGNED');
    const twice = await sign(doctor, id, v + 1);
    expect(twice.json().error.code).toBe('NOTE_SIGNED');

    await expect(
      ctx.sql.query(`UPDATE notes SET sections = jsonb_set(sections, '{plan}', '"tampered"') WHERE encounter_id = $1`, [id]),
    ).rejects.toThrow(/is signed: it cannot be changed/);
    await expect(ctx.sql.query(`UPDATE notes SET signed_at = NULL WHERE encounter_id = $1`, [id])).rejects.toThrow(/is signed/);
    await expect(ctx.sql.query(`DELETE FROM notes WHERE encounter_id = $1`, [id])).rejects.toThrow(/is signed/);
    await expect(ctx.sql.query(`DELETE FROM diagnoses WHERE encounter_id = $1`, [id])).rejects.toThrow(/signed note/);
    // and as the serving role the application runs as
    await expect(ctx.database.pool.query(`UPDATE notes SET patient_summary = 'x' WHERE encounter_id = $1`, [id])).rejects.toThrow(
      /is signed/,
    );
    const { rows } = await ctx.sql.query(
      `SELECT sections->>'plan' AS plan, signed_at IS NOT NULL AS signed FROM notes WHERE encounter_id = $1`,
      [id],
    );
    expect(rows).toEqual([{ plan: SECTIONS.plan, signed: true }]);
  });

  it('an addendum after signing shows on the note and in the history with the signed text; a draft takes none', async () => {
    const id = await encounter();
    const early = await doctor.req('POST', `/api/encounters/${id}/note/addenda`, { text: 'too early' }, KIN);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('NOTE_NOT_SIGNED');
    const v = (await put(doctor, id, draft(0))).json<Note>().version;
    await sign(doctor, id, v);
    const blank = await doctor.req('POST', `/api/encounters/${id}/note/addenda`, { text: '   ' }, KIN);
    expect(blank.statusCode).toBe(400);
    expect(fields(blank)).toEqual(['text']);
    const add = await doctor.req('POST', `/api/encounters/${id}/note/addenda`, { text: 'Malaria smear: P. falciparum 2+' }, KIN);
    expect(add.statusCode, add.body).toBe(201);
    expect(add.json()).toMatchObject({ text: 'Malaria smear: P. falciparum 2+', author: { id: doctor.userId } });
    const note = (await doctor.req('GET', `/api/encounters/${id}/note`, undefined, KIN)).json<EncounterNote>().note!;
    expect(note.addenda.map((a) => a.text)).toEqual(['Malaria smear: P. falciparum 2+']);
    const history = await nurse.req('GET', `/api/encounters/${id}/note/history`, undefined, KIN);
    expect(history.statusCode, history.body).toBe(200);
    const kinds = history.json<NoteHistory>().data.map((r) => r.kind);
    expect(kinds).toEqual(['draft', 'signed', 'addendum']);
    const [, signedRev, addRev] = history.json<NoteHistory>().data;
    expect(signedRev).toMatchObject({
      sections: SECTIONS,
      diagnoses: [{ code: 'B54', rank: 'primary' }],
      by: { id: doctor.userId },
    });
    expect(addRev).toMatchObject({ text: 'Malaria smear: P. falciparum 2+' });
    await expect(ctx.sql.query(`UPDATE note_addenda SET text = 'x' WHERE id = $1`, [add.json().id])).rejects.toThrow(
      /append-only/,
    );
  });
});

describe("a patient's notes", () => {
  it('lists them newest first with diagnoses, status and author, paged; the read is audited with the ids', async () => {
    const { rows } = await ctx.sql
      .query<{ id: string }>(
        `INSERT INTO patients (mrn, given_name, family_name, sex, birth_date)
       SELECT 'KIN-NOTES-1', 'Notes', 'Patient', 'female', '1980-01-01' RETURNING id`,
      )
      .catch(async () => ({ rows: [] as { id: string }[] }));
    const patientId =
      rows[0]?.id ??
      (
        await admin.req(
          'POST',
          '/api/patients',
          { givenName: 'Notes', familyName: 'Patient', sex: 'female', birthDate: '1980-01-01', allowDuplicate: true },
          KIN,
        )
      ).json<{ id: string }>().id;
    await ctx.sql.query('INSERT INTO patient_clinics (patient_id, clinic_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      patientId,
      ctx.ids.kin,
    ]);
    const a = await encounter(patientId);
    const b = await encounter(patientId);
    await ctx.sql.query(`UPDATE encounters SET started_at = now() - interval '2 days' WHERE id = $1`, [a]);
    const va = (await put(doctor, a, draft(0))).json<Note>().version;
    await sign(doctor, a, va);
    await put(doctor, b, draft(0, { diagnoses: [] }));
    const since = await lastAuditId(ctx.sql);
    const res = await nurse.req('GET', `/api/patients/${patientId}/notes`, undefined, KIN);
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json<NoteList>();
    expect(list.data.map((n) => [n.encounterId, n.status])).toEqual([
      [b, 'draft'],
      [a, 'signed'],
    ]);
    expect(list.data[1]).toMatchObject({
      diagnoses: [{ code: 'B54', rank: 'primary' }],
      author: { id: doctor.userId },
      excerpt: 'Uncomplicated malaria',
    });
    const page1 = (await nurse.req('GET', `/api/patients/${patientId}/notes?limit=1`, undefined, KIN)).json<NoteList>();
    expect(page1.data.map((n) => n.encounterId)).toEqual([b]);
    const page2 = (
      await nurse.req('GET', `/api/patients/${patientId}/notes?limit=1&cursor=${page1.nextCursor}`, undefined, KIN)
    ).json<NoteList>();
    expect(page2.data.map((n) => n.encounterId)).toEqual([a]);
    expect(page2.nextCursor).toBeNull();
    const audit = (await auditSince(ctx.sql, since)).filter((r) => r.actor_user_id === nurse.userId);
    expect(audit[0]).toMatchObject({
      action: 'notes.read',
      outcome: 'success',
      patient_id: patientId,
      details: { ids: list.data.map((n) => n.id) },
    });
  });
});

describe('who may', () => {
  it('a receptionist gets 403 reading or writing a note, audited as denied; a nurse reads but cannot write', async () => {
    const id = await encounter();
    await put(doctor, id, draft(0));
    const since = await lastAuditId(ctx.sql);
    for (const res of [
      await desk.req('GET', `/api/encounters/${id}/note`, undefined, KIN),
      await desk.req('GET', `/api/patients/${ctx.ids.kinPatient}/notes`, undefined, KIN),
      await put(desk, id, draft(1)),
    ]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.body).not.toContain('malaria');
    }
    expect((await nurse.req('GET', `/api/encounters/${id}/note`, undefined, KIN)).statusCode).toBe(200);
    expect((await put(nurse, id, draft(1))).statusCode).toBe(403);
    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.actor_user_id === desk.userId);
    expect(rows).toEqual([
      expect.objectContaining({ action: 'note.read', outcome: 'denied', patient_id: ctx.ids.kinPatient }),
      expect.objectContaining({ action: 'notes.read', outcome: 'denied', patient_id: ctx.ids.kinPatient }),
      expect.objectContaining({ action: 'note.save', outcome: 'denied', patient_id: ctx.ids.kinPatient }),
    ]);
  });

  it("a doctor of Goma gets 404 for a Kinshasa patient's encounter and notes, audited as denied; nothing written", async () => {
    const id = await encounter();
    await put(doctor, id, draft(0));
    const GOM = { 'x-clinic-id': ctx.ids.gom };
    const since = await lastAuditId(ctx.sql);
    for (const res of [
      await gomaDoctor.req('GET', `/api/encounters/${id}/note`, undefined, GOM),
      await gomaDoctor.req('GET', `/api/encounters/${id}/note/history`, undefined, GOM),
      await gomaDoctor.req('GET', `/api/patients/${ctx.ids.kinPatient}/notes`, undefined, GOM),
      await put(gomaDoctor, id, draft(1, { sections: { ...SECTIONS, plan: 'goma' } }), GOM),
    ]) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.body).not.toContain('malaria');
    }
    const { rows } = await ctx.sql.query(`SELECT sections->>'plan' AS plan FROM notes WHERE encounter_id = $1`, [id]);
    expect(rows).toEqual([{ plan: SECTIONS.plan }]);
    const audit = (await auditSince(ctx.sql, since)).filter((r) => r.actor_user_id === gomaDoctor.userId);
    expect(audit.map((r) => [r.action, r.outcome])).toEqual([
      ['note.read', 'denied'],
      ['note.history', 'denied'],
      ['notes.read', 'denied'],
      ['note.save', 'denied'],
    ]);
  });

  it('reads and writes are audited in the same transaction, naming the patient', async () => {
    const id = await encounter();
    const since = await lastAuditId(ctx.sql);
    const v = (await put(doctor, id, draft(0))).json<Note>().version;
    await doctor.req('GET', `/api/encounters/${id}/note`, undefined, KIN);
    await sign(doctor, id, v);
    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.actor_user_id === doctor.userId);
    expect(rows.map((r) => [r.action, r.outcome, r.patient_id])).toEqual([
      ['note.save', 'success', ctx.ids.kinPatient],
      ['note.read', 'success', ctx.ids.kinPatient],
      ['note.sign', 'success', ctx.ids.kinPatient],
    ]);
  });
});

describe('text shortcuts', () => {
  it('an admin adds, renames and deletes one; a name taken → 409; a built-in name → 400; a doctor reads but may not edit', async () => {
    const created = await admin.req('POST', '/api/note-shortcuts', { name: '.chest', text: 'Chest clear, no crackles.' }, KIN);
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const list = await doctor.req('GET', '/api/note-shortcuts', undefined, KIN);
    expect(list.json().data.map((s: { name: string }) => s.name)).toContain('.chest');
    expect((await admin.req('POST', '/api/note-shortcuts', { name: '.chest', text: 'again' }, KIN)).json().error.code).toBe(
      'SHORTCUT_TAKEN',
    );
    const builtIn = await admin.req('POST', '/api/note-shortcuts', { name: '.vitals', text: 'x' }, KIN);
    expect(builtIn.statusCode).toBe(400);
    expect(fields(builtIn)).toEqual(['name']);
    const badName = await admin.req('POST', '/api/note-shortcuts', { name: 'chest', text: 'x' }, KIN);
    expect(fields(badName)).toEqual(['name']);
    expect((await doctor.req('POST', '/api/note-shortcuts', { name: '.mine', text: 'x' }, KIN)).statusCode).toBe(403);
    const renamed = await admin.req('PUT', `/api/note-shortcuts/${id}`, { name: '.lungs', text: 'Chest clear.' }, KIN);
    expect(renamed.json()).toMatchObject({ name: '.lungs', text: 'Chest clear.' });
    const clash = await admin.req('PUT', `/api/note-shortcuts/${id}`, { name: '.ros', text: 'x' }, KIN);
    expect(clash.statusCode).toBe(409);
    expect((await admin.req('DELETE', `/api/note-shortcuts/${id}`, undefined, KIN)).statusCode).toBe(200);
    expect((await admin.req('DELETE', `/api/note-shortcuts/${id}`, undefined, KIN)).statusCode).toBe(404);
    expect((await desk.req('GET', '/api/note-shortcuts', undefined, KIN)).statusCode).toBe(403);
  });
});

describe('under concurrency', () => {
  it('autosaves with diagnoses at the same time all succeed: the ICD-10 lookup runs in the save’s own transaction', async () => {
    // the test pool has two connections: two saves each holding one while asking for a second
    // (the terminology's lookup on its own connection) would wait for each other until the pool timed out
    const ids = await Promise.all([encounter(), encounter(), encounter(), encounter()]);
    const saved = await Promise.all(ids.map((id) => put(doctor, id, draft(0))));
    expect(saved.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect(saved.map((r) => r.json<Note>().diagnoses.map((d) => d.description))).toEqual(ids.map(() => ['Unspecified malaria']));
  });
});
