import type { Db } from '../../platform/db/database.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { Conflict, NotFound } from '../../platform/errors.ts';
import { onUniqueViolation } from '../../platform/db/queries.ts';
import * as repo from './masterdata.repository.ts';
import type {
  CreateSpecialtyBody,
  CreateVisitTypeBody,
  Specialty,
  UpdateSpecialtyBody,
  UpdateVisitTypeBody,
  VisitType,
} from '@sanita/contracts/scheduling/masterdata';

const codeTaken = (code: string) =>
  new Conflict(`The code "${code}" is already used`, 'CODE_TAKEN', [{ field: 'code', message: 'is already used' }]);

const toSpecialty = (r: repo.SpecialtyRow): Specialty => ({
  id: r.id,
  code: r.code,
  name: r.name,
  nameFr: r.nameFr,
  active: r.active,
});
const toVisitType = (r: repo.VisitTypeRow): VisitType => ({
  id: r.id,
  code: r.code,
  name: r.name,
  nameFr: r.nameFr,
  durationMinutes: r.durationMinutes,
  color: r.color,
  active: r.active,
});

/** Specialties and visit types: organisation-wide reference data (permission checked by the routes). */
export class MasterDataService {
  constructor(private readonly db: Db) {}

  async specialties(): Promise<Specialty[]> {
    return (await repo.listSpecialties(this.db)).map(toSpecialty);
  }

  async visitTypes(): Promise<VisitType[]> {
    return (await repo.listVisitTypes(this.db)).map(toVisitType);
  }

  /** Runs a write; a unique violation on the code (two admins racing) becomes the same 409. */
  private async write<T>(code: string | undefined, fn: () => Promise<T>): Promise<T> {
    return code ? onUniqueViolation(fn, () => codeTaken(code)) : fn();
  }

  async createSpecialty(actor: AuditActor, body: CreateSpecialtyBody): Promise<Specialty> {
    return this.write(body.code, () =>
      this.db.transaction(async (tx) => {
        if (await repo.specialtyByCode(tx, body.code)) throw codeTaken(body.code);
        const row = await repo.insertSpecialty(tx, { ...body, name: body.name.trim(), nameFr: body.nameFr.trim() });
        await writeAudit(tx, actor, { action: 'specialty.create', resourceType: 'specialty', resourceId: row.id });
        return toSpecialty(row);
      }),
    );
  }

  async updateSpecialty(actor: AuditActor, id: string, body: UpdateSpecialtyBody): Promise<Specialty> {
    return this.write(body.code, () =>
      this.db.transaction(async (tx) => {
        if (body.code) {
          const other = await repo.specialtyByCode(tx, body.code);
          if (other && other.id !== id) throw codeTaken(body.code);
        }
        const row = await repo.updateSpecialty(tx, id, {
          ...body,
          ...(body.name ? { name: body.name.trim() } : {}),
          ...(body.nameFr ? { nameFr: body.nameFr.trim() } : {}),
        });
        if (!row) throw new NotFound('Specialty not found');
        await writeAudit(tx, actor, {
          action: 'specialty.update',
          resourceType: 'specialty',
          resourceId: id,
          details: { fields: Object.keys(body) },
        });
        return toSpecialty(row);
      }),
    );
  }

  async createVisitType(actor: AuditActor, body: CreateVisitTypeBody): Promise<VisitType> {
    return this.write(body.code, () =>
      this.db.transaction(async (tx) => {
        if (await repo.visitTypeByCode(tx, body.code)) throw codeTaken(body.code);
        const row = await repo.insertVisitType(tx, { ...body, name: body.name.trim(), nameFr: body.nameFr.trim() });
        await writeAudit(tx, actor, { action: 'visit_type.create', resourceType: 'visit_type', resourceId: row.id });
        return toVisitType(row);
      }),
    );
  }

  async updateVisitType(actor: AuditActor, id: string, body: UpdateVisitTypeBody): Promise<VisitType> {
    return this.write(body.code, () =>
      this.db.transaction(async (tx) => {
        if (body.code) {
          const other = await repo.visitTypeByCode(tx, body.code);
          if (other && other.id !== id) throw codeTaken(body.code);
        }
        const row = await repo.updateVisitType(tx, id, {
          ...body,
          ...(body.name ? { name: body.name.trim() } : {}),
          ...(body.nameFr ? { nameFr: body.nameFr.trim() } : {}),
        });
        if (!row) throw new NotFound('Visit type not found');
        await writeAudit(tx, actor, {
          action: 'visit_type.update',
          resourceType: 'visit_type',
          resourceId: id,
          details: { fields: Object.keys(body) },
        });
        return toVisitType(row);
      }),
    );
  }
}
