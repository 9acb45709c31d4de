import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AttachableDocumentList,
  Claim,
  ClaimList,
  ClaimPreview,
  Coverage,
  Eligibility,
  LedgerVerification,
} from '@sanita/contracts/claims';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import { TEST_MASTER_KEY } from '../../../test/constants.ts';
import { coverage, documentOf, issuedInvoice, plan } from './claims.fixtures.ts';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let ctx: TestContext;
let cashier: Session;
let insurer: Session; // SONAS
let insurerMsk: Session;
let admin: Session;
let doctor: Session;
let goma: Session;
const KIN = { 'x-clinic-id': '' };

let serial = 0;
async function newPatient(sex: 'female' | 'male' = 'female'): Promise<string> {
  serial += 1;
  const res = await admin.req(
    'POST',
    '/api/patients',
    { givenName: 'Claim', familyName: `Patient${serial}`, sex, birthDate: '1980-01-01', allowDuplicate: true },
    KIN,
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

const ok = async <T = Claim>(s: Session, method: string, url: string, body?: unknown, status = 200): Promise<T> => {
  const res = await s.req(method, url, body, KIN);
  expect(res.statusCode, res.body).toBe(status);
  return res.json<T>();
};
const step = (s: Session, c: Claim, action: string, body: Record<string, unknown> = {}) =>
  s.req('POST', `/api/claims/${c.id}/${action}`, { version: c.version, ...body }, KIN);

/** A covered patient, an invoice of a consultation and a lab test, and a draft claim of it. */
async function draft(
  rules: Record<string, unknown> = {},
  lines = [
    { kind: 'consultation', code: 'CONS-GEN', total: '25.00' },
    { kind: 'lab_test', code: '70569-9', total: '8.00' },
  ],
) {
  const patientId = await newPatient();
  const planId = await plan(ctx.sql, rules);
  await coverage(ctx.sql, patientId, planId);
  const inv = await issuedInvoice(ctx.sql, ctx.ids.kin, patientId, cashier.userId, lines);
  const claim = await ok(cashier, 'POST', '/api/claims', { invoiceId: inv.id }, 201);
  return { patientId, planId, inv, claim };
}

beforeAll(async () => {
  ctx = await createTestContext();
  KIN['x-clinic-id'] = ctx.ids.kin;
  [cashier, insurer, insurerMsk, admin, doctor, goma] = (await Promise.all(
    [
      'cashier@sanita.test',
      'insurer@sanita.test',
      'insurer.msk@sanita.test',
      'admin@sanita.test',
      'doctor@sanita.test',
      'doctor.goma@sanita.test',
    ].map((e) => ctx.login(e)),
  )) as [Session, Session, Session, Session, Session, Session];
});
afterAll(async () => ctx?.close());

describe('payers and plans', () => {
  it('administrators add payers, plans and insurer members; an insurer sees its own payer only', async () => {
    const payer = await ok<{ id: string; version: number }>(
      admin,
      'POST',
      '/api/payers',
      { code: 'TPAY', name: 'Test payer' },
      201,
    );
    const p = await ok<{ id: string; version: number; rules: { copay: string } }>(
      admin,
      'POST',
      `/api/payers/${payer.id}/plans`,
      {
        code: 'TP1',
        name: 'Test plan',
        currency: 'USD',
        rules: {
          coveredKinds: ['consultation'],
          excludedCodes: [],
          copay: '1.00',
          coinsurancePercent: '10',
          annualLimit: '100.00',
          perClaimLimit: '50.00',
          approvalThreshold: null,
        },
      },
      201,
    );
    const changed = await ok<{ rules: { copay: string }; version: number }>(admin, 'PATCH', `/api/plans/${p.id}`, {
      rules: { ...(await ok<{ rules: Record<string, unknown> }>(admin, 'GET', `/api/plans/${p.id}`)).rules, copay: '3.00' },
      version: p.version,
    });
    expect(changed).toMatchObject({ rules: { copay: '3.00' }, version: 2 });
    const stale = await admin.req('PATCH', `/api/plans/${p.id}`, { name: 'x', version: 1 }, KIN);
    expect([stale.statusCode, stale.json().error.code]).toEqual([409, 'STALE_VERSION']);
    // a per-claim limit above the annual one is refused
    const bad = await admin.req(
      'PATCH',
      `/api/plans/${p.id}`,
      { rules: { ...changed.rules, perClaimLimit: '500.00' }, version: 2 },
      KIN,
    );
    expect(bad.statusCode).toBe(400);
    // members: insurer users only
    const notInsurer = await admin.req('POST', `/api/payers/${payer.id}/members`, { userId: cashier.userId }, KIN);
    expect(notInsurer.statusCode).toBe(400);
    expect((await cashier.req('POST', '/api/payers', { code: 'X', name: 'X' }, KIN)).statusCode).toBe(403);
    const seen = await ok<{ data: { code: string; members: { email: string }[] }[] }>(insurer, 'GET', '/api/payers');
    expect(seen.data.map((x) => x.code)).toEqual(['SONAS']);
    expect(seen.data[0]!.members.map((m) => m.email)).toContain('insurer@sanita.test');
    const all = await ok<{ data: { code: string }[] }>(admin, 'GET', '/api/payers');
    expect(all.data.map((x) => x.code)).toEqual(expect.arrayContaining(['SONAS', 'MSK', 'JUBILEE', 'TPAY']));
  });
});

describe('coverages and eligibility', () => {
  it('records, changes and checks a coverage; audited; another clinic’s patient is 404', async () => {
    const patientId = await newPatient();
    const planId = await plan(ctx.sql, { copay: '2.00', coinsurancePercent: '20', annualLimit: '100.00' });
    const since = await lastAuditId(ctx.sql);
    const cov = await ok<Coverage>(
      cashier,
      'POST',
      `/api/patients/${patientId}/coverages`,
      { planId, memberId: 'SON-1', relationship: 'self', validFrom: '2026-01-01', validTo: '2026-12-31' },
      201,
    );
    expect(cov).toMatchObject({ payer: { code: 'SONAS' }, memberId: 'SON-1', priority: 1, active: true });
    const bad = await cashier.req(
      'POST',
      `/api/patients/${patientId}/coverages`,
      { planId, memberId: 'SON-2', relationship: 'self', validFrom: '2026-02-01', validTo: '2026-01-01' },
      KIN,
    );
    expect(bad.statusCode).toBe(400);
    const el = await ok<Eligibility>(cashier, 'GET', `/api/patients/${patientId}/eligibility?on=2026-06-01`);
    expect(el).toMatchObject({
      eligible: true,
      coverages: [{ eligible: true, copay: '2.00', coinsurancePercent: '20', remainingAnnual: '100.00' }],
    });
    const expired = await ok<Eligibility>(cashier, 'GET', `/api/patients/${patientId}/eligibility?on=2027-01-02`);
    expect(expired).toMatchObject({ eligible: false, coverages: [{ eligible: false, reason: 'expired' }] });
    const ended = await ok<Coverage>(cashier, 'PATCH', `/api/coverages/${cov.id}`, { active: false, version: cov.version });
    expect(ended.active).toBe(false);
    expect(
      (await ok<Eligibility>(cashier, 'GET', `/api/patients/${patientId}/eligibility?on=2026-06-01`)).coverages[0]!.reason,
    ).toBe('inactive');
    expect((await ok<{ data: Coverage[] }>(doctor, 'GET', `/api/patients/${patientId}/coverages`)).data).toHaveLength(1);
    expect(
      (
        await doctor.req(
          'POST',
          `/api/patients/${patientId}/coverages`,
          { planId, memberId: 'X', relationship: 'self', validFrom: '2026-01-01' },
          KIN,
        )
      ).statusCode,
    ).toBe(403);
    expect((await goma.req('GET', `/api/patients/${patientId}/coverages`)).statusCode).toBe(404);
    expect((await goma.req('PATCH', `/api/coverages/${cov.id}`, { active: true, version: 2 })).statusCode).toBe(403);
    const rows = await auditSince(ctx.sql, since);
    expect(rows.filter((r) => r.patient_id === patientId).map((r) => r.action)).toEqual(
      expect.arrayContaining(['coverage.create', 'coverage.eligibility', 'coverage.update', 'coverage.read']),
    );
  });
});

describe('claims from an invoice', () => {
  it('claims the covered lines after co-pay and co-insurance, sets the invoice’s insurer share, numbers it', async () => {
    const { claim, inv } = await draft({ copay: '2.00', coinsurancePercent: '20' });
    // (33 − 2) × 80 % = 24.80
    expect(claim).toMatchObject({
      status: 'draft',
      claimed: '24.80',
      currency: 'USD',
      payer: { code: 'SONAS' },
      anomalyScore: null,
    });
    expect(claim.number).toMatch(/^CLM-KIN-\d{4}-\d{6}$/);
    expect(claim.lines.map((l) => l.claimed).reduce((s, x) => s + Number(x), 0)).toBeCloseTo(24.8, 5);
    expect(claim.events.map((e) => e.type)).toEqual(['created']);
    const share = await ctx.sql.query(`SELECT insurer_share::text, patient_share::text FROM invoices WHERE id = $1`, [inv.id]);
    expect(share.rows[0]).toEqual({ insurer_share: '24.80', patient_share: '8.20' });
  });

  it('caps at the per-claim limit, then at what is left of the annual limit', async () => {
    const { claim, patientId, planId } = await draft({ perClaimLimit: '20.00', annualLimit: '30.00' });
    expect(claim.claimed).toBe('20.00');
    const inv2 = await issuedInvoice(ctx.sql, ctx.ids.kin, patientId, cashier.userId, [
      { kind: 'consultation', code: 'CONS-GEN', total: '25.00' },
    ]);
    const second = await ok(cashier, 'POST', '/api/claims', { invoiceId: inv2.id }, 201);
    expect(second.claimed).toBe('10.00');
    void planId;
  });

  it('leaves out uncovered and excluded lines; refuses one asked for, no coverage, a duplicate, a draft invoice', async () => {
    const patientId = await newPatient();
    const inv = await issuedInvoice(ctx.sql, ctx.ids.kin, patientId, cashier.userId, [
      { kind: 'consultation', code: 'CONS-GEN', total: '25.00' },
      { kind: 'optical', code: 'OPT-GLASSES', total: '60.00' },
      { kind: 'lab_test', code: 'LAB-VITD', total: '30.00' },
    ]);
    const none = await cashier.req('POST', '/api/claims', { invoiceId: inv.id }, KIN);
    expect([none.statusCode, none.json().error.code]).toEqual([409, 'CLAIM_NO_COVERAGE']);
    await coverage(ctx.sql, patientId, await plan(ctx.sql, { excludedCodes: ['LAB-VITD'] }));
    const asked = await cashier.req('POST', '/api/claims', { invoiceId: inv.id, lineIds: [inv.lines[0], inv.lines[1]] }, KIN);
    expect([asked.statusCode, asked.json().error.code, asked.json().error.details.lineId]).toEqual([
      409,
      'CLAIM_LINE_NOT_COVERED',
      inv.lines[1],
    ]);
    const excluded = await cashier.req('POST', '/api/claims', { invoiceId: inv.id, lineIds: [inv.lines[2]] }, KIN);
    expect(excluded.json().error.code).toBe('CLAIM_LINE_NOT_COVERED');
    const claim = await ok(cashier, 'POST', '/api/claims', { invoiceId: inv.id }, 201);
    expect(claim.lines.map((l) => l.code)).toEqual(['CONS-GEN']);
    const dup = await cashier.req('POST', '/api/claims', { invoiceId: inv.id }, KIN);
    expect([dup.statusCode, dup.json().error.code, dup.json().error.details.claimId]).toEqual([409, 'CLAIM_DUPLICATE', claim.id]);
    await ctx.sql.query(`UPDATE invoices SET status = 'draft', number = NULL WHERE id = $1`, [
      (
        await issuedInvoice(ctx.sql, ctx.ids.kin, patientId, cashier.userId, [
          { kind: 'consultation', code: 'CONS-GEN', total: '5.00' },
        ])
      ).id,
    ]);
    const foreign = await cashier.req('POST', '/api/claims', { invoiceId: '00000000-0000-4000-8000-000000000000' }, KIN);
    expect(foreign.statusCode).toBe(404);
    expect((await doctor.req('POST', '/api/claims', { invoiceId: inv.id }, KIN)).statusCode).toBe(403);
  });
});

describe('the claim preview', () => {
  it('is what create then makes: coverage, diagnoses, lines and totals, for a cashier who reads no notes; audited, nothing written', async () => {
    // an encounter of the demo with diagnoses: its patient, covered by a plan of the test's own
    const enc = (
      await ctx.sql.query<{ id: string; patient_id: string }>(
        `SELECT e.id, e.patient_id FROM encounters e WHERE e.clinic_id = $1
           AND EXISTS (SELECT 1 FROM diagnoses d WHERE d.encounter_id = e.id) ORDER BY e.id LIMIT 1`,
        [ctx.ids.kin],
      )
    ).rows[0]!;
    const coverageId = await coverage(
      ctx.sql,
      enc.patient_id,
      await plan(ctx.sql, { copay: '2.00', coinsurancePercent: '20', perClaimLimit: '20.00' }),
    );
    const inv = await issuedInvoice(ctx.sql, ctx.ids.kin, enc.patient_id, cashier.userId, [
      { kind: 'consultation', code: 'CONS-GEN', total: '25.00' },
      { kind: 'lab_test', code: '70569-9', total: '8.00' },
      { kind: 'optical', code: 'OPT-GLASSES', total: '60.00' },
    ]);
    await ctx.sql.query(`UPDATE invoices SET encounter_id = $2 WHERE id = $1`, [inv.id, enc.id]);
    // the cashier cannot read the note the diagnoses are on
    expect((await cashier.req('GET', `/api/encounters/${enc.id}/note`, undefined, KIN)).statusCode).toBe(403);
    const invoiceRow = () =>
      ctx.sql.query(`SELECT insurer_share::text, version FROM invoices WHERE id = $1`, [inv.id]).then((r) => r.rows[0]);
    const before = await invoiceRow();
    const since = await lastAuditId(ctx.sql);
    const body = { invoiceId: inv.id, coverageId };

    const preview = await ok<ClaimPreview>(cashier, 'POST', '/api/claims/preview', body);
    expect(preview).toMatchObject({
      invoiceId: inv.id,
      encounterId: enc.id,
      coverage: { id: coverageId },
      payer: { code: 'SONAS' },
      currency: 'USD',
      // (25 + 8 − 2) × 80 % = 24.80, capped at 20.00 a claim; the glasses are not covered
      totals: { gross: '33.00', copay: '2.00', coinsurance: '6.20', capped: 'per_claim_limit', claimed: '20.00' },
    });
    expect(preview.diagnoses.length).toBeGreaterThan(0);
    // the claim's order: by service date, then code
    expect(preview.lines.map((l) => [l.code, l.total])).toEqual([
      ['70569-9', '8.00'],
      ['CONS-GEN', '25.00'],
    ]);
    expect(preview.lines.reduce((s, l) => s + Number(l.claimed), 0)).toBeCloseTo(20, 5);
    // nothing written but the audit row
    expect(await invoiceRow()).toEqual(before);
    expect((await ctx.sql.query(`SELECT 1 FROM claims WHERE invoice_id = $1`, [inv.id])).rowCount).toBe(0);
    const audit = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'claim.preview');
    expect(audit.map((r) => [r.patient_id, r.outcome])).toEqual([[enc.patient_id, 'success']]);

    const claim = await ok(cashier, 'POST', '/api/claims', body, 201);
    expect({
      coverage: claim.coverage,
      payer: claim.payer,
      plan: claim.plan,
      diagnoses: claim.diagnoses,
      encounterId: claim.encounterId,
      currency: claim.currency,
      claimed: claim.claimed,
    }).toEqual({
      coverage: preview.coverage,
      payer: preview.payer,
      plan: preview.plan,
      diagnoses: preview.diagnoses,
      encounterId: preview.encounterId,
      currency: preview.currency,
      claimed: preview.totals.claimed,
    });
    const line = (l: { invoiceLineId: string; serviceDate: string; kind: string; code: string; claimed: string }) => [
      l.invoiceLineId,
      l.serviceDate,
      l.kind,
      l.code,
      l.claimed,
    ];
    expect(claim.lines.map(line)).toEqual(preview.lines.map(line));
    const created = await ctx.sql.query<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM claim_events WHERE claim_id = $1 AND type = 'created'`,
      [claim.id],
    );
    expect(created.rows[0]!.payload).toMatchObject(preview.totals);
    // once created, the preview answers as create would: the open claim is named
    const again = await cashier.req('POST', '/api/claims/preview', body, KIN);
    expect([again.statusCode, again.json().error.code, again.json().error.details.claimId]).toEqual([
      409,
      'CLAIM_DUPLICATE',
      claim.id,
    ]);
  });

  it('refuses what create refuses: no coverage, a line not covered, a line of another invoice, a draft invoice, another clinic’s invoice', async () => {
    const patientId = await newPatient();
    const inv = await issuedInvoice(ctx.sql, ctx.ids.kin, patientId, cashier.userId, [
      { kind: 'consultation', code: 'CONS-GEN', total: '25.00' },
      { kind: 'optical', code: 'OPT-GLASSES', total: '60.00' },
    ]);
    const preview = (body: Record<string, unknown>, s = cashier) => s.req('POST', '/api/claims/preview', body, KIN);
    const none = await preview({ invoiceId: inv.id });
    expect([none.statusCode, none.json().error.code]).toEqual([409, 'CLAIM_NO_COVERAGE']);
    await coverage(ctx.sql, patientId, await plan(ctx.sql, {}));
    const glasses = await preview({ invoiceId: inv.id, lineIds: [inv.lines[1]] });
    expect([glasses.statusCode, glasses.json().error.code, glasses.json().error.details.lineId]).toEqual([
      409,
      'CLAIM_LINE_NOT_COVERED',
      inv.lines[1],
    ]);
    const stranger = await preview({ invoiceId: inv.id, lineIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().error.details).toContainEqual(expect.objectContaining({ field: 'lineIds/0' }));
    const draftInvoice = await issuedInvoice(ctx.sql, ctx.ids.kin, patientId, cashier.userId, [
      { kind: 'consultation', code: 'CONS-GEN', total: '5.00' },
    ]);
    await ctx.sql.query(`UPDATE invoices SET status = 'draft', number = NULL WHERE id = $1`, [draftInvoice.id]);
    const notIssued = await preview({ invoiceId: draftInvoice.id });
    expect(notIssued.statusCode).toBe(400);
    expect(notIssued.json().error.details).toContainEqual(expect.objectContaining({ field: 'invoiceId' }));
    // an invoice of Goma, previewed at Kinshasa: it does not exist here (audited as denied)
    const goma = await issuedInvoice(ctx.sql, ctx.ids.gom, patientId, cashier.userId, [
      { kind: 'consultation', code: 'CONS-GEN', total: '25.00' },
    ]);
    const since = await lastAuditId(ctx.sql);
    const foreign = await preview({ invoiceId: goma.id });
    expect([foreign.statusCode, foreign.json().error.code]).toEqual([404, 'NOT_FOUND']);
    expect(JSON.stringify(foreign.json())).not.toContain('patient');
    expect(
      (await auditSince(ctx.sql, since)).filter((r) => r.action === 'claim.preview').map((r) => [r.outcome, r.patient_id]),
    ).toEqual([['denied', patientId]]);
    // who does not build claims is refused before anything is read
    expect((await preview({ invoiceId: inv.id }, doctor)).statusCode).toBe(403);
    expect((await preview({ invoiceId: inv.id }, insurer)).statusCode).toBe(403);
    // and the invoice still claims as before
    expect((await ok(cashier, 'POST', '/api/claims', { invoiceId: inv.id }, 201)).lines.map((l) => l.code)).toEqual(['CONS-GEN']);
  });
});

describe('attachable documents', () => {
  it('a cashier, who reads no documents, lists the draft’s patient’s current documents (metadata only) and attaches one; audited', async () => {
    const { claim, patientId } = await draft();
    const referral = await documentOf(ctx.sql, patientId, ctx.ids.kin, cashier.userId);
    const consent = await documentOf(ctx.sql, patientId, ctx.ids.kin, cashier.userId);
    const mistaken = await documentOf(ctx.sql, patientId, ctx.ids.kin, cashier.userId);
    await ctx.sql.query(`UPDATE patient_documents SET status = 'entered_in_error', title = 'Wrong scan' WHERE id = $1`, [
      mistaken,
    ]);
    await ctx.sql.query(`UPDATE patient_documents SET category = 'consent', title = 'Consent' WHERE id = $1`, [consent]);
    await documentOf(ctx.sql, await newPatient(), ctx.ids.kin, cashier.userId);
    expect((await cashier.req('GET', `/api/patients/${patientId}/documents`, undefined, KIN)).statusCode).toBe(403);

    const since = await lastAuditId(ctx.sql);
    const list = await ok<AttachableDocumentList>(cashier, 'GET', `/api/claims/${claim.id}/documents`);
    expect(list.data.map((d) => d.id).sort()).toEqual([referral, consent].sort());
    expect(list.data.find((d) => d.id === consent)).toEqual({
      id: consent,
      title: 'Consent',
      category: 'consent',
      uploadedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      attached: false,
    });
    const audit = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'claim.documents');
    expect(audit.map((r) => [r.patient_id, r.outcome])).toEqual([[patientId, 'success']]);

    const attached = await ok(cashier, 'POST', `/api/claims/${claim.id}/attachments`, {
      documentId: referral,
      version: claim.version,
    });
    expect(attached.attachments).toEqual([{ documentId: referral, title: 'Referral letter' }]);
    const after = await ok<AttachableDocumentList>(cashier, 'GET', `/api/claims/${claim.id}/documents`);
    expect(Object.fromEntries(after.data.map((d) => [d.id, d.attached]))).toEqual({ [referral]: true, [consent]: false });

    // only a draft takes attachments
    const submitted = await ok(cashier, 'POST', `/api/claims/${claim.id}/submit`, { version: attached.version });
    const late = await cashier.req('GET', `/api/claims/${submitted.id}/documents`, undefined, KIN);
    expect([late.statusCode, late.json().error.code]).toEqual([409, 'CLAIM_STATE']);
    // who may not attach: refused, and audited
    expect((await doctor.req('GET', `/api/claims/${claim.id}/documents`, undefined, KIN)).statusCode).toBe(403);
    expect((await insurer.req('GET', `/api/claims/${claim.id}/documents`, undefined, KIN)).statusCode).toBe(403);
  });

  it('another clinic’s draft is 404, audited as denied', async () => {
    const { claim, patientId } = await draft();
    await ctx.sql.query(`UPDATE claims SET clinic_id = $2 WHERE id = $1`, [claim.id, ctx.ids.gom]);
    const since = await lastAuditId(ctx.sql);
    const res = await cashier.req('GET', `/api/claims/${claim.id}/documents`, undefined, KIN);
    expect([res.statusCode, res.json().error.code]).toEqual([404, 'NOT_FOUND']);
    expect(
      (await auditSince(ctx.sql, since)).filter((r) => r.action === 'claim.documents').map((r) => [r.outcome, r.patient_id]),
    ).toEqual([['denied', patientId]]);
  });
});

describe('claim transitions', () => {
  it('draft → submitted → in review → partially approved → paid, each in the ledger; the refused ones answer CLAIM_STATE', async () => {
    const { claim, patientId, inv } = await draft();
    const doc = await documentOf(ctx.sql, patientId, ctx.ids.kin, cashier.userId);
    const other = await documentOf(ctx.sql, await newPatient(), ctx.ids.kin, cashier.userId);
    const wrongDoc = await step(cashier, claim, 'attachments', { documentId: other });
    expect(wrongDoc.statusCode).toBe(400);
    const attached = await ok(cashier, 'POST', `/api/claims/${claim.id}/attachments`, {
      documentId: doc,
      version: claim.version,
    });
    expect(attached.attachments).toEqual([{ documentId: doc, title: 'Referral letter' }]);
    // an insurer cannot review a draft: it does not even see it before it is submitted
    const early = await step(insurer, attached, 'review');
    expect([early.statusCode, early.json().error.code]).toEqual([404, 'NOT_FOUND']);
    const stale = await step(cashier, claim, 'submit');
    expect(stale.json().error.code).toBe('STALE_VERSION');
    const submitted = await ok(cashier, 'POST', `/api/claims/${claim.id}/submit`, { version: attached.version });
    expect(submitted.status).toBe('submitted');
    expect(submitted.anomalyScore).not.toBeNull();
    expect((await step(cashier, submitted, 'submit')).json().error).toMatchObject({
      code: 'CLAIM_STATE',
      details: { status: 'submitted', allowed: ['in_review'] },
    });
    expect((await step(cashier, submitted, 'review')).statusCode).toBe(403);
    expect((await step(insurerMsk, submitted, 'review')).statusCode).toBe(404);
    const decideEarly = await step(insurer, submitted, 'decision', { decision: 'approved' });
    expect(decideEarly.json().error.code).toBe('CLAIM_STATE');
    const inReview = await ok(insurer, 'POST', `/api/claims/${claim.id}/review`, { version: submitted.version });
    const [l1, l2] = inReview.lines;
    const exceeds = await step(insurer, inReview, 'decision', {
      decision: 'partially_approved',
      lines: [{ lineId: l1!.id, approved: '999.00' }],
    });
    expect([exceeds.statusCode, exceeds.json().error.code]).toEqual([400, 'CLAIM_APPROVAL_EXCEEDS']);
    const partial = await ok(insurer, 'POST', `/api/claims/${claim.id}/decision`, {
      decision: 'partially_approved',
      lines: [
        { lineId: l1!.id, approved: l1!.claimed },
        { lineId: l2!.id, approved: '0', denialReason: 'No malaria diagnosis' },
      ],
      note: 'The test is not supported by a diagnosis',
      version: inReview.version,
    });
    expect(partial).toMatchObject({ status: 'partially_approved', approved: l1!.claimed });
    expect(partial.lines[1]).toMatchObject({ approved: '0.00', denialReason: 'No malaria diagnosis' });
    expect(partial.notes).toEqual([
      expect.objectContaining({ fromPayer: true, text: 'The test is not supported by a diagnosis' }),
    ]);
    const noted = await ok(cashier, 'POST', `/api/claims/${claim.id}/notes`, { text: 'Lab report attached' });
    expect(noted.notes.map((n) => n.fromPayer)).toEqual([true, false]);
    const over = await step(cashier, noted, 'paid', { amount: '999.00' });
    expect(over.statusCode).toBe(400);
    const paid = await ok(cashier, 'POST', `/api/claims/${claim.id}/paid`, {
      amount: l1!.claimed,
      reference: 'VIR-123',
      version: noted.version,
    });
    expect(paid).toMatchObject({ status: 'paid', paid: l1!.claimed });
    const invoice = await ctx.sql.query(`SELECT paid::text FROM invoices WHERE id = $1`, [inv.id]);
    expect(invoice.rows[0]!.paid).toBe(l1!.claimed);
    expect(paid.events.map((e) => e.type)).toEqual(['created', 'attached', 'submitted', 'in_review', 'decision', 'note', 'paid']);
    expect((await step(cashier, paid, 'resubmit')).json().error).toMatchObject({
      code: 'CLAIM_STATE',
      details: { status: 'paid', allowed: [] },
    });
    expect((await step(insurer, paid, 'decision', { decision: 'denied' })).json().error.code).toBe('CLAIM_STATE');
  });

  it('a denied claim is resubmitted as a new draft linked to it, once', async () => {
    const { claim } = await draft();
    const s = await ok(cashier, 'POST', `/api/claims/${claim.id}/submit`, { version: claim.version });
    const r = await ok(insurer, 'POST', `/api/claims/${claim.id}/review`, { version: s.version });
    const denied = await ok(insurer, 'POST', `/api/claims/${claim.id}/decision`, {
      decision: 'denied',
      note: 'Not covered',
      version: r.version,
    });
    expect(denied).toMatchObject({ status: 'denied', approved: '0.00' });
    expect((await step(cashier, denied, 'paid', { amount: '1.00' })).json().error.code).toBe('CLAIM_STATE');
    const again = await ok(cashier, 'POST', `/api/claims/${claim.id}/resubmit`, { version: denied.version }, 201);
    expect(again).toMatchObject({ status: 'draft', resubmissionOf: claim.id, claimed: claim.claimed });
    expect(again.events.map((e) => e.type)).toEqual(['resubmitted']);
    const original = await ok(cashier, 'GET', `/api/claims/${claim.id}`);
    expect(original.resubmittedAs).toBe(again.id);
    expect((await step(cashier, original, 'resubmit')).json().error.code).toBe('CLAIM_STATE');
    // the resubmission is not a duplicate service of the claim it replaces
    const sub = await ok(cashier, 'POST', `/api/claims/${again.id}/submit`, { version: again.version });
    expect(sub.anomalyReasons.map((x) => x.code)).not.toContain('duplicate_service');
  });
});

describe('who sees which claims', () => {
  it('an insurer lists its payer’s submitted claims only, by score; another payer’s claim and a draft are 404', async () => {
    const sonas = await ok<ClaimList>(insurer, 'GET', '/api/claims?sort=score&limit=200');
    expect(sonas.data.length).toBeGreaterThan(0);
    expect(new Set(sonas.data.map((c) => c.payer.code))).toEqual(new Set(['SONAS']));
    const scores = sonas.data.map((c) => c.anomalyScore ?? -1);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(sonas.counts.submitted).toBeGreaterThan(0);
    // a draft is still the clinic's: the payer neither lists, counts nor opens it
    expect(sonas.data.some((c) => c.status === 'draft')).toBe(false);
    expect(sonas.counts.draft ?? 0).toBe(0);
    const draft = (await ok<ClaimList>(cashier, 'GET', '/api/claims?status=draft&limit=200')).data.find(
      (c) => c.payer.code === 'SONAS',
    );
    expect(draft).toBeDefined();
    expect((await insurer.req('GET', `/api/claims/${draft!.id}`, undefined, KIN)).statusCode).toBe(404);
    const msk = await ok<ClaimList>(insurerMsk, 'GET', '/api/claims?limit=200');
    expect(new Set(msk.data.map((c) => c.payer.code))).toEqual(new Set(['MSK']));
    const foreign = msk.data[0]!;
    expect((await insurer.req('GET', `/api/claims/${foreign.id}`, undefined, KIN)).statusCode).toBe(404);
    expect((await insurerMsk.req('GET', `/api/claims/${foreign.id}`, undefined, KIN)).statusCode).toBe(200);
    // clinic staff: the active clinic's claims of every payer
    const clinic = await ok<ClaimList>(cashier, 'GET', '/api/claims?limit=200');
    expect(new Set(clinic.data.map((c) => c.payer.code)).size).toBeGreaterThan(1);
    expect((await goma.req('GET', `/api/claims/${foreign.id}`)).statusCode).toBe(403);
    expect((await doctor.req('GET', '/api/claims', undefined, KIN)).statusCode).toBe(403);
  });
});

describe('the planted anomalies of the demo', () => {
  it('are each found by the scorer, with their figures', async () => {
    const { rows } = await ctx.sql.query<{
      number: string;
      reasons: { code: string; details: Record<string, unknown> }[];
      codes: string[];
    }>(
      `SELECT c.number, c.anomaly_reasons AS reasons, array(SELECT code FROM claim_lines l WHERE l.claim_id = c.id) AS codes
         FROM claims c WHERE c.status <> 'draft' AND c.anomaly_score > 0`,
    );
    const find = (code: string) => rows.flatMap((r) => r.reasons.filter((x) => x.code === code).map((x) => ({ ...x, claim: r })));
    const outlier = find('amount_outlier');
    expect(outlier.some((o) => o.details.amount === 180 && o.details.code === 'CONS-GEN' && Number(o.details.z) > 3.5)).toBe(
      true,
    );
    expect(find('duplicate_service').some((d) => d.details.code === '70569-9')).toBe(true);
    expect(find('patient_frequency').some((f) => Number(f.details.count) >= 8)).toBe(true);
    expect(find('diagnosis_mismatch').some((d) => d.details.rule === 'pregnancy_test_male')).toBe(true);
    expect(find('under_threshold').some((u) => u.details.claimed === 145 && u.details.threshold === 150)).toBe(true);
    // every status is in the demo
    const statuses = await ctx.sql.query<{ status: string }>(`SELECT DISTINCT status FROM claims`);
    expect(statuses.rows.map((r) => r.status).sort()).toEqual(
      ['approved', 'denied', 'draft', 'in_review', 'paid', 'partially_approved', 'submitted'].sort(),
    );
  });
});

describe('the claim ledger', () => {
  const cli = () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/claims-verify.ts'], {
      cwd: serverDir,
      env: {
        ...process.env,
        DATABASE_URL: ctx.dbUrl,
        SANITA_MASTER_KEY: TEST_MASTER_KEY,
        SANITA_DATA_DIR: ctx.config.dataDir,
        LOG_LEVEL: 'silent',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };

  it('the serving role can only read and append it', async () => {
    await expect(ctx.database.pool.query(`UPDATE claim_events SET type = type WHERE seq = 1`)).rejects.toThrow(
      /permission denied/,
    );
    await expect(ctx.database.pool.query(`DELETE FROM claim_ledger_heads`)).rejects.toThrow(/permission denied/);
  });

  it('verifies intact (API and claims:verify), then names the event an owner changed behind the triggers', async () => {
    const good = await ok<LedgerVerification>(admin, 'POST', '/api/admin/claims-ledger/verify');
    expect(good).toMatchObject({ ok: true, firstBad: null });
    expect(good.checked).toBeGreaterThan(10);
    expect(good.signedHeads).toBeGreaterThan(0);
    expect((await cashier.req('GET', '/api/admin/claims-ledger/verify', undefined, KIN)).statusCode).toBe(403);
    const okRun = cli();
    expect(okRun.code, okRun.out).toBe(0);
    expect(okRun.out).toMatch(/claim ledger intact/);

    const target = (
      await ctx.sql.query<{ seq: string; claim_id: string }>(
        `SELECT seq::text, claim_id FROM claim_events ORDER BY seq LIMIT 1 OFFSET 5`,
      )
    ).rows[0]!;
    await ctx.sql.query(`ALTER TABLE claim_events DISABLE TRIGGER claim_events_append_only`);
    await ctx.sql.query(`UPDATE claim_events SET payload = jsonb_set(payload, '{claimed}', '"9999.00"') WHERE seq = $1`, [
      target.seq,
    ]);
    await ctx.sql.query(`ALTER TABLE claim_events ENABLE TRIGGER claim_events_append_only`);
    const bad = await ok<LedgerVerification>(admin, 'GET', '/api/admin/claims-ledger/verify');
    expect(bad).toMatchObject({
      ok: false,
      checked: Number(target.seq) - 1,
      firstBad: { seq: Number(target.seq), claimId: target.claim_id },
    });
    const badRun = cli();
    expect(badRun.code, badRun.out).toBe(1);
    expect(badRun.out).toContain(`event ${target.seq}`);
  });
});
