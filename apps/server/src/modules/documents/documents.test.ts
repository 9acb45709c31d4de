import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import { Crypto } from '../../platform/crypto.ts';
import { DocumentsService, DocumentUnreadable } from './documents.service.ts';
import { open, seal, sniff } from './documents.storage.ts';
import { multipartBody, tinyPdf, type Part } from '../../../test/multipart.ts';
import { cardPng } from './documents.seed.ts';

const MAX = 256 * 1024;
const MARKER = 'SANITA-PLAINTEXT-MARKER-7f3a';

let ctx: TestContext;
let doctor: Session;
let receptionist: Session;
let goma: Session;
let patient: Session;
let dir: string;

beforeAll(async () => {
  ctx = await createTestContext({ documentMaxBytes: MAX });
  [doctor, receptionist, goma, patient] = await Promise.all([
    ctx.login('doctor@sanita.test'),
    ctx.login('receptionist@sanita.test'),
    ctx.login('doctor.goma@sanita.test'),
    ctx.login('patient@sanita.test'),
  ]);
  dir = path.join(ctx.config.dataDir, 'documents');
});
afterAll(async () => {
  await ctx?.close();
});

const kin = () => ({ 'x-clinic-id': ctx.ids.kin });
function upload(s: Session, url: string, parts: Part[], headers: Record<string, string> = kin()) {
  const { payload, headers: h } = multipartBody(parts);
  return s.req('POST', url, payload, { ...h, ...headers });
}
const file = (bytes: Buffer, filename = 'letter.pdf', contentType = 'application/pdf'): Part => ({
  name: 'file',
  value: bytes,
  filename,
  contentType,
});
const staffUrl = (patientId = ctx.ids.kinPatient) => `/api/patients/${patientId}/documents`;

