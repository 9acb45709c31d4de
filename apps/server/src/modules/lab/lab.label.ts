import PDFDocument from 'pdfkit';
import bwipjs from 'bwip-js';
import { DateTime } from 'luxon';
import type { LabOrder } from '@sanita/contracts/lab';

/**
 * One label per specimen (5 × 2.5 cm tube label): the accession number as a Code 128 barcode (with
 * its digits under it), the patient's name, MRN and birth date, the tests taken in the tube and the
 * collection time in the clinic's time.
 */
export async function labelsPdf(input: { clinic: { name: string; timezone: string }; order: LabOrder }): Promise<Buffer> {
  const { order } = input;
  const doc = new PDFDocument({ size: [142, 71], margin: 4, autoFirstPage: false, info: { Title: `Labels ${order.number}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  for (const s of order.specimens) {
    doc.addPage();
    const barcode = await bwipjs.toBuffer({
      bcid: 'code128',
      text: s.accessionNumber,
      scale: 2,
      height: 6,
      includetext: true,
      textsize: 9,
    });
    doc.image(barcode, 4, 3, { height: 22 });
    const tests = order.items
      .filter((i) => i.specimenId === s.id)
      .map((i) => i.code)
      .join(' ');
    const at = s.collectedAt ? DateTime.fromISO(s.collectedAt, { zone: input.clinic.timezone }).toFormat('yyyy-MM-dd HH:mm') : '';
    doc.font('Helvetica-Bold').fontSize(6.5).text(order.patient.name, 4, 27, { width: 134, lineBreak: false, ellipsis: true });
    doc.font('Helvetica').fontSize(5.5).text(`${order.patient.mrn} · ${order.patient.birthDate} · ${s.specimenType}`, 4, 35, {
      width: 134,
      lineBreak: false,
    });
    doc.text(`${tests}`, 4, 42, { width: 134, lineBreak: false, ellipsis: true });
    doc.text(`${s.accessionNumber} · ${at} · ${order.number}`, 4, 49, { width: 134, lineBreak: false });
  }
  doc.end();
  return done;
}
