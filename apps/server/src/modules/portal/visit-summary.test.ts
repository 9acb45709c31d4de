import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Letter, Verification } from '@sanita/contracts/letters';
import type { Note } from '@sanita/contracts/notes';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import { pdfText } from '../../../test/pdf.ts';

let ctx: TestContext;
let patient: Session; // the demo's portal user
let doctor: Session; // KIN
const KIN = { 'x-clinic-id': '' };

const SECTIONS = {
  subjective: 'Productive cough for ten days',
  objective: 'Scattered wheeze, no crackles',
  assessment: 'Acute bronchitis, clinician reasoning not for the portal',
  plan: 'Salbutamol inhaler, review in a week',
};
const SUMMARY = 'Your cough is a chest infection that will pass. Use the inhaler when short of breath.';

/** An encounter of `patientId` at Kinshasa by the demo doctor, its note written and (unless `draft`) signed. */
async function consultation(patientId: string, draft = false): Promise<string> {
  const { rows } = await ctx.sql.query<{ id: string }>(
    `INSERT INTO encounters (clinic_id, patient_id, practitioner_id, type, status, reason, started_by)
     VALUES ($1, $2, (SELECT id FROM practitioners WHERE user_id = $3), 'outpatient', 'in_progress', 'Cough', $3) RETURNING id`,
    [ctx.ids.kin, patientId, doctor.userId],
  );
  const id = rows[0]!.id;
  const put = await doctor.req(
    'PUT',
    `/api/encounters/${id}/note`,
    {
      version: 0,
      template: 'general',
      sections: SECTIONS,
      patientSummary: SUMMARY,
      diagnoses: [{ code: 'J20.9', description: 'Acute bronchitis, unspecified', rank: 'primary' }],
    },
    KIN,
  );
  expect(put.statusCode, put.body).toBe(200);
  if (!draft) {
    const sign = await doctor.req('POST', `/api/encounters/${id}/note/sign`, { version: put.json<Note>().version }, KIN);
    expect(sign.statusCode, sign.body).toBe(200);
  }
  return id;
}

const download = (s: Session, encounterId: string) => s.req('GET', `/api/portal/visits/${encounterId}/summary.pdf`);

beforeAll(async () => {
  ctx = await createTestContext();
  KIN['x-clinic-id'] = ctx.ids.kin;
  [patient, doctor] = await Promise.all([ctx.login('patient@sanita.test'), ctx.login('doctor@sanita.test')]);
});
afterAll(async () => {
  await ctx.close();
});

describe('my visit summary in the portal', () => {
  it('the PDF of my signed consultation: the summary for me, not the clinicians’ notes; the same letter the clinic prints; audited', async () => {
    const id = await consultation(ctx.ids.ownPatient);
    const since = await lastAuditId(ctx.sql);
    const res = await download(patient, id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('private, no-store');
    const { text } = await pdfText(res.rawPayload);
    expect(text).toContain('VISIT SUMMARY');
    expect(text).toContain(SUMMARY);
    expect(text).toContain('J20.9 Acute bronchitis, unspecified (main diagnosis)');
    expect(text).toContain('Dr Amani Mukendi');
    for (const soap of Object.values(SECTIONS)) expect(text).not.toContain(soap);

    const audit = await auditSince(ctx.sql, since);
    expect(audit.map((r) => [r.action, r.outcome, r.patient_id, r.actor_user_id])).toEqual([
      ['letter.issue', 'success', ctx.ids.ownPatient, patient.userId],
      ['visit_summary.read', 'success', ctx.ids.ownPatient, patient.userId],
    ]);

    // the clinic asking for it gets the same letter: one per encounter and language
    const staff = await doctor.req('POST', `/api/encounters/${id}/visit-summary`, { language: 'en' }, KIN);
    expect(staff.statusCode, staff.body).toBe(200);
    const letter = staff.json<Letter>();
    expect(letter.issuedBy.id).toBe(doctor.userId);
    const printed = letter.verificationCode.match(/.{4}/g)!.join('-');
    expect(text).toContain(printed);
    const check = await ctx.app.inject({ method: 'GET', url: `/api/verify/${printed}` });
    expect(check.json<Verification>()).toMatchObject({ status: 'genuine', kind: 'visit_summary' });

    // downloading again: the same bytes
    const again = await download(patient, id);
    expect(again.rawPayload.equals(res.rawPayload)).toBe(true);
  });

  it('a draft, another patient’s consultation or an unknown one → 404, audited as denied, nothing issued', async () => {
    const draft = await consultation(ctx.ids.ownPatient, true);
    const someoneElse = await consultation(ctx.ids.kinPatient);
    const since = await lastAuditId(ctx.sql);
    for (const id of [draft, someoneElse, '00000000-0000-4000-8000-000000000000']) {
      const res = await download(patient, id);
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'visit_summary.read');
    // only the own draft names the patient; someone else's names nobody
    expect(rows.map((r) => [r.outcome, r.patient_id])).toEqual([
      ['denied', ctx.ids.ownPatient],
      ['denied', null],
      ['denied', null],
    ]);
    const { rows: letters } = await ctx.sql.query(`SELECT count(*)::int AS n FROM letters WHERE encounter_id = ANY($1)`, [
      [draft, someoneElse],
    ]);
    expect(letters[0]).toEqual({ n: 0 });
  });

  it('staff → 403 (the portal route is the patient’s own)', async () => {
    const id = await consultation(ctx.ids.ownPatient);
    expect((await download(doctor, id)).statusCode).toBe(403);
  });
});
