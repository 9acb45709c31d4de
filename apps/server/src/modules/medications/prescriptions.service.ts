import { checkMedications, resolveIngredients, type CheckResult, type MedicationInput } from '@sanita/clinical/medications';
import { checkDose } from '@sanita/clinical/medications/dosing';
import { PRIORITY_RULES } from '@sanita/contracts/queue';
import type { Allergy } from '@sanita/contracts/history';
import {
  asksPregnancy,
  PRESCRIPTION_VALID_DAYS,
  type CurrentMedicationList,
  type Favourite,
  type FavouriteInput,
  type FavouritePatch,
  type Frequency,
  type MedicationAlert,
  type MedicationCheckInput,
  type MedicationCheckResult,
  type MedicationReconciliation,
  type MedicationReconciliationInput,
  type MedicationReconciliationState,
  type Override,
  type PortalPrescription,
  type Prescription,
  type PrescriptionCreate,
  type PrescriptionItemInput,
  type PrescriptionList,
  type PrescriptionListQuery,
  type PrescriptionUpdate,
  type RefillRequest,
  type RefillRequestListQuery,
  type ReportedMedication,
  type ReportedMedicationInput,
  type ReportedMedicationStop,
} from '@sanita/contracts/medications';
import type { StoredOverride } from '../../db/schema/medications.ts';
import type { Principal } from '../../platform/access.ts';
import { systemActor as SYSTEM, writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { denied, runAudited } from '../../platform/audit/audited.ts';
import type { Db, Executor, Tx } from '../../platform/db/database.ts';
import { clinicToday } from '../../platform/db/queries.ts';
import { Conflict, Forbidden, Invalid, NotFound, type FieldIssue } from '../../platform/errors.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import { decidePatientAccess, patientRefusal, planPatientAccess, type PatientAccessRule } from '../../platform/patient-access.ts';
import type { EventBus, Room } from '../../platform/realtime/events.ts';
import { newVerificationCode, normaliseCode } from '../../platform/verification.ts';
import type { FormularyRow } from './formulary.repository.ts';
import * as formulary from './formulary.repository.ts';
import * as repo from './prescriptions.repository.ts';

/** Reading prescriptions and current medications: staff of the active clinic, a patient registered there. */
const READ: PatientAccessRule = { permission: 'prescriptions:read' };
/** Writing, signing, cancelling: prescribers of the active clinic. */
const WRITE: PatientAccessRule = { permission: 'prescriptions:write' };
/** Recording what the patient says they take. */
const RECONCILE: PatientAccessRule = { permission: 'medications:reconcile' };
/** The portal: a patient user and their own record. */
const PORTAL: PatientAccessRule = { permission: 'portal:self', self: true };

/** The pharmacy's room of a clinic: prescriptions signed and cancelled there. */
export const pharmacyRoom = (clinicId: string): Room => `pharmacy:${clinicId}`;
/** The job that turns active prescriptions past their expiry into expired ones. */
export const EXPIRE_JOB = 'prescriptions.expire';
/** The expiry sweep runs at least this often (and at the next expiry when sooner). */
const SWEEP_MS = 60 * 60 * 1000;
const DAY_MS = 86_400_000;

/** Where the allergies come from: the history module, inside the caller's transaction. */
export type AllergySource = (tx: Tx, patientId: string) => Promise<Allergy[]>;

/** A prescription as the pharmacy sees it (medications' declared service for the pharmacy module). */
export interface PharmacyPrescription {
  id: string;
  clinicId: string;
  status: Prescription['status'];
  /** the patient's language: the label's instructions are printed in it */
  language: Prescription['language'];
  signedAt: string;
  expiresAt: string;
  note: string | null;
  verificationCode: string;
  prescriber: { id: string; name: string };
  patient: { id: string; name: string; mrn: string; birthDate: string; sex: string };
  /** what the prescriber recorded when signing (null: not asked or unknown) */
  pregnant: boolean | null;
  breastfeeding: boolean | null;
  items: {
    id: string;
    formularyItemId: string | null;
    name: string;
    route: string | null;
    dose: { amount: number; unit: Prescription['items'][number]['dose']['unit'] };
    frequency: Frequency;
    durationDays: number;
    quantity: number;
    quantityUnit: string;
    refills: number;
    instructions: string | null;
    substitutionAllowed: boolean;
    overrides: Override[];
  }[];
}

/** Today anywhere on Earth (UTC+14): a date the user typed is not in the future if it is not after this. */
const latestToday = () => new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10);

const decimals3 = (n: number) => Math.abs(Math.round(n * 1000) - n * 1000) < 1e-6;

/** Rounds a numeric(12, 3) column's text to the number the API answers. */
const num = (v: string | number) => Number(v);

/** A validated item, ready to store. */
type ItemDraft = Omit<repo.NewItemRow, 'prescriptionId' | 'ingredients' | 'route' | 'overrides'> & {
  ingredients: string[];
  route: string | null;
  overrides: StoredOverride[];
  strength: string | null;
};

