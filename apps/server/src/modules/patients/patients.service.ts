import type pg from 'pg';
import { formatMrn, normalizeMrn } from '@sanita/clinical/mrn';
import type { Db, Tx, Executor } from '../../platform/db/database.ts';
import type { PatientMergeHook } from '../../platform/module.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { refuse, runAudited } from '../../platform/audit/audited.ts';
import { decidePatientAccess, patientRefusal, planPatientAccess, type PatientAccessRule } from '../../platform/patient-access.ts';
import type { Crypto } from '../../platform/crypto.ts';
import type { Principal } from '../../platform/access.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import * as repo from './patients.repository.ts';
import type { Patient, PatientInput, PatientSummary, SearchQuery, UpdatePatientBody } from '@sanita/contracts/patients';
import { digitsOnly, normaliseName, normaliseNationalId, parseDate, phoneKey } from './patients.normalize.ts';

/** Moves another module's records from a merged duplicate to the surviving patient. */
export type { PatientMergeHook } from '../../platform/module.ts';

export class PatientsService {
  constructor(
    private readonly db: Db,
    private readonly pool: pg.Pool,
    private readonly crypto: Crypto,
    /** the `onPatientMerge` of every module (appointments, encounters…), so that a merge moves their rows too */
    private readonly mergeContributions: () => readonly PatientMergeHook[] = () => [],
  ) {}

  private get mergeHooks(): readonly PatientMergeHook[] {
    return [repo.reassignPatientLinks, ...this.mergeContributions()];
  }

  // ------------------------------------------------------------------ access

  /**
   * Loads a patient for `rule`, by the one patient-access path (`platform/patient-access.ts`): a
   * patient user reads only their own record and writes nothing through the staff API; staff reach
   * patients registered at their active clinic, and may read (never write) those of other clinics
   * with `patients:read_all_clinics`. Without the permission the answer is 403 whether or not the
   * patient exists (no existence oracle); with it, a patient out of reach looks like it does not
   * exist. A refusal is thrown as `Refused`: `runAudited` audits it in its own committed
   * transaction before the error is returned.
   */
  private async load(tx: Tx, p: Principal, id: string, rule: PatientAccessRule, action: string): Promise<repo.PatientRow> {
    const plan = planPatientAccess(p, id, rule);
    const found = await repo.findPatientWithLink(tx, id, p.clinicId);
    const verdict = decidePatientAccess(plan, found);
    if (verdict === 'ok') return found!.patient;
    throw patientRefusal(verdict, id, !!found, action);
  }

  // ------------------------------------------------------------------ read

  /**
   * Reads a record. The relationship check that depends on the database (is the patient registered
   * at the active clinic?) runs in the same statement that writes the audit row, so a chart opens in
   * one round trip and one transaction; every other rule is decided here first.
   */
  async get(p: Principal, actor: AuditActor, id: string): Promise<Patient> {
    const plan = planPatientAccess(p, id, READ);
    if (plan.verdict === 'forbidden' || plan.verdict === 'hidden')
      return runAudited(this.db, actor, (tx) => this.load(tx, p, id, READ, 'patient.read').then((r) => this.toPatient(r)));
    const row = await repo.readPatientAudited(this.pool, id, p.clinicId, plan.verdict === 'granted', actor);
    if (row?.allowed) return this.toPatient(row.patient);
    // a refused read of an existing record was audited as denied by the statement itself
    if (!row) throw await refuse(this.db, actor, patientRefusal('hidden', id, false, 'patient.read'));
    throw new NotFound('Patient not found');
  }

