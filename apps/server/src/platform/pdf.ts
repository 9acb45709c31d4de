import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { printedCode } from './verification.ts';

/**
 * The frame of a signed document the product prints (letters, prescriptions): an A4 page with the
 * organisation's header, the title (with a red stamp when revoked or cancelled), then the caller's
 * content, then `sign()` — place and date, the signer's block, and the verification code with its QR
 * code at the foot of the page. Always the same bytes for the same input (no timestamps of its own).
 */
export const MARGIN = 56;
export const GREY = '#555555';
const TEAL = '#0b4f52';

export interface SignedDocumentInput {
  info: { Title: string; Author: string; CreationDate: Date };
  organisation: string;
  clinic: { name: string; address: string | null };
  title: string;
  /** e.g. REVOKED, CANCELLED */
  stamp: string | null;
  /** space after the header and after the title, in lines */
  gap?: number;
}

export interface Signature {
  /** "Kinshasa, 7 December 2026" */
  placeAndDate: string;
  name: string;
  specialties: readonly string[];
  /** "Licence no. 123", or null */
  licence: string | null;
  /** the stored code (12 characters) and what the foot says of it */
  code: string;
  publicUrl: string;
  verifyText: (url: string, printed: string) => string;
}

export function signedDocument(input: SignedDocumentInput) {
  const gap = input.gap ?? 1.5;
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { ...input.info, Creator: 'Sanita' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;

  doc.font('Helvetica-Bold').fontSize(15).fillColor(TEAL).text(input.organisation, { width });
  doc.font('Helvetica').fontSize(10).fillColor(GREY).text(input.clinic.name, { width });
  if (input.clinic.address) doc.text(input.clinic.address, { width });
  doc.moveDown(0.5);
  doc
    .moveTo(MARGIN, doc.y)
    .lineTo(MARGIN + width, doc.y)
    .lineWidth(0.8)
    .strokeColor(TEAL)
    .stroke();
  doc.moveDown(gap);
  doc.font('Helvetica-Bold').fontSize(18).fillColor('black').text(input.title.toUpperCase(), { width, align: 'center' });
  if (input.stamp) doc.fontSize(14).fillColor('#c92a2a').text(input.stamp, { width, align: 'center' }).fillColor('black');
  doc.moveDown(gap);

  /** `label: value`, the label grey and the value bold */
  const field = (label: string, value: string) => {
    doc.font('Helvetica').fontSize(10).fillColor(GREY).text(`${label}: `, { continued: true });
    doc.font('Helvetica-Bold').fillColor('black').text(value);
  };

  /** Place and date, the signer's block and the verification foot; ends the document and returns its bytes. */
  const sign = (s: Signature): Promise<Buffer> => {
    doc.moveDown(1);
    doc.font('Helvetica').fontSize(11).text(s.placeAndDate, { width, align: 'right' });
    doc.moveDown(2.5);
    doc.font('Helvetica-Bold').text(s.name, { width, align: 'right' });
    doc.font('Helvetica').fontSize(10).fillColor(GREY);
    if (s.specialties.length) doc.text(s.specialties.join(', '), { width, align: 'right' });
    if (s.licence) doc.text(s.licence, { width, align: 'right' });

    // the verification code and its QR code, at the foot of the page (the next one when the text reaches it)
    const printed = printedCode(s.code);
    const url = `${s.publicUrl.replace(/\/$/, '')}/verify/${printed}`;
    const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
    const size = qr.modules.size;
    const cell = 2.2;
    const footY = doc.page.height - MARGIN - size * cell;
    if (doc.y > footY - 12) doc.addPage();
    for (let r = 0; r < size; r++)
      for (let c = 0; c < size; c++) if (qr.modules.get(r, c)) doc.rect(MARGIN + c * cell, footY + r * cell, cell, cell);
    doc.fillColor('black').fill();
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor(GREY)
      .text(s.verifyText(url, printed), MARGIN + size * cell + 12, footY + (size * cell) / 2 - 10, {
        width: width - size * cell - 12,
        lineBreak: true,
      });
    doc.end();
    return done;
  };

  return { doc, width, field, sign };
}