export class PrescriptionsService {
  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly jobs: JobQueue,
    private readonly allergies: AllergySource,
  ) {}

  // ------------------------------------------------------------------ access

  /** The patient by the one patient-access path; refusals audited as `action` denied. */
  private async patient(tx: Tx, p: Principal, patientId: string, rule: PatientAccessRule, action: string) {
    const plan = planPatientAccess(p, patientId, rule);
    const found = await repo.patientForPrescription(tx, patientId, p.clinicId);
    let verdict = decidePatientAccess(plan, found);
    if (verdict === 'ok' && found!.status === 'merged') verdict = 'hidden';
    if (verdict !== 'ok') throw patientRefusal(verdict, patientId, !!found, action);
    return found!;
  }

  /**
   * A prescription and its patient reached by the patient-access path. `atClinic`: a change needs the
   * prescription to be the active clinic's (another clinic's looks like none); a read needs only the
   * patient to be registered at the active clinic.
   */
  private async prescription(
    tx: Tx,
    p: Principal,
    id: string,
    rule: PatientAccessRule,
    action: string,
    opts: { atClinic: boolean; lock?: boolean },
  ) {
    const row = await repo.prescriptionById(tx, id, opts.lock);
    if (planPatientAccess(p, row?.patientId ?? id, rule).verdict === 'forbidden')
      throw denied(new Forbidden(), action, { type: 'prescription', id }, row?.patientId ?? null);
    if (!row || (opts.atClinic && row.clinicId !== p.clinicId))
      throw denied(new NotFound('Prescription not found'), action, { type: 'prescription', id }, row?.patientId ?? null);
    const patient = await this.patient(tx, p, row.patientId, rule, action);
    return { row, patient };
  }

  // ------------------------------------------------------------------ items and checks

  /** The rules the schema cannot state, and each item's formulary data. 400 naming `items.<i>.<field>`. */
  private async itemsOf(tx: Tx, items: PrescriptionItemInput[], userId: string, userName: string): Promise<ItemDraft[]> {
    const ids = [...new Set(items.flatMap((i) => (i.formularyItemId ? [i.formularyItemId] : [])))];
    const found = await formulary.itemsByIds(tx, ids);
    const issues: FieldIssue[] = [];
    const at = new Date().toISOString();
    const out = items.map((input, i): ItemDraft => {
      const f = `items.${i}`;
      const item: FormularyRow | undefined = input.formularyItemId ? found.get(input.formularyItemId) : undefined;
      if (input.formularyItemId && !item)
        issues.push({ field: `${f}.formularyItemId`, code: 'invalid', message: 'is not an item of the formulary' });
      else if (item && !item.active)
        issues.push({ field: `${f}.formularyItemId`, code: 'invalid', message: 'is no longer offered by the formulary' });
      const name = input.name ?? item?.name;
      if (!name)
        issues.push({ field: `${f}.name`, code: 'required', message: 'is required for a medication not in the formulary' });
      if (!decimals3(input.dose.amount))
        issues.push({
          field: `${f}.dose.amount`,
          code: 'multipleOf',
          params: { multipleOf: 0.001 },
          message: 'has at most 3 decimals',
        });
      if (!decimals3(input.quantity))
        issues.push({
          field: `${f}.quantity`,
          code: 'multipleOf',
          params: { multipleOf: 0.001 },
          message: 'has at most 3 decimals',
        });
      issues.push(...frequencyIssues(input.frequency, `${f}.frequency`));
      const keys = new Set<string>();
      for (const [j, o] of (input.overrides ?? []).entries()) {
        if (keys.has(o.key))
          issues.push({ field: `${f}.overrides.${j}.key`, code: 'uniqueItems', message: 'overrides this alert twice' });
        keys.add(o.key);
      }
      return {
        position: i,
        formularyItemId: item?.id ?? null,
        name: name ?? '',
        ingredients: item ? item.ingredients : resolveIngredients(name ?? ''),
        route: input.route ?? (item?.route as string | null) ?? null,
        doseAmount: String(input.dose.amount),
        doseUnit: input.dose.unit,
        frequency: cleanFrequency(input.frequency),
        durationDays: input.durationDays,
        quantity: String(input.quantity),
        quantityUnit: input.quantityUnit,
        refills: input.refills ?? 0,
        instructions: input.instructions ?? null,
        substitutionAllowed: input.substitutionAllowed ?? true,
        // what the prescriber wrote; matched to the alerts below
        overrides: (input.overrides ?? []).map((o) => ({
          key: o.key,
          reason: o.reason,
          severity: 'major',
          code: '',
          title: { en: '', fr: '' },
          drugs: [],
          by: { id: userId, name: userName },
          at,
        })),
        strength: item?.strength ?? null,
      };
    });
    if (issues.length) throw new Invalid(issues);
    return out;
  }

  /**
   * `checkMedications` for these items against the patient's current medications (active prescriptions
   * at any clinic but `exceptId`, reported ones not stopped), allergies, age and latest weight.
   */
  private async check(
    tx: Tx,
    patient: repo.PatientForPrescription,
    patientId: string,
    items: {
      name: string;
      ingredients: string[];
      route: string | null;
      doseAmount: string | number;
      doseUnit: string;
      frequency: Frequency;
      strength: string | null;
    }[],
    exceptId: string | null,
    state: PregnancyState = NO_STATE,
  ): Promise<CheckResult> {
    const [active, reported, allergies] = await Promise.all([
      repo.activeItems(tx, patientId, exceptId),
      repo.reportedOf(tx, patientId, true),
      this.allergies(tx, patientId),
    ]);
    const strengths = await formulary.itemsByIds(tx, [
      ...new Set(active.flatMap((a) => (a.item.formularyItemId ? [a.item.formularyItemId] : []))),
    ]);
    const asInput = (i: (typeof items)[number]): MedicationInput => ({
      name: i.name,
      ingredients: i.ingredients.length ? i.ingredients : null,
      route: i.route,
      ...checkDose({ amount: num(i.doseAmount), unit: i.doseUnit }, i.frequency, i.strength),
    });
    const current: MedicationInput[] = [
      ...active.map((a) =>
        asInput({
          ...a.item,
          strength: a.item.formularyItemId ? (strengths.get(a.item.formularyItemId)?.strength ?? null) : null,
        }),
      ),
      ...reported.map((r) => ({ name: r.name, ingredients: r.ingredients.length ? r.ingredients : null, route: r.route })),
    ];
    return checkMedications({
      items: items.map(asInput),
      current,
      allergies,
      patient: {
        ageYears: ageOf(patient.birthDate),
        weightKg: patient.weightKg === null ? null : num(patient.weightKg),
        pregnant: state.pregnant,
        breastfeeding: state.breastfeeding,
      },
    });
  }

  /**
   * The overrides that answer an alert of their item (by key), completed with what the alert says;
   * the others are dropped (the alert they answered is gone).
   */
  private matchOverrides(items: ItemDraft[], result: CheckResult): StoredOverride[][] {
    return items.map((item, i) =>
      (item.overrides ?? []).flatMap((o) => {
        const alert = result.alerts.find((a) => a.item === i && a.key === o.key && a.blocking);
        return alert ? [{ ...o, severity: alert.severity, code: alert.code, title: alert.title, drugs: [...alert.drugs] }] : [];
      }),
    );
  }

  // ------------------------------------------------------------------ drafts

  /**
   * A new draft from an encounter: prescriptions:write (403), the encounter at the active clinic (404),
   * in progress (409 ENCOUNTER_CLOSED), its patient registered there. Audited `prescription.create`.
   */
  async create(p: Principal, actor: AuditActor, encounterId: string, input: PrescriptionCreate): Promise<Prescription> {
    return this.draftFrom(p, actor, encounterId, 'prescription.create', async () => input);
  }

  /**
   * "Repeat last": a new draft in the encounter with the items of the patient's latest signed
   * prescription (overrides are not copied: the prescriber decides again). 404 NO_PREVIOUS_PRESCRIPTION.
   */
  async repeatLast(p: Principal, actor: AuditActor, encounterId: string): Promise<Prescription> {
    return this.draftFrom(p, actor, encounterId, 'prescription.repeat', async (tx, patientId) => {
      const last = await repo.lastSigned(tx, patientId);
      if (!last) throw new NotFound('This patient has no signed prescription to repeat', 'NO_PREVIOUS_PRESCRIPTION');
      const items = (await repo.itemsOf(tx, [last.id])).get(last.id)!;
      const ids = await formulary.itemsByIds(
        tx,
        items.flatMap((i) => (i.formularyItemId ? [i.formularyItemId] : [])),
      );
      return {
        language: last.language,
        // an item the formulary no longer offers is repeated as free text
        items: items.map((i) => ({
          ...templateOf(i),
          formularyItemId: i.formularyItemId && ids.get(i.formularyItemId)?.active ? i.formularyItemId : null,
        })),
        repeated: last.id,
      };
    });
  }

  private async draftFrom(
    p: Principal,
    actor: AuditActor,
    encounterId: string,
    action: string,
    content: (tx: Tx, patientId: string) => Promise<PrescriptionCreate & { repeated?: string }>,
  ): Promise<Prescription> {
    return runAudited(this.db, actor, async (tx) => {
      const enc = await repo.encounterOf(tx, encounterId);
      if (planPatientAccess(p, enc?.patientId ?? encounterId, WRITE).verdict === 'forbidden')
        throw denied(new Forbidden(), action, { type: 'encounter', id: encounterId }, enc?.patientId ?? null);
      if (!enc || enc.clinicId !== p.clinicId)
        throw denied(new NotFound('Encounter not found'), action, { type: 'encounter', id: encounterId }, enc?.patientId ?? null);
      const patient = await this.patient(tx, p, enc.patientId, WRITE, action);
      if (enc.status !== 'in_progress') throw new Conflict('This consultation is closed', 'ENCOUNTER_CLOSED');
      const input = await content(tx, enc.patientId);
      const state = pregnancyOf(patient, input, NO_STATE);
      const items = await this.itemsOf(tx, input.items, p.userId, p.displayName);
      const language =
        input.language ??
        (patient.language === 'fr' || patient.language === 'en' ? patient.language : p.locale === 'fr' ? 'fr' : 'en');
      const id = await repo.insertPrescription(tx, {
        patientId: enc.patientId,
        clinicId: enc.clinicId,
        encounterId,
        prescriberId: p.userId,
        language,
        note: input.note ?? null,
        ...state,
      });
      const result = await this.check(tx, patient, enc.patientId, items, id, state);
      const overrides = this.matchOverrides(items, result);
      await repo.insertItems(
        tx,
        items.map(({ strength: _s, ...i }, n) => ({ ...i, prescriptionId: id, overrides: overrides[n]! })),
      );
      await writeAudit(tx, actor, {
        action,
        patientId: enc.patientId,
        resourceType: 'prescription',
        resourceId: id,
        details: { encounterId, items: items.length, ...(input.repeated ? { repeats: input.repeated } : {}) },
      });
      return this.view(tx, (await repo.prescriptionById(tx, id))!, result.alerts);
    });
  }

  /** The whole draft replaced, with the version read (409 STALE_VERSION; 409 PRESCRIPTION_NOT_DRAFT once signed). */
  async update(p: Principal, actor: AuditActor, id: string, input: PrescriptionUpdate): Promise<Prescription> {
    const action = 'prescription.update';
    return runAudited(this.db, actor, async (tx) => {
      const { row, patient } = await this.prescription(tx, p, id, WRITE, action, { atClinic: true, lock: true });
      if (row.status !== 'draft') throw new Conflict('Only a draft prescription can be changed', 'PRESCRIPTION_NOT_DRAFT');
      if (row.version !== input.version)
        throw new Conflict('This prescription was saved elsewhere', 'STALE_VERSION', { current: row.version });
      const state = pregnancyOf(patient, input, row);
      const items = await this.itemsOf(tx, input.items, p.userId, p.displayName);
      const result = await this.check(tx, patient, row.patientId, items, id, state);
      const overrides = this.matchOverrides(items, result);
      // an override kept from before keeps who wrote it and when
      const before = (await repo.itemsOf(tx, [id])).get(id)!;
      for (const [n, list] of overrides.entries())
        for (const o of list) {
          const old = before.find((b) => b.position === n)?.overrides.find((x) => x.key === o.key && x.reason === o.reason);
          if (old) Object.assign(o, { by: old.by, at: old.at });
        }
      await repo.deleteItems(tx, id);
      await repo.insertItems(
        tx,
        items.map(({ strength: _s, ...i }, n) => ({ ...i, prescriptionId: id, overrides: overrides[n]! })),
      );
      await repo.updatePrescription(tx, id, {
        version: row.version + 1,
        ...(input.language ? { language: input.language } : {}),
        ...(input.note !== undefined ? { note: input.note } : {}),
        ...state,
      });
      await writeAudit(tx, actor, {
        action,
        patientId: row.patientId,
        resourceType: 'prescription',
        resourceId: id,
        details: { items: items.length },
      });
      return this.view(tx, (await repo.prescriptionById(tx, id))!, result.alerts);
    });
  }

  /**
   * Signs a draft: the checks run again here with the patient's current medications, allergies, age and
   * weight; every blocking alert needs an override with a reason on its item, else 409
   * MEDICATION_ALERTS listing those alerts. The signer becomes the prescriber; the patient, clinic and
   * prescriber are copied for the PDF; a verification code and the expiry are set. Audited
   * `prescription.sign` with the overrides; the clinic's pharmacy hears of it after commit.
   */
  async sign(p: Principal, actor: AuditActor, id: string, version: number): Promise<Prescription> {
    const action = 'prescription.sign';
    const signed = await runAudited(this.db, actor, async (tx) => {
      const { row, patient } = await this.prescription(tx, p, id, WRITE, action, { atClinic: true, lock: true });
      if (row.status !== 'draft')
        throw new Conflict('This prescription is already signed or cancelled', 'PRESCRIPTION_NOT_DRAFT');
      if (row.version !== version)
        throw new Conflict('This prescription was saved elsewhere', 'STALE_VERSION', { current: row.version });
      await repo.lockPatient(tx, row.patientId);
      const stored = (await repo.itemsOf(tx, [id])).get(id)!;
      if (!stored.length)
        throw new Invalid([
          { field: 'items', code: 'minItems', params: { limit: 1 }, message: 'a prescription needs at least one item' },
        ]);
      const strengths = await formulary.itemsByIds(
        tx,
        stored.flatMap((i) => (i.formularyItemId ? [i.formularyItemId] : [])),
      );
      const items = stored.map((i) => ({
        ...i,
        strength: i.formularyItemId ? (strengths.get(i.formularyItemId)?.strength ?? null) : null,
      }));
      const result = await this.check(tx, patient, row.patientId, items, id, row);
      const overrides = this.matchOverrides(items, result);
      const missing = result.alerts.filter((a) => a.blocking && !overrides[a.item]!.some((o) => o.key === a.key));
      if (missing.length)
        throw new Conflict('Blocking alerts need an override with a reason', 'MEDICATION_ALERTS', { alerts: missing });
      for (const [n, item] of stored.entries())
        if (JSON.stringify(item.overrides) !== JSON.stringify(overrides[n])) await repo.setOverrides(tx, item.id, overrides[n]!);
      const issuer = await repo.issuerOf(tx, p.userId, row.clinicId, row.language);
      const signedAt = new Date();
      await repo.updatePrescription(tx, id, {
        status: 'active',
        prescriberId: p.userId,
        signedAt,
        expiresAt: new Date(signedAt.getTime() + PRESCRIPTION_VALID_DAYS * DAY_MS),
        verificationCode: newVerificationCode(),
        snapshot: {
          ...issuer,
          patient: {
            name: patient.name,
            birthDate: patient.birthDate,
            sex: patient.sex,
            mrn: patient.mrn,
            weightKg: patient.weightKg === null ? null : num(patient.weightKg),
          },
        },
        version: row.version + 1,
      });
      await writeAudit(tx, actor, {
        action,
        patientId: row.patientId,
        resourceType: 'prescription',
        resourceId: id,
        details: {
          items: stored.length,
          overrides: overrides.flatMap((list, item) =>
            list.map((o) => ({ item, key: o.key, severity: o.severity, reason: o.reason })),
          ),
        },
      });
      return this.view(tx, (await repo.prescriptionById(tx, id))!, []);
    });
    this.events.publish(
      'prescription.signed',
      { prescriptionId: signed.id, patientId: signed.patientId, clinicId: signed.clinicId },
      [pharmacyRoom(signed.clinicId)],
    );
    return signed;
  }

  /** Cancels a draft or an active prescription, with a reason (409 PRESCRIPTION_NOT_ACTIVE otherwise). */
  async cancel(p: Principal, actor: AuditActor, id: string, version: number, reason: string): Promise<Prescription> {
    const action = 'prescription.cancel';
    const { view, wasActive } = await runAudited(this.db, actor, async (tx) => {
      const { row } = await this.prescription(tx, p, id, WRITE, action, { atClinic: true, lock: true });
      if (row.status !== 'draft' && row.status !== 'active')
        throw new Conflict(`This prescription is ${row.status}: it cannot be cancelled`, 'PRESCRIPTION_NOT_ACTIVE');
      if (row.version !== version)
        throw new Conflict('This prescription was saved elsewhere', 'STALE_VERSION', { current: row.version });
      await repo.updatePrescription(tx, id, {
        status: 'cancelled',
        cancelledAt: new Date(),
        cancelledBy: p.userId,
        cancelReason: reason,
        version: row.version + 1,
      });
      await writeAudit(tx, actor, {
        action,
        patientId: row.patientId,
        resourceType: 'prescription',
        resourceId: id,
        details: { was: row.status },
      });
      return { view: await this.view(tx, (await repo.prescriptionById(tx, id))!, []), wasActive: row.status === 'active' };
    });
    if (wasActive)
      this.events.publish(
        'prescription.cancelled',
        { prescriptionId: view.id, patientId: view.patientId, clinicId: view.clinicId, reason: 'cancelled' },
        [pharmacyRoom(view.clinicId)],
      );
    return view;
  }

  // ------------------------------------------------------------------ reads

  /** A patient's prescriptions (every clinic's), newest first; audited `prescriptions.read` with the ids. */
  async list(p: Principal, actor: AuditActor, patientId: string, q: PrescriptionListQuery): Promise<PrescriptionList> {
    const action = 'prescriptions.read';
    return runAudited(this.db, actor, async (tx) => {
      const patient = await this.patient(tx, p, patientId, READ, action);
      const limit = q.limit ?? 20;
      const rows = await repo.listForPatient(tx, patientId, { status: q.status, limit: limit + 1, cursor: q.cursor });
      const page = rows.slice(0, limit);
      await writeAudit(tx, actor, {
        action,
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { ids: page.map((r) => r.id) },
      });
      const items = await repo.itemsOf(
        tx,
        page.map((r) => r.id),
      );
      // a draft answers its alerts as they are now (one check for each draft shown)
      const data: Prescription[] = [];
      for (const r of page) {
        let alerts: MedicationAlert[] = [];
        if (r.status === 'draft') alerts = await this.draftAlerts(tx, patient, r, items.get(r.id)!);
        data.push(toPrescription(r, items.get(r.id)!, alerts));
      }
      return { data, nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
    });
  }

  /** One prescription (a draft with its alerts now); audited `prescription.read`. */
  async get(p: Principal, actor: AuditActor, id: string): Promise<Prescription> {
    const action = 'prescription.read';
    return runAudited(this.db, actor, async (tx) => {
      const { row, patient } = await this.prescription(tx, p, id, READ, action, { atClinic: false });
      await writeAudit(tx, actor, { action, patientId: row.patientId, resourceType: 'prescription', resourceId: id });
      const items = (await repo.itemsOf(tx, [id])).get(id)!;
      return toPrescription(row, items, row.status === 'draft' ? await this.draftAlerts(tx, patient, row, items) : []);
    });
  }

  /**
   * The checks of `input.items` against the patient now (current medications at every clinic, allergies,
   * age, latest weight), read in one transaction, writing nothing but the audit row: prescriptions:read
   * (what a draft's alerts already show its readers), the patient registered at the active clinic.
   * 400 naming `items.<i>.<field>` as for a prescription. Audited `medications.check`.
   */
  async checkItems(
    p: Principal,
    actor: AuditActor,
    patientId: string,
    input: MedicationCheckInput,
  ): Promise<MedicationCheckResult> {
    const action = 'medications.check';
    return runAudited(this.db, actor, async (tx) => {
      const patient = await this.patient(tx, p, patientId, READ, action);
      const state = pregnancyOf(patient, input, NO_STATE);
      const items = await this.itemsOf(tx, input.items, p.userId, p.displayName);
      const result = await this.check(tx, patient, patientId, items, null, state);
      await writeAudit(tx, actor, {
        action,
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { items: items.length, alerts: result.alerts.length },
      });
      return { alerts: result.alerts as MedicationAlert[], blocking: result.blocking, unrecognised: result.unrecognised };
    });
  }

  /** The row for the PDF: a signed prescription the user may read; audited `prescription.read` (pdf). */
  async forPdf(p: Principal, actor: AuditActor, id: string): Promise<{ row: repo.PrescriptionRow; items: repo.ItemRow[] }> {
    const action = 'prescription.read';
    return runAudited(this.db, actor, async (tx) => {
      const { row } = await this.prescription(tx, p, id, READ, action, { atClinic: false });
      if (!row.signedAt || !row.snapshot) throw new Conflict('A draft has no PDF: sign it first', 'PRESCRIPTION_NOT_ACTIVE');
      await writeAudit(tx, actor, {
        action,
        patientId: row.patientId,
        resourceType: 'prescription',
        resourceId: id,
        details: { pdf: true },
      });
      return { row, items: (await repo.itemsOf(tx, [id])).get(id)! };
    });
  }

  private async draftAlerts(tx: Tx, patient: repo.PatientForPrescription, row: repo.PrescriptionRow, items: repo.ItemRow[]) {
    const strengths = await formulary.itemsByIds(
      tx,
      items.flatMap((i) => (i.formularyItemId ? [i.formularyItemId] : [])),
    );
    const result = await this.check(
      tx,
      patient,
      row.patientId,
      items.map((i) => ({ ...i, strength: i.formularyItemId ? (strengths.get(i.formularyItemId)?.strength ?? null) : null })),
      row.id,
      row,
    );
    return result.alerts as MedicationAlert[];
  }

  private async view(
    tx: Tx,
    row: repo.PrescriptionRow,
    alerts: readonly MedicationAlert[] | CheckResult['alerts'],
  ): Promise<Prescription> {
    const items = (await repo.itemsOf(tx, [row.id])).get(row.id)!;
    return toPrescription(row, items, alerts as MedicationAlert[]);
  }

  /**
   * What the patient takes now: items of active prescriptions (every clinic) and reported medications not
   * stopped. Audited `medications.current.read`.
   */
  async current(p: Principal, actor: AuditActor, patientId: string): Promise<CurrentMedicationList> {
    const action = 'medications.current.read';
    return runAudited(this.db, actor, async (tx) => {
      await this.patient(tx, p, patientId, READ, action);
      const [active, reported, last] = await Promise.all([
        repo.activeItems(tx, patientId),
        repo.reportedOf(tx, patientId, true),
        repo.lastReconciliation(tx, patientId),
      ]);
      await writeAudit(tx, actor, {
        action,
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { prescriptions: [...new Set(active.map((a) => a.prescriptionId))], reported: reported.map((r) => r.id) },
      });
      return {
        data: [
          ...active.map((a) => ({
            source: 'prescription' as const,
            id: a.item.id,
            prescriptionId: a.prescriptionId,
            formularyItemId: a.item.formularyItemId,
            name: a.item.name,
            ingredients: a.item.ingredients,
            route: a.item.route,
            dose: { amount: num(a.item.doseAmount), unit: a.item.doseUnit },
            frequency: a.item.frequency,
            doseText: null,
            since: a.signedAt?.toISOString() ?? null,
            prescriber: { id: a.prescriberId, name: a.prescriberName },
          })),
          ...reported.map((r) => ({
            source: 'reported' as const,
            id: r.id,
            prescriptionId: null,
            formularyItemId: r.formularyItemId,
            name: r.name,
            ingredients: r.ingredients,
            route: r.route,
            dose: null,
            frequency: null,
            doseText: r.doseText,
            since: r.since,
            prescriber: null,
          })),
        ],
        lastReconciliation: last
          ? {
              encounterId: last.encounterId,
              at: last.reconciledAt.toISOString(),
              by: { id: last.reconciledBy, name: last.reconcilerName },
            }
          : null,
      };
    });
  }

  // ------------------------------------------------------------------ reported medications

  async reported(p: Principal, actor: AuditActor, patientId: string): Promise<{ data: ReportedMedication[] }> {
    const action = 'reported_medications.read';
    return runAudited(this.db, actor, async (tx) => {
      await this.patient(tx, p, patientId, READ, action);
      const rows = await repo.reportedOf(tx, patientId);
      await writeAudit(tx, actor, {
        action,
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { ids: rows.map((r) => r.id) },
      });
      return { data: rows.map(toReported) };
    });
  }

  /** Records a medication the patient says they take (medications:reconcile). Audited. */
  async report(p: Principal, actor: AuditActor, patientId: string, input: ReportedMedicationInput): Promise<ReportedMedication> {
    const action = 'reported_medication.record';
    return runAudited(this.db, actor, async (tx) => {
      const patient = await this.patient(tx, p, patientId, RECONCILE, action);
      const issues: FieldIssue[] = [];
      const item = input.formularyItemId
        ? (await formulary.itemsByIds(tx, [input.formularyItemId])).get(input.formularyItemId)
        : undefined;
      if (input.formularyItemId && !item)
        issues.push({ field: 'formularyItemId', code: 'invalid', message: 'is not an item of the formulary' });
      const name = input.name;
      if (input.since && input.since > latestToday())
        issues.push({ field: 'since', code: 'invalid', message: 'is in the future' });
      if (input.since && input.since < patient.birthDate)
        issues.push({ field: 'since', code: 'invalid', message: 'is before the patient was born' });
      if (issues.length) throw new Invalid(issues);
      const id = await repo.insertReported(tx, {
        patientId,
        clinicId: p.clinicId!,
        formularyItemId: item?.id ?? null,
        name,
        ingredients: item ? item.ingredients : resolveIngredients(name),
        doseText: input.doseText ?? null,
        route: input.route ?? item?.route ?? null,
        since: input.since ?? null,
        note: input.note ?? null,
        recordedBy: p.userId,
      });
      await writeAudit(tx, actor, { action, patientId, resourceType: 'reported_medication', resourceId: id });
      return toReported((await repo.reportedById(tx, id))!);
    });
  }

  /** The patient no longer takes it (from a day, default today). Audited. */
  async stopReported(
    p: Principal,
    actor: AuditActor,
    patientId: string,
    id: string,
    input: ReportedMedicationStop,
  ): Promise<ReportedMedication> {
    const action = 'reported_medication.stop';
    return runAudited(this.db, actor, async (tx) => {
      await this.patient(tx, p, patientId, RECONCILE, action);
      const row = await repo.reportedById(tx, id, true);
      if (!row || row.patientId !== patientId)
        throw denied(new NotFound('Medication not found'), action, { type: 'reported_medication', id }, patientId);
      if (row.stoppedOn) throw new Conflict('This medication is already stopped');
      const stoppedOn = input.stoppedOn ?? (await clinicToday(tx, p.clinicId!))!.today;
      const issues: FieldIssue[] = [];
      if (input.stoppedOn && input.stoppedOn > latestToday())
        issues.push({ field: 'stoppedOn', code: 'invalid', message: 'is in the future' });
      if (row.since && stoppedOn < row.since)
        issues.push({ field: 'stoppedOn', code: 'invalid', message: 'is before the medication was started' });
      if (issues.length) throw new Invalid(issues);
      await repo.stopReported(tx, id, { stoppedOn, stopReason: input.reason ?? null, stoppedBy: p.userId });
      await writeAudit(tx, actor, { action, patientId, resourceType: 'reported_medication', resourceId: id });
      return toReported((await repo.reportedById(tx, id))!);
    });
  }

  // ------------------------------------------------------------------ reconciliation

  /** The encounter and its patient by the patient-access path: 403 without `rule`, 404 at another clinic. */
  private async encounter(tx: Tx, p: Principal, encounterId: string, rule: PatientAccessRule, action: string) {
    const enc = await repo.encounterOf(tx, encounterId);
    if (planPatientAccess(p, enc?.patientId ?? encounterId, rule).verdict === 'forbidden')
      throw denied(new Forbidden(), action, { type: 'encounter', id: encounterId }, enc?.patientId ?? null);
    if (!enc || enc.clinicId !== p.clinicId)
      throw denied(new NotFound('Encounter not found'), action, { type: 'encounter', id: encounterId }, enc?.patientId ?? null);
    await this.patient(tx, p, enc.patientId, rule, action);
    return enc;
  }

  /** An encounter's reconciliation (null until marked): prescriptions:read. Audited `medications.reconciliation.read`. */
  async reconciliation(p: Principal, actor: AuditActor, encounterId: string): Promise<MedicationReconciliationState> {
    const action = 'medications.reconciliation.read';
    return runAudited(this.db, actor, async (tx) => {
      const enc = await this.encounter(tx, p, encounterId, READ, action);
      await writeAudit(tx, actor, { action, patientId: enc.patientId, resourceType: 'encounter', resourceId: encounterId });
      const row = await repo.reconciliationOf(tx, encounterId);
      return { reconciliation: row ? toReconciliation(row) : null };
    });
  }

  /**
   * "Mark reconciled": the current medications reviewed with the patient in this encounter (in progress, at
   * the active clinic; 409 ENCOUNTER_CLOSED otherwise): medications:reconcile. Marking again records the new
   * reviewer and time. Audited `medications.reconcile` with what was current.
   */
  async reconcile(
    p: Principal,
    actor: AuditActor,
    encounterId: string,
    input: MedicationReconciliationInput,
  ): Promise<MedicationReconciliation> {
    const action = 'medications.reconcile';
    return runAudited(this.db, actor, async (tx) => {
      const enc = await this.encounter(tx, p, encounterId, RECONCILE, action);
      if (enc.status !== 'in_progress') throw new Conflict('This consultation is closed', 'ENCOUNTER_CLOSED');
      const [active, reported] = await Promise.all([
        repo.activeItems(tx, enc.patientId),
        repo.reportedOf(tx, enc.patientId, true),
      ]);
      await repo.upsertReconciliation(tx, {
        encounterId,
        patientId: enc.patientId,
        clinicId: enc.clinicId,
        reconciledBy: p.userId,
        note: input.note ?? null,
        reviewed: [
          ...active.map((a) => ({ source: 'prescription' as const, id: a.item.id, name: a.item.name })),
          ...reported.map((r) => ({ source: 'reported' as const, id: r.id, name: r.name })),
        ],
      });
      await writeAudit(tx, actor, {
        action,
        patientId: enc.patientId,
        resourceType: 'encounter',
        resourceId: encounterId,
        details: { prescriptionItems: active.map((a) => a.item.id), reported: reported.map((r) => r.id) },
      });
      return toReconciliation((await repo.reconciliationOf(tx, encounterId))!);
    });
  }

  // ------------------------------------------------------------------ favourites (the user's own; no patient data)

  private prescriber(p: Principal) {
    if (p.patientId || !p.permissions.has('prescriptions:write')) throw new Forbidden();
  }

  async favourites(p: Principal): Promise<{ data: Favourite[] }> {
    this.prescriber(p);
    return { data: (await repo.favouritesOf(this.db, p.userId)).map(toFavourite) };
  }

  async addFavourite(p: Principal, input: FavouriteInput): Promise<Favourite> {
    this.prescriber(p);
    return this.db.transaction(async (tx) => {
      const item = await this.favouriteItem(tx, input.item, p);
      return toFavourite(await repo.insertFavourite(tx, { userId: p.userId, label: input.label, item }));
    });
  }

  async updateFavourite(p: Principal, id: string, patch: FavouritePatch): Promise<Favourite> {
    this.prescriber(p);
    return this.db.transaction(async (tx) => {
      const item = patch.item ? await this.favouriteItem(tx, patch.item, p) : undefined;
      const row = await repo.updateFavourite(tx, id, p.userId, {
        ...(patch.label ? { label: patch.label } : {}),
        ...(item ? { item } : {}),
      });
      if (!row) throw new NotFound('Favourite not found');
      return toFavourite(row);
    });
  }

  async deleteFavourite(p: Principal, id: string): Promise<void> {
    this.prescriber(p);
    if (!(await repo.deleteFavourite(this.db, id, p.userId))) throw new NotFound('Favourite not found');
  }

  /** A favourite's item checked like a prescription's (400 naming `item.<field>`), stored as typed. */
  private async favouriteItem(tx: Tx, item: FavouriteInput['item'], p: Principal): Promise<Record<string, unknown>> {
    try {
      const [d] = await this.itemsOf(tx, [item], p.userId, p.displayName);
      return {
        formularyItemId: d!.formularyItemId,
        name: d!.name,
        route: d!.route,
        dose: item.dose,
        frequency: d!.frequency,
        durationDays: item.durationDays,
        quantity: item.quantity,
        quantityUnit: item.quantityUnit,
        refills: item.refills ?? 0,
        instructions: item.instructions ?? null,
        substitutionAllowed: item.substitutionAllowed ?? true,
      };
    } catch (err) {
      if (err instanceof Invalid)
        throw new Invalid((err.details as FieldIssue[]).map((i) => ({ ...i, field: i.field.replace(/^items\.0/, 'item') })));
      throw err;
    }
  }

  // ------------------------------------------------------------------ refill requests

  /** The active clinic's refill requests (newest first), `mine`: of prescriptions I signed. Audited. */
  async refillRequests(p: Principal, actor: AuditActor, q: RefillRequestListQuery): Promise<{ data: RefillRequest[] }> {
    const action = 'refill_requests.read';
    if (p.patientId || !p.permissions.has('prescriptions:write') || !p.clinicId) throw new Forbidden();
    const clinicId = p.clinicId;
    return runAudited(this.db, actor, async (tx) => {
      const rows = await repo.refillsOfClinic(tx, clinicId, {
        status: q.status,
        prescriberId: q.mine ? p.userId : undefined,
        limit: q.limit ?? 50,
      });
      await writeAudit(tx, actor, {
        action,
        resourceType: 'clinic',
        resourceId: clinicId,
        details: { ids: rows.map((r) => r.id), patients: [...new Set(rows.map((r) => r.patientId))] },
      });
      const items = await repo.itemsOf(tx, [...new Set(rows.map((r) => r.prescriptionId))]);
      return { data: rows.map((r) => toRefill(r, items.get(r.prescriptionId) ?? [], true)) };
    });
  }

  /**
   * Approves a refill request: a new active prescription (signed by the approver, new code and expiry)
   * copying the items of the prescription asked for, `renewsId` naming it. The checks run again (the
   * patient's medications and allergies may have changed); an override given before for the same
   * alert is carried over, a new blocking alert answers 409 MEDICATION_ALERTS (then prescribe anew).
   */
  async approveRefill(p: Principal, actor: AuditActor, id: string, note: string | null): Promise<RefillRequest> {
    const action = 'refill_request.approve';
    let event: { prescriptionId: string; patientId: string; clinicId: string } | null = null;
    const out = await runAudited(this.db, actor, async (tx) => {
      const req = await this.refill(tx, p, id, action);
      const original = (await repo.prescriptionById(tx, req.prescriptionId))!;
      const patient = await this.patient(tx, p, req.patientId, WRITE, action);
      await repo.lockPatient(tx, req.patientId);
      const stored = (await repo.itemsOf(tx, [original.id])).get(original.id)!;
      const strengths = await formulary.itemsByIds(
        tx,
        stored.flatMap((i) => (i.formularyItemId ? [i.formularyItemId] : [])),
      );
      const items: ItemDraft[] = stored.map(({ id: _id, prescriptionId: _p, ...i }) => ({
        ...i,
        strength: i.formularyItemId ? (strengths.get(i.formularyItemId)?.strength ?? null) : null,
      }));
      const result = await this.check(tx, patient, req.patientId, items, original.id, original);
      const overrides = this.matchOverrides(items, result);
      const missing = result.alerts.filter((a) => a.blocking && !overrides[a.item]!.some((o) => o.key === a.key));
      if (missing.length)
        throw new Conflict('Blocking alerts need a new prescription with overrides', 'MEDICATION_ALERTS', { alerts: missing });
      const issuer = await repo.issuerOf(tx, p.userId, original.clinicId, original.language);
      const signedAt = new Date();
      const newId = await repo.insertPrescription(tx, {
        patientId: req.patientId,
        clinicId: original.clinicId,
        encounterId: null,
        prescriberId: p.userId,
        language: original.language,
        note: original.note,
        pregnant: original.pregnant,
        breastfeeding: original.breastfeeding,
        renewsId: original.id,
      });
      await repo.insertItems(
        tx,
        items.map(({ strength: _s, ...i }, n) => ({ ...i, prescriptionId: newId, overrides: overrides[n]! })),
      );
      await repo.updatePrescription(tx, newId, {
        status: 'active',
        signedAt,
        expiresAt: new Date(signedAt.getTime() + PRESCRIPTION_VALID_DAYS * DAY_MS),
        verificationCode: newVerificationCode(),
        snapshot: {
          ...issuer,
          patient: {
            name: patient.name,
            birthDate: patient.birthDate,
            sex: patient.sex,
            mrn: patient.mrn,
            weightKg: patient.weightKg === null ? null : num(patient.weightKg),
          },
        },
      });
      await repo.decideRefill(tx, id, { status: 'approved', decidedBy: p.userId, decisionNote: note, newPrescriptionId: newId });
      await writeAudit(tx, actor, {
        action,
        patientId: req.patientId,
        resourceType: 'refill_request',
        resourceId: id,
        details: { prescriptionId: newId, renews: original.id },
      });
      event = { prescriptionId: newId, patientId: req.patientId, clinicId: original.clinicId };
      const after = (await repo.refillById(tx, id))!;
      return toRefill(after, stored, true);
    });
    if (event) this.events.publish('prescription.signed', event, [pharmacyRoom((event as { clinicId: string }).clinicId)]);
    return out;
  }

  async declineRefill(p: Principal, actor: AuditActor, id: string, note: string): Promise<RefillRequest> {
    const action = 'refill_request.decline';
    return runAudited(this.db, actor, async (tx) => {
      const req = await this.refill(tx, p, id, action);
      await repo.decideRefill(tx, id, { status: 'declined', decidedBy: p.userId, decisionNote: note });
      await writeAudit(tx, actor, { action, patientId: req.patientId, resourceType: 'refill_request', resourceId: id });
      const items = (await repo.itemsOf(tx, [req.prescriptionId])).get(req.prescriptionId)!;
      return toRefill((await repo.refillById(tx, id))!, items, true);
    });
  }

  /** A refill request of the active clinic still waiting, locked; its patient reached by the access path. */
  private async refill(tx: Tx, p: Principal, id: string, action: string) {
    const req = await repo.refillById(tx, id, true);
    if (planPatientAccess(p, req?.patientId ?? id, WRITE).verdict === 'forbidden')
      throw denied(new Forbidden(), action, { type: 'refill_request', id }, req?.patientId ?? null);
    if (!req || req.clinicId !== p.clinicId)
      throw denied(new NotFound('Refill request not found'), action, { type: 'refill_request', id }, req?.patientId ?? null);
    await this.patient(tx, p, req.patientId, WRITE, action);
    if (req.status !== 'requested') throw new Conflict(`This request was already ${req.status}`, 'REFILL_REQUEST_DECIDED');
    return req;
  }

  // ------------------------------------------------------------------ the portal (for the portal module)

  /** My signed prescriptions with their instructions and refill requests (never the overrides). Audited. */
  async portalList(p: Principal, actor: AuditActor): Promise<{ data: PortalPrescription[] }> {
    const action = 'prescriptions.read';
    return runAudited(this.db, actor, async (tx) => {
      const patientId = await this.own(tx, p, action);
      const rows = await repo.portalPrescriptions(tx, patientId, 100);
      const ids = rows.map((r) => r.id);
      await writeAudit(tx, actor, {
        action,
        patientId,
        resourceType: 'patient',
        resourceId: patientId,
        details: { ids, portal: true },
      });
      const [items, refills] = await Promise.all([repo.itemsOf(tx, ids), repo.refillsOfPrescriptions(tx, ids)]);
      return {
        data: rows.map((r) => {
          const mine = refills.filter((x) => x.prescriptionId === r.id);
          return {
            id: r.id,
            status: r.status,
            signedAt: r.signedAt?.toISOString() ?? null,
            expiresAt: r.expiresAt?.toISOString() ?? null,
            clinic: { id: r.clinicId, name: r.clinicName },
            prescriber: { name: r.snapshot?.prescriber.name ?? r.prescriberName },
            language: r.language,
            items: items.get(r.id)!.map((i) => ({
              name: i.name,
              route: i.route,
              dose: { amount: num(i.doseAmount), unit: i.doseUnit },
              frequency: i.frequency,
              durationDays: i.durationDays,
              quantity: num(i.quantity),
              quantityUnit: i.quantityUnit,
              refills: i.refills,
              instructions: i.instructions,
            })),
            canRequestRefill: refillable(r.status) && !mine.some((x) => x.status === 'requested'),
            refillRequests: mine.map((x) => ({
              id: x.id,
              status: x.status,
              requestedAt: x.requestedAt.toISOString(),
              decidedAt: x.decidedAt?.toISOString() ?? null,
              decisionNote: x.decisionNote,
            })),
          };
        }),
      };
    });
  }

  /**
   * I ask for a refill of one of my prescriptions (active, completed or expired): it goes to the
   * prescribing clinic. Someone else's prescription (or a draft): 404; one waiting already: 409
   * REFILL_REQUEST_PENDING; a cancelled one: 409 PRESCRIPTION_NOT_ACTIVE. Audited.
   */
  async portalRequestRefill(
    p: Principal,
    actor: AuditActor,
    prescriptionId: string,
    note: string | null,
  ): Promise<RefillRequest> {
    const action = 'refill_request.create';
    return runAudited(this.db, actor, async (tx) => {
      const patientId = await this.own(tx, p, action);
      const row = await repo.prescriptionById(tx, prescriptionId, true);
      if (!row || row.patientId !== patientId || !row.signedAt)
        throw denied(
          new NotFound('Prescription not found'),
          action,
          { type: 'prescription', id: prescriptionId },
          row?.patientId === patientId ? patientId : null,
        );
      if (!refillable(row.status)) throw new Conflict('A cancelled prescription cannot be refilled', 'PRESCRIPTION_NOT_ACTIVE');
      const id = await repo.insertRefill(tx, { prescriptionId, patientId, clinicId: row.clinicId, note, requestedBy: p.userId });
      if (!id) throw new Conflict('A refill of this prescription is already waiting', 'REFILL_REQUEST_PENDING');
      await writeAudit(tx, actor, {
        action,
        patientId,
        resourceType: 'refill_request',
        resourceId: id,
        details: { prescriptionId },
      });
      const items = (await repo.itemsOf(tx, [prescriptionId])).get(prescriptionId)!;
      return toRefill((await repo.refillById(tx, id))!, items, false);
    });
  }

  private async own(tx: Tx, p: Principal, action: string): Promise<string> {
    if (!p.patientId) throw denied(new Forbidden(), action, { type: 'patient', id: p.userId });
    await this.patient(tx, p, p.patientId, PORTAL, action);
    return p.patientId;
  }

  // ------------------------------------------------------------------ for the pharmacy module (inside its transaction)

  /** Active prescriptions of a clinic awaiting dispensing, oldest signed first. The caller checks access and audits. */
  pharmacyQueue = async (
    tx: Executor,
    clinicId: string,
    filter: { limit?: number; patientId?: string; q?: string } = {},
  ): Promise<PharmacyPrescription[]> => {
    // what a pharmacist types: any part of the name (accents, case and spaces aside) or of the MRN (dashes aside)
    const needle = filter.q?.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[\s-]/g, '');
    const rows = await repo.pharmacyQueue(tx, clinicId, { limit: filter.limit ?? 100, patientId: filter.patientId, needle });
    const items = await repo.itemsOf(
      tx,
      rows.map((r) => r.id),
    );
    return rows.map((r) => toPharmacy(r, items.get(r.id)!));
  };

  /** One prescription, row-locked (FOR UPDATE) for dispensing; undefined when none. Any status: the caller decides. */
  prescriptionForDispense = async (tx: Executor, prescriptionId: string): Promise<PharmacyPrescription | undefined> => {
    const row = await repo.pharmacyOne(tx, prescriptionId);
    if (!row) return undefined;
    return toPharmacy(row, (await repo.itemsOf(tx, [row.id])).get(row.id)!);
  };

  /** Every item fully dispensed: the prescription is completed (only an active one). Returns whether it changed. */
  markDispensed = async (tx: Executor, prescriptionId: string): Promise<boolean> => {
    const row = await repo.prescriptionById(tx, prescriptionId);
    if (!row || row.status !== 'active') return false;
    await repo.updatePrescription(tx, prescriptionId, { status: 'completed', completedAt: new Date(), version: row.version + 1 });
    return true;
  };

  // ------------------------------------------------------------------ verification, expiry, merge

  /** What the public page may say of a code: genuine or cancelled, the date and the clinic; never the patient. */
  async verify(code: string): Promise<{ status: 'genuine' | 'cancelled'; issuedAt: string; clinic: string } | null> {
    const row = await repo.verification(this.db, normaliseCode(code));
    if (!row || !row.signedAt) return null;
    return {
      status: row.status === 'cancelled' ? 'cancelled' : 'genuine',
      issuedAt: row.signedAt.toISOString(),
      clinic: row.clinic,
    };
  }

  /** The expiry worker, and the first sweep (which queues the next). */
  async start(): Promise<void> {
    await this.jobs.work(EXPIRE_JOB, async () => {
      await this.expire();
    });
    await this.jobs.send(EXPIRE_JOB, {}, { singletonKey: 'sweep' });
  }

  /** Expires what is due, then queues the next sweep (at the next expiry, within the hour). Idempotent. */
  async expire(): Promise<number> {
    const expired = await this.db.transaction(async (tx) => {
      const rows = await repo.expireDue(tx);
      for (const r of rows)
        await writeAudit(tx, SYSTEM, {
          action: 'prescription.expire',
          patientId: r.patientId,
          resourceType: 'prescription',
          resourceId: r.id,
        });
      return rows;
    });
    for (const r of expired)
      this.events.publish(
        'prescription.cancelled',
        { prescriptionId: r.id, patientId: r.patientId, clinicId: r.clinicId, reason: 'expired' },
        [pharmacyRoom(r.clinicId)],
      );
    const next = await repo.nextExpiry(this.db);
    const at = new Date(Math.min(Date.now() + SWEEP_MS, Math.max(Date.now() + 1000, next?.getTime() ?? Infinity)));
    await this.jobs.send(EXPIRE_JOB, {}, { startAfter: at, singletonKey: 'sweep' });
    return expired.length;
  }

  mergePatients = (tx: Tx, fromId: string, toId: string): Promise<void> => repo.moveAll(tx, fromId, toId);
}