  async search(p: Principal, actor: AuditActor, q: SearchQuery): Promise<{ data: PatientSummary[]; nextCursor: string | null }> {
    if (!p.permissions.has('patients:read')) {
      await writeAudit(this.db, actor, { action: 'patient.search', outcome: 'denied' });
      throw new Forbidden();
    }
    if (q.allClinics && !p.permissions.has('patients:read_all_clinics')) {
      await writeAudit(this.db, actor, { action: 'patient.search', outcome: 'denied', details: { allClinics: true } });
      throw new Forbidden('Searching every clinic needs the patients:read_all_clinics permission');
    }
    const limit = q.limit ?? 25;
    const offset = q.cursor ? Number.parseInt(q.cursor, 10) : 0;
    const clinicId = q.allClinics ? null : p.clinicId;
    const f: repo.SearchFilters = { clinicId, limit: limit + 1, offset };
    let ambiguousDigits: string | null = null;
    /** free text shaped like an MRN may as well be an identity document number (e.g. AB12345678) */
    let mrnOrNationalId: string | null = null;

    if (q.name) f.nameTokens = tokens(q.name);
    if (q.mrn) f.mrn = normalizeMrn(q.mrn) ?? q.mrn.toUpperCase();
    if (q.phone) f.phoneKey = phoneKey(q.phone);
    if (q.birthDate) f.birthDate = q.birthDate;
    if (q.nationalId) f.nationalIdHash = this.crypto.blindIndex(normaliseNationalId(q.nationalId), 'national-id');
    if (q.q?.trim()) {
      const text = q.q.trim();
      const mrn = normalizeMrn(text);
      if (mrn) {
        f.mrn = mrn;
        mrnOrNationalId = text;
      } else if (parseDate(text)) f.birthDate = parseDate(text)!;
      // a date such as 1987-03-14 is all digits and dashes too: dates are recognised first
      else if (/^[+0-9][0-9 ().-]{4,}$/.test(text) && digitsOnly(text).length >= 6) ambiguousDigits = text;
      else if (/^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9./-]{4,}$/.test(text)) {
        // one token of letters and digits: an identity document number
        f.nationalIdHash = this.crypto.blindIndex(normaliseNationalId(text), 'national-id');
      } else {
        const rest: string[] = [];
        for (const part of text.split(/\s+/)) {
          const d = parseDate(part);
          if (d) f.birthDate = d;
          else rest.push(part);
        }
        const nameTokens = tokens(rest.join(' '));
        if (nameTokens.length) f.nameTokens = [...(f.nameTokens ?? []), ...nameTokens];
      }
    }
    const hasFilter = f.nameTokens?.length || f.mrn || f.phoneKey || f.birthDate || f.nationalIdHash || ambiguousDigits;
    if (!hasFilter) throw new Invalid([{ field: 'q', message: 'type a name, MRN, phone, birth date or national ID' }]);

