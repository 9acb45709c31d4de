import crypto from 'node:crypto';
import type { Db } from '../../platform/db/database.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import type { Principal } from '../../platform/access.ts';
import { Conflict, Forbidden, Invalid, NotFound, type FieldIssue } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/realtime/events.ts';
import { isUniqueViolation } from '../../platform/db/queries.ts';
import { visitType as findVisitType } from './availability.repository.ts';
import type { AvailabilityService, NextFreeSlot } from './availability.service.ts';
import * as repo from './practitioners.repository.ts';
import {
  SELF_EDITABLE,
  type CreatePractitionerBody,
  type Practitioner,
  type PractitionersQuery,
  type UpdatePractitionerBody,
} from '@sanita/contracts/scheduling/practitioners';

/** The SHA-256 under which an iCalendar feed secret is stored and looked up. */
export const icalTokenHash = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

function toPractitioner(r: repo.PractitionerRow, nextFreeSlot: NextFreeSlot | null): Practitioner {
  return {
    id: r.id,
    userId: r.userId,
    displayName: r.displayName,
    licenceNumber: r.licenceNumber,
    bio: r.bio,
    languages: r.languages,
    feeAmount: r.feeAmount === null ? null : Number(r.feeAmount),
    feeCurrency: r.feeCurrency,
    requiresConfirmation: r.requiresConfirmation,
    icalEnabled: r.icalEnabled,
    active: r.active,
    specialties: r.specialties,
    clinicIds: r.clinicIds,
    nextFreeSlot,
  };
}

const userTaken = () =>
  new Conflict('This user already has a practitioner profile', 'USER_TAKEN', [
    { field: 'userId', message: 'already a practitioner' },
  ]);

/** Practitioners: who sees patients, where, in which languages, for what fee. */
export class PractitionersService {
  constructor(
    private readonly db: Db,
    private readonly availability: AvailabilityService,
    private readonly events: EventBus,
    private readonly publicUrl: string,
  ) {}

  async list(q: PractitionersQuery): Promise<Practitioner[]> {
    const vt = q.visitTypeId ? await findVisitType(this.db, q.visitTypeId) : null;
    if (q.visitTypeId && !vt) throw new Invalid([{ field: 'visitTypeId', message: 'no such visit type' }]);
    const rows = await repo.listPractitioners(this.db, q);
    const next = await this.availability.nextFreeSlots(
      this.db,
      rows.filter((r) => r.active),
      q.clinicId ?? null,
      vt ? { id: vt.id, durationMinutes: vt.durationMinutes } : null,
    );
    return rows.map((r) => toPractitioner(r, next.get(r.id) ?? null));
  }

  async get(id: string): Promise<Practitioner> {
    const row = await repo.getPractitioner(this.db, id);
    if (!row) throw new NotFound('Practitioner not found');
    const next = row.active ? await this.availability.nextFreeSlots(this.db, [row], null, null) : new Map();
    return toPractitioner(row, next.get(row.id) ?? null);
  }

  /** Ids and relations the schema cannot check. */
  private async checkRefs(
    p: Principal,
    b: { specialtyIds?: string[]; clinicIds?: string[]; feeAmount?: number | null; feeCurrency?: string | null },
    current?: { feeAmount: string | null; feeCurrency: string | null },
  ): Promise<void> {
    const issues: FieldIssue[] = [];
    const known = await repo.existingSpecialtyIds(this.db, b.specialtyIds ?? []);
    (b.specialtyIds ?? []).forEach((id, i) => {
      if (!known.has(id)) issues.push({ field: `specialtyIds.${i}`, message: 'no such specialty' });
    });
    if (b.clinicIds) {
      const clinics = await repo.existingClinicIds(this.db, b.clinicIds);
      const mine = await repo.memberClinicIds(this.db, p.userId);
      b.clinicIds.forEach((id, i) => {
        if (!clinics.has(id)) issues.push({ field: `clinicIds.${i}`, message: 'no such clinic' });
        // staff place practitioners only in clinics they work in themselves
        else if (!mine.has(id)) issues.push({ field: `clinicIds.${i}`, message: 'you are not a member of this clinic' });
      });
    }
    const amount = b.feeAmount !== undefined ? b.feeAmount : (current?.feeAmount ?? null);
    const currency = b.feeCurrency !== undefined ? b.feeCurrency : (current?.feeCurrency ?? null);
    if ((amount === null) !== (currency === null))
      issues.push({
        field: amount === null ? 'feeAmount' : 'feeCurrency',
        message: 'a fee needs both an amount and a currency',
      });
    if (issues.length) throw new Invalid(issues);
  }