/** A prescription may be refilled once signed, unless cancelled. */
const refillable = (status: Prescription['status']) => status === 'active' || status === 'completed' || status === 'expired';

/** The fields of a frequency its kind does not use, refused (not dropped); `asNeeded` needs `maxPerDay`. */
function frequencyIssues(f: Frequency, field: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const need = { times_per_day: 'times', every_hours: 'hours', pattern: 'pattern' } as const;
  const own = (need as Record<string, 'times' | 'hours' | 'pattern'>)[f.kind];
  for (const k of ['times', 'hours', 'pattern'] as const) {
    if (k === own && (f[k] === undefined || f[k] === null))
      issues.push({ field: `${field}.${k}`, code: 'required', message: `is required for ${f.kind.replace(/_/g, ' ')}` });
    if (k !== own && f[k] !== undefined && f[k] !== null)
      issues.push({ field: `${field}.${k}`, code: 'invalid', message: `is not part of ${f.kind.replace(/_/g, ' ')}` });
  }
  if (f.kind === 'pattern' && f.pattern && !f.pattern.some((n) => n > 0))
    issues.push({ field: `${field}.pattern`, code: 'invalid', message: 'gives no dose at any time of day' });
  if (f.asNeeded && (f.maxPerDay === undefined || f.maxPerDay === null))
    issues.push({ field: `${field}.maxPerDay`, code: 'required', message: 'is required for a medication taken as needed' });
  if (!f.asNeeded && f.maxPerDay !== undefined && f.maxPerDay !== null)
    issues.push({ field: `${field}.maxPerDay`, code: 'invalid', message: 'is only for a medication taken as needed' });
  return issues;
}

