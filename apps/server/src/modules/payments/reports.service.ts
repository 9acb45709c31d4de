import { sql, type SQL } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { stringify } from 'csv-stringify/sync';
import { minorUnits } from '@sanita/contracts/billing';
import type { AgingQuery, AgingReport, ReportQuery, RevenueReport } from '@sanita/contracts/payments';
import type { Principal } from '../../platform/access.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { runAudited } from '../../platform/audit/audited.ts';
import type { Db, Executor } from '../../platform/db/database.ts';
import { Forbidden } from '../../platform/errors.ts';
import { money, moneyText, Money } from '../../platform/money.ts';
import { tablePdf } from './payments.pdf.ts';
import { InputError, requireRate } from './payments.shared.ts';

type ClinicRef = {
  id: string;
  name: string;
  timezone: string;
  currency: string;
};

export type ReportOutput<T> =
  { kind: 'json'; body: T } | { kind: 'csv'; body: string; filename: string } | { kind: 'pdf'; body: Buffer; filename: string };

type Sum = {
  clinicId: string;
  day: string;
  currency: string;
  key: string | null;
  label: string | null;
  amount: string;
  n: number;
};

const MAX_DAYS = 366;

/**
 * The revenue and aging reports (billing:report), per clinic or consolidated over every clinic where
 * the user reports. The SQL is a plain aggregate over the period's rows of each clinic through the
 * indexes invoices_clinic_issued (clinic, issued_at) and payments_clinic_received (clinic,
 * received_at), grouped by the clinic's local day and currency; amounts are then converted to the
 * report's currency in exact decimals at each day's rate (the rate in force at the end of that day).
 */
export class ReportsService {
  constructor(private readonly db: Db) {}

  private async clinics(p: Principal, consolidated: boolean | undefined): Promise<ClinicRef[]> {
    if (p.patientId) throw new Forbidden();
    const ids = consolidated
      ? p.memberships.filter((m) => m.permissions.includes('billing:report')).map((m) => m.clinicId)
      : p.permissions.has('billing:report') && p.clinicId
        ? [p.clinicId]
        : [];
    if (!ids.length) throw new Forbidden();
    const { rows } = await this.db.execute<ClinicRef>(sql`
      SELECT c.id, c.name, c.timezone, coalesce(s.default_currency, c.currencies[1], 'USD') AS currency
        FROM clinics c LEFT JOIN billing_settings s ON s.clinic_id = c.id
       WHERE c.id = ANY(${`{${[...new Set(ids)].join(',')}}`}::uuid[]) ORDER BY c.name`);
    return rows;
  }

  /** Converts (exactly) with a cache of the day's rates; the rate in force at `at`. */
  private converter(db: Executor, to: string) {
    const cache = new Map<string, Promise<Money>>();
    return async (amount: Money, from: string, at: Date): Promise<Money> => {
      if (from === to) return amount;
      const k = `${from}|${at.toISOString()}`;
      if (!cache.has(k))
        cache.set(
          k,
          requireRate(db, from, to, at).then((r) => r.factor),
        );
      return amount.times(await cache.get(k)!);
    };
  }

  private bounds(c: ClinicRef, from: string, to: string) {
    const lo = DateTime.fromISO(from, { zone: c.timezone }).startOf('day');
    const hi = DateTime.fromISO(to, { zone: c.timezone }).plus({ days: 1 }).startOf('day');
    return { lo: lo.toJSDate().toISOString(), hi: hi.toJSDate().toISOString() };
  }

  /** The end of a clinic's local day: the rate in force then converts that day's amounts. */
  private dayEnd(c: ClinicRef, day: string): Date {
    return DateTime.fromISO(day, { zone: c.timezone }).plus({ days: 1 }).startOf('day').minus({ milliseconds: 1 }).toJSDate();
  }

