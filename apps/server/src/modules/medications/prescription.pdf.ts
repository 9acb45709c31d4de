import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { DateTime } from 'luxon';
import { instructionsText } from '@sanita/clinical/medications/dosing';
import type { ItemRow, PrescriptionRow } from './prescriptions.repository.ts';

type Language = 'en' | 'fr';

/** The printed words of a prescription, in its language. */
const WORDS = {
  en: {
    title: 'Prescription',
    patient: 'Patient',
    born: 'Date of birth',
    sex: 'Sex',
    sexes: { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' },
    mrn: 'MRN',
    weight: 'Weight',
    pregnant: 'Pregnant',
    breastfeeding: 'Breastfeeding',
    quantity: 'Quantity to dispense',
    refills: (n: number) => (n === 1 ? '1 refill' : `${n} refills`),
    noSubstitution: 'Do not substitute',
    note: 'Note to the pharmacist',
    validUntil: (date: string) => `Valid until ${date}.`,
    at: (place: string, date: string) => `${place}, ${date}`,
    licence: 'Licence no.',
    verify: (url: string, code: string) => `Verify this prescription at ${url} with the code ${code}.`,
    cancelled: 'CANCELLED',
  },
  fr: {
    title: 'Ordonnance',
    patient: 'Patient',
    born: 'Date de naissance',
    sex: 'Sexe',
    sexes: { female: 'Féminin', male: 'Masculin', other: 'Autre', unknown: 'Inconnu' },
    mrn: 'N° de dossier',
    weight: 'Poids',
    pregnant: 'Enceinte',
    breastfeeding: 'Allaitante',
    quantity: 'Quantité à délivrer',
    refills: (n: number) => (n === 1 ? '1 renouvellement' : `${n} renouvellements`),
    noSubstitution: 'Non substituable',
    note: 'Note au pharmacien',
    validUntil: (date: string) => `Valable jusqu’au ${date}.`,
    at: (place: string, date: string) => `${place}, le ${date}`,
    licence: 'N° d’ordre',
    verify: (url: string, code: string) => `Vérifiez cette ordonnance sur ${url} avec le code ${code}.`,
    cancelled: 'ANNULÉE',
  },
} as const;

/** `7KQ4M2XD9PHT` as printed: `7KQ4-M2XD-9PHT`. */
export const printedCode = (code: string) => code.match(/.{1,4}/g)!.join('-');

const MARGIN = 56;
const GREY = '#555555';
const number = (v: number, language: Language) => new Intl.NumberFormat(language, { maximumFractionDigits: 3 }).format(v);

/**
 * The signed prescription as a PDF (A4), the same bytes for the same row: the clinic's header, the
 * patient, each item with its dose and schedule in words and the quantity to dispense, place and date,
 * the prescriber's signature block, and the verification code with its QR code.
 */
export async function renderPrescription(row: PrescriptionRow, items: ItemRow[], publicUrl: string): Promise<Buffer> {
  const language: Language = row.language;
  const w = WORDS[language];
  const s = row.snapshot!;
  const signed = DateTime.fromJSDate(row.signedAt!, { zone: s.clinic.timezone }).setLocale(language);
  const expires = DateTime.fromJSDate(row.expiresAt!, { zone: s.clinic.timezone }).setLocale(language);
  const code = printedCode(row.verificationCode!);
  const verifyUrl = `${publicUrl.replace(/\/$/, '')}/verify/${code}`;
  const qr = QRCode.create(verifyUrl, { errorCorrectionLevel: 'M' });

  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: `${w.title} — ${s.patient.name}`, Author: s.prescriber.name, Creator: 'Sanita', CreationDate: row.signedAt! },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;

  // the clinic's header
  doc.font('Helvetica-Bold').fontSize(15).fillColor('#0b4f52').text(s.organisation, { width });
  doc.font('Helvetica').fontSize(10).fillColor(GREY).text(s.clinic.name, { width });
  if (s.clinic.address) doc.text(s.clinic.address, { width });
  doc.moveDown(0.5);
  doc
    .moveTo(MARGIN, doc.y)
    .lineTo(MARGIN + width, doc.y)
    .lineWidth(0.8)
    .strokeColor('#0b4f52')
    .stroke();
  doc.moveDown(1.2);

  doc.font('Helvetica-Bold').fontSize(18).fillColor('black').text(w.title.toUpperCase(), { width, align: 'center' });
  if (row.status === 'cancelled')
    doc.fontSize(14).fillColor('#c92a2a').text(w.cancelled, { width, align: 'center' }).fillColor('black');
  doc.moveDown(1.2);

  // the patient
  const field = (label: string, value: string) => {
    doc.font('Helvetica').fontSize(10).fillColor(GREY).text(`${label}: `, { continued: true });
    doc.font('Helvetica-Bold').fillColor('black').text(value);
  };
  field(w.patient, s.patient.name);
  field(w.born, DateTime.fromISO(s.patient.birthDate, { zone: 'utc' }).setLocale(language).toLocaleString(DateTime.DATE_FULL));
  field(w.sex, w.sexes[s.patient.sex as keyof typeof w.sexes] ?? s.patient.sex);
  field(w.mrn, s.patient.mrn);
  if (s.patient.weightKg !== null) field(w.weight, `${number(s.patient.weightKg, language)} kg`);
  // what the checks were told (the pharmacist's own checks need it too)
  const states: string[] = [];
  if (row.pregnant === true) states.push(w.pregnant);
  if (row.breastfeeding === true) states.push(w.breastfeeding);
  if (states.length) doc.font('Helvetica-Bold').fontSize(10).fillColor('#c92a2a').text(states.join(' · ')).fillColor('black');
  doc.moveDown(1.2);

  // the items: name, what to take and when (in words), quantity, refills, substitution, instructions
  for (const [n, item] of items.entries()) {
    const dose = { amount: Number(item.doseAmount), unit: item.doseUnit };
    doc
      .font('Helvetica-Bold')
      .fontSize(12)
      .fillColor('black')
      .text(`${n + 1}. ${item.name}`, MARGIN, doc.y, { width });
    const lines = [
      instructionsText({ dose, frequency: item.frequency, durationDays: item.durationDays, route: item.route }, language),
      `${w.quantity}: ${number(Number(item.quantity), language)} ${item.quantityUnit}` +
        (item.refills > 0 ? ` — ${w.refills(item.refills)}` : '') +
        (item.substitutionAllowed ? '' : ` — ${w.noSubstitution}`),
      ...(item.instructions ? [item.instructions] : []),
    ].filter((l) => l.length > 0);
    for (const l of lines)
      doc
        .font('Helvetica')
        .fontSize(11)
        .text(l, MARGIN + 16, doc.y, { width: width - 16, lineGap: 2 });
    doc.x = MARGIN;
    doc.moveDown(0.8);
  }
  if (row.note) {
    doc.font('Helvetica-Bold').fontSize(10).text(w.note, MARGIN, doc.y, { width });
    doc.font('Helvetica').fontSize(10).text(row.note, { width });
    doc.moveDown(0.8);
  }
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor(GREY)
    .text(w.validUntil(expires.toLocaleString(DateTime.DATE_FULL)), MARGIN, doc.y, { width });
  doc.fillColor('black');

  // place, date and signature
  doc.moveDown(1);
  doc
    .font('Helvetica')
    .fontSize(11)
    .text(w.at(s.clinic.name, signed.toLocaleString(DateTime.DATE_FULL)), { width, align: 'right' });
  doc.moveDown(2.5);
  doc.font('Helvetica-Bold').text(s.prescriber.name, { width, align: 'right' });
  doc.font('Helvetica').fontSize(10).fillColor(GREY);
  if (s.prescriber.specialties.length) doc.text(s.prescriber.specialties.join(', '), { width, align: 'right' });
  if (s.prescriber.licenceNumber) doc.text(`${w.licence} ${s.prescriber.licenceNumber}`, { width, align: 'right' });

  // the verification code and its QR code, at the foot of the page (the next one when the text reaches it)
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
    .text(w.verify(verifyUrl, code), MARGIN + size * cell + 12, footY + (size * cell) / 2 - 10, {
      width: width - size * cell - 12,
      lineBreak: true,
    });
  doc.end();
  return done;
}