/** The frequency as stored: only the fields of its kind. */
function cleanFrequency(f: Frequency): Frequency {
  return {
    kind: f.kind,
    ...(f.kind === 'times_per_day' ? { times: f.times } : {}),
    ...(f.kind === 'every_hours' ? { hours: f.hours } : {}),
    ...(f.kind === 'pattern' ? { pattern: f.pattern } : {}),
    asNeeded: f.asNeeded,
    ...(f.asNeeded ? { maxPerDay: f.maxPerDay ?? null } : {}),
  };
}

/** Whole years from a birth date to today. */
/** What the prescriber answered about pregnancy and breastfeeding (null unknown). */
interface PregnancyState {
  pregnant: boolean | null;
  breastfeeding: boolean | null;
}
const NO_STATE: PregnancyState = { pregnant: null, breastfeeding: null };

/**
 * The answers of `input` over `before` (a field left out keeps its value). `true` only for a patient
 * the panel asks (a woman aged 10 to 60: `asksPregnancy`), else 400 naming the field.
 */
function pregnancyOf(
  patient: { sex: string; birthDate: string },
  input: { pregnant?: boolean | null; breastfeeding?: boolean | null },
  before: PregnancyState,
): PregnancyState {
  const state = {
    pregnant: input.pregnant === undefined ? before.pregnant : input.pregnant,
    breastfeeding: input.breastfeeding === undefined ? before.breastfeeding : input.breastfeeding,
  };
  if (!asksPregnancy({ sex: patient.sex, ageYears: ageOf(patient.birthDate) })) {
    const issues: FieldIssue[] = (['pregnant', 'breastfeeding'] as const)
      .filter((k) => input[k] === true)
      .map((field) => ({
        field,
        code: 'invalid',
        message: `applies only to female patients aged ${PRIORITY_RULES.pregnantMinAge} to ${PRIORITY_RULES.pregnantMaxAge}`,
      }));
    if (issues.length) throw new Invalid(issues);
    return NO_STATE;
  }
  return state;
}