  private async invoiced(db: Executor, c: ClinicRef, lo: string, hi: string, groupBy: ReportQuery['groupBy']): Promise<Sum[]> {
    const day = sql`to_char((i.issued_at AT TIME ZONE ${c.timezone})::date, 'YYYY-MM-DD')`;
    const period = sql`i.clinic_id = ${c.id} AND i.issued_at >= ${lo}::timestamptz AND i.issued_at < ${hi}::timestamptz
                       AND i.issued_at IS NOT NULL AND i.status <> 'void'`;
    if (groupBy === 'service' || groupBy === 'practitioner') {
      const key = groupBy === 'service' ? sql`l.kind` : sql`l.practitioner_id::text`;
      const label = groupBy === 'service' ? sql`l.kind` : sql`min(pr.display_name)`;
      const { rows } = await db.execute<Sum>(sql`
        SELECT ${c.id}::text AS "clinicId", ${day} AS day, i.currency, ${key} AS key, ${label} AS label,
               sum(l.total)::text AS amount, count(DISTINCT i.id)::int AS n
          FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id
          LEFT JOIN practitioners pr ON pr.id = l.practitioner_id
         WHERE ${period}
         GROUP BY 2, 3, 4`);
      return rows;
    }
    const { rows } = await db.execute<Sum>(sql`
      SELECT ${c.id}::text AS "clinicId", ${day} AS day, i.currency, NULL AS key, NULL AS label,
             sum(i.total)::text AS amount, count(*)::int AS n
        FROM invoices i WHERE ${period}
       GROUP BY 2, 3`);
    return rows;
  }

  private async collected(db: Executor, c: ClinicRef, lo: string, hi: string, groupBy: ReportQuery['groupBy']): Promise<Sum[]> {
    const day = sql`to_char((p.received_at AT TIME ZONE ${c.timezone})::date, 'YYYY-MM-DD')`;
    // net of refunds, in the currency it settled (the invoice's; a deposit's own)
    const net = sql`p.applied_amount * (p.amount - p.refunded) / p.amount`;
    const period = sql`p.clinic_id = ${c.id} AND p.received_at >= ${lo}::timestamptz AND p.received_at < ${hi}::timestamptz`;
    if (groupBy === 'service' || groupBy === 'practitioner') {
      // a payment of an invoice is shared over its lines by their totals
      const key = groupBy === 'service' ? sql`l.kind` : sql`l.practitioner_id::text`;
      const { rows } = await db.execute<Sum>(sql`
        SELECT ${c.id}::text AS "clinicId", ${day} AS day, p.applied_currency AS currency, ${key} AS key, NULL AS label,
               sum(${net} * l.total / nullif(i.total, 0))::text AS amount, count(DISTINCT p.id)::int AS n
          FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN invoice_lines l ON l.invoice_id = i.id
         WHERE ${period}
         GROUP BY 2, 3, 4`);
      return rows;
    }
    const key = groupBy === 'method' ? sql`p.method` : sql`NULL`;
    const { rows } = await db.execute<Sum>(sql`
      SELECT ${c.id}::text AS "clinicId", ${day} AS day, p.applied_currency AS currency, ${key} AS key, NULL AS label,
             sum(${net})::text AS amount, count(*)::int AS n
        FROM payments p WHERE ${period}
       GROUP BY 2, 3, 4`);
    return rows;
  }