    if (ambiguousDigits) {
      f.phoneOrNationalId = {
        phoneKey: phoneKey(ambiguousDigits),
        nationalIdHash: this.crypto.blindIndex(normaliseNationalId(ambiguousDigits), 'national-id'),
      };
    }
    const audit = { actor, shown: limit, details: { query: q.q ?? null, filters: Object.keys(q).filter((k) => k !== 'q') } };
    let rows = await repo.searchPatientsAudited(this.pool, f, audit);
    if (!rows.length && mrnOrNationalId) {
      // a letters-and-digits token that is not an MRN on file may be an identity document number
      const nationalIdHash = this.crypto.blindIndex(normaliseNationalId(mrnOrNationalId), 'national-id');
      rows = await repo.searchPatientsAudited(this.pool, { ...f, mrn: undefined, nationalIdHash }, audit);
    }
    return { data: rows.slice(0, limit), nextCursor: rows.length > limit ? String(offset + limit) : null };
  }

  async duplicates(
    p: Principal,
    actor: AuditActor,
    c: { givenName: string; familyName: string; birthDate?: string; phone?: string },
  ) {
    if (!p.permissions.has('patients:write') || p.patientId) {
      await writeAudit(this.db, actor, { action: 'patient.duplicate_check', outcome: 'denied' });
      throw new Forbidden();
    }
    return this.db.transaction(async (tx) => {
      const data = await this.findDuplicates(tx, p.clinicId, c);
      await writeAudit(tx, actor, {
        action: 'patient.duplicate_check',
        details: { results: data.length, ids: data.map((d) => d.id) },
      });
      return { data };
    });
  }

  private findDuplicates(
    tx: Executor,
    clinicId: string | null,
    c: { givenName: string; familyName: string; birthDate?: string; phone?: string; excludeId?: string },
  ) {
    return repo.findDuplicateCandidates(tx, {
      name: normaliseName(`${c.givenName} ${c.familyName}`),
      birthDate: c.birthDate,
      phoneKey: c.phone ? phoneKey(c.phone) || undefined : undefined,
      clinicId,
      excludeId: c.excludeId,
    });
  }

  async accessLog(
    p: Principal,
    actor: AuditActor,
    id: string,
    limit: number,
    cursor: string | undefined,
    /** the portal leaves out the patient's own views of their record */
    excludeActorUserId?: string,
  ) {
    return runAudited(this.db, actor, async (tx) => {
      await this.load(tx, p, id, READ, 'patient.access_log.read');
      const rows = await repo.accessLog(tx, id, limit + 1, cursor ? Number(cursor) : null, excludeActorUserId);
      await writeAudit(tx, actor, { action: 'patient.access_log.read', patientId: id, resourceType: 'patient', resourceId: id });
      const page = rows.slice(0, limit);
      return {
        data: page.map((r) => ({ ...r, at: r.at.toISOString() })),
        nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null,
      };
    });
  }

  // ------------------------------------------------------------------ write

  async create(p: Principal, actor: AuditActor, input: PatientInput & { allowDuplicate?: boolean }): Promise<Patient> {
    if (!p.permissions.has('patients:write') || p.patientId) {
      await writeAudit(this.db, actor, { action: 'patient.create', outcome: 'denied' });
      throw new Forbidden();
    }
    if (!p.clinicId) throw new Forbidden('Choose a clinic first', 'NO_CLINIC');
    const clinicId = p.clinicId;
    if (!input.allowDuplicate) {
      const candidates = await this.findDuplicates(this.db, clinicId, { ...input, phone: input.phones?.[0] });
      if (candidates.length) {
        throw new Conflict('This patient may already be registered', 'DUPLICATE_SUSPECTED', {
          candidates: candidates.map(({ score: _s, ...c }) => c),
        });
      }
    }
    const row = await this.insert(this.db, clinicId, input, p.userId, actor, { allowDuplicate: !!input.allowDuplicate });
    return this.toPatient(row);
  }

  /** Creates the record of a patient who registers themself through the portal. */
  registerSelf = async (
    tx: Tx,
    actor: AuditActor,
    input: {
      givenName: string;
      familyName: string;
      birthDate: string;
      sex: PatientInput['sex'];
      phone?: string;
      email: string;
      clinicId: string;
      preferredLanguage: string;
    },
  ): Promise<{ id: string }> => {
    const row = await this.insert(
      tx,
      input.clinicId,
      {
        givenName: input.givenName,
        familyName: input.familyName,
        birthDate: input.birthDate,
        sex: input.sex,
        phones: input.phone ? [input.phone] : [],
        email: input.email,
        preferredLanguage: input.preferredLanguage,
      },
      null,
      actor,
      { selfRegistered: true },
    );
    return { id: row.id };
  };

  /**
   * A registration from an interface (HL7 ADT), inside the caller's transaction: the UI's duplicate
   * check at `clinicId` first — a likely match is that patient (no second record) —, else a new
   * record at `clinicId`. `mrn` names one of our records directly when the sender knows it.
   */
  registerFromInterface = async (
    tx: Tx,
    actor: AuditActor,
    clinicId: string,
    input: PatientInput,
    source: Record<string, unknown>,
  ): Promise<{ id: string; mrn: string; version: number; created: boolean }> => {
    const candidates = await this.findDuplicates(tx, clinicId, { ...input, phone: input.phones?.[0] });
    if (candidates[0]) {
      const c = candidates[0];
      const row = await repo.findPatientWithLink(tx, c.id, clinicId);
      return { id: c.id, mrn: c.mrn, version: row?.patient.version ?? 1, created: false };
    }
    const row = await this.insert(tx, clinicId, input, null, actor, { ...source, interface: true });
    return { id: row.id, mrn: row.mrn, version: row.version, created: true };
  };

  /** The active record an MRN names (with or without dashes), for an interface matching a sender's identifier. */
  findByMrnForInterface = async (tx: Tx, mrn: string): Promise<{ id: string; mrn: string; primaryClinicId: string } | null> => {
    const normal = normalizeMrn(mrn);
    if (!normal) return null;
    const rows = await repo.findByMrn(tx, normal);
    return rows ?? null;
  };

  /**
   * Demographics from an interface (HL7 ADT^A08), inside the caller's transaction, on the record's
   * current version (the sender has no version of ours); audited as `patient.update`.
   */
  updateFromInterface = async (
    tx: Tx,
    actor: AuditActor,
    id: string,
    fields: Partial<PatientInput>,
    source: Record<string, unknown>,
  ): Promise<{ id: string; version: number; changed: string[] }> => {
    const found = await repo.findPatientWithLink(tx, id, null);
    if (!found || found.patient.status === 'merged') throw new NotFound('No such patient');
    const current = found.patient;
    if (fields.birthDate) checkBirthDate(fields.birthDate, 'birthDate');
    const changes = this.columns(id, fields);
    const changed = (Object.keys(changes) as (keyof typeof changes)[]).filter(
      (k) => JSON.stringify(changes[k]) !== JSON.stringify((current as Record<string, unknown>)[k]),
    );
    if (!changed.length) return { id, version: current.version, changed: [] };
    const kept = Object.fromEntries(changed.map((k) => [k, changes[k]])) as Partial<repo.NewPatientRow>;
    if (changed.some((k) => k === 'givenName' || k === 'middleName' || k === 'familyName')) {
      kept.searchName = normaliseName(
        [
          changes.givenName ?? current.givenName,
          changes.middleName !== undefined ? changes.middleName : current.middleName,
          changes.familyName ?? current.familyName,
        ]
          .filter(Boolean)
          .join(' '),
      );
    }
    const updated = await repo.updatePatientVersioned(tx, id, current.version, kept);
    if (!updated) throw new Conflict('The record changed meanwhile', 'STALE_VERSION', { currentVersion: current.version });
    await writeAudit(tx, actor, {
      action: 'patient.update',
      patientId: id,
      resourceType: 'patient',
      resourceId: id,
      details: { ...source, interface: true, fields: changed, fromVersion: current.version },
    });
    return { id, version: updated.version, changed };
  };

  /** Registers a patient at `clinicId` with its MRN and the `patient.create` audit row: two round trips. */
  private async insert(
    db: Executor,
    clinicId: string,
    input: PatientInput,
    createdBy: string | null,
    actor: AuditActor,
    details: Record<string, unknown>,
  ): Promise<repo.PatientRow> {
    checkBirthDate(input.birthDate, 'birthDate');
    checkNationalId(input.nationalId);
    const mrn = await repo.allocateMrn(db, clinicId);
    if (!mrn) throw new Invalid([{ field: 'clinicId', message: 'is not a clinic of this organisation' }]);
    const id = crypto.randomUUID();
    return repo.insertPatientAudited(
      db,
      {
        id,
        mrn: formatMrn(mrn.prefix, mrn.seq),
        primaryClinicId: clinicId,
        createdBy,
        searchName: normaliseName([input.givenName, input.middleName, input.familyName].filter(Boolean).join(' ')),
        ...this.columns(id, input),
      } as repo.NewPatientRow & { id: string },
      clinicId,
      actor,
      { action: 'patient.create', details },
    );
  }

  /** Maps API fields to columns, deriving the search and encrypted columns. */
  private columns(id: string, input: Partial<PatientInput>): Partial<repo.NewPatientRow> {
    const c: Partial<repo.NewPatientRow> = {};
    if (input.givenName !== undefined) c.givenName = input.givenName.trim();
    if (input.middleName !== undefined) c.middleName = input.middleName?.trim() || null;
    if (input.familyName !== undefined) c.familyName = input.familyName.trim();
    if (input.sex !== undefined) c.sex = input.sex;
    if (input.birthDate !== undefined) c.birthDate = input.birthDate;
    if (input.phones !== undefined) {
      c.phones = [...new Set(input.phones.map((ph) => (ph.trim().startsWith('+') ? '+' : '') + digitsOnly(ph)))];
      c.phoneKeys = [...new Set(c.phones.map(phoneKey))];
    }
    if (input.email !== undefined) c.email = input.email?.trim().toLowerCase() || null;
    if (input.address !== undefined) c.address = input.address;
    if (input.preferredLanguage !== undefined) c.preferredLanguage = input.preferredLanguage;
    if (input.nationalId !== undefined) {
      const nid = input.nationalId ? normaliseNationalId(input.nationalId) : '';
      c.nationalIdEnc = nid ? this.crypto.encrypt(input.nationalId!.trim(), `patient:${id}:national-id`) : null;
      c.nationalIdHash = nid ? this.crypto.blindIndex(nid, 'national-id') : null;
    }
    if (input.emergencyContacts !== undefined) c.emergencyContacts = input.emergencyContacts;
    if (input.bloodType !== undefined) c.bloodType = input.bloodType;
    return c;
  }

  async update(p: Principal, actor: AuditActor, id: string, body: UpdatePatientBody): Promise<Patient> {
    const { version, status, deceasedAt, ...fields } = body;
    if (fields.birthDate) checkBirthDate(fields.birthDate, 'birthDate');
    checkNationalId(fields.nationalId);
    return runAudited(this.db, actor, async (tx) => {
      const current = await this.load(tx, p, id, WRITE, 'patient.update');
      if (current.status === 'merged') throw new Conflict('This record was merged into another one', 'PATIENT_MERGED');
      const changes = this.columns(id, fields);
      if (changes.givenName !== undefined || changes.middleName !== undefined || changes.familyName !== undefined) {
        changes.searchName = normaliseName(
          [
            changes.givenName ?? current.givenName,
            changes.middleName !== undefined ? changes.middleName : current.middleName,
            changes.familyName ?? current.familyName,
          ]
            .filter(Boolean)
            .join(' '),
        );
      }
      if (status) changes.status = status;
      if (deceasedAt !== undefined) changes.deceasedAt = deceasedAt;
      if (status === 'deceased' && !deceasedAt && !current.deceasedAt) changes.deceasedAt = new Date().toISOString().slice(0, 10);
      const updated = await repo.updatePatientVersioned(tx, id, version, changes);
      if (!updated) {
        throw new Conflict('Someone else changed this record since you opened it; reload to see their changes', 'STALE_VERSION', {
          currentVersion: current.version,
        });
      }
      await writeAudit(tx, actor, {
        action: 'patient.update',
        patientId: id,
        resourceType: 'patient',
        resourceId: id,
        details: { fields: Object.keys(fields).concat(status ? ['status'] : []), fromVersion: version },
      });
      return this.toPatient(updated);
    });
  }

  /** Merges `duplicateId` into `survivorId`: every record moves, the duplicate is marked merged. */
  async merge(p: Principal, actor: AuditActor, survivorId: string, duplicateId: string): Promise<Patient> {
    if (!p.permissions.has('patients:merge')) {
      await writeAudit(this.db, actor, { action: 'patient.merge', outcome: 'denied', patientId: survivorId });
      throw new Forbidden();
    }
    if (survivorId === duplicateId) throw new Invalid([{ field: 'duplicateId', message: 'must be a different patient' }]);
    return runAudited(this.db, actor, async (tx) => {
      // lock both rows in a fixed order so that two merges cannot deadlock or interleave
      await repo.lockPatients(tx, [survivorId, duplicateId]);
      const survivor = await this.load(tx, p, survivorId, WRITE, 'patient.merge');
      const dup = await this.load(tx, p, duplicateId, WRITE, 'patient.merge');
      if (survivor.status === 'merged' || dup.status === 'merged')
        throw new Conflict('One of these records was already merged', 'PATIENT_MERGED');
      for (const hook of this.mergeHooks) await hook(tx, duplicateId, survivorId);
      const fill: Partial<repo.NewPatientRow> = {};
      const phones = [...new Set([...survivor.phones, ...dup.phones])];
      if (phones.length !== survivor.phones.length) {
        fill.phones = phones;
        fill.phoneKeys = [...new Set([...survivor.phoneKeys, ...dup.phoneKeys])];
      }
      if (!survivor.email && dup.email) fill.email = dup.email;
      if (!survivor.nationalIdEnc && dup.nationalIdEnc) {
        fill.nationalIdEnc = this.crypto.encrypt(
          this.crypto.decrypt(dup.nationalIdEnc, `patient:${dup.id}:national-id`),
          `patient:${survivor.id}:national-id`,
        );
        fill.nationalIdHash = dup.nationalIdHash;
      }
      if (!survivor.address && dup.address) fill.address = dup.address;
      if (!survivor.bloodType && dup.bloodType) fill.bloodType = dup.bloodType;
      const updated = await repo.updatePatientVersioned(tx, survivorId, survivor.version, fill);
      await repo.updatePatientVersioned(tx, duplicateId, dup.version, {
        status: 'merged',
        mergedIntoId: survivorId,
        nationalIdHash: null,
      });
      const details = { survivorId, duplicateId, survivorMrn: survivor.mrn, duplicateMrn: dup.mrn };
      await writeAudit(
        tx,
        actor,
        { action: 'patient.merge', patientId: survivorId, resourceType: 'patient', resourceId: survivorId, details },
        { action: 'patient.merge', patientId: duplicateId, resourceType: 'patient', resourceId: duplicateId, details },
      );
      return this.toPatient(updated!);
    });
  }

  // ------------------------------------------------------------------ portal

  /** Portal calls by someone without `portal:self` are refused and audited like any other attempt. */
  private async requirePortal(p: Principal, actor: AuditActor, action: string): Promise<void> {
    if (p.permissions.has('portal:self')) return;
    await writeAudit(this.db, actor, { action, outcome: 'denied', details: { portal: true } });
    throw new Forbidden();
  }

  async getOwn(p: Principal, actor: AuditActor): Promise<Patient> {
    await this.requirePortal(p, actor, 'patient.read');
    if (!p.patientId) throw new NotFound('No patient record is linked to this account');
    return this.get(p, actor, p.patientId);
  }

  async ownAccessLog(p: Principal, actor: AuditActor, limit: number, cursor: string | undefined) {
    await this.requirePortal(p, actor, 'patient.access_log.read');
    if (!p.patientId) throw new NotFound('No patient record is linked to this account');
    return this.accessLog(p, actor, p.patientId, limit, cursor, p.userId);
  }

  private toPatient(r: repo.PatientRecord): Patient {
    return {
      id: r.id,
      mrn: r.mrn,
      givenName: r.givenName,
      middleName: r.middleName,
      familyName: r.familyName,
      sex: r.sex,
      birthDate: r.birthDate,
      phones: r.phones,
      status: r.status,
      primaryClinicId: r.primaryClinicId,
      email: r.email,
      address: (r.address as Patient['address']) ?? null,
      preferredLanguage: r.preferredLanguage,
      nationalId: r.nationalIdEnc ? this.crypto.decrypt(r.nationalIdEnc, `patient:${r.id}:national-id`) : null,
      emergencyContacts: (r.emergencyContacts as Patient['emergencyContacts']) ?? [],
      bloodType: r.bloodType,
      mergedIntoId: r.mergedIntoId,
      deceasedAt: r.deceasedAt,
      version: r.version,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  }
}

/** Reading a record: staff with patients:read (every clinic with patients:read_all_clinics), or the patient. */
const READ: PatientAccessRule = { permission: 'patients:read', self: true, allClinics: true };
/** Changing a record: staff with patients:write, at their active clinic only. */
const WRITE: PatientAccessRule = { permission: 'patients:write' };

function tokens(s: string): string[] {
  return normaliseName(s)
    .split(' ')
    .filter((t) => t.length > 0)
    .slice(0, 6);
}

/** An identity number is matched on its letters and digits; without any it would be stored as nothing. */
function checkNationalId(v: string | null | undefined): void {
  if (v && !normaliseNationalId(v)) throw new Invalid([{ field: 'nationalId', message: 'must contain letters or digits' }]);
}

function checkBirthDate(d: string, field: string): void {
  const today = new Date().toISOString().slice(0, 10);
  if (d > today) throw new Invalid([{ field, message: 'cannot be in the future' }]);
  if (d < '1880-01-01') throw new Invalid([{ field, message: 'is too far in the past' }]);
}