function ageOf(birthDate: string): number {
  const now = new Date();
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = now.getUTCFullYear() - y;
  if (now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d)) age -= 1;
  return age;
}

/** An item of a signed prescription as the input of a new one (repeat last). */
function templateOf(i: repo.ItemRow): PrescriptionItemInput {
  return {
    formularyItemId: i.formularyItemId,
    name: i.name,
    route: i.route as PrescriptionItemInput['route'],
    dose: { amount: num(i.doseAmount), unit: i.doseUnit },
    frequency: i.frequency,
    durationDays: i.durationDays,
    quantity: num(i.quantity),
    quantityUnit: i.quantityUnit,
    refills: i.refills,
    ...(i.instructions ? { instructions: i.instructions } : {}),
    substitutionAllowed: i.substitutionAllowed,
  };
}

function toItem(i: repo.ItemRow): Prescription['items'][number] {
  return {
    id: i.id,
    position: i.position,
    formularyItemId: i.formularyItemId,
    name: i.name,
    ingredients: i.ingredients,
    route: i.route,
    dose: { amount: num(i.doseAmount), unit: i.doseUnit },
    frequency: i.frequency,
    durationDays: i.durationDays,
    quantity: num(i.quantity),
    quantityUnit: i.quantityUnit,
    refills: i.refills,
    instructions: i.instructions,
    substitutionAllowed: i.substitutionAllowed,
    overrides: i.overrides,
  };
}