  async revenue(p: Principal, actor: AuditActor, q: ReportQuery): Promise<ReportOutput<RevenueReport>> {
    if (q.to < q.from) throw new InputError('VALIDATION_FAILED', 'to', 'is before `from`');
    if (DateTime.fromISO(q.to).diff(DateTime.fromISO(q.from), 'days').days > MAX_DAYS)
      throw new InputError('VALIDATION_FAILED', 'to', `a report covers at most ${MAX_DAYS} days`);
    const clinics = await this.clinics(p, q.consolidated);
    const groupBy = q.groupBy ?? 'day';
    const currency = q.currency ?? clinics.find((c) => c.id === p.clinicId)?.currency ?? clinics[0]!.currency;
    const convert = this.converter(this.db, currency);
    const rows = new Map<string, { key: string; label: string; invoiced: Money; collected: Money; count: number }>();
    let totalCount = 0;
    let totalInvoiced = new Money(0);
    const labels: Record<string, string> = {};
    const rowOf = (key: string, label: string) => {
      if (!rows.has(key)) rows.set(key, { key, label, invoiced: new Money(0), collected: new Money(0), count: 0 });
      return rows.get(key)!;
    };
    for (const c of clinics) {
      const { lo, hi } = this.bounds(c, q.from, q.to);
      const [inv, col] = [await this.invoiced(this.db, c, lo, hi, groupBy), await this.collected(this.db, c, lo, hi, groupBy)];
      const keyOf = (s: Sum) =>
        groupBy === 'day' ? s.day : groupBy === 'clinic' ? c.id : (s.key ?? (groupBy === 'practitioner' ? 'none' : 'other'));
      const labelOf = (s: Sum, k: string) =>
        groupBy === 'day' ? s.day : groupBy === 'clinic' ? c.name : (labels[k] ?? s.label ?? (k === 'none' ? '—' : k));
      for (const s of inv) {
        const value = await convert(money(s.amount), s.currency, this.dayEnd(c, s.day));
        totalInvoiced = totalInvoiced.plus(value);
        // payments have a method, invoices none: by method, only the total shows what was invoiced
        if (groupBy === 'method') continue;
        const k = keyOf(s);
        if (s.label) labels[k] = s.label;
        const r = rowOf(k, labelOf(s, k));
        r.invoiced = r.invoiced.plus(value);
        r.count += s.n;
      }
      totalCount += groupBy === 'service' || groupBy === 'practitioner' ? 0 : inv.reduce((n, s) => n + s.n, 0);
      if (groupBy === 'service' || groupBy === 'practitioner') {
        const { rows: n } = await this.db.execute<{ n: number }>(sql`
          SELECT count(*)::int AS n FROM invoices i WHERE i.clinic_id = ${c.id} AND i.issued_at >= ${lo}::timestamptz
             AND i.issued_at < ${hi}::timestamptz AND i.status <> 'void'`);
        totalCount += n[0]!.n;
      }
      for (const s of col) {
        const k = keyOf(s);
        const r = rowOf(k, labelOf(s, k));
        r.collected = r.collected.plus(await convert(money(s.amount ?? 0), s.currency, this.dayEnd(c, s.day)));
        if (groupBy === 'method') r.count += s.n;
      }
    }
    const sorted = [...rows.values()].sort((a, b) =>
      groupBy === 'day' ? a.key.localeCompare(b.key) : b.invoiced.plus(b.collected).comparedTo(a.invoiced.plus(a.collected)),
    );
    const report: RevenueReport = {
      from: q.from,
      to: q.to,
      groupBy,
      currency,
      clinics: clinics.map((c) => ({ id: c.id, name: c.name })),
      rows: sorted.map((r) => ({
        key: r.key,
        label: r.label,
        invoiced: moneyText(r.invoiced, currency),
        collected: moneyText(r.collected, currency),
        count: r.count,
      })),
      totals: {
        invoiced: moneyText(totalInvoiced, currency),
        collected: moneyText(
          sorted.reduce((a, r) => a.plus(r.collected), new Money(0)),
          currency,
        ),
        count: groupBy === 'method' ? sorted.reduce((n, r) => n + r.count, 0) : totalCount,
      },
    };
    await runAudited(this.db, actor, (tx) =>
      writeAudit(tx, actor, {
        action: 'report.revenue',
        resourceType: 'report',
        details: { from: q.from, to: q.to, groupBy, clinics: clinics.map((c) => c.id), format: q.format ?? 'json' },
      }),
    );
    const fr = p.locale?.startsWith('fr');
    const columns = fr
      ? [groupBy === 'day' ? 'Jour' : 'Groupe', `Facturé (${currency})`, `Encaissé (${currency})`, 'Nombre']
      : [groupBy === 'day' ? 'Day' : 'Group', `Invoiced (${currency})`, `Collected (${currency})`, 'Count'];
    const table = report.rows.map((r) => [r.label, r.invoiced, r.collected, String(r.count)]);
    const filename = `revenue-${q.from}-${q.to}-${groupBy}`;
    if (q.format === 'csv') return { kind: 'csv', body: stringify([columns, ...table]), filename: `${filename}.csv` };
    if (q.format === 'pdf')
      return {
        kind: 'pdf',
        filename: `${filename}.pdf`,
        body: await tablePdf({
          title: fr ? 'Chiffre d’affaires' : 'Revenue',
          subtitle: `${q.from} – ${q.to} · ${report.clinics.map((c) => c.name).join(', ')} · ${currency}`,
          columns,
          rows: [
            ...table,
            [fr ? 'Total' : 'Total', report.totals.invoiced, report.totals.collected, String(report.totals.count)],
          ],
          chart: report.rows.map((r) => ({ label: r.label, value: Number(r.invoiced) })),
          chartTitle: columns[1]!,
        }),
      };
    return { kind: 'json', body: report };
  }

