import { sql, type SQL } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { ItemKind } from '@sanita/contracts/billing';
import type { Executor, Tx } from '../../platform/db/database.ts';
import { nextDocumentNumber } from '../../platform/document-numbers.ts';
import type { SeedStep } from '../../platform/module.ts';
import { money, moneyText } from '../../platform/money.ts';
import { BillingService } from './billing.service.ts';
import { EventBus } from '../../platform/realtime/events.ts';
import { priceSearchText } from './billing.repository.ts';

/** CDF per USD for the demo's price list (the payments seed keeps the daily rates). */
const CDF_PER_USD = 2850;
const FROM = '2024-01-01';
/** the day the demo's consultation prices went up (the older price stays, ended that day) */
const RAISE = '2026-07-01';

interface SeedPrice {
  kind: ItemKind;
  code: string;
  name: string;
  nameFr: string | null;
  taxCategory: string;
  procedureCode?: string | null;
  usd: string;
  from?: string;
  to?: string | null;
}

const VISIT_TYPE_PRICES: Record<string, string> = {
  consultation: '15',
  'new-patient': '20',
  'follow-up': '10',
  procedure: '25',
  vaccination: '5',
};
const ENCOUNTER_PRICES: Record<string, [string, string, string]> = {
  outpatient: ['15', 'Outpatient consultation', 'Consultation externe'],
  emergency: ['30', 'Emergency consultation', 'Consultation d’urgence'],
  inpatient: ['40', 'Inpatient day', 'Journée d’hospitalisation'],
  telehealth: ['10', 'Teleconsultation', 'Téléconsultation'],
};
const PROCEDURES: SeedPrice[] = [
  {
    kind: 'procedure',
    code: 'PROC-DRESSING',
    name: 'Wound dressing',
    nameFr: 'Pansement',
    procedureCode: '97602',
    usd: '5',
    taxCategory: 'care',
  },
  {
    kind: 'procedure',
    code: 'PROC-SUTURE',
    name: 'Simple suturing (up to 2.5 cm)',
    nameFr: 'Suture simple (jusqu’à 2,5 cm)',
    procedureCode: '12001',
    usd: '15',
    taxCategory: 'care',
  },
  {
    kind: 'procedure',
    code: 'PROC-ECG',
    name: 'Electrocardiogram (12 leads)',
    nameFr: 'Électrocardiogramme (12 dérivations)',
    procedureCode: '93000',
    usd: '12',
    taxCategory: 'care',
  },
  {
    kind: 'procedure',
    code: 'PROC-INJECTION',
    name: 'Injection (IM/SC)',
    nameFr: 'Injection (IM/SC)',
    procedureCode: '96372',
    usd: '2',
    taxCategory: 'care',
  },
  {
    kind: 'procedure',
    code: 'PROC-NEBUL',
    name: 'Nebulisation',
    nameFr: 'Nébulisation',
    procedureCode: '94640',
    usd: '6',
    taxCategory: 'care',
  },
  {
    kind: 'procedure',
    code: 'PROC-IV',
    name: 'IV infusion (first hour)',
    nameFr: 'Perfusion IV (première heure)',
    procedureCode: '96365',
    usd: '10',
    taxCategory: 'care',
  },
  {
    kind: 'procedure',
    code: 'PROC-ULTRASOUND',
    name: 'Obstetric ultrasound',
    nameFr: 'Échographie obstétricale',
    procedureCode: '76805',
    usd: '25',
    taxCategory: 'care',
  },
];
const OPTICAL: SeedPrice[] = [
  {
    kind: 'optical',
    code: 'OPT-EXAM',
    name: 'Refraction test',
    nameFr: 'Examen de réfraction',
    procedureCode: '92015',
    usd: '10',
    taxCategory: 'care',
  },
  {
    kind: 'optical',
    code: 'OPT-FRAME-STD',
    name: 'Spectacle frame, standard',
    nameFr: 'Monture de lunettes, standard',
    usd: '25',
    taxCategory: 'vat',
  },
  {
    kind: 'optical',
    code: 'OPT-FRAME-PREM',
    name: 'Spectacle frame, premium',
    nameFr: 'Monture de lunettes, haut de gamme',
    usd: '60',
    taxCategory: 'vat',
  },
  {
    kind: 'optical',
    code: 'OPT-LENS-SV',
    name: 'Single-vision lenses (pair)',
    nameFr: 'Verres unifocaux (paire)',
    usd: '30',
    taxCategory: 'vat',
  },
  {
    kind: 'optical',
    code: 'OPT-LENS-PROG',
    name: 'Progressive lenses (pair)',
    nameFr: 'Verres progressifs (paire)',
    usd: '90',
    taxCategory: 'vat',
  },
  { kind: 'optical', code: 'OPT-CASE', name: 'Spectacle case', nameFr: 'Étui à lunettes', usd: '3', taxCategory: 'vat' },
];

