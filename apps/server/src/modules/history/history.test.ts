import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Allergy, AllergyList, HistoryEntry, Problem, Revision } from '@sanita/contracts/history';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';

let ctx: TestContext;
let doctor: Session; // KIN
let nurse: Session; // KIN
let desk: Session; // receptionist, KIN
let admin: Session; // KIN
let gomaDoctor: Session;
const KIN = { 'x-clinic-id': '' };

let serial = 0;
/** A fresh patient of Kinshasa, so that each test sees only what it recorded. */
async function kinshasaPatient(birthDate = '1970-03-10'): Promise<string> {
  serial += 1;
  const res = await admin.req(
    'POST',
    '/api/patients',
    { givenName: 'History', familyName: `Case${serial}`, sex: 'female', birthDate, allowDuplicate: true },
    KIN,
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

const req = (s: Session, method: string, url: string, body?: unknown) => s.req(method, url, body, KIN);
const fields = (res: { json(): unknown }) =>
  ((res.json() as { error: { details?: { field: string }[] } }).error.details ?? []).map((d) => d.field);
const count = async (table: string, patientId: string) =>
  (await ctx.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE patient_id = $1`, [patientId])).rows[0]!.n;
/** Kinshasa's date now, in its own time zone. */
const clinicDate = async () =>
  (
    await ctx.sql.query<{ d: string }>(
      `SELECT to_char((now() AT TIME ZONE timezone)::date, 'YYYY-MM-DD') AS d FROM clinics WHERE id = $1`,
      [ctx.ids.kin],
    )
  ).rows[0]!.d;
const daysFromNow = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

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

describe('no known allergies', () => {
  it('is distinct from "not recorded": a new patient has neither allergies nor a statement', async () => {
    const patientId = await kinshasaPatient();
    const res = await req(doctor, 'GET', `/api/patients/${patientId}/allergies`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<AllergyList>()).toEqual({ data: [], noKnownAllergies: null });
  });

  it('stated by a doctor (who, when); then recording an allergy clears it', async () => {
    const patientId = await kinshasaPatient();
    const stated = await req(doctor, 'POST', `/api/patients/${patientId}/allergies/no-known`);
    expect(stated.statusCode, stated.body).toBe(200);
    expect(stated.json<AllergyList>().noKnownAllergies).toMatchObject({
      statedBy: { id: doctor.userId, name: 'Dr Amani Mukendi' },
    });
    const at = Date.parse(stated.json<AllergyList>().noKnownAllergies!.statedAt);
    expect(Math.abs(Date.now() - at)).toBeLessThan(60_000);

    const added = await req(nurse, 'POST', `/api/patients/${patientId}/allergies`, {
      substanceCode: 'penicillins',
      severity: 'severe',
      criticality: 'high',
      verificationStatus: 'confirmed',
      manifestations: ['urticaria'],
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json<Allergy>()).toMatchObject({
      substance: 'Penicillins',
      category: 'medication',
      type: 'allergy',
      status: 'active',
      createdBy: { id: nurse.userId },
    });
    const after = await req(doctor, 'GET', `/api/patients/${patientId}/allergies`);
    expect(after.json<AllergyList>().noKnownAllergies).toBeNull();
    expect(after.json<AllergyList>().data.map((a) => a.substance)).toEqual(['Penicillins']);
  });

  it('is refused (409 ALLERGIES_RECORDED) while an active allergy exists, allowed once it is marked entered in error', async () => {
    const patientId = await kinshasaPatient();
    const added = await req(doctor, 'POST', `/api/patients/${patientId}/allergies`, {
      substance: 'Chloroquine',
      category: 'medication',
    });
    expect(added.statusCode, added.body).toBe(201);
    const refused = await req(doctor, 'POST', `/api/patients/${patientId}/allergies/no-known`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('ALLERGIES_RECORDED');
    expect(await count('allergy_statements', patientId)).toBe(0);

    const a = added.json<Allergy>();
    const erased = await req(doctor, 'PATCH', `/api/patients/${patientId}/allergies/${a.id}`, {
      version: a.version,
      verificationStatus: 'entered_in_error',
    });
    expect(erased.statusCode, erased.body).toBe(200);
    const stated = await req(doctor, 'POST', `/api/patients/${patientId}/allergies/no-known`);
    expect(stated.statusCode, stated.body).toBe(200);
    // never deleted: the allergy entered in error is still there, and says so
    expect(stated.json<AllergyList>().data).toEqual([
      expect.objectContaining({ id: a.id, verificationStatus: 'entered_in_error' }),
    ]);
  });

  it('a refuted allergy does not count, and does not clear the statement', async () => {
    const patientId = await kinshasaPatient();
    expect((await req(doctor, 'POST', `/api/patients/${patientId}/allergies/no-known`)).statusCode).toBe(200);
    const refuted = await req(doctor, 'POST', `/api/patients/${patientId}/allergies`, {
      substanceCode: 'sulfonamides',
      verificationStatus: 'refuted',
    });
    expect(refuted.statusCode).toBe(201);
    const list = (await req(doctor, 'GET', `/api/patients/${patientId}/allergies`)).json<AllergyList>();
    expect(list.noKnownAllergies).not.toBeNull();
  });
});

describe('problems', () => {
  it('a free-text problem needs a description; blank text is refused naming it', async () => {
    const patientId = await kinshasaPatient();
    const none = await req(doctor, 'POST', `/api/patients/${patientId}/problems`, {});
    expect(none.statusCode).toBe(400);
    expect(fields(none)).toContain('description');
    const ok = await req(doctor, 'POST', `/api/patients/${patientId}/problems`, {
      description: '  Recurrent headaches  ',
      onsetDate: '2020-01-01',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<Problem>()).toMatchObject({
      code: null,
      description: 'Recurrent headaches',
      status: 'active',
      resolutionDate: null,
    });
  });

  it('an ICD-10-CM code is checked against the code set and names the problem when no description is sent', async () => {
    const patientId = await kinshasaPatient();
    const coded = await req(doctor, 'POST', `/api/patients/${patientId}/problems`, { code: 'E11.9', onsetDate: '2021-04-01' });
    expect(coded.statusCode, coded.body).toBe(201);
    expect(coded.json<Problem>()).toMatchObject({ code: 'E11.9', description: 'Type 2 diabetes mellitus without complications' });
    // the clinician's own words are kept beside the code
    const worded = await req(doctor, 'POST', `/api/patients/${patientId}/problems`, { code: 'I10', description: 'Hypertension' });
    expect(worded.json<Problem>()).toMatchObject({ code: 'I10', description: 'Hypertension' });
    const unknown = await req(doctor, 'POST', `/api/patients/${patientId}/problems`, { code: 'Z99.999', description: 'Made up' });
    expect(unknown.statusCode).toBe(400);
    expect(fields(unknown)).toEqual(['code']);
    // changing the code of a problem brings the new code's description
    const changed = await req(doctor, 'PATCH', `/api/patients/${patientId}/problems/${coded.json<Problem>().id}`, {
      version: 1,
      code: 'E11.65',
    });
    expect(changed.json<Problem>()).toMatchObject({
      code: 'E11.65',
      description: 'Type 2 diabetes mellitus with hyperglycemia',
      version: 2,
    });
    expect(await count('problems', patientId)).toBe(2);
  });

  it('dates: onset not in the future nor before birth; resolution only when resolved, not before onset, not in the future', async () => {
    const patientId = await kinshasaPatient('1990-05-05');
    const post = (body: object) => req(doctor, 'POST', `/api/patients/${patientId}/problems`, { description: 'Gout', ...body });
    const cases: [object, string][] = [
      [{ onsetDate: daysFromNow(3) }, 'onsetDate'],
      [{ onsetDate: '1989-12-31' }, 'onsetDate'],
      [{ onsetDate: '2020-05-01', status: 'resolved', resolutionDate: '2020-04-30' }, 'resolutionDate'],
      [{ status: 'resolved', resolutionDate: daysFromNow(3) }, 'resolutionDate'],
      [{ status: 'active', resolutionDate: '2021-01-01' }, 'resolutionDate'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(fields(res), JSON.stringify(body)).toContain(field);
    }
    expect(await count('problems', patientId)).toBe(0);
    // the same day is fine; resolving without a date resolves today
    const sameDay = await post({ onsetDate: '2020-05-01', status: 'resolved', resolutionDate: '2020-05-01' });
    expect(sameDay.statusCode, sameDay.body).toBe(201);
    const today = await post({ onsetDate: '2020-05-01', status: 'resolved' });
    expect(today.json<Problem>().resolutionDate).toBe(await clinicDate());
  });

  it('"resolved today" is the clinic’s date, not the server’s UTC date', async () => {
    // UTC+14: its date is a day ahead of UTC from 10:00 UTC on
    await ctx.sql.query(`UPDATE clinics SET timezone = 'Pacific/Kiritimati' WHERE id = $1`, [ctx.ids.kin]);
    try {
      const patientId = await kinshasaPatient();
      const res = await req(doctor, 'POST', `/api/patients/${patientId}/problems`, { description: 'Otitis', status: 'resolved' });
      expect(res.statusCode, res.body).toBe(201);
      const kiritimati = (
        await ctx.sql.query<{ d: string }>(`SELECT to_char((now() AT TIME ZONE 'Pacific/Kiritimati')::date, 'YYYY-MM-DD') AS d`)
      ).rows[0]!.d;
      expect(res.json<Problem>().resolutionDate).toBe(kiritimati);
    } finally {
      await ctx.sql.query(`UPDATE clinics SET timezone = 'Africa/Kinshasa' WHERE id = $1`, [ctx.ids.kin]);
    }
  });

  it('each change is a revision with who changed which field, from what to what, and when; a stale version is 409 and changes nothing', async () => {
    const patientId = await kinshasaPatient();
    const created = await req(doctor, 'POST', `/api/patients/${patientId}/problems`, {
      description: 'Hypertension',
      onsetDate: '2019-02-01',
    });
    const p = created.json<Problem>();
    const edited = await req(nurse, 'PATCH', `/api/patients/${patientId}/problems/${p.id}`, {
      version: 1,
      note: 'Home readings 150/95',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json<Problem>()).toMatchObject({
      version: 2,
      note: 'Home readings 150/95',
      createdBy: { id: doctor.userId, name: 'Dr Amani Mukendi' },
      updatedBy: { id: nurse.userId },
    });
    const stale = await req(doctor, 'PATCH', `/api/patients/${patientId}/problems/${p.id}`, { version: 1, status: 'resolved' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
    const resolved = await req(doctor, 'PATCH', `/api/patients/${patientId}/problems/${p.id}`, {
      version: 2,
      status: 'resolved',
      resolutionDate: '2024-06-30',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    // reopening clears the resolution date
    const reopened = await req(doctor, 'PATCH', `/api/patients/${patientId}/problems/${p.id}`, { version: 3, status: 'active' });
    expect(reopened.json<Problem>()).toMatchObject({ status: 'active', resolutionDate: null, version: 4 });

    const since = await lastAuditId(ctx.sql);
    const revs = await req(doctor, 'GET', `/api/patients/${patientId}/problems/${p.id}/revisions`);
    expect(revs.statusCode, revs.body).toBe(200);
    const data = revs.json<{ data: Revision[] }>().data;
    expect(data.map((r) => [r.version, r.action, r.changedBy.id])).toEqual([
      [1, 'created', doctor.userId],
      [2, 'updated', nurse.userId],
      [3, 'resolved', doctor.userId],
      [4, 'updated', doctor.userId],
    ]);
    expect(data[0]!.changes).toMatchObject({
      description: { from: null, to: 'Hypertension' },
      onsetDate: { from: null, to: '2019-02-01' },
    });
    expect(data[1]!.changes).toEqual({ note: { from: null, to: 'Home readings 150/95' } });
    expect(data[2]!.changes).toEqual({
      status: { from: 'active', to: 'resolved' },
      resolutionDate: { from: null, to: '2024-06-30' },
    });
    expect(data[1]!.changedBy.name).toBe('Grâce Nsimba');
    expect(Date.parse(data[3]!.changedAt)).toBeGreaterThanOrEqual(Date.parse(data[0]!.changedAt));
    // the read of the revisions is audited
    const rows = await auditSince(ctx.sql, since);
    expect(rows).toContainEqual(
      expect.objectContaining({ action: 'problem.revisions.read', patient_id: patientId, outcome: 'success' }),
    );
  });

  it('marking a problem entered in error keeps it (never deleted), with its revision', async () => {
    const patientId = await kinshasaPatient();
    const p = (
      await req(doctor, 'POST', `/api/patients/${patientId}/problems`, { description: 'Wrong patient' })
    ).json<Problem>();
    const res = await req(doctor, 'PATCH', `/api/patients/${patientId}/problems/${p.id}`, {
      version: 1,
      status: 'entered_in_error',
    });
    expect(res.statusCode, res.body).toBe(200);
    const list = (await req(doctor, 'GET', `/api/patients/${patientId}/problems`)).json<{ data: Problem[] }>().data;
    expect(list).toEqual([expect.objectContaining({ id: p.id, status: 'entered_in_error' })]);
    const revs = (await req(doctor, 'GET', `/api/patients/${patientId}/problems/${p.id}/revisions`)).json<{ data: Revision[] }>();
    expect(revs.data.at(-1)).toMatchObject({
      action: 'entered_in_error',
      changes: { status: { from: 'active', to: 'entered_in_error' } },
    });
  });

  it('another patient’s problem id is 404 and writes nothing', async () => {
    const a = await kinshasaPatient();
    const b = await kinshasaPatient();
    const p = (await req(doctor, 'POST', `/api/patients/${a}/problems`, { description: 'Anaemia' })).json<Problem>();
    const res = await req(doctor, 'PATCH', `/api/patients/${b}/problems/${p.id}`, { version: 1, note: 'x' });
    expect(res.statusCode).toBe(404);
    expect((await req(doctor, 'GET', `/api/patients/${b}/problems/${p.id}/revisions`)).statusCode).toBe(404);
  });
});

describe('history', () => {
  it('family needs a relation and a condition; social needs tobacco, alcohol or occupation, pack-years only for smokers', async () => {
    const patientId = await kinshasaPatient();
    const post = (body: object) => req(doctor, 'POST', `/api/patients/${patientId}/history`, body);
    const cases: [object, string][] = [
      [{ kind: 'family', condition: 'Diabetes' }, 'relation'],
      [{ kind: 'family', relation: 'mother' }, 'condition'],
      [{ kind: 'medical', condition: 'Asthma', relation: 'mother' }, 'relation'],
      [{ kind: 'social' }, 'tobacco'],
      [{ kind: 'social', tobacco: 'never', packYears: 3 }, 'packYears'],
      [{ kind: 'social', alcohol: 'none', unitsPerWeek: 4 }, 'unitsPerWeek'],
      [{ kind: 'surgical', condition: 'Hernia repair', date: daysFromNow(10) }, 'date'],
      [{ kind: 'medical', condition: 'TB', occupation: 'Nurse' }, 'occupation'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(fields(res), JSON.stringify(body)).toContain(field);
    }
    expect(await count('history_entries', patientId)).toBe(0);
    const ok = [
      { kind: 'family', relation: 'father', condition: 'Type 2 diabetes' },
      { kind: 'social', tobacco: 'former', packYears: 7.5, alcohol: 'regular', unitsPerWeek: 10, occupation: 'Driver' },
      { kind: 'surgical', condition: 'Appendicectomy', date: '2001-08-01' },
    ];
    for (const body of ok) expect((await post(body)).statusCode).toBe(201);
    const list = (await req(nurse, 'GET', `/api/patients/${patientId}/history`)).json<{ data: HistoryEntry[] }>().data;
    expect(list.map((h) => h.kind)).toEqual(['family', 'social', 'surgical']);
    expect(list[1]).toMatchObject({ tobacco: 'former', packYears: 7.5, unitsPerWeek: 10, occupation: 'Driver' });
    // an update is checked against the whole entry
    const social = list[1]!;
    const bad = await req(doctor, 'PATCH', `/api/patients/${patientId}/history/${social.id}`, { version: 1, tobacco: 'never' });
    expect(bad.statusCode).toBe(400);
    expect(fields(bad)).toContain('packYears');
    const good = await req(doctor, 'PATCH', `/api/patients/${patientId}/history/${social.id}`, {
      version: 1,
      tobacco: 'never',
      packYears: null,
    });
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json<HistoryEntry>()).toMatchObject({ tobacco: 'never', packYears: null, version: 2 });
  });
});

describe('access', () => {
  it('a receptionist gets 403 on every list and write, audited as denied', async () => {
    const patientId = await kinshasaPatient();
    const since = await lastAuditId(ctx.sql);
    for (const path of ['problems', 'allergies', 'history']) {
      const res = await req(desk, 'GET', `/api/patients/${patientId}/${path}`);
      expect(res.statusCode, path).toBe(403);
    }
    expect((await req(desk, 'POST', `/api/patients/${patientId}/problems`, { description: 'x' })).statusCode).toBe(403);
    expect((await req(desk, 'POST', `/api/patients/${patientId}/allergies/no-known`)).statusCode).toBe(403);
    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.actor_user_id === desk.userId);
    expect(rows.map((r) => [r.action, r.outcome])).toEqual([
      ['problems.read', 'denied'],
      ['allergies.read', 'denied'],
      ['history.read', 'denied'],
      ['problem.record', 'denied'],
      ['allergies.no_known', 'denied'],
    ]);
    expect(await count('problems', patientId)).toBe(0);
  });

  it('a doctor of another clinic gets 404 for a Kinshasa patient, audited as denied', async () => {
    const patientId = await kinshasaPatient();
    const since = await lastAuditId(ctx.sql);
    const res = await gomaDoctor.req('GET', `/api/patients/${patientId}/allergies`, undefined, { 'x-clinic-id': ctx.ids.gom });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    const write = await gomaDoctor.req(
      'POST',
      `/api/patients/${patientId}/allergies`,
      { substanceCode: 'latex' },
      { 'x-clinic-id': ctx.ids.gom },
    );
    expect(write.statusCode).toBe(404);
    expect(await count('allergies', patientId)).toBe(0);
    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.actor_user_id === gomaDoctor.userId);
    expect(rows).toEqual([
      expect.objectContaining({ action: 'allergies.read', outcome: 'denied', patient_id: patientId }),
      expect.objectContaining({ action: 'allergy.record', outcome: 'denied', patient_id: patientId }),
    ]);
  });

  it('every read is audited with the ids shown, in the same transaction as the read', async () => {
    const patientId = await kinshasaPatient();
    const p = (await req(doctor, 'POST', `/api/patients/${patientId}/problems`, { description: 'Migraine' })).json<Problem>();
    const since = await lastAuditId(ctx.sql);
    expect((await req(nurse, 'GET', `/api/patients/${patientId}/problems`)).statusCode).toBe(200);
    const { rows } = await ctx.sql.query<{ action: string; details: { ids: string[] }; patient_id: string }>(
      `SELECT action, details, patient_id FROM audit_log WHERE id > $1 AND actor_user_id = $2`,
      [since, nurse.userId],
    );
    expect(rows).toEqual([{ action: 'problems.read', details: { ids: [p.id] }, patient_id: patientId }]);
  });

  it('the demo: Marie Mbuyi has hypertension, type 2 diabetes and a high-criticality penicillin allergy', async () => {
    const problems = (await req(doctor, 'GET', `/api/patients/${ctx.ids.ownPatient}/problems`)).json<{ data: Problem[] }>().data;
    expect(problems.map((p) => p.code)).toEqual(expect.arrayContaining(['I10', 'E11.9']));
    const allergies = (await req(doctor, 'GET', `/api/patients/${ctx.ids.ownPatient}/allergies`)).json<AllergyList>();
    expect(allergies.data[0]).toMatchObject({ substanceCode: 'penicillins', criticality: 'high', severity: 'severe' });
    const { rows } = await ctx.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM allergy_statements WHERE no_known_allergies',
    );
    expect(rows[0]!.n).toBeGreaterThanOrEqual(1);
  });
});

describe('under concurrency', () => {
  it('coded problems recorded at the same time are all kept: the ICD-10 lookup runs in the write’s own transaction', async () => {
    // the test pool has two connections: two writes each holding one while asking for a second
    // (the terminology's lookup on its own connection) would wait for each other until the pool timed out
    const patients = await Promise.all([kinshasaPatient(), kinshasaPatient(), kinshasaPatient(), kinshasaPatient()]);
    const res = await Promise.all(patients.map((id) => req(doctor, 'POST', `/api/patients/${id}/problems`, { code: 'I10' })));
    expect(res.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
  });
});
