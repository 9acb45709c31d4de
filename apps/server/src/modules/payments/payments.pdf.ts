import PDFDocument from 'pdfkit';
import { DateTime } from 'luxon';
import type { Payment } from '@sanita/contracts/payments';

type Language = 'en' | 'fr';
const languageOf = (l: string | null | undefined): Language => (l?.toLowerCase().startsWith('fr') ? 'fr' : 'en');

const METHODS: Record<Language, Record<Payment['method'], string>> = {
  en: { cash: 'Cash', card: 'Card', mobile_money: 'Mobile money', bank_transfer: 'Bank transfer', insurance: 'Insurance' },
  fr: { cash: 'Espèces', card: 'Carte', mobile_money: 'Mobile money', bank_transfer: 'Virement', insurance: 'Assurance' },
};

const WORDS = {
  en: {
    title: 'Payment receipt',
    receipt: 'Receipt no.',
    patient: 'Patient',
    invoice: 'Invoice',
    deposit: 'Deposit on the patient’s account',
    tendered: 'Amount tendered',
    applied: 'Amount applied',
    rate: (r: string, from: string, to: string) => `at 1 ${from} = ${r} ${to}`,
    method: 'Method',
    reference: 'Reference',
    balance: 'Balance left',
    refunded: 'Refunded',
    cashier: 'Cashier',
    time: 'Date and time',
    thanks: 'Thank you.',
  },
  fr: {
    title: 'Reçu de paiement',
    receipt: 'Reçu n°',
    patient: 'Patient',
    invoice: 'Facture',
    deposit: 'Acompte sur le compte du patient',
    tendered: 'Montant versé',
    applied: 'Montant imputé',
    rate: (r: string, from: string, to: string) => `au taux 1 ${from} = ${r} ${to}`,
    method: 'Mode de paiement',
    reference: 'Référence',
    balance: 'Reste à payer',
    refunded: 'Remboursé',
    cashier: 'Caissier',
    time: 'Date et heure',
    thanks: 'Merci.',
  },
} as const;

/** Collects a pdfkit document's bytes. */
export function pdfBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
}

/** A receipt (A5): the clinic, the receipt number, the patient, the invoice, tendered and applied amounts with the rate, the method, the balance left, the cashier and the time. */
export async function receiptPdf(input: {
  language: string;
  payment: Payment;
  clinic: { name: string; address: string | null; timezone: string };
  balance: string | null;
}): Promise<Buffer> {
  const l = languageOf(input.language);
  const w = WORDS[l];
  const pay = input.payment;
  const at = DateTime.fromISO(pay.receivedAt, { zone: input.clinic.timezone });
  const doc = new PDFDocument({
    size: 'A5',
    margin: 40,
    info: { Title: `${w.title} ${pay.receiptNumber}`, CreationDate: at.toJSDate() },
  });
  const done = pdfBuffer(doc);
  doc.font('Helvetica-Bold').fontSize(14).text(input.clinic.name);
  if (input.clinic.address) doc.font('Helvetica').fontSize(9).fillColor('#555555').text(input.clinic.address);
  doc.moveDown().fillColor('black').font('Helvetica-Bold').fontSize(13).text(w.title);
  doc.moveDown(0.5);
  const line = (label: string, value: string) => {
    doc.font('Helvetica').fontSize(10).fillColor('#555555').text(`${label}: `, { continued: true });
    doc.fillColor('black').text(value);
  };
  line(w.receipt, pay.receiptNumber);
  line(w.time, at.setLocale(l).toFormat('yyyy-MM-dd HH:mm'));
  line(w.patient, `${pay.patient.name} (${pay.patient.mrn})`);
  line(w.invoice, pay.invoiceNumber ?? w.deposit);
  line(w.tendered, `${pay.amount} ${pay.currency}`);
  line(
    w.applied,
    `${pay.appliedAmount} ${pay.appliedCurrency}${pay.rate ? ` (${w.rate(pay.rate, pay.currency, pay.appliedCurrency)})` : ''}`,
  );
  line(w.method, METHODS[l][pay.method]);
  if (pay.reference) line(w.reference, pay.reference);
  if (pay.refunded !== '0' && Number(pay.refunded) !== 0) line(w.refunded, `${pay.refunded} ${pay.currency}`);
  if (input.balance !== null && pay.invoiceId) line(w.balance, `${input.balance} ${pay.appliedCurrency}`);
  line(w.cashier, pay.receivedBy.name);
  doc.moveDown().font('Helvetica-Oblique').text(w.thanks);
  doc.end();
  return done;
}

/** A report as a PDF: a title, a bar chart of one column drawn with pdfkit, then the table. */
export async function tablePdf(input: {
  title: string;
  subtitle: string;
  columns: string[];
  rows: string[][];
  /** the bars: label and value (≥ 0) */
  chart: { label: string; value: number }[];
  chartTitle: string;
}): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 40, info: { Title: input.title } });
  const done = pdfBuffer(doc);
  doc.font('Helvetica-Bold').fontSize(15).text(input.title);
  doc.font('Helvetica').fontSize(9).fillColor('#555555').text(input.subtitle).fillColor('black');
  // the chart: up to 40 bars, scaled to the largest
  const bars = input.chart.slice(0, 40);
  const x0 = 40;
  const top = doc.y + 14;
  const height = 150;
  const width = doc.page.width - 80;
  doc
    .fontSize(9)
    .font('Helvetica-Bold')
    .text(input.chartTitle, x0, top - 12);
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = bars.length ? width / bars.length : width;
  bars.forEach((b, i) => {
    const h = (b.value / max) * (height - 20);
    doc.rect(x0 + i * slot + slot * 0.15, top + height - 20 - h, slot * 0.7, h).fill('#0b4f52');
    doc
      .fillColor('black')
      .font('Helvetica')
      .fontSize(6)
      .text(b.label, x0 + i * slot, top + height - 16, { width: slot, align: 'center', lineBreak: false, ellipsis: true });
  });
  doc
    .moveTo(x0, top + height - 20)
    .lineTo(x0 + width, top + height - 20)
    .stroke('#999999');
  // the table
  let y = top + height + 10;
  const colW = width / input.columns.length;
  const row = (cells: string[], bold: boolean) => {
    if (y > doc.page.height - 60) {
      doc.addPage();
      y = 40;
    }
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(8)
      .fillColor('black');
    cells.forEach((c, i) => doc.text(c, x0 + i * colW, y, { width: colW - 4, lineBreak: false, ellipsis: true }));
    y += 13;
  };
  row(input.columns, true);
  for (const r of input.rows) row(r, false);
  doc.end();
  return done;
}
