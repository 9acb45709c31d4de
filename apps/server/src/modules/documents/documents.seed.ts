import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { sql } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import type { DocumentCategory } from '@sanita/contracts/documents';
import { patientDocuments } from '../../db/schema/documents.ts';
import type { SeedStep } from '../../platform/module.ts';
import { DocumentFiles, seal, sha256Hex, sniff } from './documents.storage.ts';

/** A one-page PDF letter, made at seed time. */
export function letterPdf(title: string, lines: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: title, Creator: 'Sanita demo' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(16).text(title, { underline: true });
    doc.moveDown();
    doc.fontSize(11);
    for (const l of lines) doc.text(l).moveDown(0.5);
    doc.end();
  });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Buffer): number {
  let c = 0xffffffff;
  for (const byte of b) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A small PNG (a card-like picture: a coloured header band over a light body with ruled lines). */
export function cardPng(width = 240, height = 150): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const header = y < 32;
      const ruled = !header && y % 20 === 0 && x > 16 && x < width - 16;
      const [r, g, b] = header ? [32, 108, 160] : ruled ? [150, 160, 170] : [246, 244, 236];
      row[1 + x * 3] = r;
      row[2 + x * 3] = g;
      row[3 + x * 3] = b;
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Demo documents for Marie Mbuyi (the portal patient) at Kinshasa: a referral letter the front desk
 * scanned, an external lab report the doctor filed and shared with her, and a photo of her
 * vaccination card she sent through the portal. Encrypted like any upload; the seed runs before any
 * server (it knows no documents directory), so the ciphertext waits in the row and the server
 * writes the file at start. Idempotent: nothing is added once documents exist.
 */
export const seedDocuments: SeedStep = async (tx, demo) => {
  const [{ n } = { n: 0 }] = (await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM patient_documents`)).rows;
  if (n > 0) return;
  const patientId = demo.portalPatientId;
  const clinicId = demo.clinics.KIN.id;
  const doctor = demo.users['doctor@sanita.test'];
  const receptionist = demo.users['receptionist@sanita.test'] ?? doctor;
  const patientUser = demo.users['patient@sanita.test'];
  if (!patientId || !clinicId || !doctor || !receptionist || !patientUser) return;
  const day = (n: number) => new Date(Date.now() - n * 86_400_000);
  const docs: {
    title: string;
    category: DocumentCategory;
    filename: string;
    bytes: Buffer;
    by: string;
    at: Date;
    source: 'staff' | 'portal';
    shared: boolean;
  }[] = [
    {
      title: 'Referral letter — Dr Kabeya, Hôpital du Cinquantenaire',
      category: 'referral_letter',
      filename: 'referral-kabeya.pdf',
      bytes: await letterPdf('Referral letter', [
        'Hôpital du Cinquantenaire, Kinshasa — Department of Internal Medicine',
        'Dear colleague,',
        'I am referring Mrs Marie Mbuyi for follow-up of her blood pressure and a review of her treatment.',
        'Her recent readings were around 150/95 mmHg despite amlodipine 5 mg daily.',
        'Kind regards, Dr J. Kabeya',
      ]),
      by: receptionist,
      at: day(12),
      source: 'staff',
      shared: false,
    },
    {
      title: 'Lipid panel — Laboratoire Médical de Gombe',
      category: 'lab_report',
      filename: 'lipid-panel.pdf',
      bytes: await letterPdf('Laboratory report — lipid panel', [
        'Laboratoire Médical de Gombe — external laboratory',
        'Total cholesterol 5.9 mmol/L (reference < 5.2)',
        'LDL cholesterol 3.8 mmol/L (reference < 3.0)',
        'HDL cholesterol 1.2 mmol/L (reference > 1.0)',
        'Triglycerides 1.9 mmol/L (reference < 1.7)',
      ]),
      by: doctor,
      at: day(6),
      source: 'staff',
      shared: true,
    },
    {
      title: 'Vaccination card (photo)',
      category: 'patient_provided',
      filename: 'vaccination-card.png',
      bytes: cardPng(),
      by: patientUser,
      at: day(2),
      source: 'portal',
      shared: false,
    },
  ];
  for (const d of docs) {
    const id = crypto.randomUUID();
    const contentType = sniff(d.bytes);
    if (!contentType) throw new Error(`demo document ${d.filename} is not a PDF or PNG`);
    const sealed = seal(demo.crypto, id, d.bytes);
    await tx.insert(patientDocuments).values({
      id,
      patientId,
      clinicId,
      category: d.category,
      title: d.title,
      filename: d.filename,
      contentType,
      sizeBytes: d.bytes.length,
      sha256: sha256Hex(d.bytes),
      uploadedBy: d.by,
      uploadedAt: d.at,
      source: d.source,
      sharedWithPatient: d.shared,
      storageKey: DocumentFiles.keyFor(id),
      wrappedKey: sealed.wrappedKey,
      iv: sealed.iv,
      authTag: sealed.authTag,
      pendingCiphertext: sealed.ciphertext,
    });
  }
};