  async create(p: Principal, actor: AuditActor, body: CreatePractitionerBody): Promise<Practitioner> {
    if (p.patientId || !p.permissions.has('settings:write')) throw new Forbidden();
    await this.checkRefs(p, body);
    if (body.userId) {
      if (!(await repo.staffUserExists(this.db, body.userId)))
        throw new Invalid([{ field: 'userId', message: 'no such staff account' }]);
      if (await repo.practitionerIdOfUser(this.db, body.userId)) throw userTaken();
    }
    let id: string;
    try {
      id = await this.db.transaction(async (tx) => {
        const created = await repo.insertPractitioner(tx, {
          userId: body.userId ?? null,
          displayName: body.displayName.trim(),
          licenceNumber: body.licenceNumber?.trim() || null,
          bio: body.bio?.trim() || null,
          languages: body.languages ?? [],
          feeAmount: body.feeAmount == null ? null : body.feeAmount.toFixed(2),
          feeCurrency: body.feeCurrency ?? null,
          requiresConfirmation: body.requiresConfirmation ?? false,
        });
        await repo.setSpecialties(tx, created, body.specialtyIds ?? []);
        await repo.setClinics(tx, created, body.clinicIds);
        await writeAudit(tx, actor, { action: 'practitioner.create', resourceType: 'practitioner', resourceId: created });
        return created;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw userTaken();
      throw err;
    }
    return this.get(id);
  }

  /**
   * Staff with settings:write change any field of a practitioner of their active clinic; a
   * practitioner changes their own bio, languages and fee.
   */
  async update(p: Principal, actor: AuditActor, id: string, body: UpdatePractitionerBody): Promise<Practitioner> {
    const current = await repo.getPractitioner(this.db, id);
    const self = !!current && current.userId === p.userId;
    const admin = !p.patientId && p.permissions.has('settings:write');
    if (!admin && !self) throw new Forbidden();
    if (!current || (!self && !current.clinicIds.includes(p.clinicId ?? ''))) throw new NotFound('Practitioner not found');
    if (!admin) {
      const other = Object.keys(body).filter((k) => !(SELF_EDITABLE as readonly string[]).includes(k));
      if (other.length) throw new Forbidden(`You may change only your bio, languages and fee (not ${other.join(', ')})`);
    }
    await this.checkRefs(p, body, current);
    const patch: Partial<repo.NewPractitioner> = {};
    if (body.displayName !== undefined) patch.displayName = body.displayName.trim();
    if (body.licenceNumber !== undefined) patch.licenceNumber = body.licenceNumber?.trim() || null;
    if (body.bio !== undefined) patch.bio = body.bio?.trim() || null;
    if (body.languages !== undefined) patch.languages = body.languages;
    if (body.feeAmount !== undefined) patch.feeAmount = body.feeAmount === null ? null : body.feeAmount.toFixed(2);
    if (body.feeCurrency !== undefined) patch.feeCurrency = body.feeCurrency;
    if (body.requiresConfirmation !== undefined) patch.requiresConfirmation = body.requiresConfirmation;
    if (body.active !== undefined) patch.active = body.active;
    await this.db.transaction(async (tx) => {
      await repo.updatePractitioner(tx, id, patch);
      if (body.specialtyIds) await repo.setSpecialties(tx, id, body.specialtyIds);
      if (body.clinicIds) await repo.setClinics(tx, id, body.clinicIds);
      await writeAudit(tx, actor, {
        action: 'practitioner.update',
        resourceType: 'practitioner',
        resourceId: id,
        details: { fields: Object.keys(body) },
      });
    });
    // who is bookable where, and when, may have changed
    if (body.active !== undefined || body.clinicIds)
      for (const c of new Set([...current.clinicIds, ...(body.clinicIds ?? [])]))
        this.events.publish('availability.changed', { practitionerId: id, clinicId: c }, [`clinic:${c}`]);
    return this.get(id);
  }

  /** Issues a new secret feed URL; the previous one stops working. Only the hash is stored. */
  async rotateIcalToken(p: Principal, actor: AuditActor, id: string): Promise<{ url: string }> {
    const current = await repo.getPractitioner(this.db, id);
    const self = !!current && current.userId === p.userId;
    if (!self && (p.patientId || !p.permissions.has('settings:write'))) throw new Forbidden();
    if (!current || (!self && !current.clinicIds.includes(p.clinicId ?? ''))) throw new NotFound('Practitioner not found');
    const token = crypto.randomBytes(32).toString('base64url');
    await this.db.transaction(async (tx) => {
      await repo.setIcalTokenHash(tx, id, icalTokenHash(token));
      await writeAudit(tx, actor, { action: 'practitioner.ical_token.rotate', resourceType: 'practitioner', resourceId: id });
    });
    return { url: `${this.publicUrl}/api/ical/${token}.ics` };
  }
}
