import type {
  BillingSettings,
  CreditNote,
  Discount,
  DiscountInput,
  Invoice,
  InvoiceCreate,
  InvoiceLine,
  InvoiceListQuery,
  InvoiceSummary,
  ItemKind,
  ManualLineInput,
  PriceItem,
  PriceItemInput,
  PriceItemUpdate,
  PriceListQuery,
  TaxRate,
  TaxRateInput,
} from '@sanita/contracts/billing';
import type { FastifyBaseLogger } from 'fastify';
import type { Principal } from '../../platform/access.ts';
import { auditInsert, auditRow, writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { denied, runAudited } from '../../platform/audit/audited.ts';
import type { Db, Executor, Tx } from '../../platform/db/database.ts';
import { pgError } from '../../platform/db/queries.ts';
import { nextDocumentNumber, type DocType } from '../../platform/document-numbers.ts';
import { Conflict, DomainError, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import { money, moneyText } from '../../platform/money.ts';
import { patientAtClinic, patientRefusal } from '../../platform/patient-access.ts';
import type { EventBus, Room } from '../../platform/realtime/events.ts';
import { randomUUID } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { invoicePdf } from './billing.pdf.ts';
import * as repo from './billing.repository.ts';
import { computeTotals, discountValue } from './billing.totals.ts';

/** The cashier's desk of a clinic: whoever holds billing:read there. */
export const billingRoom = (clinicId: string): Room => `billing:${clinicId}`;

/** 400 CURRENCY_NOT_ACCEPTED: the clinic does not take that currency. */
export class CurrencyNotAccepted extends DomainError {
  readonly status = 400;
  constructor(field: string, message: string) {
    super('CURRENCY_NOT_ACCEPTED', `${field}: ${message}`, [{ field, code: 'invalid', message }]);
  }
}

const stale = (version: number) =>
  new Conflict('This invoice was changed by someone else; reload it', 'STALE_VERSION', { current: version });
const invoiceState = (status: string, message: string) => new Conflict(message, 'INVOICE_STATE', { status });
const today = () => new Date().toISOString().slice(0, 10);

/** What a captured charge bills, before its price is looked up. */
interface Charge {
  kind: ItemKind;
  code: string;
  /** when no price-list entry names it */
  fallbackName: string;
  fallbackNameFr: string | null;
  source: 'encounter' | 'lab_order' | 'dispense';
  sourceId: string;
  sourceKey: string;
  serviceDate: string;
  practitionerId: string | null;
  quantity: string;
}

/** Where captured charges go: the patient's open draft at the clinic. */
interface CaptureTarget {
  clinicId: string;
  patientId: string;
  visitId: string | null;
  encounterId: string | null;
}

export interface ClaimableLine {
  id: string;
  kind: ItemKind;
  code: string;
  procedureCode: string | null;
  description: string;
  quantity: string;
  total: string;
  serviceDate: string;
  practitionerId: string | null;
}

type Changed = repo.InvoiceRef;

/**
 * A change that numbers a document (INV, CN): `change` takes the number last, after the audit
 * details and the invoice's view are ready, and writes it with the audit row in one statement, so
 * that the clinic's counter row is locked for that statement and the commit only.
 */
interface Numbered {
  docType: Extract<DocType, 'INV' | 'CN'>;
  at: Date;
  /** the one statement writing the number, with `audit` (an INSERT INTO audit_log) */
  write: (tx: Tx, number: string, audit: SQL) => Promise<void>;
  /** the invoice as read before the number, with it */
  patch: (inv: Invoice, number: string) => Invoice;
}

/**
 * Prices, taxes and settings per clinic; charges captured inside the clinical transactions; invoices
 * with their totals, discounts, void and credit notes. Payments and claims use the service API at
 * the top (`lockInvoice`, `applyPaid`, `read`, `claimableLines`, `setInsurerShare`, `publishChanged`).
 */
export class BillingService {
  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly log?: FastifyBaseLogger,
  ) {}

  // ================================================================== the API of payments and claims

  /** The invoice, locked (SELECT … FOR UPDATE) for the rest of the caller's transaction; null when unknown. */
  async lockInvoice(tx: Tx, invoiceId: string): Promise<repo.LockedInvoice | null> {
    return (await repo.lockInvoice(tx, invoiceId)) ?? null;
  }

  /**
   * Moves what was paid on an issued invoice by `delta` (negative: a refund) and its status with the
   * balance (issued ↔ partially_paid ↔ paid); the version moves on. Lock the invoice first.
   */
  async applyPaid(tx: Tx, invoiceId: string, delta: string): Promise<void> {
    const inv = await repo.lockInvoice(tx, invoiceId);
    if (!inv) throw new NotFound('Invoice not found');
    if (!['issued', 'partially_paid', 'paid'].includes(inv.status))
      throw invoiceState(inv.status, `The invoice is ${inv.status}: it takes no payment`);
    const paid = money(inv.paid).plus(delta);
    if (paid.isNegative()) throw new Conflict('More would be refunded than was paid', 'INVOICE_STATE', { status: inv.status });
    await repo.setPaid(tx, invoiceId, moneyText(paid, inv.currency), this.statusFor(inv.total, paid.toString(), inv.credited));
  }

  /** The contract's Invoice with its lines, discounts and credit notes (no access check, no audit: the caller does both). */
  async read(tx: Executor, invoiceId: string): Promise<Invoice> {
    const row = await repo.invoiceById(tx, invoiceId);
    if (!row) throw new NotFound('Invoice not found');
    // one after the other: a transaction is one connection
    const lines = await repo.lines(tx, invoiceId);
    const discounts = await repo.discounts(tx, invoiceId);
    const credits = await repo.credits(tx, invoiceId);
    return {
      ...this.summary(row),
      lines: lines.map((l) => this.line(l, row.currency)),
      discounts: discounts.map((d) => this.discount(d, row.currency)),
      creditNotes: credits.map((c) => this.credit(c, row.currency)),
    };
  }

  /** The lines a claim can carry: priced lines of an issued (or paid) invoice, with their procedure codes. */
  async claimableLines(tx: Executor, invoiceId: string): Promise<ClaimableLine[]> {
    const currency = await repo.invoiceCurrency(tx, invoiceId);
    if (!currency) return [];
    const lines = await repo.lines(tx, invoiceId);
    return lines
      .filter((l) => l.unitPrice !== null && money(l.total).greaterThan(0))
      .map((l) => ({
        id: l.id,
        kind: l.kind,
        code: l.code,
        procedureCode: l.procedureCode,
        description: l.description,
        quantity: money(l.quantity).toString(),
        total: moneyText(l.total, currency),
        serviceDate: l.serviceDate,
        practitionerId: l.practitionerId,
      }));
  }

  /** The part the payer is expected to pay; the patient's share is the rest of the total. */
  async setInsurerShare(tx: Tx, invoiceId: string, insurerShare: string): Promise<void> {
    const inv = await repo.lockInvoice(tx, invoiceId);
    if (!inv) throw new NotFound('Invoice not found');
    let share = money(insurerShare);
    if (share.isNegative()) share = money(0);
    if (share.greaterThan(inv.total)) share = money(inv.total);
    await repo.setInsurerShare(
      tx,
      invoiceId,
      moneyText(share, inv.currency),
      moneyText(money(inv.total).minus(share), inv.currency),
    );
  }

  /** Announces a change to the clinic's cashier desk, after the commit: a row, or an invoice id (read again). */
  async publishChanged(invoice: string | Changed): Promise<void> {
    const row = typeof invoice === 'string' ? await repo.invoiceRef(this.db, invoice) : invoice;
    if (!row) return;
    this.events.publish(
      'invoice.changed',
      { invoiceId: row.id, patientId: row.patientId, clinicId: row.clinicId, status: row.status },
      [billingRoom(row.clinicId)],
    );
  }

  /** issued / partially_paid / paid from what is left to pay. */
  private statusFor(total: string, paid: string, credited: string): 'issued' | 'partially_paid' | 'paid' {
    const balance = money(total).minus(paid).minus(credited);
    if (!balance.greaterThan(0)) return 'paid';
    return money(paid).greaterThan(0) ? 'partially_paid' : 'issued';
  }

  // ================================================================== capture

  /** A finished encounter: one consultation line (the appointment's visit type, else CONSULT-<type>). */
  async captureEncounter(tx: Tx, encounterId: string): Promise<void> {
    await this.safely(tx, 'encounter', encounterId, async (sp) => {
      const e = await repo.encounterToBill(sp, encounterId);
      if (!e) return;
      const type = e.type;
      await this.capture(sp, { clinicId: e.clinicId, patientId: e.patientId, visitId: e.visitId, encounterId }, [
        {
          kind: 'consultation',
          code: e.code ?? `CONSULT-${type}`,
          fallbackName: e.vtName ? `Consultation: ${e.vtName}` : `Consultation (${type})`,
          fallbackNameFr: e.vtNameFr ? `Consultation : ${e.vtNameFr}` : `Consultation (${type})`,
          source: 'encounter',
          sourceId: encounterId,
          sourceKey: `encounter:${encounterId}`,
          serviceDate: e.day,
          practitionerId: e.practitionerId,
          quantity: '1',
        },
      ]);
    });
  }

  /** A lab order: one line per ordered test or panel (the lab catalogue's code). */
  async captureLabOrder(tx: Tx, orderId: string): Promise<void> {
    await this.safely(tx, 'lab_order', orderId, async (sp) => {
      const items = await repo.labOrderToBill(sp, orderId);
      const first = items[0];
      if (!first) return;
      await this.capture(
        sp,
        { clinicId: first.clinicId, patientId: first.patientId, visitId: first.visitId, encounterId: first.encounterId },
        items.map((i) => ({
          kind: 'lab_test',
          code: i.code,
          fallbackName: i.name,
          fallbackNameFr: i.nameFr,
          source: 'lab_order',
          sourceId: orderId,
          sourceKey: `lab_order_item:${i.itemId}`,
          serviceDate: i.day,
          practitionerId: i.practitionerId,
          quantity: '1',
        })),
      );
    });
  }

  /**
   * A cancelled lab order: its lines (`lab_order_item:<id>`) come off the patient's draft, whose
   * totals are recomputed. A line already on an issued invoice stays: the invoice is a document
   * given to the patient, and what it billed for the cancelled test is taken back with a credit note.
   */
  async releaseLabOrder(tx: Tx, orderId: string): Promise<void> {
    await this.safely(tx, 'lab_order.cancel', orderId, async (sp) => {
      for (const draft of await repo.draftsBillingLabOrder(sp, orderId)) {
        const inv = await repo.lockInvoice(sp, draft);
        // issued meanwhile (the lock waited for it): the invoice keeps the line
        if (!inv || inv.status !== 'draft') continue;
        if (await repo.deleteLabOrderLines(sp, draft, orderId)) await this.recompute(sp, draft, inv.currency);
      }
    });
  }

  /** A dispense: one line per dispensed product (the formulary item's code; quantity = units). */
  async captureDispense(tx: Tx, dispenseId: string): Promise<void> {
    await this.safely(tx, 'dispense', dispenseId, async (sp) => {
      const lines = await repo.dispenseToBill(sp, dispenseId);
      const first = lines[0];
      if (!first) return;
      await this.capture(
        sp,
        { clinicId: first.clinicId, patientId: first.patientId, visitId: first.visitId, encounterId: first.encounterId },
        lines.map((l) => ({
          kind: 'medication',
          code: l.code,
          fallbackName: l.name,
          fallbackNameFr: null,
          source: 'dispense',
          sourceId: dispenseId,
          sourceKey: `dispense_line:${l.lineId}`,
          serviceDate: l.day,
          practitionerId: l.practitionerId,
          quantity: String(l.quantity),
        })),
      );
    });
  }

  /**
   * Runs a capture in a savepoint of the clinical transaction: a database error fails the clinical
   * action (its charges must not be lost), any other failure is logged and leaves the action alone.
   */
  private async safely(tx: Tx, what: string, id: string, fn: (sp: Tx) => Promise<void>): Promise<void> {
    try {
      await tx.transaction(fn);
    } catch (err) {
      if (pgError(err)) throw err;
      this.log?.error({ err, what, id }, 'billing: charge capture failed');
    }
  }

  /** Adds the charges not yet billed to the patient's draft at the clinic (created when missing), priced from the price list. */
  private async capture(tx: Tx, target: CaptureTarget, charges: Charge[]): Promise<string | null> {
    const billed = await repo.billedKeys(
      tx,
      charges.map((c) => c.sourceKey),
    );
    const todo = charges.filter((c) => !billed.has(c.sourceKey));
    if (!todo.length) return null;
    const settings = (await repo.settings(tx, target.clinicId))!;
    const draft = await repo.openDraft(tx, {
      ...target,
      currency: settings.defaultCurrency,
      userId: null,
    });
    const inv = (await repo.lockInvoice(tx, draft.id))!;
    if (draft.created === false && target.encounterId)
      await repo.attachEncounter(tx, draft.id, target.encounterId, target.visitId);
    let added = 0;
    for (const c of todo) {
      const price = await repo.priceOn(tx, target.clinicId, c.kind, c.code, inv.currency, c.serviceDate);
      const id = await repo.insertLine(
        tx,
        draft.id,
        {
          kind: c.kind,
          code: c.code,
          description: price?.name ?? c.fallbackName,
          descriptionFr: price ? price.nameFr : c.fallbackNameFr,
          source: c.source,
          sourceId: c.sourceId,
          sourceKey: c.sourceKey,
          priceItemId: price?.id ?? null,
          serviceDate: c.serviceDate,
          practitionerId: c.practitionerId,
          procedureCode: price?.procedureCode ?? null,
          quantity: c.quantity,
          unitPrice: price?.unitPrice ?? null,
          taxCategory: price?.taxCategory ?? null,
          taxRate: await repo.taxRateOn(tx, target.clinicId, price?.taxCategory ?? null, c.serviceDate),
        },
        null,
      );
      if (id) added++;
    }
    if (added) await this.recompute(tx, draft.id, inv.currency);
    return draft.id;
  }

  /** Recomputes the lines' and the invoice's totals from its lines and applied discounts; the version moves on. */
  async recompute(tx: Tx, invoiceId: string, currency: string): Promise<void> {
    const lines = await repo.lines(tx, invoiceId);
    const ds = (await repo.discounts(tx, invoiceId)).filter((d) => d.status === 'applied' || d.status === 'approved');
    const t = computeTotals(lines, ds, currency);
    for (const l of t.lines) {
      const before = lines.find((x) => x.id === l.id)!;
      if (
        money(before.amount).eq(l.amount) &&
        money(before.discount).eq(l.discount) &&
        money(before.tax).eq(l.tax) &&
        money(before.total).eq(l.total)
      )
        continue;
      await repo.setLineTotals(tx, l);
    }
    await repo.setInvoiceTotals(tx, invoiceId, t);
  }

  /** After the commit of a clinical action that may have captured charges: the patient's draft changed. */
  async announceDraft(clinicId: string, patientId: string): Promise<void> {
    const row = await repo.draftRef(this.db, clinicId, patientId);
    if (row) await this.publishChanged(row);
  }

  // ================================================================== access

  private clinic(p: Principal, permission = 'billing:read'): string {
    if (!p.clinicId || !p.permissions.has(permission)) throw new Forbidden();
    return p.clinicId;
  }

  /** The invoice at the active clinic, locked when `lock`; another clinic's (or none) is a 404 audited as `action` denied. */
  private async invoiceAt(tx: Tx, p: Principal, id: string, action: string, lock: boolean): Promise<repo.LockedInvoice> {
    const inv = lock ? await repo.lockInvoice(tx, id) : await repo.invoiceHead(tx, id);
    if (!inv || inv.clinicId !== p.clinicId)
      throw denied(new NotFound('Invoice not found'), action, { type: 'invoice', id }, inv?.patientId ?? null);
    return inv;
  }

  private need(p: Principal, permission: string, action: string, inv: { id: string; patientId: string }): void {
    if (!p.permissions.has(permission)) throw denied(new Forbidden(), action, { type: 'invoice', id: inv.id }, inv.patientId);
  }

  /** A change to an invoice: locked, at the active clinic, the permission held, the version the caller read. */
  private async change<T>(
    p: Principal,
    actor: AuditActor,
    id: string,
    action: string,
    permission: string,
    version: number | null,
    fn: (tx: Tx, inv: repo.LockedInvoice) => Promise<{ details?: Record<string, unknown>; result?: T; numbered?: Numbered }>,
  ): Promise<Invoice> {
    // the permission first (403, nothing read), then the invoice at the active clinic (404, audited)
    this.clinic(p, permission);
    const out = await runAudited(this.db, actor, async (tx) => {
      const inv = await this.invoiceAt(tx, p, id, action, true);
      if (version !== null && inv.version !== version) throw stale(inv.version);
      const { details, numbered } = await fn(tx, inv);
      const entry = { action, patientId: inv.patientId, resourceType: 'invoice', resourceId: id, details };
      if (!numbered) {
        await writeAudit(tx, actor, entry);
        return this.read(tx, id);
      }
      const view = await this.read(tx, id);
      // last: the counter row stays locked until the commit
      const number = await nextDocumentNumber(tx, inv.clinicId, numbered.docType, numbered.at);
      await numbered.write(tx, number, auditInsert(auditRow(actor, { ...entry, details: { ...details, number } })));
      return numbered.patch(view, number);
    });
    await this.publishChanged({ id: out.id, patientId: out.patient.id, clinicId: out.clinicId, status: out.status });
    return out;
  }

  // ================================================================== price list, taxes, settings

  async listPrices(p: Principal, q: PriceListQuery): Promise<{ data: PriceItem[]; total: number }> {
    const clinicId = this.clinic(p);
    const on = q.on ?? (await repo.localDate(this.db, clinicId));
    const { data, total } = await repo.searchPrices(this.db, clinicId, {
      q: q.q,
      kind: q.kind,
      currency: q.currency,
      on,
      all: q.all ?? false,
      limit: q.limit ?? 50,
      offset: q.offset ?? 0,
    });
    return { data: data.map((r) => this.price(r)), total };
  }

  async createPrice(p: Principal, actor: AuditActor, input: PriceItemInput): Promise<PriceItem> {
    const clinicId = this.clinic(p, 'billing:manage');
    return runAudited(this.db, actor, async (tx) => {
      const w = await this.priceWrite(tx, clinicId, input, null, null);
      const id = await repo.insertPrice(tx, w, p.userId);
      await writeAudit(tx, actor, {
        action: 'billing.price.create',
        resourceType: 'price_item',
        resourceId: id,
        details: { ...w },
      });
      return this.price((await repo.priceById(tx, id))!);
    });
  }

  async updatePrice(p: Principal, actor: AuditActor, id: string, input: PriceItemUpdate): Promise<PriceItem> {
    const clinicId = this.clinic(p, 'billing:manage');
    return runAudited(this.db, actor, async (tx) => {
      const cur = await repo.priceById(tx, id, true);
      if (!cur || cur.clinicId !== clinicId) throw new NotFound('Price not found');
      if (cur.version !== input.version)
        throw new Conflict('This price was changed by someone else; reload it', 'STALE_VERSION', { current: cur.version });
      const merged: PriceItemInput = {
        kind: input.kind ?? cur.kind,
        code: input.code ?? cur.code,
        name: input.name ?? cur.name,
        nameFr: input.nameFr !== undefined ? input.nameFr : cur.nameFr,
        taxCategory: input.taxCategory !== undefined ? input.taxCategory : cur.taxCategory,
        procedureCode: input.procedureCode !== undefined ? input.procedureCode : cur.procedureCode,
        currency: input.currency ?? cur.currency,
        unitPrice: input.unitPrice ?? cur.unitPrice,
        effectiveFrom: input.effectiveFrom ?? cur.effectiveFrom,
        effectiveTo: input.effectiveTo !== undefined ? input.effectiveTo : cur.effectiveTo,
      };
      const w = await this.priceWrite(tx, clinicId, merged, id, input.active ?? cur.active);
      await repo.updatePrice(tx, id, w);
      await writeAudit(tx, actor, {
        action: 'billing.price.update',
        resourceType: 'price_item',
        resourceId: id,
        details: {
          before: { unitPrice: cur.unitPrice, effectiveFrom: cur.effectiveFrom, effectiveTo: cur.effectiveTo },
          after: { ...w },
        },
      });
      return this.price((await repo.priceById(tx, id))!);
    });
  }

  /** Checks a price entry (currency the clinic takes, dates, no overlap) and makes its row. */
  private async priceWrite(
    tx: Tx,
    clinicId: string,
    input: PriceItemInput,
    exceptId: string | null,
    active: boolean | null,
  ): Promise<repo.PriceWrite> {
    const clinic = (await repo.clinic(tx, clinicId))!;
    if (!clinic.currencies.includes(input.currency))
      throw new CurrencyNotAccepted('currency', `the clinic takes ${clinic.currencies.join(', ')}`);
    const to = input.effectiveTo ?? null;
    if (to !== null && to <= input.effectiveFrom)
      throw new Invalid([{ field: 'effectiveTo', code: 'minimum', message: 'must be after effectiveFrom' }]);
    const unitPrice = moneyText(input.unitPrice, input.currency);
    const w: repo.PriceWrite = {
      clinicId,
      kind: input.kind,
      code: input.code.trim(),
      name: input.name.trim(),
      nameFr: input.nameFr?.trim() || null,
      taxCategory: input.taxCategory?.trim() || null,
      procedureCode: input.procedureCode?.trim() || null,
      currency: input.currency,
      unitPrice,
      effectiveFrom: input.effectiveFrom,
      effectiveTo: to,
      active: active ?? true,
    };
    if (w.active) {
      await repo.lockPriceKey(tx, clinicId, w.kind, w.code, w.currency);
      const other = await repo.priceOverlap(tx, w, exceptId);
      if (other)
        throw new Conflict('Another price for this item and currency covers these dates', 'PRICE_OVERLAP', {
          priceItemId: other.id,
        });
    }
    return w;
  }

  async listTaxRates(p: Principal): Promise<{ data: TaxRate[] }> {
    const clinicId = this.clinic(p);
    return { data: (await repo.taxRates(this.db, clinicId)).map((t) => this.tax(t)) };
  }

  async createTaxRate(p: Principal, actor: AuditActor, input: TaxRateInput): Promise<TaxRate> {
    const clinicId = this.clinic(p, 'billing:manage');
    return runAudited(this.db, actor, async (tx) => {
      const to = input.effectiveTo ?? null;
      if (to !== null && to <= input.effectiveFrom)
        throw new Invalid([{ field: 'effectiveTo', code: 'minimum', message: 'must be after effectiveFrom' }]);
      const category = input.category.trim().toLowerCase();
      await repo.lockTaxCategory(tx, clinicId, category);
      const other = await repo.taxOverlap(tx, clinicId, category, input.effectiveFrom, to);
      if (other) throw new Conflict('Another rate of this category covers these dates', 'PRICE_OVERLAP', { taxRateId: other.id });
      const id = await repo.insertTaxRate(
        tx,
        { clinicId, category, name: input.name.trim(), rate: input.rate, effectiveFrom: input.effectiveFrom, effectiveTo: to },
        p.userId,
      );
      await writeAudit(tx, actor, {
        action: 'billing.tax_rate.create',
        resourceType: 'tax_rate',
        resourceId: id,
        details: { category, rate: input.rate },
      });
      return this.tax((await repo.taxRateById(tx, id))!);
    });
  }

  async getSettings(p: Principal): Promise<BillingSettings> {
    return this.settingsOut((await repo.settings(this.db, this.clinic(p)))!);
  }

  async updateSettings(
    p: Principal,
    actor: AuditActor,
    input: { defaultCurrency?: string; discountApprovalPercent?: string; paymentTermsDays?: number },
  ): Promise<BillingSettings> {
    const clinicId = this.clinic(p, 'billing:manage');
    return runAudited(this.db, actor, async (tx) => {
      const cur = (await repo.settings(tx, clinicId))!;
      const clinic = (await repo.clinic(tx, clinicId))!;
      if (input.defaultCurrency && !clinic.currencies.includes(input.defaultCurrency))
        throw new CurrencyNotAccepted('defaultCurrency', `the clinic takes ${clinic.currencies.join(', ')}`);
      const next: repo.SettingsRow = {
        clinicId,
        defaultCurrency: input.defaultCurrency ?? cur.defaultCurrency,
        discountApprovalPercent: input.discountApprovalPercent ?? cur.discountApprovalPercent,
        paymentTermsDays: input.paymentTermsDays ?? cur.paymentTermsDays,
      };
      await repo.upsertSettings(tx, next);
      await writeAudit(tx, actor, {
        action: 'billing.settings.update',
        resourceType: 'clinic',
        resourceId: clinicId,
        details: { ...next },
      });
      return this.settingsOut((await repo.settings(tx, clinicId))!);
    });
  }

  // ================================================================== invoices

  /** The active clinic's invoices, newest first; audited with the patients listed. */
  async list(p: Principal, actor: AuditActor, q: InvoiceListQuery): Promise<{ data: InvoiceSummary[]; total: number }> {
    const clinicId = this.clinic(p);
    return runAudited(this.db, actor, async (tx) => {
      const { data, total } = await repo.listInvoices(tx, clinicId, { ...q, limit: q.limit ?? 50, offset: q.offset ?? 0 });
      await writeAudit(tx, actor, {
        action: 'invoice.list',
        patientId: q.patientId ?? null,
        resourceType: 'clinic',
        resourceId: clinicId,
        details: { invoiceIds: data.map((r) => r.id), patientIds: [...new Set(data.map((r) => r.patientId))] },
      });
      return { data: data.map((r) => this.summary(r)), total };
    });
  }

  async get(p: Principal, actor: AuditActor, id: string): Promise<Invoice> {
    this.clinic(p);
    return runAudited(this.db, actor, async (tx) => {
      const inv = await this.invoiceAt(tx, p, id, 'invoice.read', false);
      await writeAudit(tx, actor, { action: 'invoice.read', patientId: inv.patientId, resourceType: 'invoice', resourceId: id });
      return this.read(tx, id);
    });
  }

  /** Opens the patient's draft at the active clinic, or returns the one already open. */
  async open(p: Principal, actor: AuditActor, input: InvoiceCreate): Promise<{ invoice: Invoice; created: boolean }> {
    const clinicId = this.clinic(p, 'billing:write');
    const out = await runAudited(this.db, actor, async (tx) => {
      const pat = await patientAtClinic(tx, input.patientId, clinicId);
      if (!pat.linked) throw patientRefusal('hidden', input.patientId, pat.exists, 'invoice.open');
      const clinic = (await repo.clinic(tx, clinicId))!;
      if (input.currency && !clinic.currencies.includes(input.currency))
        throw new CurrencyNotAccepted('currency', `the clinic takes ${clinic.currencies.join(', ')}`);
      if (input.visitId) {
        if (!(await repo.isVisitOf(tx, input.visitId, input.patientId, clinicId)))
          throw new Invalid([{ field: 'visitId', code: 'invalid', message: 'is not a visit of this patient at this clinic' }]);
      }
      const settings = (await repo.settings(tx, clinicId))!;
      const draft = await repo.openDraft(tx, {
        clinicId,
        patientId: input.patientId,
        currency: input.currency ?? settings.defaultCurrency,
        visitId: input.visitId ?? null,
        encounterId: null,
        userId: p.userId,
      });
      await writeAudit(tx, actor, {
        action: draft.created ? 'invoice.open' : 'invoice.read',
        patientId: input.patientId,
        resourceType: 'invoice',
        resourceId: draft.id,
      });
      return { invoice: await this.read(tx, draft.id), created: draft.created };
    });
    if (out.created)
      await this.publishChanged({ id: out.invoice.id, patientId: out.invoice.patient.id, clinicId, status: 'draft' });
    return out;
  }

  /** A manual line on a draft: from a price-list entry (its price on the service date) or free. */
  async addLine(p: Principal, actor: AuditActor, id: string, input: ManualLineInput): Promise<Invoice> {
    return this.change(p, actor, id, 'invoice.line.add', 'billing:write', input.version, async (tx, inv) => {
      if (inv.status !== 'draft') throw invoiceState(inv.status, `The invoice is ${inv.status}: lines are added to a draft`);
      const serviceDate = input.serviceDate ?? (await repo.localDate(tx, inv.clinicId));
      let line: repo.NewLine;
      if (input.priceItemId) {
        const item = await repo.priceById(tx, input.priceItemId);
        if (!item || item.clinicId !== inv.clinicId)
          throw new Invalid([{ field: 'priceItemId', code: 'invalid', message: "is not an entry of this clinic's price list" }]);
        const inForce = (await repo.priceOn(tx, inv.clinicId, item.kind, item.code, inv.currency, serviceDate)) ?? null;
        if (!inForce)
          throw new Invalid([
            { field: 'priceItemId', code: 'invalid', message: `has no price in ${inv.currency} on ${serviceDate}` },
          ]);
        line = {
          kind: inForce.kind,
          code: inForce.code,
          description: input.description?.trim() || inForce.name,
          descriptionFr: input.description ? null : inForce.nameFr,
          source: 'manual',
          sourceId: null,
          sourceKey: null,
          priceItemId: inForce.id,
          serviceDate,
          practitionerId: null,
          procedureCode: inForce.procedureCode,
          quantity: input.quantity,
          unitPrice: inForce.unitPrice,
          taxCategory: inForce.taxCategory,
          taxRate: await repo.taxRateOn(tx, inv.clinicId, inForce.taxCategory, serviceDate),
        };
      } else {
        const issues = (['kind', 'description', 'unitPrice'] as const)
          .filter((f) => input[f] === undefined)
          .map((f) => ({ field: f, code: 'required' as const, message: 'is required for a line without a price-list entry' }));
        if (issues.length) throw new Invalid(issues);
        const taxCategory = input.taxCategory?.trim().toLowerCase() || null;
        line = {
          kind: input.kind!,
          code: input.code?.trim() || 'MANUAL',
          description: input.description!.trim(),
          descriptionFr: null,
          source: 'manual',
          sourceId: null,
          sourceKey: null,
          priceItemId: null,
          serviceDate,
          practitionerId: null,
          procedureCode: null,
          quantity: input.quantity,
          unitPrice: moneyText(input.unitPrice!, inv.currency),
          taxCategory,
          taxRate: await repo.taxRateOn(tx, inv.clinicId, taxCategory, serviceDate),
        };
      }
      if (money(line.quantity).lessThanOrEqualTo(0))
        throw new Invalid([{ field: 'quantity', code: 'minimum', message: 'must be more than 0' }]);
      const lineId = await repo.insertLine(tx, id, line, p.userId);
      await this.recompute(tx, id, inv.currency);
      return { details: { lineId, code: line.code, quantity: line.quantity, unitPrice: line.unitPrice } };
    });
  }

  /** Prices a line captured without a price. */
  async priceLine(
    p: Principal,
    actor: AuditActor,
    id: string,
    lineId: string,
    input: { unitPrice: string; version: number },
  ): Promise<Invoice> {
    return this.change(p, actor, id, 'invoice.line.price', 'billing:write', input.version, async (tx, inv) => {
      if (inv.status !== 'draft') throw invoiceState(inv.status, `The invoice is ${inv.status}: only a draft's lines are priced`);
      const line = await repo.lineOf(tx, id, lineId);
      if (!line) throw new NotFound('Line not found');
      if (line.unitPrice !== null) throw invoiceState(inv.status, 'This line is already priced from the price list');
      const unitPrice = moneyText(input.unitPrice, inv.currency);
      await repo.setLineUnitPrice(tx, lineId, unitPrice);
      await this.recompute(tx, id, inv.currency);
      return { details: { lineId, unitPrice } };
    });
  }

  /** Removes a manual line of a draft (captured lines stay: their source happened). */
  async deleteLine(p: Principal, actor: AuditActor, id: string, lineId: string, version: number): Promise<Invoice> {
    return this.change(p, actor, id, 'invoice.line.delete', 'billing:write', version, async (tx, inv) => {
      if (inv.status !== 'draft') throw invoiceState(inv.status, `The invoice is ${inv.status}: lines are removed from a draft`);
      const line = await repo.lineOf(tx, id, lineId);
      if (!line) throw new NotFound('Line not found');
      if (line.source !== 'manual') throw invoiceState(inv.status, 'A captured charge cannot be removed; credit it after issue');
      await repo.deleteLine(tx, lineId);
      await this.recompute(tx, id, inv.currency);
      return { details: { lineId, code: line.code, total: line.total } };
    });
  }

  /** Issues a draft: every line priced, no discount waiting; numbered INV-… (gapless), due after the clinic's terms. */
  async issue(p: Principal, actor: AuditActor, id: string, version: number): Promise<Invoice> {
    return this.change(p, actor, id, 'invoice.issue', 'billing:write', version, async (tx, inv) => {
      if (inv.status !== 'draft') throw invoiceState(inv.status, `The invoice is already ${inv.status}`);
      const counts = await repo.lineCounts(tx, id);
      if (!counts.lines) throw invoiceState(inv.status, 'An invoice without lines cannot be issued');
      if (counts.unpriced)
        throw new Conflict(`${counts.unpriced} line(s) have no price: price them first`, 'INVOICE_UNPRICED', {
          unpriced: counts.unpriced,
        });
      const pending = await repo.pendingDiscount(tx, id);
      if (pending) throw new Conflict('A discount waits for approval', 'DISCOUNT_APPROVAL_REQUIRED', { requestId: pending.id });
      const settings = (await repo.settings(tx, inv.clinicId))!;
      const now = new Date();
      const day = await repo.localDate(tx, inv.clinicId, now);
      const fresh = (await repo.lockInvoice(tx, id))!;
      const status = money(fresh.total).isZero() ? 'paid' : 'issued';
      // the number comes last, in `change`
      await repo.markIssued(tx, id, { status, at: now, by: p.userId, day, termsDays: settings.paymentTermsDays });
      return {
        details: { total: fresh.total, currency: fresh.currency },
        numbered: {
          docType: 'INV',
          at: now,
          write: (t, number, audit) => repo.numberInvoice(t, id, number, audit),
          patch: (view, number) => ({ ...view, number }),
        },
      };
    });
  }

  /**
   * A discount on a draft: up to the clinic's threshold (as a share of the subtotal) it applies at
   * once (billing:write); above, it needs invoices:discount and waits for a second person's decision.
   */
  async requestDiscount(
    p: Principal,
    actor: AuditActor,
    id: string,
    input: DiscountInput,
  ): Promise<{ invoice: Invoice; pending: boolean }> {
    if ((input.percent === undefined) === (input.amount === undefined))
      throw new Invalid([{ field: 'percent', code: 'anyOf', message: 'give either a percent or an amount' }]);
    let pending = false;
    const invoice = await this.change(
      p,
      actor,
      id,
      'invoice.discount.request',
      'billing:write',
      input.version,
      async (tx, inv) => {
        if (inv.status !== 'draft')
          throw invoiceState(inv.status, `The invoice is ${inv.status}: discounts are given on a draft`);
        const sub = (await repo.subtotalOf(tx, id))!;
        const value = discountValue({ percent: input.percent ?? null, amount: input.amount ?? null }, sub.subtotal, inv.currency);
        if (money(value).greaterThan(money(sub.subtotal).minus(sub.discountTotal)))
          throw new Invalid([
            { field: input.amount ? 'amount' : 'percent', code: 'maximum', message: 'is more than what is left to discount' },
          ]);
        if (money(value).isZero())
          throw new Invalid([{ field: input.amount ? 'amount' : 'percent', code: 'minimum', message: 'must be more than 0' }]);
        // the share of the subtotal all discounts would take together
        const share = money(sub.discountTotal).plus(value).times(100).dividedBy(sub.subtotal);
        const settings = (await repo.settings(tx, inv.clinicId))!;
        pending = share.greaterThan(settings.discountApprovalPercent);
        if (pending) this.need(p, 'invoices:discount', 'invoice.discount.request', inv);
        const discountId = await repo.insertDiscount(tx, {
          invoiceId: id,
          percent: input.percent ?? null,
          amount: input.amount !== undefined ? moneyText(input.amount, inv.currency) : null,
          reason: input.reason.trim(),
          status: pending ? 'pending' : 'applied',
          userId: p.userId,
        });
        if (pending) await repo.bumpVersion(tx, id);
        else await this.recompute(tx, id, inv.currency);
        return {
          details: {
            discountId,
            percent: input.percent ?? null,
            amount: input.amount ?? null,
            value,
            share: share.toFixed(3),
            threshold: settings.discountApprovalPercent,
            status: pending ? 'pending' : 'applied',
            reason: input.reason,
          },
        };
      },
    );
    return { invoice, pending };
  }

  /** A second person with invoices:discount approves or rejects a pending discount (never its requester). */
  async decideDiscount(
    p: Principal,
    actor: AuditActor,
    id: string,
    discountId: string,
    input: { approve: boolean; note?: string | null },
  ): Promise<Invoice> {
    return this.change(p, actor, id, 'invoice.discount.decide', 'invoices:discount', null, async (tx, inv) => {
      const d = await repo.lockDiscount(tx, id, discountId);
      if (!d) throw new NotFound('Discount not found');
      if (d.status !== 'pending') throw invoiceState(inv.status, `This discount is already ${d.status}`);
      if (inv.status !== 'draft')
        throw invoiceState(inv.status, `The invoice is ${inv.status}: discounts are decided on a draft`);
      if (d.requestedBy === p.userId)
        throw new Conflict('You asked for this discount: someone else must decide', 'DISCOUNT_SELF_APPROVAL');
      await repo.decideDiscount(tx, discountId, {
        status: input.approve ? 'approved' : 'rejected',
        userId: p.userId,
        note: input.note?.trim() || null,
      });
      if (input.approve) await this.recompute(tx, id, inv.currency);
      else await repo.bumpVersion(tx, id);
      return { details: { discountId, approve: input.approve, note: input.note ?? null, requestedBy: d.requestedBy } };
    });
  }

  /** Voids a draft or an issued invoice on which nothing was paid, with a reason. */
  async voidInvoice(p: Principal, actor: AuditActor, id: string, input: { reason: string; version: number }): Promise<Invoice> {
    return this.change(p, actor, id, 'invoice.void', 'billing:void', input.version, async (tx, inv) => {
      if (inv.status === 'void') throw invoiceState(inv.status, 'The invoice is already void');
      if (!money(inv.paid).isZero() || inv.status === 'partially_paid' || inv.status === 'paid')
        throw invoiceState(inv.status, 'Something was paid on this invoice: refund it or issue a credit note instead');
      await repo.voidInvoice(tx, id, input.reason.trim(), p.userId);
      return { details: { reason: input.reason, number: inv.number, total: inv.total } };
    });
  }

  /** A credit note against an issued invoice (CN-…, gapless), never more than is left to credit. */
  async creditNote(
    p: Principal,
    actor: AuditActor,
    id: string,
    input: { amount: string; reason: string; version: number },
  ): Promise<Invoice> {
    return this.change(p, actor, id, 'invoice.credit_note', 'billing:void', input.version, async (tx, inv) => {
      if (!['issued', 'partially_paid', 'paid'].includes(inv.status))
        throw invoiceState(inv.status, `The invoice is ${inv.status}: credit notes are for issued invoices`);
      const amount = money(moneyText(input.amount, inv.currency));
      if (!amount.greaterThan(0)) throw new Invalid([{ field: 'amount', code: 'minimum', message: 'must be more than 0' }]);
      const left = money(inv.total).minus(inv.credited);
      if (amount.greaterThan(left))
        throw new Conflict(
          `At most ${moneyText(left, inv.currency)} ${inv.currency} is left to credit`,
          'CREDIT_EXCEEDS_INVOICE',
          {
            left: moneyText(left, inv.currency),
          },
        );
      const credited = money(inv.credited).plus(amount);
      // numbered last, in `change`: until then the note holds a unique placeholder no other transaction sees
      const cnId = randomUUID();
      await repo.insertCreditNote(tx, {
        id: cnId,
        invoiceId: id,
        clinicId: inv.clinicId,
        number: `pending:${cnId}`,
        amount: moneyText(amount, inv.currency),
        reason: input.reason.trim(),
        userId: p.userId,
      });
      await repo.setCredited(tx, id, moneyText(credited, inv.currency), this.statusFor(inv.total, inv.paid, credited.toString()));
      return {
        details: { creditNoteId: cnId, amount: moneyText(amount, inv.currency), reason: input.reason },
        numbered: {
          docType: 'CN',
          at: new Date(),
          write: (t, number, audit) => repo.numberCreditNote(t, cnId, number, audit),
          patch: (view, number) => ({
            ...view,
            creditNotes: view.creditNotes.map((c) => (c.id === cnId ? { ...c, number } : c)),
          }),
        },
      };
    });
  }

  /** The invoice as a PDF in the reader's language; audited. */
  async pdf(p: Principal, actor: AuditActor, id: string): Promise<{ pdf: Buffer; filename: string }> {
    this.clinic(p);
    const { invoice, clinic } = await runAudited(this.db, actor, async (tx) => {
      const inv = await this.invoiceAt(tx, p, id, 'invoice.print', false);
      await writeAudit(tx, actor, { action: 'invoice.print', patientId: inv.patientId, resourceType: 'invoice', resourceId: id });
      return { invoice: await this.read(tx, id), clinic: (await repo.clinic(tx, inv.clinicId))! };
    });
    const lang = p.locale?.startsWith('fr') ? 'fr' : 'en';
    const pdf = await invoicePdf(invoice, clinic, lang);
    return { pdf, filename: `${invoice.number ?? `draft-${invoice.id.slice(0, 8)}`}.pdf` };
  }

  // ================================================================== mapping

  private summary(r: repo.InvoiceRow): InvoiceSummary {
    const c = r.currency;
    return {
      id: r.id,
      clinicId: r.clinicId,
      number: r.number,
      patient: { id: r.patientId, name: r.patientName, mrn: r.mrn },
      visitId: r.visitId,
      encounterId: r.encounterId,
      status: r.status,
      currency: c,
      subtotal: moneyText(r.subtotal, c),
      discountTotal: moneyText(r.discountTotal, c),
      taxTotal: moneyText(r.taxTotal, c),
      total: moneyText(r.total, c),
      paid: moneyText(r.paid, c),
      credited: moneyText(r.credited, c),
      balance: moneyText(r.status === 'void' ? 0 : money(r.total).minus(r.paid).minus(r.credited), c),
      insurerShare: moneyText(r.insurerShare, c),
      patientShare: moneyText(r.patientShare, c),
      issuedAt: repo.isoOrNull(r.issuedAt),
      dueDate: r.dueDate,
      voidReason: r.voidReason,
      voidedAt: repo.isoOrNull(r.voidedAt),
      createdAt: repo.iso(r.createdAt),
      unpriced: r.unpriced,
      version: r.version,
    };
  }

  private line(l: repo.LineRow, c: string): InvoiceLine {
    return {
      id: l.id,
      kind: l.kind,
      code: l.code,
      description: l.description,
      descriptionFr: l.descriptionFr,
      source: l.source,
      sourceId: l.sourceId,
      serviceDate: l.serviceDate,
      practitioner: l.practitionerId ? { id: l.practitionerId, name: l.practitionerName ?? '' } : null,
      procedureCode: l.procedureCode,
      quantity: money(l.quantity).toString(),
      unitPrice: l.unitPrice === null ? null : moneyText(l.unitPrice, c),
      amount: moneyText(l.amount, c),
      taxRate: money(l.taxRate).toString(),
      tax: moneyText(l.tax, c),
      discount: moneyText(l.discount, c),
      total: moneyText(l.total, c),
    };
  }

  private discount(d: repo.DiscountRow, c: string): Discount {
    return {
      id: d.id,
      percent: d.percent === null ? null : money(d.percent).toString(),
      amount: d.amount === null ? null : moneyText(d.amount, c),
      reason: d.reason,
      status: d.status,
      requestedBy: { id: d.requestedBy, name: d.requestedByName },
      requestedAt: repo.iso(d.requestedAt),
      decidedBy: d.decidedBy ? { id: d.decidedBy, name: d.decidedByName ?? '' } : null,
      decidedAt: repo.isoOrNull(d.decidedAt),
    };
  }

  private credit(cn: repo.CreditRow, c: string): CreditNote {
    return {
      id: cn.id,
      number: cn.number,
      invoiceId: cn.invoiceId,
      amount: moneyText(cn.amount, c),
      reason: cn.reason,
      createdBy: { id: cn.createdBy, name: cn.createdByName },
      createdAt: repo.iso(cn.createdAt),
    };
  }

  private price(r: repo.PriceRow): PriceItem {
    return { ...r, unitPrice: moneyText(r.unitPrice, r.currency) };
  }

  private tax(t: repo.TaxRow): TaxRate {
    return { ...t, rate: money(t.rate).toString() };
  }

  private settingsOut(s: repo.SettingsRow): BillingSettings {
    return { ...s, discountApprovalPercent: money(s.discountApprovalPercent).toString() };
  }
}

export { today };