/** Every file under the documents directory. */
function storedFiles(): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .flatMap((e) => (e.isFile() ? [path.join(e.parentPath, e.name)] : []));
}
async function rowCount(): Promise<number> {
  return (await ctx.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM patient_documents')).rows[0]!.n;
}

describe('encryption at rest', () => {
  it('round trip: the upload is stored encrypted, the file never holds the plaintext, and reads back identical', async () => {
    const pdf = tinyPdf(MARKER);
    const res = await upload(doctor, staffUrl(), [
      { name: 'title', value: '  Discharge summary  ' },
      { name: 'category', value: 'other' },
      file(pdf, '../../etc/passwd/Résumé <final>.pdf'),
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const doc = res.json();
    expect(doc).toMatchObject({
      patientId: ctx.ids.kinPatient,
      title: 'Discharge summary',
      category: 'other',
      contentType: 'application/pdf',
      sizeBytes: pdf.length,
      sha256: crypto.createHash('sha256').update(pdf).digest('hex'),
      source: 'staff',
      status: 'current',
      filename: 'Résumé final.pdf',
      uploadedBy: { id: doctor.userId, name: 'Dr Amani Mukendi' },
    });

    const { rows } = await ctx.sql.query(
      'SELECT storage_key, wrapped_key, iv, auth_tag, pending_ciphertext FROM patient_documents WHERE id = $1',
      [doc.id],
    );
    const row = rows[0]!;
    // the name on disk is the server's, never the uploader's
    expect(row.storage_key).toBe(`${doc.id.slice(0, 2)}/${doc.id}.bin`);
    expect(row.iv).toHaveLength(12);
    expect(row.auth_tag).toHaveLength(16);
    expect(row.pending_ciphertext).toBeNull();
    expect(row.wrapped_key).toMatch(/^v1\./);
    const stored = fs.readFileSync(path.join(dir, row.storage_key));
    expect(stored.equals(pdf)).toBe(false);
    expect(stored.length).toBe(pdf.length);
    expect(stored.includes(Buffer.from(MARKER))).toBe(false);
    expect(stored.includes(Buffer.from('%PDF'))).toBe(false);
    expect(storedFiles().some((f) => f.includes('passwd') || f.includes('sum'))).toBe(false);

    const since = await lastAuditId(ctx.sql);
    const preview = await doctor.req('GET', `/api/documents/${doc.id}/content`, undefined, kin());
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.rawPayload.equals(pdf)).toBe(true);
    expect(preview.headers['content-type']).toBe('application/pdf');
    expect(preview.headers['content-disposition']).toMatch(
      /^inline; filename="R_sum_ final.pdf"; filename\*=UTF-8''R%C3%A9sum%C3%A9%20final.pdf$/,
    );
    expect(preview.headers['x-content-type-options']).toBe('nosniff');
    expect(preview.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    expect(preview.headers['cache-control']).toBe('private, no-store');

    const download = await doctor.req('GET', `/api/documents/${doc.id}/content?download=true`, undefined, kin());
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(download.rawPayload.equals(pdf)).toBe(true);

    const audit = (await auditSince(ctx.sql, since)).filter((r) => r.action.startsWith('document.'));
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'document.read',
        outcome: 'success',
        patient_id: ctx.ids.kinPatient,
        actor_user_id: doctor.userId,
      }),
      expect.objectContaining({ action: 'document.download', outcome: 'success', patient_id: ctx.ids.kinPatient }),
    ]);
  });

  it('another master key does not decrypt: an error, never garbage', () => {
    const right = new Crypto(crypto.randomBytes(32));
    const wrong = new Crypto(crypto.randomBytes(32));
    const id = crypto.randomUUID();
    const plain = Buffer.from(`%PDF-1.4 ${MARKER} %%EOF`);
    const sealed = seal(right, id, plain);
    expect(open(right, id, sealed, sealed.ciphertext).equals(plain)).toBe(true);
    expect(() => open(wrong, id, sealed, sealed.ciphertext)).toThrow(/does not unwrap/);
    // bound to its document: the same file under another row's id does not decrypt either
    expect(() => open(right, crypto.randomUUID(), sealed, sealed.ciphertext)).toThrow();
  });

  it('the service with another master key refuses a stored document (and audits no read)', async () => {
    const res = await upload(doctor, staffUrl(), [file(tinyPdf(MARKER))]);
    expect(res.statusCode, res.body).toBe(201);
    const other = new DocumentsService(ctx.database.db, new Crypto(crypto.randomBytes(32)), dir, MAX);
    // the app's own service reads it; one with another master key throws DocumentUnreadable
    const { rows } = await ctx.sql.query('SELECT * FROM patient_documents WHERE id = $1', [res.json().id]);
    await expect(
      (other as unknown as { plaintext(r: unknown): Promise<Buffer> }).plaintext({
        ...rows[0],
        storageKey: rows[0].storage_key,
        wrappedKey: rows[0].wrapped_key,
        authTag: rows[0].auth_tag,
      }),
    ).rejects.toBeInstanceOf(DocumentUnreadable);
  });

  it('an altered file answers 500 DOCUMENT_UNREADABLE, sends nothing of it, and audits no read', async () => {
    const res = await upload(doctor, staffUrl(), [file(tinyPdf(MARKER))]);
    const id = res.json().id as string;
    const { rows } = await ctx.sql.query<{ storage_key: string }>('SELECT storage_key FROM patient_documents WHERE id = $1', [
      id,
    ]);
    const p = path.join(dir, rows[0]!.storage_key);
    const bytes = fs.readFileSync(p);
    bytes[20] = bytes[20]! ^ 0xff;
    fs.writeFileSync(p, bytes);
    const since = await lastAuditId(ctx.sql);
    const read = await doctor.req('GET', `/api/documents/${id}/content`, undefined, kin());
    expect(read.statusCode).toBe(500);
    expect(read.json().error.code).toBe('DOCUMENT_UNREADABLE');
    expect(read.body).not.toContain(MARKER);
    expect((await auditSince(ctx.sql, since)).filter((r) => r.action === 'document.read')).toEqual([]);
  });
});

