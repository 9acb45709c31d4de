import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Letter } from '@sanita/contracts/letters';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import { pdfText } from '../../../test/pdf.ts';
import { newVerificationCode, normaliseCode } from '../../platform/verification.ts';
import { checkLetter } from './letters.service.ts';

let ctx: TestContext;
let doctor: Session; // KIN, a practitioner
let nurse: Session; // KIN: reads letters, does not issue them
let desk: Session; // receptionist, KIN
let admin: Session;
let gomaDoctor: Session;
const KIN = { 'x-clinic-id': '' };
const GOM = { 'x-clinic-id': '' };

let serial = 0;
async function kinshasaPatient(): Promise<string> {
  serial += 1;
  const res = await admin.req(
    'POST',
    '/api/patients',
    { givenName: 'Lettre', familyName: `Patient${serial}`, sex: 'male', birthDate: '1984-02-29', allowDuplicate: true },
    KIN,
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

const issue = (s: Session, patientId: string, body: unknown, headers = KIN) =>
  s.req('POST', `/api/patients/${patientId}/letters`, body, headers);
const fields = (res: { json(): unknown }) =>
  ((res.json() as { error: { details?: { field: string }[] } }).error.details ?? []).map((d) => d.field);
const count = async () => (await ctx.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM letters')).rows[0]!.n;

const SICK = { kind: 'sick_note', restFrom: '2026-12-07', restTo: '2026-12-09', body: 'No heavy lifting.' } as const;

beforeAll(async () => {
  ctx = await createTestContext();
  KIN['x-clinic-id'] = ctx.ids.kin;
  GOM['x-clinic-id'] = ctx.ids.gom;
  [doctor, nurse, desk, admin, gomaDoctor] = (await Promise.all(
    ['doctor', 'nurse', 'receptionist', 'admin', 'doctor.goma'].map((r) => ctx.login(`${r}@sanita.test`)),
  )) as [Session, Session, Session, Session, Session];
});
afterAll(async () => {
  await ctx.close();
});

describe('issuing a letter', () => {
  it('a sick note → 201, its PDF names the patient, the days, the doctor and the verification code, and opening it is audited', async () => {
    const patientId = await kinshasaPatient();
    const res = await issue(doctor, patientId, { ...SICK, language: 'en' });
    expect(res.statusCode, res.body).toBe(201);
    const letter = res.json<Letter>();
    expect(letter).toMatchObject({ kind: 'sick_note', restFrom: '2026-12-07', restTo: '2026-12-09', revokedAt: null });
    expect(letter.verificationCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);

    const since = await lastAuditId(ctx.sql);
    const pdf = await doctor.req('GET', `/api/letters/${letter.id}/pdf`, undefined, KIN);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const { text, pages } = await pdfText(pdf.rawPayload);
    expect(pages).toBe(1);
    expect(text).toContain('SICK NOTE');
    expect(text).toContain(`Lettre Patient${serial}`);
    expect(text).toMatch(/from December 7, 2026 to December 9, 2026 inclusive \(3 days\)/);
    expect(text).toContain('No heavy lifting.');
    expect(text).toContain('Dr Amani Mukendi');
    expect(text).toContain('Clinique Sanita Kinshasa');
    const printed = letter.verificationCode.match(/.{4}/g)!.join('-');
    expect(text).toContain(printed);
    const rows = await auditSince(ctx.sql, since);
    expect(rows).toEqual([expect.objectContaining({ action: 'letter.read', outcome: 'success', patient_id: patientId })]);
  });

  it('in French when asked: the title, the dates and the sentences are French', async () => {
    const patientId = await kinshasaPatient();
    const res = await issue(doctor, patientId, {
      kind: 'medical_certificate',
      language: 'fr',
      body: 'Apte à la pratique du football.',
      reason: 'Club sportif',
    });
    expect(res.statusCode, res.body).toBe(201);
    const pdf = await doctor.req('GET', `/api/letters/${res.json<Letter>().id}/pdf`, undefined, KIN);
    const { text } = await pdfText(pdf.rawPayload);
    expect(text).toContain('CERTIFICAT MÉDICAL');
    expect(text).toMatch(/certifie avoir examiné Lettre Patient\d+ le \d+ \S+ 20\d\d/);
    expect(text).toContain('Apte à la pratique du football.');
    expect(text).toContain('Délivré pour');
  });

  it('each kind requires its own fields and refuses the others, naming them; nothing is written', async () => {
    const patientId = await kinshasaPatient();
    const before = await count();
    const cases: [unknown, string[]][] = [
      [{ kind: 'sick_note' }, ['restFrom', 'restTo']],
      [{ ...SICK, restTo: '2026-12-06' }, ['restTo']],
      [{ ...SICK, restTo: '2027-06-01' }, ['restTo']],
      [{ ...SICK, recipient: 'Cardiology' }, ['recipient']],
      [{ kind: 'referral', recipient: 'Dr X' }, ['reason', 'body']],
      [{ kind: 'medical_certificate', body: '   ' }, ['body']],
      [{ kind: 'letter_of_love', body: 'x' }, ['kind']],
      [{ ...SICK, encounterId: '00000000-0000-4000-8000-000000000000' }, ['encounterId']],
    ];
    for (const [body, expected] of cases) {
      const res = await issue(doctor, patientId, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      for (const f of expected) expect(fields(res).join(' '), JSON.stringify(body)).toContain(f);
    }
    expect(await count()).toBe(before);
  });

  it('a nurse reads letters but cannot issue one; a receptionist neither; another clinic’s patient looks like none', async () => {
    const patientId = await kinshasaPatient();
    expect((await issue(nurse, patientId, SICK)).statusCode).toBe(403);
    expect((await issue(desk, patientId, SICK)).statusCode).toBe(403);
    expect((await issue(gomaDoctor, patientId, SICK, GOM)).statusCode).toBe(404);
    const issued = (await issue(doctor, patientId, SICK)).json<Letter>();
    const list = await nurse.req('GET', `/api/patients/${patientId}/letters`, undefined, KIN);
    expect(list.statusCode).toBe(200);
    expect(list.json<{ data: Letter[] }>().data.map((l) => l.id)).toEqual([issued.id]);
    expect((await desk.req('GET', `/api/patients/${patientId}/letters`, undefined, KIN)).statusCode).toBe(403);
    expect((await desk.req('GET', `/api/letters/${issued.id}/pdf`, undefined, KIN)).statusCode).toBe(403);
    const goma = await gomaDoctor.req('GET', `/api/letters/${issued.id}/pdf`, undefined, GOM);
    expect(goma.statusCode).toBe(404);
    expect(goma.body).not.toContain('Lettre');
  });
});

describe('verification and revocation', () => {
  it('the public page answers genuine with the kind, date and clinic — no patient data — then revoked once revoked', async () => {
    const patientId = await kinshasaPatient();
    const letter = (await issue(doctor, patientId, { ...SICK, language: 'en' })).json<Letter>();
    const printed = letter.verificationCode.match(/.{4}/g)!.join('-');
    const check = async (code: string) => ctx.app.inject({ method: 'GET', url: `/api/verify/${code}` });
    const ok = await check(printed.toLowerCase());
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({
      status: 'genuine',
      kind: 'sick_note',
      issuedAt: letter.issuedAt,
      clinic: 'Clinique Sanita Kinshasa',
    });
    expect(ok.body).not.toMatch(/Lettre|Patient|mrn|KIN-/);
    expect((await check('ZZZZ-ZZZZ-ZZZZ')).statusCode).toBe(404);
    expect((await check('not-a-code')).statusCode).toBe(400);

    expect((await nurse.req('POST', `/api/letters/${letter.id}/revoke`, { reason: 'wrong dates' }, KIN)).statusCode).toBe(403);
    const revoked = await doctor.req('POST', `/api/letters/${letter.id}/revoke`, { reason: 'wrong dates' }, KIN);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json<Letter>()).toMatchObject({ revokedReason: 'wrong dates' });
    expect((await check(printed)).json()).toMatchObject({ status: 'revoked' });
    const again = await doctor.req('POST', `/api/letters/${letter.id}/revoke`, { reason: 'twice' }, KIN);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('LETTER_REVOKED');
    const { text } = await pdfText((await doctor.req('GET', `/api/letters/${letter.id}/pdf`, undefined, KIN)).rawPayload);
    expect(text).toContain('REVOKED');
  });

  it('the database refuses to change or delete an issued letter', async () => {
    const patientId = await kinshasaPatient();
    const letter = (await issue(doctor, patientId, SICK)).json<Letter>();
    await expect(ctx.sql.query(`UPDATE letters SET rest_to = '2026-12-31' WHERE id = $1`, [letter.id])).rejects.toThrow(
      /cannot be changed/,
    );
    await expect(ctx.sql.query(`DELETE FROM letters WHERE id = $1`, [letter.id])).rejects.toThrow(/cannot be deleted/);
    const { rows } = await ctx.sql.query<{ rest_to: string }>(`SELECT rest_to::text FROM letters WHERE id = $1`, [letter.id]);
    expect(rows[0]!.rest_to).toBe('2026-12-09');
  });
});

describe('pure rules', () => {
  it('codes are 12 Crockford characters; typed codes tolerate dashes, case and look-alike letters', () => {
    const codes = new Set(Array.from({ length: 500 }, newVerificationCode));
    expect(codes.size).toBe(500);
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
    expect(normaliseCode('7kq4-m2xd-9pht')).toBe('7KQ4M2XD9PHT');
    expect(normaliseCode('O1IL-0000-0000')).toBe('0111' + '00000000');
  });
  it('a sick note of 90 days passes, 91 is refused', () => {
    expect(() => checkLetter({ kind: 'sick_note', restFrom: '2026-01-01', restTo: '2026-03-31' })).not.toThrow();
    expect(() => checkLetter({ kind: 'sick_note', restFrom: '2026-01-01', restTo: '2026-04-01' })).toThrow(/at most 90 days/);
  });
});