/** A price in a currency from its USD price (CDF: at the list's rate, to the 50 francs). */
function inCurrency(usd: string, currency: string, fromCurrency = 'USD'): string {
  if (currency === fromCurrency) return moneyText(usd, currency);
  if (currency === 'CDF') return money(usd).times(CDF_PER_USD).dividedBy(50).toDecimalPlaces(0).times(50).toFixed(0);
  return moneyText(money(usd).dividedBy(CDF_PER_USD), currency);
}

async function insertPrices(tx: Executor, clinicId: string, currencies: readonly string[], list: SeedPrice[]): Promise<void> {
  const values: SQL[] = [];
  for (const p of list)
    for (const c of currencies)
      values.push(
        sql`(${clinicId}, ${p.kind}, ${p.code}, ${p.name}, ${p.nameFr}, ${p.taxCategory}, ${p.procedureCode ?? null}, ${c},
             ${inCurrency(p.usd, c)}, ${p.from ?? FROM}, ${p.to ?? null}, ${priceSearchText(p)})`,
      );
  for (let i = 0; i < values.length; i += 300)
    await tx.execute(sql`
      INSERT INTO price_items (clinic_id, kind, code, name, name_fr, tax_category, procedure_code, currency, unit_price,
                               effective_from, effective_to, search_text)
      VALUES ${sql.join(values.slice(i, i + 300), sql`, `)}`);
}

/** A medicine's price per unit dispensed, by its form, when the clinic's formulary has none. */
function unitPriceOf(form: string | null): string {
  const f = (form ?? '').toLowerCase();
  if (/tablet|capsule/.test(f)) return '0.10';
  if (/injection|vial|ampoule/.test(f)) return '1.50';
  if (/syrup|suspension|solution|oral liquid/.test(f)) return '2.50';
  if (/cream|ointment|gel/.test(f)) return '2.00';
  return '1.00';
}

/**
 * The demo's billing: for Kinshasa and Goma, settings (USD first, discounts above 10 % approved by a
 * second person, 30 days to pay), tax rates (optical goods 16 % VAT; care and medicines 0 %) and a
 * price list in USD and CDF — a consultation per visit type and per encounter type (the visit-type
 * prices raised on 2026-07-01, the older entry kept), every lab test (the lab catalogue's clinic
 * price where set, else by kind), the clinic's formulary and stocked medicines per unit (the
 * formulary's price where set), procedures with their procedure codes, optical items. Then the
 * charges of what happened at Kinshasa: the past 90 days' finished consultations (with their lab
 * orders and dispenses) captured and issued on their day — some voided, one credited, one
 * discounted — for the payments seed to pay, and today's captured into drafts for the cashier.
 * One draft waits with a discount above the threshold for a manager's approval. Idempotent.
 */
