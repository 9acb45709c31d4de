import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Immunization } from '@sanita/contracts/immunizations';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';

let ctx: TestContext;
let nurse: Session;
let doctor: Session;
let desk: Session;
let admin: Session;
let gomaDoctor: Session;
const KIN = { 'x-clinic-id': '' };

let serial = 0;
/** A fresh Kinshasa patient, so that each test reads only what it recorded. */
async function kinshasaPatient(birthDate = '1990-03-14'): Promise<string> {
  serial += 1;
  const res = await admin.req(
    'POST',
    '/api/patients',
    { givenName: 'Vaccin', familyName: `Test${serial}`, sex: 'female', birthDate, allowDuplicate: true },
    KIN,
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}
const url = (patientId: string, rest = '') => `/api/patients/${patientId}/immunizations${rest}`;
const record = (s: Session, patientId: string, body: unknown) => s.req('POST', url(patientId), body, KIN);
const list = async (s: Session, patientId: string) => {
  const res = await s.req('GET', url(patientId), undefined, KIN);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ data: Immunization[] }>().data;
};
const fields = (res: { json(): unknown }) =>
  ((res.json() as { error: { details?: { field: string }[] } }).error.details ?? []).map((d) => d.field);
const count = async (patientId: string) =>
  (await ctx.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM immunizations WHERE patient_id = $1', [patientId])).rows[0]!
    .n;

const MMR = {
  cvxCode: '03',
  occurredOn: '2024-05-02',
  lotNumber: 'MMR-24-117',
  site: 'left_deltoid',
  route: 'subcutaneous',
  doseNumber: 1,
};

beforeAll(async () => {
  ctx = await createTestContext();
  KIN['x-clinic-id'] = ctx.ids.kin;
  [nurse, doctor, desk, admin, gomaDoctor] = (await Promise.all(
    ['nurse', 'doctor', 'receptionist', 'admin', 'doctor.goma'].map((r) => ctx.login(`${r}@sanita.test`)),
  )) as [Session, Session, Session, Session, Session];
});
afterAll(async () => ctx?.close());

describe('recording', () => {
  it('a nurse records a vaccine given here: she is its performer, with lot, site and route, and the read is audited', async () => {
    const patientId = await kinshasaPatient();
    const res = await record(nurse, patientId, { ...MMR, cvxCode: '3', note: 'No reaction after 15 min' });
    expect(res.statusCode, res.body).toBe(201);
    const stored = res.json<Immunization>();
    expect(stored).toMatchObject({
      cvxCode: '03',
      vaccine: 'MMR',
      occurredOn: '2024-05-02',
      lotNumber: 'MMR-24-117',
      site: 'left_deltoid',
      route: 'subcutaneous',
      doseNumber: 1,
      source: 'administered',
      performer: { id: nurse.userId, name: 'Grâce Nsimba' },
      performerName: null,
      status: 'completed',
      version: 1,
      history: [{ action: 'recorded', version: 1, by: { id: nurse.userId }, changes: {} }],
    });
    const since = await lastAuditId(ctx.sql);
    const shown = await list(doctor, patientId);
    expect(shown.map((i) => i.id)).toEqual([stored.id]);
    const audit = await auditSince(ctx.sql, since);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'immunizations.read',
        outcome: 'success',
        patient_id: patientId,
        details: { ids: [stored.id] },
      }),
    ]);
  });

  it('a vaccine reported from a health card has no performer but the name given, and needs no lot', async () => {
    const patientId = await kinshasaPatient('2019-01-10');
    const res = await record(nurse, patientId, {
      cvxCode: '19',
      occurredOn: '2019-01-10',
      source: 'reported',
      performerName: 'Centre de santé Matonge',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      vaccine: 'BCG',
      source: 'reported',
      performer: null,
      performerName: 'Centre de santé Matonge',
    });
  });

  it('refuses a day in the future, a day before birth, an unknown CVX code and a missing lot, naming the field, writing nothing', async () => {
    const patientId = await kinshasaPatient('2000-06-01');
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const cases: [unknown, string][] = [
      [{ ...MMR, occurredOn: tomorrow }, 'occurredOn'],
      [{ ...MMR, occurredOn: '2000-05-31' }, 'occurredOn'],
      [{ ...MMR, cvxCode: '9999' }, 'cvxCode'],
      [{ ...MMR, cvxCode: 'MMR' }, 'cvxCode'],
      [{ cvxCode: '03', occurredOn: '2024-05-02' }, 'lotNumber'],
      [{ ...MMR, site: 'left_ear' }, 'site'],
      [{ ...MMR, occurredOn: '2024-02-30' }, 'occurredOn'],
    ];
    for (const [body, field] of cases) {
      const res = await record(nurse, patientId, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(fields(res)).toContain(field);
    }
    // on the birth day itself it is fine (BCG at birth)
    expect((await record(nurse, patientId, { ...MMR, occurredOn: '2000-06-01' })).statusCode).toBe(201);
    expect(await count(patientId)).toBe(1);
  });
});

