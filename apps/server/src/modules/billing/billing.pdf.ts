import { DateTime } from 'luxon';
import PDFDocument from 'pdfkit';
import type { Invoice } from '@sanita/contracts/billing';
import { GREY, MARGIN } from '../../platform/pdf.ts';

type Language = 'en' | 'fr';
const TEAL = '#0b4f52';

const WORDS = {
  en: {
    invoice: 'Invoice',
    draft: 'DRAFT',
    void: 'VOID',
    number: 'Number',
    patient: 'Patient',
    mrn: 'MRN',
    issued: 'Issued',
    due: 'Due',
    currency: 'Currency',
    item: 'Item',
    date: 'Date',
    qty: 'Qty',
    price: 'Unit price',
    tax: 'Tax',
    total: 'Total',
    subtotal: 'Subtotal',
    discount: 'Discount',
    taxTotal: 'Tax',
    grand: 'Total due',
    paid: 'Paid',
    credited: 'Credited',
    balance: 'Balance',
    insurer: 'Expected from the insurer',
    unpriced: 'not priced',
    creditNote: (n: string, a: string) => `Credit note ${n}: ${a}`,
    voidReason: 'Reason',
  },
  fr: {
    invoice: 'Facture',
    draft: 'BROUILLON',
    void: 'ANNULÉE',
    number: 'Numéro',
    patient: 'Patient',
    mrn: 'N° de dossier',
    issued: 'Émise le',
    due: 'Échéance',
    currency: 'Devise',
    item: 'Prestation',
    date: 'Date',
    qty: 'Qté',
    price: 'Prix unitaire',
    tax: 'Taxe',
    total: 'Total',
    subtotal: 'Sous-total',
    discount: 'Remise',
    taxTotal: 'Taxes',
    grand: 'Total à payer',
    paid: 'Payé',
    credited: 'Avoirs',
    balance: 'Reste à payer',
    insurer: 'Part attendue de l’assureur',
    unpriced: 'sans prix',
    creditNote: (n: string, a: string) => `Avoir ${n} : ${a}`,
    voidReason: 'Motif',
  },
} as const;

/** Groups thousands with a thin space, as both languages print amounts ("12 500.00"). */
const amount = (v: string) => {
  const [i, d] = v.replace('-', '').split('.');
  return `${v.startsWith('-') ? '-' : ''}${i!.replace(/\B(?=(\d{3})+(?!\d))/g, ' ')}${d ? `.${d}` : ''}`;
};

/**
 * An invoice as A4 PDF in the reader's language: the clinic's header, the number (or DRAFT / VOID),
 * the patient, the lines with quantity, unit price, tax and total, then the totals, what was paid
 * and credited, and the balance.
 */
