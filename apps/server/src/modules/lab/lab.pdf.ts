import { DateTime } from 'luxon';
import type { LabOrder } from '@sanita/contracts/lab';
import type { Executor } from '../../platform/db/database.ts';
import { GREY, MARGIN, signedDocument } from '../../platform/pdf.ts';
import { signerOf } from '../../platform/signer.ts';

type Language = 'en' | 'fr';

const WORDS = {
  en: {
    title: 'Laboratory report',
    patient: 'Patient',
    born: 'Date of birth',
    sex: 'Sex',
    sexes: { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' } as Record<string, string>,
    mrn: 'MRN',
    order: 'Order',
    orderedBy: 'Ordered by',
    outside: 'outside laboratory',
    collected: 'Collected',
    test: 'Test',
    result: 'Result',
    range: 'Reference range',
    flag: 'Flag',
    none: 'No result has been released yet.',
    by: (verified: string | null, released: string | null) =>
      [verified ? `verified by ${verified}` : null, released ? `released by ${released}` : null].filter(Boolean).join(', '),
    at: (place: string, date: string) => `${place}, ${date}`,
    licence: 'Licence no.',
    verify: (url: string, code: string) => `Verify this report at ${url} with the code ${code}.`,
    cancelled: 'CANCELLED',
  },
  fr: {
    title: 'Compte rendu de laboratoire',
    patient: 'Patient',
    born: 'Date de naissance',
    sex: 'Sexe',
    sexes: { female: 'Féminin', male: 'Masculin', other: 'Autre', unknown: 'Inconnu' } as Record<string, string>,
    mrn: 'N° de dossier',
    order: 'Demande',
    orderedBy: 'Prescripteur',
    outside: 'laboratoire extérieur',
    collected: 'Prélevé',
    test: 'Examen',
    result: 'Résultat',
    range: 'Valeurs de référence',
    flag: 'Indicateur',
    none: 'Aucun résultat n’a encore été validé.',
    by: (verified: string | null, released: string | null) =>
      [verified ? `vérifié par ${verified}` : null, released ? `validé par ${released}` : null].filter(Boolean).join(', '),
    at: (place: string, date: string) => `${place}, le ${date}`,
    licence: 'N° d’ordre',
    verify: (url: string, code: string) => `Vérifiez ce compte rendu sur ${url} avec le code ${code}.`,
    cancelled: 'ANNULÉE',
  },
} as const;

/**
 * The lab report of an order: the clinic's header, the patient, each released result with its unit,
 * reference range, flag and who verified and released it, then the signature block of whoever last
 * released a result (else the orderer) and the verification code.
 */
export async function reportPdf(input: {
  db: Executor;
  order: LabOrder;
  clinic: { id: string; name: string; timezone: string; address: string | null };
  code: string | null;
  language: Language;
  publicUrl: string;
  frenchNames: Map<string, string | null>;
}): Promise<Buffer> {
  const { order, language } = input;
  const w = WORDS[language];
  const results = order.items.flatMap((i) => i.results).filter((r) => r.status === 'released');
  const last = [...results].sort((a, b) => (b.releasedAt ?? '').localeCompare(a.releasedAt ?? ''))[0];
  const signerId = last?.releasedBy?.id ?? order.orderedBy?.id ?? null;
  const signer = signerId ? await signerOf(input.db, signerId, order.clinicId, language) : null;
  const issued = last?.releasedAt ? new Date(last.releasedAt) : new Date(order.orderedAt);
  const zone = input.clinic.timezone;
  const { doc, width, field, sign } = signedDocument({
    info: { Title: `${w.title} — ${order.number}`, Author: signer?.signer.name ?? input.clinic.name, CreationDate: issued },
    organisation: signer?.organisation ?? input.clinic.name,
    clinic: { name: input.clinic.name, address: input.clinic.address },
    title: w.title,
    stamp: order.status === 'cancelled' ? w.cancelled : null,
    gap: 1.2,
  });
  field(w.patient, order.patient.name);
  field(w.born, order.patient.birthDate);
  field(w.sex, w.sexes[order.patient.sex] ?? order.patient.sex);
  field(w.mrn, order.patient.mrn);
  field(w.order, order.number);
  field(w.orderedBy, order.orderedBy?.name ?? w.outside);
  const collected = order.specimens.find((s) => s.collectedAt)?.collectedAt;
  if (collected) field(w.collected, DateTime.fromISO(collected, { zone }).toFormat('yyyy-MM-dd HH:mm'));
  doc.moveDown(1);

  const cols = [0, 0.38, 0.62, 0.88].map((f) => MARGIN + f * width) as [number, number, number, number];
  const header = () => {
    const y = doc.y;
    doc.font('Helvetica-Bold').fontSize(9).fillColor(GREY);
    [w.test, w.result, w.range, w.flag].forEach((t, i) => doc.text(t, cols[i], y, { width: width * 0.24, lineBreak: false }));
    doc.moveDown(0.6);
  };
  header();
  if (!results.length) doc.font('Helvetica').fontSize(10).fillColor('black').text(w.none, MARGIN, doc.y, { width });
  for (const r of results) {
    if (doc.y > doc.page.height - MARGIN - 140) {
      doc.addPage();
      header();
    }
    const y = doc.y;
    const name = (language === 'fr' && input.frenchNames.get(r.testId)) || r.name;
    const value =
      r.valueNumeric !== null
        ? `${r.valueNumeric}${r.unit ? ` ${r.unit}` : ''}`
        : r.valueCode !== null
          ? r.valueCode
          : (r.valueText ?? '');
    const bold = r.flag !== null;
    doc
      .font('Helvetica')
      .fontSize(10)
      .fillColor('black')
      .text(name, cols[0], y, { width: width * 0.36 });
    const after = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fillColor(r.critical ? '#c92a2a' : 'black');
    doc.text(value, cols[1], y, { width: width * 0.23 });
    doc
      .font('Helvetica')
      .fillColor('black')
      .text(r.rangeText ?? '', cols[2], y, { width: width * 0.25 });
    doc
      .font('Helvetica-Bold')
      .fillColor(r.critical ? '#c92a2a' : 'black')
      .text(r.flag ?? '', cols[3], y, { width: width * 0.12 });
    doc.y = Math.max(after, doc.y);
    const who = w.by(r.verifiedBy?.name ?? null, r.releasedBy?.name ?? null);
    if (who || r.comment)
      doc
        .font('Helvetica')
        .fontSize(8)
        .fillColor(GREY)
        .text([r.comment, who].filter(Boolean).join(' — '), cols[0] + 8, doc.y, { width: width - 8 });
    doc.fillColor('black');
    doc.moveDown(0.4);
  }
  doc.x = MARGIN;
  const date = DateTime.fromJSDate(issued, { zone }).setLocale(language).toLocaleString(DateTime.DATE_FULL);
  return sign({
    placeAndDate: w.at(input.clinic.name, date),
    name: signer?.signer.name ?? w.outside,
    specialties: signer?.signer.specialties ?? [],
    licence: signer?.signer.licenceNumber ? `${w.licence} ${signer.signer.licenceNumber}` : null,
    code: input.code ?? '000000000000',
    publicUrl: input.publicUrl,
    verifyText: w.verify,
  });
}
