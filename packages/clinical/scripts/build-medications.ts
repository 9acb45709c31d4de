// Regenerates the shipped medication knowledge from ../shared/data (development time only; the
// generated files are committed and the product never reads ../shared):
//   src/medications/formulary.gen.ts   the WHO EML formulary, one stable id per product
//   src/medications/onc.gen.ts         the ONC high-priority list: each rule's drugs, the QT pairs,
//                                      and the formulary's ingredient names (what the checks recognise)
//   src/medications/onc-pairs.gen.ts   the ONC expanded pair list as published (for tests and audit)
//   src/medications/LICENSE-OpenBoxes-EPL-1.0.txt the formulary source's licence, unchanged (.txt: prettier leaves it alone)
// Usage: npx tsx packages/clinical/scripts/build-medications.ts [path/to/shared/data]
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { CLASSES, INGREDIENTS, ONC_CLASS_EXPANSION, ONC_RULES } from '../src/medications/knowledge.ts';
import { ingredientKeys, normalizeName } from '../src/medications/names.ts';
import type { FormularyItem, Route } from '../src/medications/types.ts';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'src', 'medications');
const data = resolve(process.argv[2] ?? join(here, '..', '..', '..', '..', 'shared', 'data'));

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else field += ch;
  }
  if (field || row.length) endRow();
  return rows;
}

const read = (path: string) => readFileSync(join(data, path), 'utf8').replace(/^\uFEFF/, '');
const key = (name: string) => ingredientKeys(name.replace(/\s+/g, ' ').trim());

// ------------------------------------------------------------------ formulary

const ROUTES = new Set<Route>([
  'oral',
  'parenteral',
  'rectal',
  'topical',
  'ophthalmic',
  'otic',
  'nasal',
  'inhalation',
  'transdermal',
  'vaginal',
  'implant',
  'intrauterine',
]);
const [header, ...productRows] = parseCsv(read('formulary/who-eml-formulary.csv')).filter((r) => r.some((f) => f.trim()));
const col = (name: string) => {
  const i = header!.indexOf(name);
  if (i < 0) throw new Error(`who-eml-formulary.csv: no column ${name}`);
  return i;
};
const C = {
  name: col('name'),
  generic: col('generic_name'),
  strength: col('strength'),
  form: col('dosage_form'),
  route: col('route'),
  section: col('eml_section'),
  parent: col('eml_parent_section'),
};
const formulary: FormularyItem[] = productRows.map((r) => {
  const name = r[C.name]!.trim();
  const ingredients = key(r[C.generic]!);
  const route = r[C.route]!.trim();
  return {
    id: `who-eml:${normalizeName(name).replace(/'/g, '').replace(/ /g, '-')}`,
    name,
    genericName: r[C.generic]!.trim(),
    ingredients,
    strength: r[C.strength]!.trim() || null,
    form: r[C.form]!.trim() || null,
    route: ROUTES.has(route as Route) ? (route as Route) : null,
    emlSection: r[C.section]!.trim(),
    emlParentSection: r[C.parent]!.trim() || null,
    atc: ingredients.flatMap((i) => INGREDIENTS[i]?.atc ?? []),
    rxnorm: null,
  };
});
const ids = new Set(formulary.map((f) => f.id));
if (ids.size !== formulary.length) throw new Error('formulary ids are not unique');

// ------------------------------------------------------------------ ONC rules (revised Table 2)

const classRows = parseCsv(read('drug-interactions/onc-high-priority-classes.csv'));
const end = classRows.findIndex((r, i) => i > 0 && r[0]?.startsWith('## Table 2'));
const members = new Map(CLASSES.map((c) => [c.id, c.members]));
interface Side {
  drugs: Set<string>;
  classes: Set<string>;
}
const rules = new Map<string, { object: Side; precipitant: Side }>();
let current: { object: Side; precipitant: Side } | undefined;
for (const r of classRows.slice(2, end)) {
  const [num, objectClass, objectDrug, precipitantClass, precipitantDrug] = r.map((f) => (f ?? '').replace(/\s+/g, ' ').trim());
  if (num && /^\d+$/.test(num)) {
    current = { object: { drugs: new Set(), classes: new Set() }, precipitant: { drugs: new Set(), classes: new Set() } };
    rules.set(num, current);
  }
  if (!current) continue;
  if (objectClass) current.object.classes.add(objectClass);
  if (precipitantClass) current.precipitant.classes.add(precipitantClass);
  // "NSAID" in rule 23 of the revised table is a class name in the drug column (the original Table 2
  // has the protease inhibitors there): not a drug, dropped.
  if (objectDrug && objectDrug !== 'NSAID') for (const k of key(objectDrug)) current.object.drugs.add(k);
  if (precipitantDrug) for (const k of key(precipitantDrug)) current.precipitant.drugs.add(k);
}
for (const num of rules.keys()) if (!ONC_RULES[num]) throw new Error(`ONC rule ${num} has no wording in knowledge.ts`);