export const seedBilling: SeedStep = async (tx, demo) => {
  const [{ n } = { n: 0 }] = (await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM price_items`)).rows;
  if (n > 0) return;
  const admin = demo.users['admin@sanita.test'] ?? null;

  for (const clinic of Object.values(demo.clinics)) {
    const { rows } = await tx.execute<{ currencies: string[] }>(sql`SELECT currencies FROM clinics WHERE id = ${clinic.id}`);
    const currencies = rows[0]?.currencies ?? ['USD'];
    await tx.execute(sql`
      INSERT INTO billing_settings (clinic_id, default_currency, discount_approval_percent, payment_terms_days)
      VALUES (${clinic.id}, ${currencies[0] ?? 'USD'}, 10, 30) ON CONFLICT (clinic_id) DO NOTHING`);
    await tx.execute(sql`
      INSERT INTO tax_rates (clinic_id, category, name, rate, effective_from, created_by) VALUES
        (${clinic.id}, 'vat', 'VAT (optical goods)', 16, ${FROM}, ${admin}),
        (${clinic.id}, 'medicines', 'Essential medicines (exempt)', 0, ${FROM}, ${admin}),
        (${clinic.id}, 'care', 'Medical care (exempt)', 0, ${FROM}, ${admin})`);

    // consultations: by visit type (raised on RAISE) and by encounter type
    const { rows: vts } = await tx.execute<{ code: string; name: string; nameFr: string }>(
      sql`SELECT code, name, name_fr AS "nameFr" FROM visit_types ORDER BY code`,
    );
    const consults: SeedPrice[] = vts.flatMap((v) => {
      const usd = VISIT_TYPE_PRICES[v.code] ?? '15';
      const base = {
        kind: 'consultation' as const,
        code: v.code,
        name: `Consultation: ${v.name}`,
        nameFr: `Consultation : ${v.nameFr}`,
        taxCategory: 'care',
      };
      return [
        { ...base, usd: money(usd).times(0.8).toDecimalPlaces(0).toFixed(0), to: RAISE },
        { ...base, usd, from: RAISE },
      ];
    });
    for (const [type, [usd, name, nameFr]] of Object.entries(ENCOUNTER_PRICES))
      consults.push({ kind: 'consultation', code: `CONSULT-${type}`, name, nameFr, usd, taxCategory: 'care' });

    // every lab test: the lab catalogue's price at this clinic (in its currency) where set, else by kind
    const { rows: tests } = await tx.execute<{
      code: string;
      name: string;
      nameFr: string | null;
      kind: string;
      resultType: string;
      price: string | null;
      currency: string | null;
    }>(sql`
      SELECT t.code, t.name, t.name_fr AS "nameFr", t.kind, t.result_type AS "resultType", p.price::text AS price, p.currency
        FROM lab_tests t LEFT JOIN lab_test_prices p ON p.test_id = t.id AND p.clinic_id = ${clinic.id}
       WHERE t.active ORDER BY t.code`);
    const labPrices: SeedPrice[] = tests.map((t) => ({
      kind: 'lab_test',
      code: t.code,
      name: t.name,
      nameFr: t.nameFr,
      taxCategory: 'care',
      usd:
        t.price !== null && t.currency
          ? t.currency === 'USD'
            ? t.price
            : money(t.price).dividedBy(CDF_PER_USD).toDecimalPlaces(2).toFixed(2)
          : t.kind === 'panel'
            ? '18'
            : t.resultType === 'coded'
              ? '5'
              : '8',
    }));

    // medicines per unit: the clinic's formulary and every stocked product
    const { rows: meds } = await tx.execute<{
      code: string;
      name: string;
      form: string | null;
      price: string | null;
      currency: string | null;
    }>(sql`
      SELECT f.code, f.name, f.form, cf.price::text AS price, cf.currency
        FROM formulary_items f LEFT JOIN clinic_formulary cf ON cf.item_id = f.id AND cf.clinic_id = ${clinic.id}
       WHERE cf.item_id IS NOT NULL OR EXISTS (SELECT 1 FROM inventory_items ii WHERE ii.formulary_item_id = f.id)
       ORDER BY f.code`);
    const medPrices: SeedPrice[] = meds.map((m) => ({
      kind: 'medication',
      code: m.code,
      name: m.name,
      nameFr: null,
      taxCategory: 'medicines',
      usd:
        m.price !== null && m.currency
          ? m.currency === 'USD'
            ? m.price
            : money(m.price).dividedBy(CDF_PER_USD).toDecimalPlaces(2).toFixed(2)
          : unitPriceOf(m.form),
    }));
    await insertPrices(tx, clinic.id, currencies, [...consults, ...labPrices, ...medPrices, ...PROCEDURES, ...OPTICAL]);
  }

  await seedInvoices(tx as Tx, demo);
};

/** The charges of Kinshasa's past 90 days (issued on their day) and of today (drafts). */
async function seedInvoices(tx: Tx, demo: Parameters<SeedStep>[1]): Promise<void> {
  const kin = demo.clinics.KIN;
  const cashier = demo.users['cashier@sanita.test'] ?? null;
  const manager = demo.users['manager@sanita.test'] ?? null;
  const accountant = demo.users['accountant@sanita.test'] ?? manager;
  const billing = new BillingService(tx, new EventBus());
  const today = DateTime.now().setZone(kin.timezone).startOf('day');

  const { rows: past } = await tx.execute<{ id: string; endedAt: string | Date }>(sql`
    SELECT e.id, e.ended_at AS "endedAt" FROM encounters e
     WHERE e.clinic_id = ${kin.id} AND e.status = 'finished' AND e.ended_at IS NOT NULL
       AND e.ended_at >= ${today.minus({ days: 90 }).toJSDate().toISOString()} AND e.ended_at < ${today.toJSDate().toISOString()}
     ORDER BY e.ended_at, e.id`);
  let k = 0;
  for (const e of past) {
    k++;
    const at = DateTime.fromJSDate(new Date(e.endedAt)).plus({ minutes: 15 });
    await billing.captureEncounter(tx, e.id);
    const { rows: orders } = await tx.execute<{ id: string }>(sql`SELECT id FROM lab_orders WHERE encounter_id = ${e.id}`);
    for (const o of orders) await billing.captureLabOrder(tx, o.id);
    const { rows: dispensed } = await tx.execute<{ id: string }>(sql`
      SELECT d.id FROM dispenses d JOIN prescriptions rx ON rx.id = d.prescription_id WHERE rx.encounter_id = ${e.id}`);
    for (const d of dispensed) await billing.captureDispense(tx, d.id);
    const { rows: drafts } = await tx.execute<{ id: string; currency: string }>(sql`
      SELECT i.id, i.currency FROM invoices i JOIN encounters e ON e.patient_id = i.patient_id AND e.clinic_id = i.clinic_id
       WHERE e.id = ${e.id} AND i.status = 'draft'`);
    const draft = drafts[0];
    if (!draft) continue;
    // every sixth invoice in francs; an optical sale or a procedure now and then
    if (k % 6 === 0) await retotal(tx, billing, draft.id, 'CDF');
    if (k % 7 === 0)
      await addPriced(tx, billing, draft.id, kin.id, 'procedure', k % 14 === 0 ? 'PROC-ECG' : 'PROC-DRESSING', at, cashier);
    if (k % 11 === 0) {
      await addPriced(tx, billing, draft.id, kin.id, 'optical', 'OPT-FRAME-STD', at, cashier);
      await addPriced(tx, billing, draft.id, kin.id, 'optical', 'OPT-LENS-SV', at, cashier);
    }
    const { rows: unpriced } = await tx.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM invoice_lines WHERE invoice_id = ${draft.id} AND unit_price IS NULL`,
    );
    if (unpriced[0]!.n > 0) continue;
    if (k % 9 === 0 && cashier)
      await tx.execute(sql`
        INSERT INTO invoice_discounts (invoice_id, percent, reason, status, requested_by, requested_at)
        VALUES (${draft.id}, 10, 'Indigent patient — patient indigent', 'applied', ${cashier}, ${at.toJSDate().toISOString()})`);
    await billing.recompute(tx, draft.id, draft.currency);
    const number = await nextDocumentNumber(tx, kin.id, 'INV', at.toJSDate());
    const voided = k % 17 === 0;
    await tx.execute(sql`
      UPDATE invoices SET status = ${voided ? 'void' : 'issued'}, number = ${number}, issued_at = ${at.toJSDate().toISOString()},
             issued_by = ${cashier}, created_at = ${at.minus({ minutes: 30 }).toJSDate().toISOString()},
             due_date = ${at.setZone(kin.timezone).toISODate()}::date + 30,
             void_reason = ${voided ? 'Billed to the wrong patient — facturé au mauvais patient' : null},
             voided_at = ${voided ? at.plus({ hours: 1 }).toJSDate().toISOString() : null}, voided_by = ${voided ? accountant : null}
       WHERE id = ${draft.id}`);
    if (k === 5 && accountant) {
      // a credit note for a test that was not done
      const { rows } = await tx.execute<{ total: string; currency: string }>(
        sql`SELECT total::text AS total, currency FROM invoices WHERE id = ${draft.id}`,
      );
      const amount = moneyText(money(rows[0]!.total).dividedBy(4), rows[0]!.currency);
      if (money(amount).greaterThan(0)) {
        const cn = await nextDocumentNumber(tx, kin.id, 'CN', at.plus({ days: 1 }).toJSDate());
        await tx.execute(sql`
          INSERT INTO credit_notes (invoice_id, clinic_id, number, amount, reason, created_by, created_at)
          VALUES (${draft.id}, ${kin.id}, ${cn}, ${amount}, 'Test not performed — examen non réalisé', ${accountant},
                  ${at.plus({ days: 1 }).toJSDate().toISOString()})`);
        await tx.execute(sql`UPDATE invoices SET credited = ${amount} WHERE id = ${draft.id}`);
      }
    }
  }

  // today's: finished consultations, lab orders and dispenses at Kinshasa, captured into the patients' drafts
  const since = today.toJSDate().toISOString();
  const { rows: encs } = await tx.execute<{ id: string }>(
    sql`SELECT id FROM encounters WHERE clinic_id = ${kin.id} AND status = 'finished' AND ended_at >= ${since} ORDER BY ended_at, id`,
  );
  for (const e of encs) await billing.captureEncounter(tx, e.id);
  const { rows: orders } = await tx.execute<{ id: string }>(
    sql`SELECT id FROM lab_orders WHERE clinic_id = ${kin.id} AND ordered_at >= ${since} AND status <> 'cancelled' ORDER BY ordered_at, id`,
  );
  for (const o of orders) await billing.captureLabOrder(tx, o.id);
  const { rows: disp } = await tx.execute<{ id: string }>(
    sql`SELECT id FROM dispenses WHERE clinic_id = ${kin.id} AND dispensed_at >= ${since} ORDER BY dispensed_at, id`,
  );
  for (const d of disp) await billing.captureDispense(tx, d.id);

  // one of today's drafts with a discount above the threshold, waiting for a manager
  const { rows: todays } = await tx.execute<{ id: string; subtotal: string }>(sql`
    SELECT id, subtotal::text AS subtotal FROM invoices WHERE clinic_id = ${kin.id} AND status = 'draft' AND subtotal > 0
     ORDER BY created_at, id LIMIT 1`);
  if (todays[0] && cashier)
    await tx.execute(sql`
      INSERT INTO invoice_discounts (invoice_id, percent, reason, status, requested_by)
      VALUES (${todays[0].id}, 30, 'Family of a staff member — famille d’un membre du personnel', 'pending', ${manager ?? cashier})`);
}

