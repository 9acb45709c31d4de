import crypto from 'node:crypto';
import { ingredientKeys } from '@sanita/clinical/medications';
import type {
  ClinicFormularyInput,
  FormularyItem,
  FormularyItemInput,
  FormularyItemPatch,
  FormularyList,
  FormularySearchQuery,
} from '@sanita/contracts/medications';
import type { Static } from '@sinclair/typebox';
import type { FormularyRevisionList } from '@sanita/contracts/medications';
import type { Principal } from '../../platform/access.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { runAudited } from '../../platform/audit/audited.ts';
import type { Db, Executor } from '../../platform/db/database.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import * as repo from './formulary.repository.ts';

const EDITABLE = [
  'name',
  'genericName',
  'ingredients',
  'strength',
  'form',
  'route',
  'therapeuticClass',
  'atc',
  'rxnorm',
  'active',
] as const;

/** The formulary: search for prescribing, local items and edits by administrators (with their history). */
export class FormularyService {
  constructor(private readonly db: Db) {}

  private require(p: Principal, permission: 'formulary:read' | 'formulary:manage') {
    if (p.patientId || !p.permissions.has(permission)) throw new Forbidden();
  }

  /**
   * Generic substitution (in the caller's transaction): for each prescribed product, the other active products that
   * are the same medicine — the same ingredients, strength and route: another maker's, never another dose or medicine.
   */
  equivalents = (tx: Executor, prescribedIds: string[]): Promise<Map<string, string[]>> => repo.equivalentIds(tx, prescribedIds);

  /** Whether `substituteId` is the same medicine as `prescribedId` (see `equivalents`). */
  equivalent = async (tx: Executor, prescribedId: string, substituteId: string): Promise<boolean> =>
    prescribedId === substituteId || !!(await repo.equivalentIds(tx, [prescribedId])).get(prescribedId)?.includes(substituteId);

  /** Search by name, generic name, ingredient or the active clinic's brand names, typo-tolerant. */
  async search(p: Principal, q: FormularySearchQuery): Promise<FormularyList> {
    this.require(p, 'formulary:read');
    const words = repo
      .searchKey(q.q ?? '')
      .split(' ')
      .filter((w) => w.length > 0)
      .slice(0, 6);
    const rows = await repo.searchFormulary(this.db, p.clinicId, {
      words,
      limit: q.limit ?? 20,
      inStockList: q.inStockList,
      includeInactive: q.includeInactive,
    });
    return { data: rows.map(toFormularyItem) };
  }

  async get(p: Principal, id: string): Promise<FormularyItem> {
    this.require(p, 'formulary:read');
    const row = await repo.itemById(this.db, id, p.clinicId);
    if (!row) throw new NotFound('Formulary item not found');
    return toFormularyItem(row);
  }

  async revisions(p: Principal, id: string): Promise<Static<typeof FormularyRevisionList>> {
    this.require(p, 'formulary:read');
    if (!(await repo.itemById(this.db, id, null))) throw new NotFound('Formulary item not found');
    const rows = await repo.revisionsOf(this.db, id);
    return {
      data: rows.map((r) => ({
        version: r.version,
        action: r.action,
        at: r.at.toISOString(),
        by: r.byId ? { id: r.byId, name: r.byName ?? '' } : null,
        changes: r.changes,
        reason: r.reason,
      })),
    };
  }