const expand = (side: Side): string[] => {
  const drugs = new Set(side.drugs);
  for (const name of side.classes)
    for (const id of ONC_CLASS_EXPANSION[name] ?? []) for (const m of members.get(id) ?? []) drugs.add(m);
  return [...drugs].sort();
};
const oncRules = [...rules].map(([num, r]) => ({ number: num, a: expand(r.object), b: expand(r.precipitant) }));

// ------------------------------------------------------------------ ONC pairs: the explicit rules, the rest QT

const pairRows = read('drug-interactions/onc-high-priority-pairs.csv')
  .split(/\r?\n/)
  .filter((l) => l.trim())
  .map((l) => {
    const [a, aId, b, bId] = l.split('$');
    if (!a || !b || !aId || !bId) throw new Error(`bad ONC pair line: ${l}`);
    return [a.trim(), aId.trim(), b.trim(), bId.trim()] as const;
  });
const covered = (a: string, b: string) =>
  oncRules.some((r) => r.number !== '21' && ((r.a.includes(a) && r.b.includes(b)) || (r.a.includes(b) && r.b.includes(a))));
const qtDrugs = new Set<string>();
const qtPairs = new Set<string>();
for (const [a, , b] of pairRows) {
  for (const ka of key(a))
    for (const kb of key(b)) {
      if (ka === kb || covered(ka, kb)) continue;
      qtDrugs.add(ka).add(kb);
      qtPairs.add([ka, kb].sort().join('|'));
    }
}
const qtList = [...qtDrugs].sort();
const qtIndex = new Map(qtList.map((d, i) => [d, i]));
const qtPairIndices = [...qtPairs].sort().map((p) => p.split('|').map((d) => qtIndex.get(d)!));

const formularyIngredients = [...new Set(formulary.flatMap((f) => f.ingredients))].sort();

// ------------------------------------------------------------------ write

const banner = `// GENERATED by packages/clinical/scripts/build-medications.ts from ../shared/data — do not edit.\n`;
async function write(file: string, body: string) {
  const path = join(out, file);
  const options = await prettier.resolveConfig(path);
  writeFileSync(path, await prettier.format(banner + body, { ...options, filepath: path }));
}

await write(
  'formulary.gen.ts',
  `// WHO Model List of Essential Medicines (22nd list, 2021) as OpenBoxes' product list (EPL-1.0, see
// LICENSE-OpenBoxes-EPL-1.0.txt; the list is WHO's, CC BY-NC-SA 3.0 IGO: credit WHO). The source has
// no RxNorm codes; ATC codes come from knowledge.ts where known.
import type { FormularyItem } from './types.ts';

export const FORMULARY: readonly FormularyItem[] = ${JSON.stringify(formulary)};
`,
);
await write(
  'onc.gen.ts',
  `// ONC high-priority drug–drug interactions (Phansalkar et al., JAMIA 2012, via dbmi-pitt/public-PDDI-analysis):
// each rule's drugs (object × precipitant, expanded from its classes by ONC_CLASS_EXPANSION), and the
// QT-prolonging pairs of the expanded pair list (rule 21, which the class table does not enumerate).

export const ONC_TABLE: readonly { number: string; a: readonly string[]; b: readonly string[] }[] = ${JSON.stringify(oncRules)};

/** drugs of the QT-prolonging pairs; ONC_QT_PAIRS index into it */
export const ONC_QT_DRUGS: readonly string[] = ${JSON.stringify(qtList)};
export const ONC_QT_PAIRS: readonly (readonly [number, number])[] = ${JSON.stringify(qtPairIndices)};

/** every ingredient of the shipped formulary, so that free text naming one is recognised */
export const FORMULARY_INGREDIENTS: readonly string[] = ${JSON.stringify(formularyIngredients)};
`,
);
await write(
  'onc-pairs.gen.ts',
  `// The ONC expanded pair list as published: [drug, DrugBank id, drug, DrugBank id].

export const ONC_PAIRS: readonly (readonly [string, string, string, string])[] = ${JSON.stringify(pairRows)};
`,
);
copyFileSync(join(data, 'formulary', 'LICENSE-OpenBoxes-EPL-1.0.md'), join(out, 'LICENSE-OpenBoxes-EPL-1.0.txt'));

console.log(
  `formulary: ${formulary.length} products, ${formularyIngredients.length} ingredients; ONC: ${oncRules.length} rules, ` +
    `${pairRows.length} published pairs, ${qtPairIndices.length} QT pairs over ${qtList.length} drugs`,
);
