import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Letter, Verification } from '@sanita/contracts/letters';
import type { Note } from '@sanita/contracts/notes';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import { pdfText } from '../../../test/pdf.ts';

let ctx: TestContext;
let doctor: Session; // KIN
let nurse: Session; // KIN: reads notes and letters
let desk: Session; // receptionist, KIN: neither
let gomaDoctor: Session;
const KIN = { 'x-clinic-id': '' };
const GOM = { 'x-clinic-id': '' };

const SECTIONS = {
  subjective: 'Fever for three days, chills at night',
  objective: 'Rapid diagnostic test positive for falciparum',
  assessment: 'Uncomplicated falciparum malaria',
  plan: 'Artemether-lumefantrine twice daily',
};
const SUMMARY = 'You have malaria. Take all the tablets for three days, even when you feel better. Come back if vomiting.';

/** An encounter in progress at a clinic started by the demo doctor (as the encounters service would). */
async function encounter(
  patientId = ctx.ids.kinPatient,
  clinicId = ctx.ids.kin,
  reason: string | null = 'Fever',
): Promise<string> {
  const { rows } = await ctx.sql.query<{ id: string }>(
    `INSERT INTO encounters (clinic_id, patient_id, practitioner_id, type, status, reason, started_by, started_at)
     VALUES ($1, $2, (SELECT id FROM practitioners WHERE user_id = $3), 'outpatient', 'in_progress', $4, $3, now() - interval '20 minutes')
     RETURNING id`,
    [clinicId, patientId, doctor.userId, reason],
  );
  return rows[0]!.id;
}

/** The doctor writes the note (two diagnoses: the secondary first) and, unless `draft`, signs it. */
async function note(
  encounterId: string,
  { draft = false, summary = SUMMARY }: { draft?: boolean; summary?: string | null } = {},
): Promise<void> {
  const put = await doctor.req(
    'PUT',
    `/api/encounters/${encounterId}/note`,
    {
      version: 0,
      template: 'general',
      sections: SECTIONS,
      patientSummary: summary,
      diagnoses: [
        { code: 'D64.9', description: 'Anemia, unspecified', rank: 'secondary' },
        { code: 'B50.9', description: 'Plasmodium falciparum malaria, unspecified', rank: 'primary' },
      ],
    },
    KIN,
  );
  expect(put.statusCode, put.body).toBe(200);
  if (draft) return;
  const sign = await doctor.req('POST', `/api/encounters/${encounterId}/note/sign`, { version: put.json<Note>().version }, KIN);
  expect(sign.statusCode, sign.body).toBe(200);
}

/** A set of vitals of the patient at the clinic, `minutesAgo` before now. */
async function vitals(patientId: string, clinicId: string, minutesAgo: number, over: Record<string, number> = {}): Promise<void> {
  const v = { systolic: 118, diastolic: 76, heart_rate: 96, temperature: 38.6, spo2: 97, ...over };
  await ctx.sql.query(
    `INSERT INTO vitals (patient_id, clinic_id, recorded_by, taken_at, systolic, diastolic, heart_rate, temperature, spo2)
     VALUES ($1, $2, $3, now() - make_interval(mins => $4), $5, $6, $7, $8, $9)`,
    [patientId, clinicId, doctor.userId, minutesAgo, v.systolic, v.diastolic, v.heart_rate, v.temperature, v.spo2],
  );
}

const summaryOf = (s: Session, id: string, body: unknown = { language: 'en' }, h = KIN) =>
  s.req('POST', `/api/encounters/${id}/visit-summary`, body, h);

beforeAll(async () => {
  ctx = await createTestContext();
  KIN['x-clinic-id'] = ctx.ids.kin;
  GOM['x-clinic-id'] = ctx.ids.gom;
  [doctor, nurse, desk, gomaDoctor] = (await Promise.all(
    ['doctor', 'nurse', 'receptionist', 'doctor.goma'].map((r) => ctx.login(`${r}@sanita.test`)),
  )) as [Session, Session, Session, Session];
});
afterAll(async () => {
  await ctx.close();
});