export function toPrescription(r: repo.PrescriptionRow, items: repo.ItemRow[], alerts: MedicationAlert[]): Prescription {
  return {
    id: r.id,
    patientId: r.patientId,
    clinicId: r.clinicId,
    encounterId: r.encounterId,
    status: r.status,
    language: r.language,
    note: r.note,
    pregnant: r.pregnant,
    breastfeeding: r.breastfeeding,
    prescriber: { id: r.prescriberId, name: r.prescriberName },
    createdAt: r.createdAt.toISOString(),
    signedAt: r.signedAt?.toISOString() ?? null,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    completedAt: r.completedAt?.toISOString() ?? null,
    cancelledAt: r.cancelledAt?.toISOString() ?? null,
    cancelledBy: r.cancelledBy ? { id: r.cancelledBy, name: r.cancelledByName ?? '' } : null,
    cancelReason: r.cancelReason,
    verificationCode: r.verificationCode,
    renewsId: r.renewsId,
    version: r.version,
    items: items.map(toItem),
    alerts,
  };
}

function toPharmacy(
  r: repo.PrescriptionRow & { patientName: string; patientMrn: string; patientBirthDate: string; patientSex: string },
  items: repo.ItemRow[],
): PharmacyPrescription {
  return {
    id: r.id,
    clinicId: r.clinicId,
    status: r.status,
    language: r.language,
    signedAt: r.signedAt?.toISOString() ?? '',
    expiresAt: r.expiresAt?.toISOString() ?? '',
    note: r.note,
    verificationCode: r.verificationCode ?? '',
    prescriber: { id: r.prescriberId, name: r.snapshot?.prescriber.name ?? r.prescriberName },
    patient: { id: r.patientId, name: r.patientName, mrn: r.patientMrn, birthDate: r.patientBirthDate, sex: r.patientSex },
    pregnant: r.pregnant,
    breastfeeding: r.breastfeeding,
    items: items.map((i) => {
      const { position: _p, ingredients: _i, ...rest } = toItem(i);
      return rest;
    }),
  };
}