  /**
   * The CTE `open`: the clinics' invoices with a balance at `at`, as it was then — issued by `at` (and
   * not yet void then), minus what payments received by `at` applied to them net of the refunds made
   * by `at`, minus the credit notes made by `at`; what happened later is left out. A refund's share
   * of the applied amount is taken as the payments service takes it (pro rata, rounded to the
   * invoice's currency; all of it once the payment is refunded in full). A deposit counts from when it
   * was received, not from when it was applied to the invoice (that moment is not recorded).
   */
  private async balancesOn(ids: string, at: Date): Promise<SQL> {
    const { rows } = await this.db.execute<{ c: string }>(
      sql`SELECT DISTINCT unnest(currencies) AS c FROM clinics WHERE id = ANY(${ids}::uuid[])`,
    );
    const scale = rows.length
      ? sql`CASE i.currency ${sql.join(
          rows.map((r) => sql`WHEN ${r.c} THEN ${minorUnits(r.c)}::int`),
          sql` `,
        )} ELSE 2 END`
      : sql`2`;
    const t = sql`${at.toISOString()}::timestamptz`;
    return sql`open AS (
      SELECT * FROM (
        SELECT i.id, i.number, i.clinic_id, i.patient_id, i.currency, i.due_date, i.issued_at,
               i.total
               - coalesce((SELECT sum(CASE WHEN r.refunded >= p.amount THEN 0
                                           ELSE p.applied_amount - round(p.applied_amount * r.refunded / p.amount, ${scale}) END)
                             FROM payments p
                             CROSS JOIN LATERAL (SELECT coalesce(sum(f.amount), 0) AS refunded FROM refunds f
                                                  WHERE f.payment_id = p.id AND f.created_at <= ${t}) r
                            WHERE p.invoice_id = i.id AND p.received_at <= ${t}), 0)
               - coalesce((SELECT sum(cn.amount) FROM credit_notes cn WHERE cn.invoice_id = i.id AND cn.created_at <= ${t}), 0)
                 AS balance
          FROM invoices i
         WHERE i.clinic_id = ANY(${ids}::uuid[]) AND i.number IS NOT NULL AND i.status <> 'draft'
           AND i.issued_at <= ${t} AND (i.status <> 'void' OR i.voided_at > ${t})) x
      WHERE balance > 0)`;
  }