describe('corrections', () => {
  it('keeps who changed what and when, with the reason; a stale version is refused', async () => {
    const patientId = await kinshasaPatient();
    const first = (await record(nurse, patientId, MMR)).json<Immunization>();
    const res = await doctor.req(
      'PATCH',
      url(patientId, `/${first.id}`),
      { version: 1, doseNumber: 2, site: 'right_deltoid', lotNumber: null, reason: 'Second dose, right arm', source: 'reported' },
      KIN,
    );
    expect(res.statusCode, res.body).toBe(200);
    const corrected = res.json<Immunization>();
    expect(corrected).toMatchObject({
      version: 2,
      doseNumber: 2,
      site: 'right_deltoid',
      lotNumber: null,
      source: 'reported',
      performer: null,
    });
    expect(corrected.history).toEqual([
      expect.objectContaining({ action: 'recorded', version: 1, by: { id: nurse.userId, name: 'Grâce Nsimba' } }),
      expect.objectContaining({
        action: 'corrected',
        version: 2,
        by: { id: doctor.userId, name: 'Dr Amani Mukendi' },
        reason: 'Second dose, right arm',
        changes: {
          doseNumber: { from: 1, to: 2 },
          site: { from: 'left_deltoid', to: 'right_deltoid' },
          lotNumber: { from: 'MMR-24-117', to: null },
          source: { from: 'administered', to: 'reported' },
        },
      }),
    ]);
    // back to 'administered' without a lot: refused
    const noLot = await doctor.req('PATCH', url(patientId, `/${first.id}`), { version: 2, source: 'administered' }, KIN);
    expect(noLot.statusCode).toBe(400);
    expect(fields(noLot)).toEqual(['lotNumber']);
    // what the nurse read (version 1) is stale now
    const stale = await nurse.req('PATCH', url(patientId, `/${first.id}`), { version: 1, note: 'x' }, KIN);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
    // a correction to a day before birth is refused like a recording
    const early = await nurse.req('PATCH', url(patientId, `/${first.id}`), { version: 2, occurredOn: '1980-01-01' }, KIN);
    expect(fields(early)).toEqual(['occurredOn']);
  });

  it('an entry made in error is kept, marked, with the reason; it cannot be changed any more', async () => {
    const patientId = await kinshasaPatient();
    const first = (await record(nurse, patientId, MMR)).json<Immunization>();
    const res = await nurse.req(
      'POST',
      url(patientId, `/${first.id}/entered-in-error`),
      { version: 1, reason: 'Wrong patient' },
      KIN,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'entered_in_error', version: 2 });
    const [shown] = await list(nurse, patientId);
    expect(shown).toMatchObject({ id: first.id, status: 'entered_in_error' });
    expect(shown!.history.at(-1)).toMatchObject({
      action: 'entered_in_error',
      reason: 'Wrong patient',
      by: { id: nurse.userId },
    });
    const again = await nurse.req('PATCH', url(patientId, `/${first.id}`), { version: 2, doseNumber: 3 }, KIN);
    expect(again.statusCode).toBe(409);
    expect(await count(patientId)).toBe(1);
    // an immunization of another patient is not found through this one
    const other = await kinshasaPatient();
    const crossed = await nurse.req('PATCH', url(other, `/${first.id}`), { version: 2, doseNumber: 3 }, KIN);
    expect(crossed.statusCode).toBe(404);
  });
});

describe('access', () => {
  it('receptionists are refused (403) and another clinic does not see the patient (404), both audited as denied', async () => {
    const patientId = await kinshasaPatient();
    const since = await lastAuditId(ctx.sql);
    expect((await desk.req('GET', url(patientId), undefined, KIN)).statusCode).toBe(403);
    expect((await record(desk, patientId, MMR)).statusCode).toBe(403);
    expect((await gomaDoctor.req('GET', url(patientId))).statusCode).toBe(404);
    const denied = (await auditSince(ctx.sql, since)).filter((r) => r.outcome === 'denied').map((r) => r.action);
    expect(denied).toEqual(['immunizations.read', 'immunization.record', 'immunizations.read']);
  });

  it('the demo gives Marie Mbuyi her childhood vaccines (reported) and her recent ones given here', async () => {
    const shown = await list(nurse, ctx.ids.ownPatient);
    expect(shown.some((i) => i.vaccine === 'BCG' && i.source === 'reported')).toBe(true);
    expect(shown.filter((i) => i.cvxCode === '43' && i.source === 'administered' && i.lotNumber).length).toBe(2);
  });
});

describe('under concurrency', () => {
  it('vaccines recorded at the same time are all kept: the CVX lookup runs in the write’s own transaction', async () => {
    // the test pool has two connections: two writes each holding one while asking for a second
    // (the terminology's lookup on its own connection) would wait for each other until the pool timed out
    const patients = await Promise.all([kinshasaPatient(), kinshasaPatient(), kinshasaPatient(), kinshasaPatient()]);
    const res = await Promise.all(patients.map((id) => record(nurse, id, MMR)));
    expect(res.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
  });
});
