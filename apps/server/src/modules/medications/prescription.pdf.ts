import { DateTime } from 'luxon';
import { instructionsText } from '@sanita/clinical/medications/dosing';
import { GREY, MARGIN, signedDocument } from '../../platform/pdf.ts';
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
  const { doc, width, field, sign } = signedDocument({
    info: { Title: `${w.title} — ${s.patient.name}`, Author: s.prescriber.name, CreationDate: row.signedAt! },
    organisation: s.organisation,
    clinic: s.clinic,
    title: w.title,
    stamp: row.status === 'cancelled' ? w.cancelled : null,
    gap: 1.2,
  });

  // the patient
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

  return sign({
    placeAndDate: w.at(s.clinic.name, signed.toLocaleString(DateTime.DATE_FULL)),
    name: s.prescriber.name,
    specialties: s.prescriber.specialties,
    licence: s.prescriber.licenceNumber ? `${w.licence} ${s.prescriber.licenceNumber}` : null,
    code: row.verificationCode!,
    publicUrl,
    verifyText: w.verify,
  });
}