  async aging(p: Principal, actor: AuditActor, q: AgingQuery): Promise<ReportOutput<AgingReport>> {
    const clinics = await this.clinics(p, q.consolidated);
    const currency = q.currency ?? clinics.find((c) => c.id === p.clinicId)?.currency ?? clinics[0]!.currency;
    const tz = clinics[0]!.timezone;
    const on = q.on ?? DateTime.now().setZone(tz).toISODate()!;
    const at = DateTime.fromISO(on, { zone: tz }).plus({ days: 1 }).startOf('day').minus({ milliseconds: 1 }).toJSDate();
    const convert = this.converter(this.db, currency);
    const ids = `{${clinics.map((c) => c.id).join(',')}}`;
    const open = await this.balancesOn(ids, at);
    const days = sql`greatest(0, ${on}::date - coalesce(i.due_date, (i.issued_at AT TIME ZONE c.timezone)::date))`;
    const bucket = sql`CASE WHEN ${days} <= 30 THEN '0-30' WHEN ${days} <= 60 THEN '31-60' WHEN ${days} <= 90 THEN '61-90' ELSE '90+' END`;
    const { rows: sums } = await this.db.execute<{
      bucket: AgingReport['buckets'][number]['bucket'];
      currency: string;
      amount: string;
      n: number;
    }>(sql`
      WITH ${open}
      SELECT ${bucket} AS bucket, i.currency, sum(i.balance)::text AS amount, count(*)::int AS n
        FROM open i JOIN clinics c ON c.id = i.clinic_id
       GROUP BY 1, 2`);
    const { rows: top } = await this.db.execute<{
      id: string;
      number: string;
      clinic: string;
      patientId: string;
      name: string;
      mrn: string;
      currency: string;
      balance: string;
      dueDate: string;
      days: number;
    }>(sql`
      WITH ${open}
      SELECT * FROM (
        SELECT i.id, i.number, c.name AS clinic, i.patient_id AS "patientId", pt.given_name || ' ' || pt.family_name AS name,
               pt.mrn, i.currency, i.balance::text AS balance,
               to_char(coalesce(i.due_date, (i.issued_at AT TIME ZONE c.timezone)::date), 'YYYY-MM-DD') AS "dueDate",
               ${days}::int AS days,
               row_number() OVER (PARTITION BY i.currency ORDER BY i.balance DESC) AS rn
          FROM open i JOIN clinics c ON c.id = i.clinic_id JOIN patients pt ON pt.id = i.patient_id) x
       WHERE rn <= 50`);
    const buckets = new Map<string, { amount: Money; invoices: number }>(
      (['0-30', '31-60', '61-90', '90+'] as const).map((b) => [b, { amount: new Money(0), invoices: 0 }]),
    );
    for (const s of sums) {
      const b = buckets.get(s.bucket)!;
      b.amount = b.amount.plus(await convert(money(s.amount), s.currency, at));
      b.invoices += s.n;
    }
    const invoices = await Promise.all(top.map(async (r) => ({ r, value: await convert(money(r.balance), r.currency, at) })));
    const largest = invoices
      .sort((a, b) => b.value.comparedTo(a.value))
      .slice(0, 50)
      .sort((a, b) => b.r.days - a.r.days || b.value.comparedTo(a.value));
    const report: AgingReport = {
      on,
      currency,
      buckets: [...buckets.entries()].map(([bucket, v]) => ({
        bucket: bucket as AgingReport['buckets'][number]['bucket'],
        amount: moneyText(v.amount, currency),
        invoices: v.invoices,
      })),
      invoices: largest.map(({ r, value }) => ({
        invoiceId: r.id,
        number: r.number,
        clinic: r.clinic,
        patient: { id: r.patientId, name: r.name, mrn: r.mrn },
        dueDate: r.dueDate,
        days: r.days,
        balance: moneyText(value, currency),
      })),
      total: moneyText(
        [...buckets.values()].reduce((a, b) => a.plus(b.amount), new Money(0)),
        currency,
      ),
    };
    await runAudited(this.db, actor, (tx) =>
      writeAudit(tx, actor, {
        action: 'report.aging',
        resourceType: 'report',
        details: { on, clinics: clinics.map((c) => c.id), format: q.format ?? 'json' },
      }),
    );
    const fr = p.locale?.startsWith('fr');
    const filename = `aging-${on}`;
    if (q.format === 'csv') {
      const head = fr
        ? ['Facture', 'Clinique', 'Patient', 'N° de dossier', 'Échéance', 'Jours', `Solde (${currency})`]
        : ['Invoice', 'Clinic', 'Patient', 'MRN', 'Due date', 'Days', `Balance (${currency})`];
      const rows = [
        ...report.buckets.map((b) => [b.bucket, '', '', '', '', String(b.invoices), b.amount]),
        head,
        ...report.invoices.map((i) => [i.number, i.clinic, i.patient.name, i.patient.mrn, i.dueDate, String(i.days), i.balance]),
      ];
      return { kind: 'csv', body: stringify(rows), filename: `${filename}.csv` };
    }
    if (q.format === 'pdf')
      return {
        kind: 'pdf',
        filename: `${filename}.pdf`,
        body: await tablePdf({
          title: fr ? 'Balance âgée' : 'Aging of receivables',
          subtitle: `${on} · ${clinics.map((c) => c.name).join(', ')} · ${currency} · ${fr ? 'total' : 'total'} ${report.total}`,
          columns: fr
            ? ['Facture', 'Clinique', 'Patient', 'Échéance', 'Jours', `Solde (${currency})`]
            : ['Invoice', 'Clinic', 'Patient', 'Due date', 'Days', `Balance (${currency})`],
          rows: report.invoices.map((i) => [
            i.number,
            i.clinic,
            `${i.patient.name} (${i.patient.mrn})`,
            i.dueDate,
            String(i.days),
            i.balance,
          ]),
          chart: report.buckets.map((b) => ({ label: b.bucket, value: Number(b.amount) })),
          chartTitle: fr ? `Solde par ancienneté (${currency})` : `Balance by age (${currency})`,
        }),
      };
    return { kind: 'json', body: report };
  }
}