describe('what is accepted', () => {
  const refusedTypes: [string, Buffer, string][] = [
    ['a Windows executable renamed .pdf', Buffer.concat([Buffer.from('MZ\x90\x00\x03'), crypto.randomBytes(200)]), 'report.pdf'],
    ['a ZIP renamed .pdf', Buffer.concat([Buffer.from('PK\x03\x04'), crypto.randomBytes(200)]), 'scan.pdf'],
    ['an ELF binary renamed .png', Buffer.concat([Buffer.from('\x7fELF'), crypto.randomBytes(200)]), 'photo.png'],
    ['an HTML page renamed .jpg', Buffer.from('<html><script>alert(1)</script></html>'), 'photo.jpg'],
    ['a PDF header glued on something else', Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(2000)]), 'x.pdf'],
  ];
  it.each(refusedTypes)('%s → 415 naming the file, nothing written', async (_label, bytes, name) => {
    const before = { rows: await rowCount(), files: storedFiles().length };
    const res = await upload(doctor, staffUrl(), [file(bytes, name, 'application/pdf')]);
    expect(res.statusCode, res.body).toBe(415);
    expect(res.json().error).toMatchObject({
      code: 'UNSUPPORTED_FILE_TYPE',
      details: [expect.objectContaining({ field: 'file' })],
    });
    expect({ rows: await rowCount(), files: storedFiles().length }).toEqual(before);
  });

  it('JPEG and PNG are accepted by their bytes, whatever their name', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(64), Buffer.from([0xff, 0xd9])]);
    const a = await upload(doctor, staffUrl(), [
      { name: 'category', value: 'imaging' },
      file(jpeg, 'xray.bin', 'application/octet-stream'),
    ]);
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ contentType: 'image/jpeg', title: 'xray', category: 'imaging' });
    const b = await upload(doctor, staffUrl(), [file(cardPng(), 'card.pdf', 'application/pdf')]);
    expect(b.json().contentType).toBe('image/png');
    expect(sniff(tinyPdf())).toBe('application/pdf');
  });

  it('a file over the limit → 413 naming the file, with nothing written (no row, no file)', async () => {
    const before = { rows: await rowCount(), files: storedFiles().length };
    const big = Buffer.concat([tinyPdf(), Buffer.alloc(MAX)]);
    const res = await upload(doctor, staffUrl(), [file(big)]);
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: [expect.objectContaining({ field: 'file' })] });
    expect({ rows: await rowCount(), files: storedFiles().length }).toEqual(before);
  });

  it('no file, an unknown field, a bad category, JSON instead of a form → 4xx naming what is wrong', async () => {
    const noFile = await upload(doctor, staffUrl(), [{ name: 'title', value: 'x' }]);
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().error.details).toContainEqual(expect.objectContaining({ field: 'file', code: 'required' }));
    const unknown = await upload(doctor, staffUrl(), [{ name: 'owner', value: 'x' }, file(tinyPdf())]);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details).toContainEqual(expect.objectContaining({ field: 'owner' }));
    const category = await upload(doctor, staffUrl(), [{ name: 'category', value: 'poetry' }, file(tinyPdf())]);
    expect(category.statusCode).toBe(400);
    expect(category.json().error.details).toContainEqual(expect.objectContaining({ field: 'category' }));
    const json = await doctor.req('POST', staffUrl(), { title: 'x' }, kin());
    expect(json.statusCode).toBe(415);
  });
});

