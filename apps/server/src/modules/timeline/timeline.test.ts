import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelinePage } from '@sanita/contracts/timeline';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import { multipartBody, tinyPdf } from '../../../test/multipart.ts';

let ctx: TestContext;
let doctor: Session;
let desk: Session;
let admin: Session;
let nurse: Session;
let optician: Session;
let gomaDoctor: Session;
const KIN = { 'x-clinic-id': '' };

async function newPatient(): Promise<string> {
  const res = await admin.req(
    'POST',
    '/api/patients',
    { givenName: 'Time', familyName: 'Line', sex: 'female', birthDate: '1975-03-03', allowDuplicate: true },
    KIN,
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

const page = (s: Session, patientId: string, query = '') =>
  s.req('GET', `/api/patients/${patientId}/timeline${query}`, undefined, KIN);

beforeAll(async () => {
  ctx = await createTestContext();
  KIN['x-clinic-id'] = ctx.ids.kin;
  [doctor, desk, admin, nurse, optician, gomaDoctor] = (await Promise.all(
    ['doctor', 'receptionist', 'admin', 'nurse', 'optician', 'doctor.goma'].map((r) => ctx.login(`${r}@sanita.test`)),
  )) as [Session, Session, Session, Session, Session, Session];
});
afterAll(async () => {
  await ctx.close();
});

describe('a patient’s timeline', () => {
  it('merges the kinds newest first, pages without gaps or repeats, filters by kind and date, and audits what it shows', async () => {
    const patientId = await newPatient();
    // vitals and letters interleaved in time, recorded out of order
    const times = ['2026-01-05T08:00:00Z', '2026-03-05T08:00:00Z', '2026-02-05T08:00:00Z', '2026-04-05T08:00:00Z'];
    for (const takenAt of times) {
      const v = await doctor.req('POST', `/api/patients/${patientId}/vitals`, { heartRate: 70, takenAt }, KIN);
      expect(v.statusCode, v.body).toBe(201);
    }
    for (let i = 0; i < 3; i++) {
      const l = await doctor.req(
        'POST',
        `/api/patients/${patientId}/letters`,
        { kind: 'medical_certificate', body: `Fit ${i}` },
        KIN,
      );
      expect(l.statusCode, l.body).toBe(201);
    }

    const first = await page(doctor, patientId, '?limit=3');
    expect(first.statusCode, first.body).toBe(200);
    const p1 = first.json<TimelinePage>();
    expect(p1.kinds).toEqual(expect.arrayContaining(['vitals', 'letter']));
    expect(p1.data.map((e) => e.kind)).toEqual(['letter', 'letter', 'letter']);
    const all: TimelinePage['data'] = [...p1.data];
    let cursor = p1.nextCursor;
    while (cursor) {
      const next = (await page(doctor, patientId, `?limit=3&cursor=${cursor}`)).json<TimelinePage>();
      all.push(...next.data);
      cursor = next.nextCursor;
    }
    expect(all).toHaveLength(7);
    expect(new Set(all.map((e) => e.id)).size).toBe(7);
    const at = all.map((e) => e.at);
    expect(at).toEqual([...at].sort().reverse());
    expect(all.slice(3).map((e) => e.at)).toEqual([
      '2026-04-05T08:00:00.000Z',
      '2026-03-05T08:00:00.000Z',
      '2026-02-05T08:00:00.000Z',
      '2026-01-05T08:00:00.000Z',
    ]);
    expect(all[3]).toMatchObject({ kind: 'vitals', by: 'Dr Amani Mukendi' });

    const vitalsOnly = (
      await page(doctor, patientId, '?kinds=vitals&from=2026-02-01T00:00:00Z&to=2026-03-31T00:00:00Z')
    ).json<TimelinePage>();
    expect(vitalsOnly.data.map((e) => e.at)).toEqual(['2026-03-05T08:00:00.000Z', '2026-02-05T08:00:00.000Z']);

    const since = await lastAuditId(ctx.sql);
    const audited = (await page(doctor, patientId, '?kinds=letter')).json<TimelinePage>();
    const rows = await auditSince(ctx.sql, since);
    expect(rows).toEqual([expect.objectContaining({ action: 'timeline.read', outcome: 'success', patient_id: patientId })]);
    expect(audited.data).toHaveLength(3);
  });

  it('refuses unknown kinds, reversed dates and forged cursors, naming them; a receptionist may not read it', async () => {
    const patientId = await newPatient();
    const field = async (query: string) => {
      const res = await page(doctor, patientId, query);
      expect(res.statusCode, query).toBe(400);
      return res.json<{ error: { details: { field: string }[] } }>().error.details.map((d) => d.field);
    };
    expect(await field('?kinds=vitals,gossip')).toContain('querystring.kinds');
    expect(await field('?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z')).toContain('querystring.to');
    expect(await field(`?cursor=${Buffer.from('yesterday|me').toString('base64url')}`)).toContain('querystring.cursor');
    expect((await page(desk, patientId)).statusCode).toBe(403);
  });
});

/** Every page of the timeline for `query`, `limit` at a time, following the cursors. */
async function allPages(s: Session, patientId: string, limit: number, query = '') {
  const items: TimelinePage['data'] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await page(s, patientId, `?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const body: TimelinePage = res.json<TimelinePage>();
    expect(body.data.length).toBeLessThanOrEqual(limit);
    items.push(...body.data);
    cursor = body.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return items;
}

/** An encounter of the demo doctor that started at `startedAt` (as the encounters service would write it). */
async function encounterAt(patientId: string, startedAt: string, ended: string | null, reason: string): Promise<string> {
  const { rows } = await ctx.sql.query<{ id: string }>(
    `INSERT INTO encounters (clinic_id, patient_id, practitioner_id, type, status, reason, started_at, ended_at, started_by, ended_by)
     VALUES ($1, $2, (SELECT id FROM practitioners WHERE user_id = $3), 'outpatient', $4, $5, $6, $7, $3, CASE WHEN $7::timestamptz IS NULL THEN NULL ELSE $3::uuid END)
     RETURNING id`,
    [ctx.ids.kin, patientId, doctor.userId, ended ? 'finished' : 'in_progress', reason, startedAt, ended],
  );
  return rows[0]!.id;
}

/** Its note, saved as a draft (and signed when asked) through the notes API; the note's id. */
async function noteOf(encounterId: string, signed: boolean): Promise<string> {
  const body = {
    version: 0,
    template: 'general',
    sections: { subjective: 'Fever', objective: 'T 38.9', assessment: 'Malaria', plan: 'ACT' },
    patientSummary: null,
    diagnoses: [{ code: 'B54', description: 'Unspecified malaria', rank: 'primary' }],
  };
  const saved = await doctor.req('PUT', `/api/encounters/${encounterId}/note`, body, KIN);
  expect(saved.statusCode, saved.body).toBe(200);
  const note = saved.json<{ id: string; version: number }>();
  if (signed) {
    const res = await doctor.req('POST', `/api/encounters/${encounterId}/note/sign`, { version: note.version }, KIN);
    expect(res.statusCode, res.body).toBe(200);
  }
  return note.id;
}

/** (at, id) strictly descending: the timeline's order. */
function expectTimelineOrder(items: TimelinePage['data']) {
  for (let i = 1; i < items.length; i++) {
    const [a, b] = [items[i - 1]!, items[i]!];
    expect(a.at > b.at || (a.at === b.at && a.id > b.id), `${a.kind}:${a.at} before ${b.kind}:${b.at}`).toBe(true);
  }
}

describe('a timeline of every kind', () => {
  let patientId: string;
  let ids: Record<string, string>;

  beforeAll(async () => {
    patientId = await newPatient();
    const older = await encounterAt(patientId, '2026-03-10T09:00:00Z', '2026-03-10T09:40:00Z', 'Fever for 3 days');
    const newer = await encounterAt(patientId, '2026-05-01T10:00:00Z', null, 'Follow-up');
    const signedNote = await noteOf(older, true);
    const draftNote = await noteOf(newer, false);
    for (const takenAt of ['2026-01-05T08:00:00Z', '2026-04-05T08:00:00Z']) {
      const v = await doctor.req('POST', `/api/patients/${patientId}/vitals`, { heartRate: 70, takenAt }, KIN);
      expect(v.statusCode, v.body).toBe(201);
    }
    const vaccine = await nurse.req(
      'POST',
      `/api/patients/${patientId}/immunizations`,
      {
        cvxCode: '03',
        occurredOn: '2026-02-10',
        lotNumber: 'MMR-26-001',
        site: 'left_deltoid',
        route: 'subcutaneous',
        doseNumber: 1,
      },
      KIN,
    );
    expect(vaccine.statusCode, vaccine.body).toBe(201);
    const { payload, headers } = multipartBody([
      { name: 'title', value: 'Lab results March' },
      { name: 'category', value: 'lab_report' },
      { name: 'file', value: tinyPdf('Haemoglobin 11.2'), filename: 'labs.pdf', contentType: 'application/pdf' },
    ]);
    const doc = await doctor.req('POST', `/api/patients/${patientId}/documents`, payload, { ...headers, ...KIN });
    expect(doc.statusCode, doc.body).toBe(201);
    // filed in April (the upload is stamped now): between the vitals of April and the follow-up of May
    await ctx.sql.query(`UPDATE patient_documents SET uploaded_at = '2026-04-20T12:00:00Z' WHERE id = $1`, [doc.json().id]);
    ids = { older, newer, signedNote, draftNote, vaccine: vaccine.json().id, doc: doc.json().id };
  });

  it('shows encounters, notes, vitals, documents and vaccines newest first, and pages through them alike at any page size', async () => {
    const all = await allPages(doctor, patientId, 100);
    expect(all.map((e) => [e.kind, e.at])).toEqual([
      [expect.stringMatching(/^(encounter|note)$/), '2026-05-01T10:00:00.000Z'],
      [expect.stringMatching(/^(encounter|note)$/), '2026-05-01T10:00:00.000Z'],
      ['document', '2026-04-20T12:00:00.000Z'],
      ['vitals', '2026-04-05T08:00:00.000Z'],
      [expect.stringMatching(/^(encounter|note)$/), '2026-03-10T09:00:00.000Z'],
      [expect.stringMatching(/^(encounter|note)$/), '2026-03-10T09:00:00.000Z'],
      ['immunization', '2026-02-10T00:00:00.000Z'],
      ['vitals', '2026-01-05T08:00:00.000Z'],
    ]);
    expectTimelineOrder(all);
    // a cursor falls anywhere, between two kinds or two entries at the same time: the same list, page after page
    for (const limit of [1, 2, 3, 5]) expect(await allPages(doctor, patientId, limit)).toEqual(all);

    const byId = new Map(all.map((e) => [e.id, e]));
    expect(byId.get(ids.older!)).toMatchObject({
      kind: 'encounter',
      by: 'Dr Amani Mukendi',
      clinicId: ctx.ids.kin,
      data: { type: 'outpatient', status: 'finished', reason: 'Fever for 3 days', endedAt: '2026-03-10T09:40:00.000Z' },
    });
    expect(byId.get(ids.newer!)).toMatchObject({ kind: 'encounter', data: { status: 'in_progress', endedAt: null } });
    expect(byId.get(ids.signedNote!)).toMatchObject({
      kind: 'note',
      by: 'Dr Amani Mukendi',
      data: { encounterId: ids.older, signed: true, template: 'general', diagnosisCode: 'B54' },
    });
    expect(byId.get(ids.draftNote!)).toMatchObject({
      kind: 'note',
      data: { encounterId: ids.newer, signed: false, signedAt: null },
    });
    const doc = byId.get(ids.doc!)!;
    expect(doc).toMatchObject({
      kind: 'document',
      data: { title: 'Lab results March', category: 'lab_report', contentType: 'application/pdf', status: 'current' },
    });
    // what the card shows, never the content nor how it is stored
    expect(Object.keys(doc.data).sort()).toEqual(['category', 'contentType', 'filename', 'source', 'status', 'title']);
    expect(byId.get(ids.vaccine!)).toMatchObject({
      kind: 'immunization',
      by: 'Grâce Nsimba',
      data: { cvxCode: '03', occurredOn: '2026-02-10', doseNumber: 1, source: 'administered', status: 'completed' },
    });
    expect(String(byId.get(ids.vaccine!)!.data.vaccine)).toMatch(/MMR/);
  });

  it('filters the new kinds by kind and date, with the cursor', async () => {
    const consultations = await allPages(doctor, patientId, 1, '&kinds=encounter,note');
    expect(consultations.map((e) => e.id)).toEqual(
      [[ids.newer!, ids.draftNote!].sort().reverse(), [ids.older!, ids.signedNote!].sort().reverse()].flat(),
    );
    const spring = await allPages(
      doctor,
      patientId,
      2,
      '&kinds=document,immunization,encounter&from=2026-02-01T00:00:00Z&to=2026-04-30T23:59:59Z',
    );
    expect(spring.map((e) => e.kind)).toEqual(['document', 'encounter', 'immunization']);
  });

  it('leaves out the kinds a reader may not read: no notes without notes:read, no vaccines for an optician', async () => {
    const kindsOf = (items: TimelinePage['data']) => [...new Set(items.map((e) => e.kind))].sort();
    expect(kindsOf(await allPages(nurse, patientId, 3))).toEqual(['document', 'encounter', 'immunization', 'note', 'vitals']);

    await ctx.sql.query(`DELETE FROM role_permissions WHERE role_id = 'nurse' AND permission_id = 'notes:read'`);
    await ctx.app.services.auth.syncPrincipals();
    try {
      const first = (await page(nurse, patientId)).json<TimelinePage>();
      expect(first.kinds).not.toContain('note');
      expect(first.kinds).toEqual(expect.arrayContaining(['encounter', 'document', 'immunization', 'vitals']));
      const seen = await allPages(nurse, patientId, 3);
      expect(kindsOf(seen)).toEqual(['document', 'encounter', 'immunization', 'vitals']);
      expectTimelineOrder(seen);
      // asking for notes is no error and shows none
      const notes = await page(nurse, patientId, '?kinds=note');
      expect(notes.statusCode, notes.body).toBe(200);
      expect(notes.json<TimelinePage>().data).toEqual([]);
      // nor does the audit of the read name them
      const since = await lastAuditId(ctx.sql);
      await page(nurse, patientId);
      const [row] = await auditSince(ctx.sql, since);
      expect(JSON.stringify(row)).not.toContain(ids.signedNote);
    } finally {
      await ctx.sql.query(
        `INSERT INTO role_permissions (role_id, permission_id) VALUES ('nurse', 'notes:read') ON CONFLICT DO NOTHING`,
      );
      await ctx.app.services.auth.syncPrincipals();
    }
    expect(kindsOf(await allPages(nurse, patientId, 100))).toContain('note');

    const opticians = await page(optician, patientId, '?limit=100');
    expect(opticians.statusCode, opticians.body).toBe(200);
    expect(opticians.json<TimelinePage>().kinds).not.toContain('immunization');
    expect(kindsOf(opticians.json<TimelinePage>().data)).toEqual(['document', 'encounter', 'note', 'vitals']);
  });

  it('another clinic’s doctor gets 404 for the patient, whatever the kinds asked', async () => {
    const GOM = { 'x-clinic-id': ctx.ids.gom };
    for (const q of ['', '?kinds=note,immunization'])
      expect((await gomaDoctor.req('GET', `/api/patients/${patientId}/timeline${q}`, undefined, GOM)).statusCode).toBe(404);
  });
});