function toReconciliation(r: repo.ReconciliationRow): MedicationReconciliation {
  return {
    encounterId: r.encounterId,
    patientId: r.patientId,
    clinicId: r.clinicId,
    reconciledBy: { id: r.reconciledBy, name: r.reconcilerName },
    reconciledAt: r.reconciledAt.toISOString(),
    note: r.note,
    reviewed: r.reviewed,
  };
}

function toReported(r: repo.ReportedRow): ReportedMedication {
  return {
    id: r.id,
    patientId: r.patientId,
    clinicId: r.clinicId,
    formularyItemId: r.formularyItemId,
    name: r.name,
    ingredients: r.ingredients,
    doseText: r.doseText,
    route: r.route,
    since: r.since,
    stoppedOn: r.stoppedOn,
    stopReason: r.stopReason,
    note: r.note,
    recordedAt: r.recordedAt.toISOString(),
    recordedBy: { id: r.recordedBy, name: r.recordedByName },
  };
}

function toFavourite(r: repo.FavouriteRow): Favourite {
  return {
    id: r.id,
    label: r.label,
    item: r.item as Favourite['item'],
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function toRefill(r: repo.RefillListRow, items: repo.ItemRow[], staff: boolean): RefillRequest {
  return {
    id: r.id,
    prescriptionId: r.prescriptionId,
    patientId: r.patientId,
    clinicId: r.clinicId,
    status: r.status,
    note: r.note,
    requestedAt: r.requestedAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decidedBy: r.decidedBy ? { id: r.decidedBy, name: r.decidedByName ?? '' } : null,
    decisionNote: r.decisionNote,
    newPrescriptionId: r.newPrescriptionId,
    patient: staff ? { id: r.patientId, name: r.patientName, mrn: r.patientMrn } : null,
    items: items.map((i) => ({ name: i.name })),
    prescriber: { id: r.prescriberId, name: r.prescriberName },
  };
}
