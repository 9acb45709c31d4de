import type {
  Dispense,
  DispenseInput,
  DispenseLine,
  StockOption,
  WorklistEntry,
  WorklistQuery,
} from '@sanita/contracts/pharmacy';
import type { Principal } from '../../platform/access.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { denied, runAudited } from '../../platform/audit/audited.ts';
import type { Db, Executor, Tx } from '../../platform/db/database.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import { decidePatientAccess, patientRefusal, planPatientAccess, type PatientAccessRule } from '../../platform/patient-access.ts';
import type { EventBus, Room } from '../../platform/realtime/events.ts';
import { TxHooks } from '../../platform/tx-hooks.ts';
import type { FieldIssue } from '@sanita/contracts/common';
import type { InventoryService } from '../inventory/inventory.service.ts';
import type { FormularyService } from '../medications/formulary.service.ts';
import type { PharmacyPrescription, PrescriptionsService } from '../medications/prescriptions.service.ts';
import { labelPdf } from './pharmacy.label.ts';
import * as repo from './pharmacy.repository.ts';

/** Dispensing: pharmacy:dispense at the active clinic, for a prescription written there, of a patient registered there. */
const DISPENSE: PatientAccessRule = { permission: 'pharmacy:dispense' };

const pharmacyRoom = (clinicId: string): Room => `pharmacy:${clinicId}`;
const chartRoom = (clinicId: string): Room => `chart:${clinicId}`;