describe('who reaches which documents', () => {
  let labId = '';
  beforeAll(async () => {
    const res = await upload(doctor, staffUrl(), [
      { name: 'category', value: 'lab_report' },
      file(tinyPdf('Hb 12.1'), 'fbc.pdf'),
    ]);
    labId = res.json().id;
  });

  it('a patient of another clinic is not found (404), and so are their documents', async () => {
    expect((await upload(goma, staffUrl(), [file(tinyPdf())], { 'x-clinic-id': ctx.ids.gom })).statusCode).toBe(404);
    expect((await goma.req('GET', staffUrl(), undefined, { 'x-clinic-id': ctx.ids.gom })).statusCode).toBe(404);
    for (const url of [`/api/documents/${labId}`, `/api/documents/${labId}/content`]) {
      const res = await goma.req('GET', url, undefined, { 'x-clinic-id': ctx.ids.gom });
      expect(res.statusCode, url).toBe(404);
    }
    const eie = await goma.req('PATCH', `/api/documents/${labId}`, { title: 'x' }, { 'x-clinic-id': ctx.ids.gom });
    expect(eie.statusCode).toBe(404);
    const denied = await ctx.sql.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE actor_user_id = $1 AND action LIKE 'document.%' AND outcome = 'denied'`,
      [goma.userId],
    );
    expect(denied.rows[0].n).toBeGreaterThanOrEqual(5);
  });

  it('the front desk files and reads identity papers, referral letters and consents only', async () => {
    const id = await upload(receptionist, staffUrl(), [
      { name: 'category', value: 'identity' },
      file(cardPng(), 'id-card.png', 'image/png'),
    ]);
    expect(id.statusCode, id.body).toBe(201);
    const lab = await upload(receptionist, staffUrl(), [{ name: 'category', value: 'lab_report' }, file(tinyPdf())]);
    expect(lab.statusCode).toBe(403);
    const list = await receptionist.req('GET', staffUrl(), undefined, kin());
    expect(list.statusCode).toBe(200);
    const categories = new Set(list.json().data.map((d: { category: string }) => d.category));
    expect([...categories]).toEqual(['identity']);
    expect((await receptionist.req('GET', `/api/documents/${labId}/content`, undefined, kin())).statusCode).toBe(404);
    expect((await receptionist.req('GET', `/api/documents/${id.json().id}/content`, undefined, kin())).statusCode).toBe(200);
    expect((await receptionist.req('PATCH', `/api/documents/${id.json().id}`, { title: 'x' }, kin())).statusCode).toBe(403);
  });

  it('the portal patient sends documents to their own record only and reads what they sent or was shared with them', async () => {
    const sent = await upload(
      patient,
      '/api/portal/documents',
      [{ name: 'title', value: 'My old prescription' }, file(cardPng(), 'rx.png', 'image/png')],
      {},
    );
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json()).toMatchObject({
      patientId: ctx.ids.ownPatient,
      category: 'patient_provided',
      source: 'portal',
      clinicId: ctx.ids.kin,
    });
    // a category cannot be chosen in the portal
    const chosen = await upload(
      patient,
      '/api/portal/documents',
      [{ name: 'category', value: 'lab_report' }, file(cardPng())],
      {},
    );
    expect(chosen.statusCode).toBe(400);

    // staff file one for her, unshared, and one shared
    const hidden = await upload(doctor, staffUrl(ctx.ids.ownPatient), [
      { name: 'title', value: 'Internal note' },
      file(tinyPdf()),
    ]);
    const shared = await upload(doctor, staffUrl(ctx.ids.ownPatient), [
      { name: 'title', value: 'Your results' },
      { name: 'sharedWithPatient', value: 'true' },
      file(tinyPdf()),
    ]);
    const list = await patient.req('GET', '/api/portal/documents');
    expect(list.statusCode).toBe(200);
    const ids = list.json().data.map((d: { id: string }) => d.id);
    expect(ids).toContain(sent.json().id);
    expect(ids).toContain(shared.json().id);
    expect(ids).not.toContain(hidden.json().id);
    expect(ids).not.toContain(labId);

    const own = await patient.req('GET', `/api/portal/documents/${sent.json().id}/content?download=true`);
    expect(own.statusCode).toBe(200);
    expect(own.rawPayload.equals(cardPng())).toBe(true);
    expect(own.headers['content-type']).toBe('image/png');
    expect((await patient.req('GET', `/api/portal/documents/${hidden.json().id}/content`)).statusCode).toBe(404);
    expect((await patient.req('GET', `/api/portal/documents/${labId}/content`)).statusCode).toBe(404);
    // staff routes are not the portal's
    expect((await patient.req('GET', `/api/documents/${sent.json().id}/content`)).statusCode).toBe(403);
    expect((await patient.req('GET', staffUrl(ctx.ids.ownPatient))).statusCode).toBe(403);
    // staff see what she sent
    const staffList = await doctor.req('GET', staffUrl(ctx.ids.ownPatient), undefined, kin());
    expect(staffList.json().data.map((d: { id: string }) => d.id)).toContain(sent.json().id);
  });

  it('marked entered in error: kept, frozen, out of the portal', async () => {
    const shared = await upload(doctor, staffUrl(ctx.ids.ownPatient), [
      { name: 'sharedWithPatient', value: 'true' },
      file(tinyPdf()),
    ]);
    const id = shared.json().id as string;
    const eie = await doctor.req('PATCH', `/api/documents/${id}`, { status: 'entered_in_error', reason: 'wrong patient' }, kin());
    expect(eie.statusCode, eie.body).toBe(200);
    expect(eie.json()).toMatchObject({ status: 'entered_in_error', statusReason: 'wrong patient' });
    const again = await doctor.req('PATCH', `/api/documents/${id}`, { title: 'Renamed' }, kin());
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('DOCUMENT_ENTERED_IN_ERROR');
    expect((await ctx.sql.query('SELECT 1 FROM patient_documents WHERE id = $1', [id])).rowCount).toBe(1);
    const portal = await patient.req('GET', '/api/portal/documents');
    expect(portal.json().data.map((d: { id: string }) => d.id)).not.toContain(id);
  });

  it('every read of content is audited, a preview as document.read and a download as document.download', async () => {
    const since = await lastAuditId(ctx.sql);
    await doctor.req('GET', `/api/documents/${labId}/content`, undefined, kin());
    await doctor.req('GET', `/api/documents/${labId}/content?download=true`, undefined, kin());
    await doctor.req('GET', `/api/documents/${labId}`, undefined, kin());
    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.action.startsWith('document.'));
    expect(rows.map((r) => r.action)).toEqual(['document.read', 'document.download', 'document.view']);
    expect(rows.every((r) => r.patient_id === ctx.ids.kinPatient && r.outcome === 'success')).toBe(true);
  });
});

describe('the demo documents', () => {
  it('Marie Mbuyi has a referral letter, a shared lab report and a photo she sent, readable once the server wrote their files', async () => {
    const { rows } = await ctx.sql.query<{ id: string; title: string; pending: boolean }>(
      `SELECT id, title, pending_ciphertext IS NOT NULL AS pending FROM patient_documents WHERE patient_id = $1 AND uploaded_at < now() - interval '1 day' ORDER BY uploaded_at`,
      [ctx.ids.ownPatient],
    );
    expect(rows.map((r) => r.title)).toEqual([
      'Referral letter — Dr Kabeya, Hôpital du Cinquantenaire',
      'Lipid panel — Laboratoire Médical de Gombe',
      'Vaccination card (photo)',
    ]);
    expect(rows.every((r) => !r.pending)).toBe(true);
    const letter = await doctor.req('GET', `/api/documents/${rows[0]!.id}/content`, undefined, kin());
    expect(letter.statusCode).toBe(200);
    expect(letter.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const card = await patient.req('GET', `/api/portal/documents/${rows[2]!.id}/content`);
    expect(card.statusCode).toBe(200);
    expect(card.headers['content-type']).toBe('image/png');
  });
});