/** Moves a draft to another currency, its lines priced again from the price list. */
async function retotal(tx: Tx, billing: BillingService, invoiceId: string, currency: string): Promise<void> {
  await tx.execute(sql`UPDATE invoices SET currency = ${currency} WHERE id = ${invoiceId}`);
  await tx.execute(sql`
    UPDATE invoice_lines l SET unit_price = p.unit_price, price_item_id = p.id
      FROM invoices i, price_items p
     WHERE l.invoice_id = ${invoiceId} AND i.id = l.invoice_id AND p.clinic_id = i.clinic_id AND p.kind = l.kind AND p.code = l.code
       AND p.currency = ${currency} AND p.active AND p.effective_from <= l.service_date
       AND (p.effective_to IS NULL OR p.effective_to > l.service_date)`);
  await billing.recompute(tx, invoiceId, currency);
}

/** A manual line from the price list on a draft, at its price on the day. */
async function addPriced(
  tx: Tx,
  billing: BillingService,
  invoiceId: string,
  clinicId: string,
  kind: ItemKind,
  code: string,
  at: DateTime,
  userId: string | null,
): Promise<void> {
  const day = at.toISODate()!;
  await tx.execute(sql`
    INSERT INTO invoice_lines (invoice_id, kind, code, description, description_fr, source, price_item_id, service_date, procedure_code,
                               quantity, unit_price, tax_category, tax_rate, created_by)
    SELECT i.id, p.kind, p.code, p.name, p.name_fr, 'manual', p.id, ${day}, p.procedure_code, 1, p.unit_price, p.tax_category,
           coalesce((SELECT t.rate FROM tax_rates t WHERE t.clinic_id = i.clinic_id AND t.category = p.tax_category
                      AND t.effective_from <= ${day}::date AND (t.effective_to IS NULL OR t.effective_to > ${day}::date)
                      ORDER BY t.effective_from DESC LIMIT 1), 0),
           ${userId}
      FROM invoices i JOIN price_items p ON p.clinic_id = i.clinic_id AND p.currency = i.currency AND p.kind = ${kind} AND p.code = ${code}
       AND p.active AND p.effective_from <= ${day}::date AND (p.effective_to IS NULL OR p.effective_to > ${day}::date)
     WHERE i.id = ${invoiceId}`);
  const { rows } = await tx.execute<{ currency: string }>(
    sql`SELECT currency FROM invoices WHERE id = ${invoiceId} AND clinic_id = ${clinicId}`,
  );
  await billing.recompute(tx, invoiceId, rows[0]!.currency);
}