export function invoicePdf(
  inv: Invoice,
  clinic: { name: string; address: string | null; timezone: string },
  language: Language,
): Promise<Buffer> {
  const w = WORDS[language];
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: {
      Title: `${w.invoice} ${inv.number ?? w.draft}`,
      Author: clinic.name,
      Creator: 'Sanita',
      CreationDate: new Date(inv.createdAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const day = (iso: string) =>
    DateTime.fromISO(iso, { zone: clinic.timezone }).setLocale(language).toLocaleString(DateTime.DATE_MED);

  doc.font('Helvetica-Bold').fontSize(15).fillColor(TEAL).text(clinic.name, { width });
  if (clinic.address) doc.font('Helvetica').fontSize(10).fillColor(GREY).text(clinic.address, { width });
  doc.moveDown(0.5);
  doc
    .moveTo(MARGIN, doc.y)
    .lineTo(MARGIN + width, doc.y)
    .lineWidth(0.8)
    .strokeColor(TEAL)
    .stroke();
  doc.moveDown(1);
  doc.font('Helvetica-Bold').fontSize(18).fillColor('black').text(w.invoice.toUpperCase(), { width, align: 'center' });
  const stamp = inv.status === 'void' ? w.void : inv.status === 'draft' ? w.draft : null;
  if (stamp) doc.fontSize(14).fillColor('#c92a2a').text(stamp, { width, align: 'center' }).fillColor('black');
  doc.moveDown(1);

  const field = (label: string, value: string) => {
    doc.font('Helvetica').fontSize(10).fillColor(GREY).text(`${label}: `, { continued: true });
    doc.font('Helvetica-Bold').fillColor('black').text(value);
  };
  if (inv.number) field(w.number, inv.number);
  field(w.patient, inv.patient.name);
  field(w.mrn, inv.patient.mrn);
  if (inv.issuedAt) field(w.issued, day(inv.issuedAt));
  if (inv.dueDate) field(w.due, day(inv.dueDate));
  field(w.currency, inv.currency);
  if (inv.voidReason) field(w.voidReason, inv.voidReason);
  doc.moveDown(1);

  const cols = [0, 0.44, 0.58, 0.66, 0.8, 0.88].map((f) => MARGIN + f * width);
  const colW = [0.43, 0.13, 0.07, 0.13, 0.07, 0.12].map((f) => f * width);
  const header = () => {
    const y = doc.y;
    doc.font('Helvetica-Bold').fontSize(9).fillColor(GREY);
    [w.item, w.date, w.qty, w.price, w.tax, w.total].forEach((t, i) =>
      doc.text(t, cols[i], y, { width: colW[i]!, lineBreak: false, align: i >= 2 ? 'right' : 'left' }),
    );
    doc.moveDown(0.6);
  };
  header();
  for (const l of inv.lines) {
    if (doc.y > doc.page.height - MARGIN - 160) {
      doc.addPage();
      header();
    }
    const y = doc.y;
    const name = (language === 'fr' && l.descriptionFr) || l.description;
    doc.font('Helvetica').fontSize(9).fillColor('black');
    doc.text(name + (l.procedureCode ? ` (${l.procedureCode})` : ''), cols[0], y, { width: colW[0]! });
    const after = doc.y;
    doc.text(l.serviceDate, cols[1], y, { width: colW[1]!, lineBreak: false });
    doc.text(l.quantity, cols[2], y, { width: colW[2]!, align: 'right', lineBreak: false });
    doc.text(l.unitPrice === null ? w.unpriced : amount(l.unitPrice), cols[3], y, {
      width: colW[3]!,
      align: 'right',
      lineBreak: false,
    });
    doc.text(l.taxRate === '0' ? '—' : `${l.taxRate} %`, cols[4], y, { width: colW[4]!, align: 'right', lineBreak: false });
    doc.text(amount(l.total), cols[5], y, { width: colW[5]!, align: 'right', lineBreak: false });
    doc.y = Math.max(after, doc.y + 12);
    doc.moveDown(0.2);
  }
  doc.moveDown(1);
  const total = (label: string, value: string, bold = false) => {
    const y = doc.y;
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(10)
      .fillColor('black');
    doc.text(label, MARGIN + width * 0.5, y, { width: width * 0.3, lineBreak: false });
    doc.text(`${amount(value)} ${inv.currency}`, MARGIN + width * 0.75, y, { width: width * 0.25, align: 'right' });
  };
  total(w.subtotal, inv.subtotal);
  if (inv.discountTotal !== '0' && !/^0(\.0+)?$/.test(inv.discountTotal)) total(w.discount, `-${inv.discountTotal}`);
  total(w.taxTotal, inv.taxTotal);
  total(w.grand, inv.total, true);
  if (!/^0(\.0+)?$/.test(inv.paid)) total(w.paid, inv.paid);
  if (!/^0(\.0+)?$/.test(inv.credited)) total(w.credited, inv.credited);
  if (!/^0(\.0+)?$/.test(inv.insurerShare)) total(w.insurer, inv.insurerShare);
  total(w.balance, inv.balance, true);
  if (inv.creditNotes.length) {
    doc.moveDown(1);
    doc.font('Helvetica').fontSize(9).fillColor(GREY);
    for (const cn of inv.creditNotes)
      doc.text(`${w.creditNote(cn.number, `${amount(cn.amount)} ${inv.currency}`)} — ${cn.reason}`, MARGIN, doc.y, { width });
  }
  doc.end();
  return done;
}
