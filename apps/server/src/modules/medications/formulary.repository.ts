import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { SYNONYMS } from '@sanita/clinical/medications';
import { FORMULARY } from '@sanita/clinical/medications/formulary.gen';
import { clinicFormulary, formularyItemRevisions, formularyItems } from '../../db/schema/medications.ts';
import { users } from '../../db/schema/identity.ts';
import type { Db, Executor } from '../../platform/db/database.ts';

export type FormularyRow = typeof formularyItems.$inferSelect;
export type ClinicRow = typeof clinicFormulary.$inferSelect;
export type FormularyWithClinic = FormularyRow & {
  brandNames: string[] | null;
  price: string | null;
  currency: string | null;
  inStockList: boolean | null;
};

/** Lower case, accents folded, spaces collapsed: what search text is compared in. */
export function searchKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}%.+/ -]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The words an item is found by: its names, ingredients and strength. */
export function itemSearchText(i: {
  name: string;
  genericName: string;
  ingredients: readonly string[];
  strength?: string | null;
}) {
  const words = [i.name, i.genericName, ...i.ingredients, i.strength ?? ''].join(' ');
  return searchKey([words, ...otherNames(i.ingredients, searchKey(words))].join(' '));
}

/** ingredient → the other names it is known by that are not a salt of it ("aspirin", "acetaminophen") */
const OTHER_NAMES = new Map<string, string[]>();
for (const [name, key] of Object.entries(SYNONYMS))
  if (!name.includes(key)) OTHER_NAMES.set(key, [...(OTHER_NAMES.get(key) ?? []), name]);
const otherNames = (ingredients: readonly string[], text: string) =>
  ingredients.length === 1 ? (OTHER_NAMES.get(ingredients[0]!) ?? []).filter((n) => !text.includes(n)) : [];

const withClinic = () => ({
  ...COLUMNS,
  brandNames: clinicFormulary.brandNames,
  price: clinicFormulary.price,
  currency: clinicFormulary.currency,
  inStockList: clinicFormulary.inStockList,
});
const COLUMNS = {
  id: formularyItems.id,
  code: formularyItems.code,
  source: formularyItems.source,
  name: formularyItems.name,
  genericName: formularyItems.genericName,
  ingredients: formularyItems.ingredients,
  strength: formularyItems.strength,
  form: formularyItems.form,
  route: formularyItems.route,
  therapeuticClass: formularyItems.therapeuticClass,
  therapeuticGroup: formularyItems.therapeuticGroup,
  atc: formularyItems.atc,
  rxnorm: formularyItems.rxnorm,
  active: formularyItems.active,
  searchText: formularyItems.searchText,
  version: formularyItems.version,
  createdAt: formularyItems.createdAt,
  createdBy: formularyItems.createdBy,
  updatedAt: formularyItems.updatedAt,
  updatedBy: formularyItems.updatedBy,
};

const joinClinic = (clinicId: string | null) =>
  and(eq(clinicFormulary.itemId, formularyItems.id), eq(clinicFormulary.clinicId, sql`${clinicId ?? null}::uuid`));

/** Escapes LIKE's wildcards. */
const likeText = (w: string) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** How alike a typed word must be to a word of the item (trigram word similarity) to count as a typo of it. */
const WORD_SIMILARITY = 0.5;

/**
 * Items whose names, generic name, ingredients or the clinic's brand names hold every typed word —
 * as written, or close enough to be a typo (trigram word similarity) — best match first.
 */