/** An instant as the API writes it; raw SQL answers timestamps as PostgreSQL's text. */
const iso = (d: Date | string) =>
  (typeof d === 'string' ? new Date(d.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')) : d).toISOString();

/** Whole units to hand over for a prescribed quantity (21 tablets; 100 mL of a bottle counted as units upstream). */
const units = (quantity: number) => Math.ceil(Math.round(quantity * 1000) / 1000);

type RxItem = PharmacyPrescription['items'][number];

export class PharmacyService {
  /** Run inside the transaction of a dispense, with its id (billing captures the medicines' charges). */
  readonly dispensed = new TxHooks<string>();

  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly inventory: InventoryService,
    private readonly prescriptions: PrescriptionsService,
    private readonly formulary: FormularyService,
  ) {}

  private clinic(p: Principal): string {
    if (!p.clinicId || !p.permissions.has('pharmacy:dispense')) throw new Forbidden();
    return p.clinicId;
  }

  /**
   * The stocked products that can fill each prescribed formulary product, with what is available of them: its own
   * products, then those of the same medicine by another maker (`substitute: true`, given only where the prescriber
   * allowed substitution).
   */
  private async options(tx: Executor, clinicId: string, items: RxItem[]): Promise<Map<string, StockOption[]>> {
    const formularyIds = [...new Set(items.map((i) => i.formularyItemId).filter((f): f is string => !!f))];
    const equivalents = await this.formulary.equivalents(tx, formularyIds);
    const all = [...new Set([...formularyIds, ...[...equivalents.values()].flat()])];
    const stock = await this.inventory.stockFor(tx, clinicId, all);
    const byProduct = new Map<string, (typeof stock)[number][]>();
    for (const s of stock) byProduct.set(s.item.formularyItemId!, [...(byProduct.get(s.item.formularyItemId!) ?? []), s]);
    const option = (s: (typeof stock)[number], substitute: boolean): StockOption => ({
      inventoryItemId: s.item.id,
      name: s.item.name,
      unit: s.item.unit,
      available: s.available,
      nextLot: s.nextLot,
      substitute,
    });
    return new Map(
      formularyIds.map((id) => [
        id,
        [
          ...(byProduct.get(id) ?? []).map((s) => option(s, false)),
          ...(equivalents.get(id) ?? []).flatMap((e) => (byProduct.get(e) ?? []).map((s) => option(s, true))),
        ],
      ]),
    );
  }

  private async entries(tx: Executor, clinicId: string, rxs: PharmacyPrescription[]): Promise<WorklistEntry[]> {
    const items = rxs.flatMap((r) => r.items);
    const dispensed = await repo.dispensedByItem(
      tx,
      items.map((i) => i.id),
    );
    const options = await this.options(tx, clinicId, items);
    return rxs.map((r) => {
      const list = r.items.map((i) => {
        const done = dispensed.get(i.id) ?? 0;
        return {
          prescriptionItemId: i.id,
          formularyItemId: i.formularyItemId,
          name: i.name,
          dose: i.dose,
          frequency: i.frequency,
          durationDays: i.durationDays,
          route: i.route,
          quantity: i.quantity,
          quantityUnit: i.quantityUnit,
          instructions: i.instructions,
          substitutionAllowed: i.substitutionAllowed,
          overrides: i.overrides,
          dispensed: done,
          remaining: Math.max(0, units(i.quantity) - done),
          stock: (i.formularyItemId && options.get(i.formularyItemId)) || [],
        };
      });
      return {
        prescriptionId: r.id,
        signedAt: r.signedAt,
        prescriber: r.prescriber,
        patient: r.patient,
        pregnant: r.pregnant,
        breastfeeding: r.breastfeeding,
        items: list,
        partlyDispensed: list.some((i) => i.dispensed > 0),
      };
    });
  }

  /** The clinic's active prescriptions to dispense, oldest signed first; audited with the prescriptions shown. */
  async worklist(p: Principal, actor: AuditActor, q: WorklistQuery): Promise<{ data: WorklistEntry[] }> {
    const clinicId = this.clinic(p);
    return runAudited(this.db, actor, async (tx) => {
      const rxs = await this.prescriptions.pharmacyQueue(tx, clinicId, { limit: q.limit ?? 100, q: q.q });
      const data = await this.entries(tx, clinicId, rxs);
      await writeAudit(tx, actor, {
        action: 'pharmacy.worklist.read',
        resourceType: 'clinic',
        resourceId: clinicId,
        details: { prescriptionIds: rxs.map((r) => r.id), patientIds: [...new Set(rxs.map((r) => r.patient.id))] },
      });
      return { data };
    });
  }

  /**
   * The prescription (locked when `forUpdate`), if the caller may dispense it: written at the active
   * clinic, for a patient registered there. Otherwise a refusal audited as `action` denied.
   */
  private async prescription(tx: Tx, p: Principal, id: string, action: string): Promise<PharmacyPrescription> {
    const rx = await this.prescriptions.prescriptionForDispense(tx, id);
    const hidden = () =>
      denied(new NotFound('Prescription not found'), action, { type: 'prescription', id }, rx?.patient.id ?? null);
    if (!rx) throw hidden();
    const plan = planPatientAccess(p, rx.patient.id, DISPENSE);
    const found = await repo.patientAt(tx, rx.patient.id, p.clinicId);
    const verdict = decidePatientAccess(plan, found);
    if (verdict !== 'ok') throw patientRefusal(verdict, rx.patient.id, !!found, action);
    if (rx.clinicId !== p.clinicId || found?.merged) throw hidden();
    return rx;
  }

  /** One prescription as the worklist shows it (for the dispense dialog); audited. */
  async entry(p: Principal, actor: AuditActor, id: string): Promise<WorklistEntry> {
    const clinicId = this.clinic(p);
    return runAudited(this.db, actor, async (tx) => {
      const rx = await this.prescription(tx, p, id, 'prescription.read');
      await writeAudit(tx, actor, {
        action: 'prescription.read',
        patientId: rx.patient.id,
        resourceType: 'prescription',
        resourceId: rx.id,
        details: { pharmacy: true },
      });
      return (await this.entries(tx, clinicId, [rx]))[0]!;
    });
  }

  /**
   * Dispenses part or all of a prescription, in one transaction: each line takes its units from
   * the clinic's lots first-expiry-first-out (never expired or recalled ones); a line that cannot be
   * served, more than what remains, or a substitution the prescriber did not allow refuses the whole
   * dispense. When every item is fully dispensed, the prescription is completed.
   */
  async dispense(p: Principal, actor: AuditActor, id: string, input: DispenseInput): Promise<Dispense> {
    const clinicId = this.clinic(p);
    const seen = new Set<string>();
    input.items.forEach((line, i) => {
      if (seen.has(line.prescriptionItemId))
        throw new Invalid([{ field: `items/${i}/prescriptionItemId`, code: 'uniqueItems', message: 'names an item twice' }]);
      seen.add(line.prescriptionItemId);
    });
    const { result, itemIds } = await runAudited(this.db, actor, async (tx) => {
      const rx = await this.prescription(tx, p, id, 'prescription.dispense');
      if (rx.status !== 'active')
        throw new Conflict(`The prescription is ${rx.status}: it cannot be dispensed`, 'PRESCRIPTION_NOT_DISPENSABLE');
      const items = new Map(rx.items.map((i) => [i.id, i]));
      const dispensed = await repo.dispensedByItem(tx, [...items.keys()]);
      // which product each line takes, decided before any stock moves
      const plan: {
        line: DispenseInput['items'][number];
        index: number;
        rxItem: RxItem;
        inventoryItemId: string;
        substituted: boolean;
      }[] = [];
      const issues: FieldIssue[] = [];
      for (const [index, line] of input.items.entries()) {
        const rxItem = items.get(line.prescriptionItemId);
        if (!rxItem) {
          issues.push({
            field: `items/${index}/prescriptionItemId`,
            code: 'invalid',
            message: 'is not an item of this prescription',
          });
          continue;
        }
        const remaining = units(rxItem.quantity) - (dispensed.get(rxItem.id) ?? 0);
        if (line.quantity > remaining)
          throw new Conflict(`Only ${Math.max(0, remaining)} remain to dispense of ${rxItem.name}`, 'OVER_DISPENSE', [
            { field: `items/${index}/quantity`, message: `at most ${Math.max(0, remaining)}` },
          ]);
        const chosen = await this.product(tx, clinicId, rxItem, line, index, issues);
        if (!chosen) continue;
        if (chosen.substituted && !rxItem.substitutionAllowed)
          throw new Conflict(`The prescriber did not allow substituting ${rxItem.name}`, 'SUBSTITUTION_NOT_ALLOWED', [
            { field: `items/${index}/inventoryItemId`, message: 'is another product than the one prescribed' },
          ]);
        plan.push({ line, index, rxItem, inventoryItemId: chosen.id, substituted: chosen.substituted });
      }
      if (issues.length) throw new Invalid(issues);

      const dispense = await repo.insertDispense(tx, {
        prescriptionId: rx.id,
        patientId: rx.patient.id,
        clinicId,
        counsellingNote: input.counsellingNote ?? null,
        userId: p.userId,
      });
      // lots are locked in the order of their items, so that two dispenses never wait on each other in a cycle
      for (const step of [...plan].sort((a, b) => a.inventoryItemId.localeCompare(b.inventoryItemId))) {
        const lineId = await repo.insertLine(tx, {
          dispenseId: dispense.id,
          prescriptionItemId: step.rxItem.id,
          inventoryItemId: step.inventoryItemId,
          quantity: step.line.quantity,
          substituted: step.substituted,
          substitutionReason: step.substituted ? (step.line.substitutionReason ?? null) : null,
        });
        await this.inventory.dispense(tx, {
          clinicId,
          itemId: step.inventoryItemId,
          quantity: step.line.quantity,
          userId: p.userId,
          referenceId: lineId,
          reservedFor: rx.id,
          field: `items/${step.index}/quantity`,
        });
      }
      const after = await repo.dispensedByItem(tx, [...items.keys()]);
      const complete = rx.items.every((i) => (after.get(i.id) ?? 0) >= units(i.quantity));
      if (complete) {
        await this.prescriptions.markDispensed(tx, rx.id);
        await repo.markCompleted(tx, dispense.id);
      }
      await this.dispensed.run(tx, dispense.id);
      await writeAudit(tx, actor, {
        action: 'prescription.dispense',
        patientId: rx.patient.id,
        resourceType: 'dispense',
        resourceId: dispense.id,
        details: {
          prescriptionId: rx.id,
          completed: complete,
          lines: plan.map((s) => ({
            prescriptionItemId: s.rxItem.id,
            inventoryItemId: s.inventoryItemId,
            quantity: s.line.quantity,
            substituted: s.substituted,
          })),
        },
      });
      return { result: await this.read(tx, rx, dispense.id), itemIds: plan.map((s) => s.inventoryItemId) };
    });
    this.events.publish(
      'prescription.dispensed',
      {
        prescriptionId: result.prescriptionId,
        dispenseId: result.id,
        patientId: result.patientId,
        clinicId,
        completed: result.completed,
      },
      [pharmacyRoom(clinicId), chartRoom(clinicId)],
    );
    this.inventory.notifyChanged(clinicId, itemIds);
    return result;
  }

  /**
   * The product a line takes: the one named (another formulary product than prescribed is a
   * substitution), or else the clinic's stocked product of the prescribed formulary item with the
   * most available.
   */
  private async product(
    tx: Tx,
    clinicId: string,
    rxItem: RxItem,
    line: DispenseInput['items'][number],
    index: number,
    issues: FieldIssue[],
  ): Promise<{ id: string; substituted: boolean } | null> {
    const field = `items/${index}/inventoryItemId`;
    if (line.inventoryItemId) {
      const item = await this.inventory.itemFor(tx, line.inventoryItemId, clinicId);
      if (!item || item.kind !== 'medication' || !item.active) {
        issues.push({ field, code: 'invalid', message: 'is not an active medication of the inventory' });
        return null;
      }
      const substituted = !!rxItem.formularyItemId && item.formularyItemId !== rxItem.formularyItemId;
      if (
        substituted &&
        !(item.formularyItemId && (await this.formulary.equivalent(tx, rxItem.formularyItemId!, item.formularyItemId)))
      ) {
        issues.push({ field, code: 'invalid', message: 'is not the prescribed medicine in the same strength and route' });
        return null;
      }
      return { id: item.id, substituted };
    }
    const candidates = rxItem.formularyItemId ? await this.inventory.stockFor(tx, clinicId, [rxItem.formularyItemId]) : [];
    if (!candidates.length) {
      issues.push({ field, code: 'required', message: 'no stocked product is the prescribed one: name the product given' });
      return null;
    }
    const best = candidates.reduce((a, b) => (b.available > a.available ? b : a));
    return { id: best.item.id, substituted: false };
  }

  private async read(tx: Executor, rx: PharmacyPrescription, dispenseId: string): Promise<Dispense> {
    const row = (await repo.dispenseById(tx, dispenseId))!;
    return (await this.toDispenses(tx, rx, [row]))[0]!;
  }

  private async toDispenses(tx: Executor, rx: PharmacyPrescription, rows: repo.DispenseRow[]): Promise<Dispense[]> {
    const lines = await repo.linesOf(
      tx,
      rows.map((r) => r.id),
    );
    const lots = await this.inventory.dispensedFrom(
      tx,
      lines.map((l) => l.id),
    );
    const products = new Map<string, { name: string; unit: string }>();
    for (const l of lines)
      if (!products.has(l.inventoryItemId)) {
        const item = await this.inventory.itemFor(tx, l.inventoryItemId, rx.clinicId);
        products.set(l.inventoryItemId, { name: item?.name ?? '', unit: item?.unit ?? '' });
      }
    const names = new Map(rx.items.map((i) => [i.id, i.name]));
    return rows.map((r) => ({
      id: r.id,
      prescriptionId: r.prescriptionId,
      patientId: r.patientId,
      clinicId: r.clinicId,
      at: iso(r.dispensedAt),
      by: { id: r.dispensedBy, name: r.dispensedByName },
      counsellingNote: r.counsellingNote,
      completed: r.completed,
      lines: lines
        .filter((l) => l.dispenseId === r.id)
        .map((l): DispenseLine => ({
          id: l.id,
          prescriptionItemId: l.prescriptionItemId,
          inventoryItemId: l.inventoryItemId,
          name: products.get(l.inventoryItemId)!.name,
          unit: products.get(l.inventoryItemId)!.unit,
          prescribedName: names.get(l.prescriptionItemId) ?? '',
          quantity: l.quantity,
          substituted: l.substituted,
          substitutionReason: l.substitutionReason,
          lots: lots.get(l.id) ?? [],
        })),
    }));
  }

  /** A prescription's dispenses, oldest first; audited. */
  async history(p: Principal, actor: AuditActor, id: string): Promise<{ data: Dispense[] }> {
    this.clinic(p);
    return runAudited(this.db, actor, async (tx) => {
      const rx = await this.prescription(tx, p, id, 'prescription.dispenses.read');
      const rows = await repo.dispensesOf(tx, rx.id);
      await writeAudit(tx, actor, {
        action: 'prescription.dispenses.read',
        patientId: rx.patient.id,
        resourceType: 'prescription',
        resourceId: rx.id,
        details: { dispenseIds: rows.map((r) => r.id) },
      });
      return { data: await this.toDispenses(tx, rx, rows) };
    });
  }

  /** The patients module's merge hook: the duplicate's dispenses go to the survivor. */
  mergePatients = (tx: Tx, fromId: string, toId: string) => repo.moveDispenses(tx, fromId, toId);

  /** The labels of a dispense, one per line, as a PDF in the patient's language; audited. */
  async label(p: Principal, actor: AuditActor, dispenseId: string): Promise<{ pdf: Buffer; filename: string }> {
    this.clinic(p);
    return runAudited(this.db, actor, async (tx) => {
      const row = await repo.dispenseById(tx, dispenseId);
      if (!row) throw denied(new NotFound('Dispense not found'), 'dispense.label', { type: 'dispense', id: dispenseId });
      const rx = await this.prescription(tx, p, row.prescriptionId, 'dispense.label');
      const [dispense] = await this.toDispenses(tx, rx, [row]);
      const pdf = await labelPdf({
        clinic: await repo.clinicName(tx, rx.clinicId),
        language: rx.language,
        patient: rx.patient,
        prescriber: rx.prescriber.name,
        code: rx.verificationCode,
        dispense: dispense!,
        items: new Map(rx.items.map((i) => [i.id, i])),
      });
      await writeAudit(tx, actor, {
        action: 'dispense.label',
        patientId: rx.patient.id,
        resourceType: 'dispense',
        resourceId: dispenseId,
        details: { prescriptionId: rx.id },
      });
      return { pdf, filename: `label-${rx.verificationCode || rx.id}.pdf` };
    });
  }
}