  /** An administrator adds a local item; its ingredient keys default to the generic name's. Audited. */
  async create(p: Principal, actor: AuditActor, input: FormularyItemInput): Promise<FormularyItem> {
    this.require(p, 'formulary:manage');
    return runAudited(this.db, actor, async (tx) => {
      const ingredients = input.ingredients?.length ? input.ingredients : ingredientKeys(input.genericName);
      const fields = {
        name: input.name,
        genericName: input.genericName,
        ingredients,
        strength: input.strength ?? null,
        form: input.form ?? null,
        route: input.route ?? null,
        therapeuticClass: input.therapeuticClass ?? null,
        atc: input.atc ?? [],
        rxnorm: input.rxnorm ?? null,
      };
      const row = await repo.insertItem(tx, {
        ...fields,
        code: `local:${crypto.randomUUID()}`,
        source: 'local',
        searchText: repo.itemSearchText(fields),
        createdBy: p.userId,
        updatedBy: p.userId,
      });
      await repo.insertRevision(tx, {
        itemId: row.id,
        version: 1,
        action: 'created',
        changes: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { from: null, to: v }])),
        changedBy: p.userId,
      });
      await writeAudit(tx, actor, {
        action: 'formulary.create',
        resourceType: 'formulary_item',
        resourceId: row.id,
        details: { code: row.code },
      });
      return toFormularyItem((await repo.itemById(tx, row.id, p.clinicId))!);
    });
  }

  /** An administrator edits an item (shipped or local), with the version read; each change is a revision. */
  async update(p: Principal, actor: AuditActor, id: string, patch: FormularyItemPatch): Promise<FormularyItem> {
    this.require(p, 'formulary:manage');
    return runAudited(this.db, actor, async (tx) => {
      const cur = await repo.lockItem(tx, id);
      if (!cur) throw new NotFound('Formulary item not found');
      if (cur.version !== patch.version)
        throw new Conflict('This item was changed by someone else', 'STALE_VERSION', { current: cur.version });
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      const set: Record<string, unknown> = {};
      for (const k of EDITABLE) {
        if (patch[k] === undefined) continue;
        const to = patch[k];
        if (JSON.stringify(cur[k]) === JSON.stringify(to)) continue;
        changes[k] = { from: cur[k], to };
        set[k] = to;
      }
      if (!Object.keys(changes).length) return toFormularyItem((await repo.itemById(tx, id, p.clinicId))!);
      const next = { ...cur, ...set };
      if (!next.ingredients.length)
        throw new Invalid([{ field: 'ingredients', code: 'minItems', message: 'needs at least one ingredient' }]);
      await repo.updateItem(tx, id, {
        ...set,
        searchText: repo.itemSearchText(next),
        version: cur.version + 1,
        updatedBy: p.userId,
      });
      await repo.insertRevision(tx, {
        itemId: id,
        version: cur.version + 1,
        action: 'updated',
        changes,
        reason: patch.reason ?? null,
        changedBy: p.userId,
      });
      await writeAudit(tx, actor, {
        action: 'formulary.update',
        resourceType: 'formulary_item',
        resourceId: id,
        details: { fields: Object.keys(changes) },
      });
      return toFormularyItem((await repo.itemById(tx, id, p.clinicId))!);
    });
  }

  /** The active clinic's brand names, price and stock list for an item. Audited. */
  async setClinic(p: Principal, actor: AuditActor, id: string, input: ClinicFormularyInput): Promise<FormularyItem> {
    this.require(p, 'formulary:manage');
    if (!p.clinicId) throw new Forbidden();
    if (input.price !== null && input.currency === null)
      throw new Invalid([{ field: 'currency', code: 'required', message: 'is required with a price' }]);
    const clinicId = p.clinicId;
    return runAudited(this.db, actor, async (tx) => {
      if (!(await repo.itemById(tx, id, null))) throw new NotFound('Formulary item not found');
      const brandNames = [...new Set(input.brandNames)];
      await repo.upsertClinicItem(tx, {
        clinicId,
        itemId: id,
        brandNames,
        brandSearch: repo.searchKey(brandNames.join(' ')),
        price: input.price === null ? null : normaliseMoney(input.price),
        currency: input.price === null ? null : input.currency,
        inStockList: input.inStockList,
        updatedBy: p.userId,
      });
      await writeAudit(tx, actor, {
        action: 'formulary.clinic.update',
        resourceType: 'formulary_item',
        resourceId: id,
        details: { clinicId },
      });
      return toFormularyItem((await repo.itemById(tx, id, clinicId))!);
    });
  }

  /** For prescriptions: the formulary items named, by id. */
  itemsByIds = (db: Executor, ids: string[]) => repo.itemsByIds(db, ids);
}

/** "12.5" → "12.50": the price as numeric(12, 2) prints it. */
export function normaliseMoney(text: string): string {
  const [whole, frac = ''] = text.split('.');
  return `${BigInt(whole!).toString()}.${frac.padEnd(2, '0')}`;
}

export function toFormularyItem(r: repo.FormularyWithClinic): FormularyItem {
  return {
    id: r.id,
    code: r.code,
    source: r.source,
    name: r.name,
    genericName: r.genericName,
    ingredients: r.ingredients,
    strength: r.strength,
    form: r.form,
    route: r.route,
    therapeuticClass: r.therapeuticClass,
    therapeuticGroup: r.therapeuticGroup,
    atc: r.atc,
    rxnorm: r.rxnorm,
    active: r.active,
    version: r.version,
    clinic:
      r.inStockList === null
        ? null
        : { brandNames: r.brandNames ?? [], price: r.price, currency: r.currency, inStockList: r.inStockList },
  };
}