export async function searchFormulary(
  db: Executor,
  clinicId: string | null,
  q: { words: string[]; limit: number; inStockList?: boolean; includeInactive?: boolean },
): Promise<FormularyWithClinic[]> {
  const brand = sql`coalesce(${clinicFormulary.brandSearch}, '')`;
  const conditions: SQL[] = [];
  const scores: SQL[] = [];
  // words that begin a word of the item ("5" begins "5mg", not "0.5mg")
  const starts: SQL[] = [];
  // words that name the clinic's own brand of the item: what the clinic stocks comes before the rest
  const brands: SQL[] = [];
  for (const w of q.words) {
    brands.push(
      sql`(CASE WHEN ${brand} LIKE ${likeText(w)} OR word_similarity(${w}, ${brand}) >= ${WORD_SIMILARITY} THEN 1 ELSE 0 END)`,
    );
    const start = `% ${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    starts.push(
      sql`(CASE WHEN ' ' || ${formularyItems.searchText} LIKE ${start} OR ' ' || ${brand} LIKE ${start} THEN 1 ELSE 0 END)`,
    );
    const like = likeText(w);
    conditions.push(
      sql`(${formularyItems.searchText} LIKE ${like} OR ${brand} LIKE ${like}
           OR word_similarity(${w}, ${formularyItems.searchText}) >= ${WORD_SIMILARITY}
           OR word_similarity(${w}, ${brand}) >= ${WORD_SIMILARITY})`,
    );
    scores.push(
      sql`greatest(word_similarity(${w}, ${formularyItems.searchText}), word_similarity(${w}, ${brand}),
                   CASE WHEN ${formularyItems.searchText} LIKE ${like} OR ${brand} LIKE ${like} THEN 1 ELSE 0 END)`,
    );
  }
  if (!q.includeInactive) conditions.push(sql`${formularyItems.active}`);
  if (q.inStockList) conditions.push(sql`${clinicFormulary.inStockList} IS TRUE`);
  const first = q.words[0];
  const order: SQL[] = [];
  if (first) {
    // what begins with the first word (its name or a brand), then the best matches
    order.push(
      sql`(${formularyItems.searchText} LIKE ${first.replace(/[\\%_]/g, (c) => `\\${c}`) + '%'} OR ${brand} LIKE ${first.replace(/[\\%_]/g, (c) => `\\${c}`) + '%'}) DESC`,
    );
    order.push(sql`(${sql.join(brands, sql` + `)}) DESC`);
    order.push(sql`(${sql.join(starts, sql` + `)}) DESC`);
    order.push(sql`(${sql.join(scores, sql` + `)}) DESC`);
  }
  // then the plainer product (a shorter name: "Amoxicillin 500mg capsule" before "… powder for injection 500mg")
  order.push(sql`length(${formularyItems.name})`, asc(formularyItems.name), asc(formularyItems.id));
  return await db
    .select(withClinic())
    .from(formularyItems)
    .leftJoin(clinicFormulary, joinClinic(clinicId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(...order)
    .limit(q.limit);
}

export async function itemById(db: Executor, id: string, clinicId: string | null): Promise<FormularyWithClinic | undefined> {
  const [row] = await db
    .select(withClinic())
    .from(formularyItems)
    .leftJoin(clinicFormulary, joinClinic(clinicId))
    .where(eq(formularyItems.id, id));
  return row;
}

/** Items by id (for a prescription's items): id → name, ingredients, route, active. */
export async function itemsByIds(db: Executor, ids: string[]): Promise<Map<string, FormularyRow>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select()
    .from(formularyItems)
    .where(sql`${formularyItems.id} = ANY(${sql.param(ids)}::uuid[])`);
  return new Map(rows.map((r) => [r.id, r]));
}

/** How two products are the same medicine: the same ingredients (as a set), strength (spaces and case aside) and route. */
const sameStrength = (a: string, b: string) =>
  `lower(regexp_replace(coalesce(${a}.strength, ''), '\\s+', '', 'g')) = lower(regexp_replace(coalesce(${b}.strength, ''), '\\s+', '', 'g'))`;

/**
 * For each of `ids`, the other active products that are the same medicine (generic substitutes): id → their ids.
 */
export async function equivalentIds(db: Executor, ids: string[]): Promise<Map<string, string[]>> {
  if (!ids.length) return new Map();
  const { rows } = await db.execute<{ prescribed: string; equivalent: string }>(sql`
    SELECT p.id AS prescribed, e.id AS equivalent
      FROM ${formularyItems} p
      JOIN ${formularyItems} e
        ON e.id <> p.id AND e.active AND cardinality(p.ingredients) > 0
       AND e.ingredients @> p.ingredients AND p.ingredients @> e.ingredients
       AND ${sql.raw(sameStrength('e', 'p'))}
       AND coalesce(lower(e.route), '') = coalesce(lower(p.route), '')
     WHERE p.id = ANY(${sql.param(ids)}::uuid[])`);
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.prescribed, [...(out.get(r.prescribed) ?? []), r.equivalent]);
  return out;
}

export async function lockItem(db: Executor, id: string): Promise<FormularyRow | undefined> {
  const [row] = await db.select().from(formularyItems).where(eq(formularyItems.id, id)).for('update');
  return row;
}

export async function insertItem(db: Executor, row: typeof formularyItems.$inferInsert): Promise<FormularyRow> {
  const [stored] = await db.insert(formularyItems).values(row).returning();
  return stored!;
}

export async function updateItem(db: Executor, id: string, set: Partial<typeof formularyItems.$inferInsert>): Promise<void> {
  await db
    .update(formularyItems)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(formularyItems.id, id));
}

export async function insertRevision(db: Executor, row: typeof formularyItemRevisions.$inferInsert): Promise<void> {
  await db.insert(formularyItemRevisions).values(row);
}

export function revisionsOf(db: Executor, itemId: string) {
  return db
    .select({
      version: formularyItemRevisions.version,
      action: formularyItemRevisions.action,
      at: formularyItemRevisions.changedAt,
      byId: formularyItemRevisions.changedBy,
      byName: users.displayName,
      changes: formularyItemRevisions.changes,
      reason: formularyItemRevisions.reason,
    })
    .from(formularyItemRevisions)
    .leftJoin(users, eq(users.id, formularyItemRevisions.changedBy))
    .where(eq(formularyItemRevisions.itemId, itemId))
    .orderBy(asc(formularyItemRevisions.version));
}

/** Sets a clinic's brand names, price and stock list for an item (replacing what was there). */
export async function upsertClinicItem(db: Executor, row: typeof clinicFormulary.$inferInsert): Promise<void> {
  await db
    .insert(clinicFormulary)
    .values(row)
    .onConflictDoUpdate({
      target: [clinicFormulary.clinicId, clinicFormulary.itemId],
      set: {
        brandNames: row.brandNames,
        brandSearch: row.brandSearch,
        price: row.price,
        currency: row.currency,
        inStockList: row.inStockList,
        updatedAt: sql`now()`,
        updatedBy: row.updatedBy,
      },
    });
}

/**
 * The shipped WHO EML products, inserted by their stable code when missing (one statement). An item
 * already there is never touched: an administrator's edits stay. Quick when nothing is missing (the
 * count of shipped items is compared first).
 */
export async function loadFormulary(db: Db): Promise<number> {
  // what finds a shipped item not edited since (its search words, e.g. another name it is known by) follows the release
  await db.execute(sql`
    UPDATE formulary_items f SET search_text = x.search_text
      FROM jsonb_to_recordset(${JSON.stringify(FORMULARY.map((f) => ({ code: f.id, search_text: itemSearchText(f) })))}::jsonb)
           AS x(code text, search_text text)
     WHERE f.code = x.code AND f.version = 1 AND f.search_text <> x.search_text`);
  const { rows } = await db.execute<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM ${formularyItems} WHERE ${formularyItems.source} = 'who-eml'`,
  );
  if (rows[0]!.n >= FORMULARY.length) return 0;
  const items = FORMULARY.map((f) => ({
    code: f.id,
    name: f.name,
    generic_name: f.genericName,
    ingredients: f.ingredients,
    strength: f.strength,
    form: f.form,
    route: f.route,
    therapeutic_class: f.emlSection,
    therapeutic_group: f.emlParentSection,
    atc: f.atc,
    rxnorm: f.rxnorm,
    search_text: itemSearchText(f),
  }));
  const inserted = await db.execute(sql`
    INSERT INTO formulary_items (code, source, name, generic_name, ingredients, strength, form, route,
                                 therapeutic_class, therapeutic_group, atc, rxnorm, search_text)
    SELECT code, 'who-eml', name, generic_name, ingredients, strength, form, route,
           therapeutic_class, therapeutic_group, atc, rxnorm, search_text
      FROM jsonb_to_recordset(${JSON.stringify(items)}::jsonb) AS x(
             code text, name text, generic_name text, ingredients text[], strength text, form text, route text,
             therapeutic_class text, therapeutic_group text, atc text[], rxnorm text, search_text text)
    ON CONFLICT (code) DO NOTHING`);
  return inserted.rowCount ?? 0;
}

/** The formulary item of a shipped code (the demo seed and tests name items by code). */
export async function itemIdsByCode(db: Executor, codes: string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await db
    .select({ id: formularyItems.id, code: formularyItems.code })
    .from(formularyItems)
    .where(sql`${formularyItems.code} = ANY(${sql.param(codes)}::text[])`);
  return new Map(rows.map((r) => [r.code, r.id]));
}
