import { DateTime } from 'luxon';
import type { LetterKind, VisitSummaryContent } from '@sanita/contracts/letters';
import { MARGIN, signedDocument } from '../../platform/pdf.ts';
import type { LetterRow } from './letters.repository.ts';

type Language = 'en' | 'fr';

/** The printed words of a letter, in its language (the letter keeps the language it was issued in). */
const WORDS = {
  en: {
    title: {
      medical_certificate: 'Medical certificate',
      sick_note: 'Sick note',
      referral: 'Referral letter',
      visit_summary: 'Visit summary',
    },
    patient: 'Patient',
    born: 'Date of birth',
    sex: 'Sex',
    sexes: { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' },
    mrn: 'MRN',
    certify: (doctor: string, patient: string, date: string) =>
      `I, the undersigned, ${doctor}, certify that I examined ${patient} on ${date}.`,
    issuedFor: 'Issued for',
    rest: (patient: string, from: string, to: string, days: number) =>
      `I, the undersigned, certify that the condition of ${patient} requires rest from work or school from ${from} to ${to} inclusive (${days} ${days === 1 ? 'day' : 'days'}).`,
    restrictions: 'Remarks',
    to: 'To',
    urgency: 'Urgency',
    urgencies: { routine: 'Routine', urgent: 'Urgent' },
    reason: 'Reason for referral',
    summary: 'Clinical summary',
    thanks: 'Thank you for seeing this patient.',
    at: (place: string, date: string) => `${place}, ${date}`,
    licence: 'Licence no.',
    verify: (url: string, code: string) => `Verify this document at ${url} with the code ${code}.`,
    revoked: 'REVOKED',
    visit: 'Visit',
    visitTypes: {
      outpatient: 'Consultation',
      emergency: 'Emergency visit',
      inpatient: 'Hospital stay',
      telehealth: 'Teleconsultation',
    },
    visitReason: 'Reason for the visit',
    seenBy: 'Seen by',
    signed: (date: string) => `signed on ${date}`,
    diagnoses: 'Diagnoses',
    primary: 'main diagnosis',
    vitals: 'Measurements taken during the visit',
    measures: {
      bp: (s: number, d: number) => `Blood pressure ${s}/${d} mmHg`,
      hr: (v: number) => `pulse ${v}/min`,
      rr: (v: number) => `breathing ${v}/min`,
      temp: (v: string) => `temperature ${v} °C`,
      spo2: (v: number) => `oxygen saturation ${v} %`,
      weight: (v: string) => `weight ${v} kg`,
      height: (v: string) => `height ${v} cm`,
      bmi: (v: string) => `BMI ${v}`,
      glucose: (v: string) => `blood sugar ${v} mmol/L`,
    },
    forYou: 'Summary for you',
    noSummary: 'Your practitioner wrote no summary for this visit. Ask the clinic if you have questions.',
  },
  fr: {
    title: {
      medical_certificate: 'Certificat médical',
      sick_note: 'Certificat d’arrêt de travail',
      referral: 'Lettre de référence',
      visit_summary: 'Compte rendu de consultation',
    },
    patient: 'Patient',
    born: 'Date de naissance',
    sex: 'Sexe',
    sexes: { female: 'Féminin', male: 'Masculin', other: 'Autre', unknown: 'Inconnu' },
    mrn: 'N° de dossier',
    certify: (doctor: string, patient: string, date: string) =>
      `Je soussigné(e), ${doctor}, certifie avoir examiné ${patient} le ${date}.`,
    issuedFor: 'Délivré pour',
    rest: (patient: string, from: string, to: string, days: number) =>
      `Je soussigné(e) certifie que l’état de santé de ${patient} nécessite un repos du ${from} au ${to} inclus (${days} ${days === 1 ? 'jour' : 'jours'}).`,
    restrictions: 'Remarques',
    to: 'Destinataire',
    urgency: 'Urgence',
    urgencies: { routine: 'Ordinaire', urgent: 'Urgent' },
    reason: 'Motif de la référence',
    summary: 'Résumé clinique',
    thanks: 'Merci de bien vouloir recevoir ce patient.',
    at: (place: string, date: string) => `${place}, le ${date}`,
    licence: 'N° d’ordre',
    verify: (url: string, code: string) => `Vérifiez ce document sur ${url} avec le code ${code}.`,
    revoked: 'RÉVOQUÉ',
    visit: 'Visite',
    visitTypes: {
      outpatient: 'Consultation',
      emergency: 'Urgence',
      inpatient: 'Hospitalisation',
      telehealth: 'Téléconsultation',
    },
    visitReason: 'Motif de la consultation',
    seenBy: 'Vu(e) par',
    signed: (date: string) => `signé le ${date}`,
    diagnoses: 'Diagnostics',
    primary: 'diagnostic principal',
    vitals: 'Mesures prises pendant la consultation',
    measures: {
      bp: (s: number, d: number) => `Tension artérielle ${s}/${d} mmHg`,
      hr: (v: number) => `pouls ${v}/min`,
      rr: (v: number) => `respiration ${v}/min`,
      temp: (v: string) => `température ${v} °C`,
      spo2: (v: number) => `saturation en oxygène ${v} %`,
      weight: (v: string) => `poids ${v} kg`,
      height: (v: string) => `taille ${v} cm`,
      bmi: (v: string) => `IMC ${v}`,
      glucose: (v: string) => `glycémie ${v} mmol/L`,
    },
    forYou: 'Résumé à votre intention',
    noSummary:
      'Votre soignant n’a pas rédigé de résumé pour cette consultation. Adressez-vous à la clinique pour toute question.',
  },
} as const;

const dateIn = (iso: string, language: Language) =>
  DateTime.fromISO(iso, { zone: 'utc' }).setLocale(language).toLocaleString(DateTime.DATE_FULL);

/**
 * The letter as a PDF (A4), always the same bytes for the same row: the clinic's header, the title, the
 * patient, the body of its kind, place and date, the signing practitioner, and the verification code
 * with its QR code (the public page's address). Helvetica's WinAnsi covers English and French.
 */
export async function renderLetter(row: LetterRow, publicUrl: string): Promise<Buffer> {
  const w = WORDS[row.language];
  const s = row.snapshot;
  const issued = DateTime.fromJSDate(row.issuedAt, { zone: s.clinic.timezone }).setLocale(row.language);
  const { doc, width, field, sign } = signedDocument({
    info: { Title: `${w.title[row.kind]} — ${s.patient.name}`, Author: s.practitioner.name, CreationDate: row.issuedAt },
    organisation: s.organisation,
    clinic: s.clinic,
    title: w.title[row.kind],
    stamp: row.revokedAt ? w.revoked : null,
  });

  // the patient
  field(w.patient, s.patient.name);
  field(w.born, dateIn(s.patient.birthDate, row.language));
  field(w.sex, w.sexes[s.patient.sex as keyof typeof w.sexes] ?? s.patient.sex);
  field(w.mrn, s.patient.mrn);
  doc.moveDown(1.5);

  // the body of its kind
  const para = (text: string) =>
    doc.font('Helvetica').fontSize(11).fillColor('black').text(text, { width, align: 'left', lineGap: 3 }).moveDown(0.8);
  const labelled = (label: string, text: string) => {
    doc.font('Helvetica-Bold').fontSize(11).text(label, { width });
    para(text);
  };
  const kind: LetterKind = row.kind;
  if (kind === 'medical_certificate') {
    para(w.certify(s.practitioner.name, s.patient.name, issued.toLocaleString(DateTime.DATE_FULL)));
    if (row.body) para(row.body);
    if (row.reason) labelled(w.issuedFor, row.reason);
  } else if (kind === 'sick_note') {
    const days = Math.round(DateTime.fromISO(row.restTo!).diff(DateTime.fromISO(row.restFrom!), 'days').days) + 1;
    para(w.rest(s.patient.name, dateIn(row.restFrom!, row.language), dateIn(row.restTo!, row.language), days));
    if (row.body) labelled(w.restrictions, row.body);
  } else if (kind === 'visit_summary') {
    visitSummary(doc, w, row.visit!, s, row.language, width, labelled);
  } else {
    if (row.urgency) labelled(w.urgency, w.urgencies[row.urgency]);
    if (row.reason) labelled(w.reason, row.reason);
    if (row.body) labelled(w.summary, row.body);
    para(w.thanks);
  }

  return sign({
    placeAndDate: w.at(s.clinic.name, issued.toLocaleString(DateTime.DATE_FULL)),
    name: s.practitioner.name,
    specialties: s.practitioner.specialties,
    licence: s.practitioner.licenceNumber ? `${w.licence} ${s.practitioner.licenceNumber}` : null,
    code: row.verificationCode,
    publicUrl,
    verifyText: w.verify,
  });
}

type Words = (typeof WORDS)[Language];

/** A number as the letter's language writes it: 37.5 / 37,5. */
const num = (v: number, language: Language) => new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(v);

/** The measures of one set of vitals, in a line: only those taken. */
export function vitalsLine(v: VisitSummaryContent['vitals'][number], w: Words, language: Language): string {
  const m = w.measures;
  const parts: string[] = [];
  if (v.systolic !== null && v.diastolic !== null) parts.push(m.bp(v.systolic, v.diastolic));
  if (v.heartRate !== null) parts.push(m.hr(v.heartRate));
  if (v.respiratoryRate !== null) parts.push(m.rr(v.respiratoryRate));
  if (v.temperature !== null) parts.push(m.temp(num(v.temperature, language)));
  if (v.spo2 !== null) parts.push(m.spo2(v.spo2));
  if (v.weightKg !== null) parts.push(m.weight(num(v.weightKg, language)));
  if (v.heightCm !== null) parts.push(m.height(num(v.heightCm, language)));
  if (v.bmi !== null) parts.push(m.bmi(num(v.bmi, language)));
  if (v.glucose !== null) parts.push(m.glucose(num(v.glucose, language)));
  const line = parts.join(', ');
  return line.charAt(0).toUpperCase() + line.slice(1);
}

/**
 * A visit summary's body: the visit (date, type, reason), who saw the patient and when they signed, the
 * diagnoses (primary first), the vitals taken during the visit and the summary written for the patient.
 */
function visitSummary(
  doc: PDFKit.PDFDocument,
  w: Words,
  v: VisitSummaryContent,
  s: LetterRow['snapshot'],
  language: Language,
  width: number,
  labelled: (label: string, text: string) => void,
) {
  const at = (iso: string) => DateTime.fromISO(iso, { zone: s.clinic.timezone }).setLocale(language);
  // the clinic's local date and 24-hour time: 3 December 2026, 10:05
  const when = (d: DateTime) => `${d.toLocaleString(DateTime.DATE_FULL)}, ${d.toLocaleString(DateTime.TIME_24_SIMPLE)}`;
  // a list item, indented as a whole (its wrapped lines too)
  const item = (text: string) =>
    doc
      .font('Helvetica')
      .fontSize(11)
      .text(text, MARGIN + 12, doc.y, { width: width - 12, lineGap: 2 });
  const started = at(v.startedAt);
  const type = w.visitTypes[v.type as keyof typeof w.visitTypes] ?? v.type;
  labelled(w.visit, `${type}, ${when(started)}`);
  if (v.reason) labelled(w.visitReason, v.reason);
  labelled(w.seenBy, `${s.practitioner.name}, ${w.signed(when(at(v.signedAt)))}`);
  if (v.diagnoses.length) {
    doc.font('Helvetica-Bold').fontSize(11).text(w.diagnoses, { width });
    for (const d of v.diagnoses) item(`${d.code}  ${d.description}${d.rank === 'primary' ? ` (${w.primary})` : ''}`);
    doc.x = MARGIN;
    doc.moveDown(0.8);
  }
  // a set taken on the visit's day shows its time; one of a later day (a stay) its date too
  const takenAt = (d: DateTime) => (d.hasSame(started, 'day') ? d.toLocaleString(DateTime.TIME_24_SIMPLE) : when(d));
  if (v.vitals.length) {
    doc.font('Helvetica-Bold').fontSize(11).text(w.vitals, { width });
    for (const set of v.vitals) item(`${takenAt(at(set.takenAt))}  ${vitalsLine(set, w, language)}`);
    doc.x = MARGIN;
    doc.moveDown(0.8);
  }
  labelled(w.forYou, v.patientSummary?.trim() || w.noSummary);
}