describe('the visit summary of a signed note', () => {
  it('prints the visit, the signer, the diagnoses (primary first), the vitals of the visit and the summary for the patient — not the SOAP sections', async () => {
    const id = await encounter();
    await vitals(ctx.ids.kinPatient, ctx.ids.kin, 10, { systolic: 131, diastolic: 84 });
    // taken a day before the consultation: not part of it
    await vitals(ctx.ids.kinPatient, ctx.ids.kin, 24 * 60, { systolic: 187, diastolic: 111 });
    await note(id);

    const since = await lastAuditId(ctx.sql);
    const res = await summaryOf(doctor, id);
    expect(res.statusCode, res.body).toBe(201);
    const letter = res.json<Letter>();
    expect(letter).toMatchObject({
      kind: 'visit_summary',
      encounterId: id,
      patientId: ctx.ids.kinPatient,
      language: 'en',
      issuedBy: { id: doctor.userId },
      visit: { type: 'outpatient' },
      revokedAt: null,
    });
    const audit = await auditSince(ctx.sql, since);
    expect(audit.map((r) => [r.action, r.outcome, r.patient_id])).toEqual([
      ['letter.issue', 'success', ctx.ids.kinPatient],
      ['visit_summary.issue', 'success', ctx.ids.kinPatient],
    ]);

    const pdf = await doctor.req('GET', `/api/letters/${letter.id}/pdf`, undefined, KIN);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const { text, pages } = await pdfText(pdf.rawPayload);
    expect(pages).toBe(1);
    expect(text).toContain('VISIT SUMMARY');
    expect(text).toContain('Clinique Sanita Kinshasa');
    expect(text).toContain('Consultation,');
    expect(text).toContain('Reason for the visit Fever');
    expect(text).toMatch(/Seen by Dr Amani Mukendi, signed on/);
    expect(text).toMatch(/B50\.9 Plasmodium falciparum malaria, unspecified \(main diagnosis\) D64\.9 Anemia, unspecified/);
    expect(text).toContain('Blood pressure 131/84 mmHg, pulse 96/min, temperature 38.6 °C, oxygen saturation 97 %');
    expect(text).not.toContain('187/111');
    expect(text).toContain(SUMMARY);
    for (const soap of Object.values(SECTIONS)) expect(text).not.toContain(soap);
    const printed = letter.verificationCode.match(/.{4}/g)!.join('-');
    expect(text).toContain(printed);

    // the public check says only that it is genuine, its type, date and clinic
    const check = await ctx.app.inject({ method: 'GET', url: `/api/verify/${printed}` });
    expect(check.statusCode).toBe(200);
    expect(check.json<Verification>()).toEqual({
      status: 'genuine',
      kind: 'visit_summary',
      issuedAt: letter.issuedAt,
      clinic: 'Clinique Sanita Kinshasa',
    });
    expect(check.body).not.toMatch(/malaria|Mukendi|B50/i);
  });

  it('is issued once per encounter and language: asking again (a nurse too) answers the same letter and code, and the PDF never changes', async () => {
    const id = await encounter();
    await note(id);
    const first = await summaryOf(doctor, id);
    expect(first.statusCode, first.body).toBe(201);
    const before = await doctor.req('GET', `/api/letters/${first.json<Letter>().id}/pdf`, undefined, KIN);

    // a set recorded after issue does not change the summary already issued
    await vitals(ctx.ids.kinPatient, ctx.ids.kin, 0, { systolic: 150, diastolic: 95 });
    const again = await summaryOf(nurse, id);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<Letter>()).toEqual(first.json<Letter>());
    const after = await nurse.req('GET', `/api/letters/${first.json<Letter>().id}/pdf`, undefined, KIN);
    expect(after.rawPayload.equals(before.rawPayload)).toBe(true);

    const { rows } = await ctx.sql.query(`SELECT count(*)::int AS n FROM letters WHERE encounter_id = $1`, [id]);
    expect(rows[0]).toEqual({ n: 1 });
    // the database keeps it as issued
    await expect(ctx.sql.query(`UPDATE letters SET visit = '{}' WHERE encounter_id = $1`, [id])).rejects.toThrow(
      /cannot be changed/,
    );

    // it is among the patient's letters
    const list = await doctor.req('GET', `/api/patients/${ctx.ids.kinPatient}/letters`, undefined, KIN);
    expect(list.json<{ data: Letter[] }>().data.map((l) => l.id)).toContain(first.json<Letter>().id);
    // and on the timeline, with the visit it summarises
    const timeline = await doctor.req('GET', `/api/patients/${ctx.ids.kinPatient}/timeline?kinds=letter`, undefined, KIN);
    expect(timeline.statusCode, timeline.body).toBe(200);
    const entry = timeline
      .json<{ data: { id: string; data: Record<string, unknown> }[] }>()
      .data.find((e) => e.id === first.json<Letter>().id);
    expect(entry?.data).toMatchObject({ kind: 'visit_summary', visitStartedAt: first.json<Letter>().visit!.startedAt });
  });

  it('revoked (issued in error): the next request issues a new one with a new code; the old code says revoked', async () => {
    const id = await encounter();
    await note(id);
    const first = (await summaryOf(doctor, id)).json<Letter>();
    const revoke = await doctor.req('POST', `/api/letters/${first.id}/revoke`, { reason: 'wrong language asked' }, KIN);
    expect(revoke.statusCode, revoke.body).toBe(200);
    const next = await summaryOf(doctor, id);
    expect(next.statusCode, next.body).toBe(201);
    expect(next.json<Letter>().verificationCode).not.toBe(first.verificationCode);
    const old = await ctx.app.inject({ method: 'GET', url: `/api/verify/${first.verificationCode}` });
    expect(old.json<Verification>()).toMatchObject({ status: 'revoked', kind: 'visit_summary' });
  });

  it('in French: its own letter and code, French words and the diagnoses as coded', async () => {
    const id = await encounter();
    await note(id, { summary: null });
    const en = await summaryOf(doctor, id);
    const fr = await summaryOf(doctor, id, { language: 'fr' });
    expect(fr.statusCode, fr.body).toBe(201);
    expect(fr.json<Letter>().verificationCode).not.toBe(en.json<Letter>().verificationCode);
    const { text } = await pdfText(
      (await doctor.req('GET', `/api/letters/${fr.json<Letter>().id}/pdf`, undefined, KIN)).rawPayload,
    );
    expect(text).toContain('COMPTE RENDU DE CONSULTATION');
    expect(text).toContain('Motif de la consultation Fever');
    expect(text).toContain('(diagnostic principal)');
    expect(text).toContain('Résumé à votre intention');
    expect(text).toContain('Votre soignant n’a pas rédigé de résumé');
    expect(text).not.toContain(SECTIONS.plan);
  });

  it('a draft → 409 NOTE_NOT_SIGNED saying to sign it; no note → 409 too; nothing issued', async () => {
    const id = await encounter();
    const none = await summaryOf(doctor, id);
    expect(none.statusCode).toBe(409);
    expect(none.json()).toMatchObject({ error: { code: 'NOTE_NOT_SIGNED', message: expect.stringMatching(/no note yet/) } });
    await note(id, { draft: true });
    const draft = await summaryOf(doctor, id);
    expect(draft.statusCode).toBe(409);
    expect(draft.json()).toMatchObject({
      error: { code: 'NOTE_NOT_SIGNED', message: expect.stringMatching(/still a draft: sign it/) },
    });
    const { rows } = await ctx.sql.query(`SELECT count(*)::int AS n FROM letters WHERE encounter_id = $1`, [id]);
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('the front desk → 403, another clinic → 404, an unknown encounter → 404; refusals audited as denied', async () => {
    const id = await encounter();
    await note(id);
    const since = await lastAuditId(ctx.sql);
    expect((await summaryOf(desk, id)).statusCode).toBe(403);
    expect((await summaryOf(gomaDoctor, id, { language: 'fr' }, GOM)).statusCode).toBe(404);
    expect((await summaryOf(doctor, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'visit_summary.issue');
    expect(rows.map((r) => r.outcome)).toEqual(['denied', 'denied', 'denied']);
    const { rows: letters } = await ctx.sql.query(`SELECT count(*)::int AS n FROM letters WHERE encounter_id = $1`, [id]);
    expect(letters[0]).toEqual({ n: 0 });
  });

  it('a language other than en or fr → 400 naming it', async () => {
    const id = await encounter();
    const res = await summaryOf(doctor, id, { language: 'de' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('language');
  });
});
