import PDFDocument from 'pdfkit';
import bwipjs from 'bwip-js';
import { doseText, instructionsText } from '@sanita/clinical/medications';
import type { Dispense } from '@sanita/contracts/pharmacy';
import type { PharmacyPrescription } from '../medications/prescriptions.service.ts';

type Language = 'en' | 'fr';

/** The printed words of a label, in the patient's language. */
const WORDS = {
  en: {
    patient: 'Patient',
    mrn: 'MRN',
    quantity: 'Quantity',
    lot: 'Lot',
    expires: 'exp.',
    prescribed: 'Prescribed',
    substituted: 'generic substitution',
    prescriber: 'Prescriber',
    dispensed: (date: string, by: string) => `Dispensed on ${date} by ${by}`,
    advice: 'Advice',
    keep: 'Keep out of the reach of children.',
  },
  fr: {
    patient: 'Patient',
    mrn: 'NDM',
    quantity: 'Quantité',
    lot: 'Lot',
    expires: 'exp.',
    prescribed: 'Prescrit',
    substituted: 'substitution générique',
    prescriber: 'Prescripteur',
    dispensed: (date: string, by: string) => `Délivré le ${date} par ${by}`,
    advice: 'Conseils',
    keep: 'Tenir hors de la portée des enfants.',
  },
} as const;

export interface LabelInput {
  clinic: string;
  language: Language;
  patient: PharmacyPrescription['patient'];
  prescriber: string;
  /** the prescription's verification code, printed as a Code 128 barcode */
  code: string;
  dispense: Dispense;
  items: Map<string, PharmacyPrescription['items'][number]>;
}

/**
 * The dose instructions in words, in the patient's language, from the prescription's structured
 * dose and frequency (the clinical package's dosing helpers); the prescriber's own words follow.
 */
export function labelInstructions(item: PharmacyPrescription['items'][number], language: Language): string[] {
  const words = instructionsText(
    { dose: item.dose, frequency: item.frequency, durationDays: item.durationDays, route: item.route },
    language,
  );
  return [words, item.instructions ?? ''].filter((t) => t.trim());
}

/** One label per line of the dispense (10 × 6 cm), with the barcode of the prescription's code. */
export async function labelPdf(input: LabelInput): Promise<Buffer> {
  const w = WORDS[input.language] ?? WORDS.en;
  const barcode = input.code
    ? await bwipjs.toBuffer({ bcid: 'code128', text: input.code, scale: 2, height: 8, includetext: true, textsize: 8 })
    : null;
  const doc = new PDFDocument({ size: [283, 170], margin: 10, autoFirstPage: false, info: { Title: 'Label' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const date = input.dispense.at.slice(0, 10);
  for (const line of input.dispense.lines) {
    doc.addPage();
    const item = input.items.get(line.prescriptionItemId);
    doc.font('Helvetica-Bold').fontSize(7).text(input.clinic, { width: 263 });
    doc.font('Helvetica').fontSize(7).text(`${w.patient}: ${input.patient.name} — ${w.mrn} ${input.patient.mrn}`);
    doc.moveDown(0.3);
    doc.font('Helvetica-Bold').fontSize(10).text(line.name, { width: 263 });
    if (line.substituted)
      doc.font('Helvetica-Oblique').fontSize(6.5).text(`${w.prescribed}: ${line.prescribedName} (${w.substituted})`);
    // the count in words of the patient's language where the unit is one of the dose units (21 comprimés)
    doc
      .font('Helvetica')
      .fontSize(7)
      .text(`${w.quantity}: ${doseText({ amount: line.quantity, unit: line.unit }, input.language)}`);
    doc.moveDown(0.2);
    for (const text of item ? labelInstructions(item, input.language) : [])
      doc.font('Helvetica-Bold').fontSize(8.5).text(text, { width: 263 });
    if (input.dispense.counsellingNote)
      doc.font('Helvetica').fontSize(6.5).text(`${w.advice}: ${input.dispense.counsellingNote}`, { width: 263 });
    doc.moveDown(0.2);
    const lots = line.lots.map((l) => `${w.lot} ${l.lotNumber} (${w.expires} ${l.expiresOn})`).join(', ');
    doc.font('Helvetica').fontSize(6).text(lots, { width: 263 });
    doc.text(`${w.prescriber}: ${input.prescriber}. ${w.dispensed(date, input.dispense.by.name)}`, { width: 263 });
    doc.text(w.keep);
    if (barcode) doc.image(barcode, 10, 132, { height: 28 });
  }
  doc.end();
  return done;
}
