// The medication safety checks: pure, synchronous and fast, shared by the browser (checks as the
// prescriber types) and the server (re-checks on save). They never throw: a drug they do not know
// is listed in `unrecognised` and checked for nothing but allergies named by the same words.
import { ALLERGY_GROUPS, CLASSES, INGREDIENTS, ONC_RULES, OTHER_INTERACTIONS, SOURCES, SYNONYMS } from './knowledge.ts';
import { normalizeName } from './names.ts';
import { FORMULARY_INGREDIENTS, ONC_QT_DRUGS, ONC_QT_PAIRS, ONC_TABLE } from './onc.gen.ts';
import type { AlertSeverity, AllergyGroup, CrossSensitivity, DrugClass, Flag, Route, SourceId, Text } from './types.ts';

// ------------------------------------------------------------------ input and output

/** A medication, new or current. Only `name` is required. */
export interface MedicationInput {
  /** as the prescriber sees it: "Amoxicillin 500 mg capsule", "Doliprane" */
  name: string;
  /** ingredient keys or names (a formulary item's `ingredients`); read from `name` when absent */
  ingredients?: readonly string[] | null;
  /** a Route; anything else counts as systemic */
  route?: string | null;
  /** per administration, in a unit of mass (mg, g, mcg/µg) for the dose checks */
  dose?: { amount: number; unit: string } | null;
  /** administrations per 24 h (for "as needed", the maximum per day) */
  timesPerDay?: number | null;
}

/** An allergy as the chart records it (packages/contracts history.ts `Allergy`); only the substance is required. */
export interface AllergyInput {
  substanceCode?: string | null;
  substance?: string | null;
  type?: 'allergy' | 'intolerance' | null;
  criticality?: 'low' | 'high' | 'unable_to_assess' | null;
  severity?: 'mild' | 'moderate' | 'severe' | null;
  manifestations?: readonly string[] | null;
  status?: string | null;
  verificationStatus?: string | null;
}

export interface PatientContext {
  ageYears?: number | null;
  weightKg?: number | null;
  pregnant?: boolean | null;
  breastfeeding?: boolean | null;
  /** mL/min/1.73 m² */
  egfr?: number | null;
}

export interface CheckInput {
  /** the items being prescribed */
  items: readonly MedicationInput[];
  /** the patient's current medications (active prescriptions and reported ones) */
  current?: readonly MedicationInput[] | null;
  allergies?: readonly AllergyInput[] | null;
  patient?: PatientContext | null;
}

export const ALERT_CODES = [
  'interaction',
  'allergy',
  'allergy-class',
  'allergy-cross',
  'duplicate-drug',
  'duplicate-class',
  'dose-single',
  'dose-daily',
  'dose-single-per-kg',
  'dose-daily-per-kg',
  'age',
  'renal',
  'pregnancy',
  'breastfeeding',
] as const;
export type AlertCode = (typeof ALERT_CODES)[number];

/** What an alert points at besides the item: another new item, a current medication or an allergy (index in the input). */
export interface AlertOther {
  kind: 'item' | 'current' | 'allergy';
  index: number;
  /** the medication's name or the allergy's substance, as given */
  name: string;
}

export interface MedicationAlert {
  code: AlertCode;
  /**
   * Stable across orders and re-checks: what an override records, and what the server matches when it
   * re-checks on save (`interaction:onc-25:clarithromycin|simvastatin`).
   */
  key: string;
  severity: AlertSeverity;
  /** contraindicated and major: saving needs an override with a reason */
  blocking: boolean;
  /** index of the new item in `items` */
  item: number;
  other: AlertOther | null;
  /** the item's name, then the other drug's name or the allergy's substance (both drugs named) */
  drugs: readonly string[];
  /** the heading, in both languages (the UI may translate `code` instead) */
  title: Text;
  why: Text;
  action: Text;
  source: { id: SourceId; name: Text };
}

export interface CheckResult {
  /** most severe first */
  alerts: MedicationAlert[];
  /** some alert blocks saving until overridden */
  blocking: boolean;
  /** indexes of new items with no ingredient the checks know: they were checked for allergies by name only */
  unrecognised: number[];
}

// ------------------------------------------------------------------ the knowledge, indexed once

const RANK: Record<AlertSeverity, number> = { contraindicated: 0, major: 1, moderate: 2, minor: 3 };
const isBlocking = (s: AlertSeverity) => s === 'contraindicated' || s === 'major';
const worse = (a: AlertSeverity, b: AlertSeverity) => (RANK[a] <= RANK[b] ? a : b);

/** normalised name (one to five words) → ingredient keys */
const NAMES = new Map<string, string[]>();
const addName = (name: string, keys: string[]) => {
  const n = normalizeName(name);
  if (n && !NAMES.has(n)) NAMES.set(n, keys);
};
for (const k of Object.keys(INGREDIENTS)) addName(k, [k]);
for (const c of CLASSES) for (const m of c.members) addName(m, [m]);
for (const k of FORMULARY_INGREDIENTS) addName(k, [k]);
for (const r of ONC_TABLE) for (const k of [...r.a, ...r.b]) addName(k, [k]);
for (const k of ONC_QT_DRUGS) addName(k, [k]);
for (const r of OTHER_INTERACTIONS) for (const k of [...r.a, ...r.b]) if (!k.startsWith('class:')) addName(k, [k]);
for (const [name, key] of Object.entries(SYNONYMS)) addName(name, key.split(' + '));
const MAX_WORDS = Math.max(...[...NAMES.keys()].map((n) => n.split(' ').length));

const CLASS_BY_ID = new Map<string, DrugClass>(CLASSES.map((c) => [c.id, c]));
const CLASSES_OF = new Map<string, DrugClass[]>();
for (const c of CLASSES) for (const m of c.members) CLASSES_OF.set(m, [...(CLASSES_OF.get(m) ?? []), c]);

interface PairRule {
  id: string;
  severity: AlertSeverity;
  mechanism: Text;
  management: Text;
  source: SourceId;
  name?: Text;
}
/** "a|b" (sorted) → the rules that make the pair interact */
const PAIRS = new Map<string, PairRule[]>();
const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
const addPair = (a: string, b: string, rule: PairRule) => {
  if (a === b) return;
  const k = pairKey(a, b);
  const list = PAIRS.get(k);
  if (!list) PAIRS.set(k, [rule]);
  else if (!list.some((r) => r.id === rule.id)) list.push(rule);
};
const expandMembers = (refs: readonly string[]) =>
  refs.flatMap((r) => (r.startsWith('class:') ? (CLASS_BY_ID.get(r.slice(6))?.members ?? []) : [r]));

for (const r of ONC_TABLE) {
  const wording = ONC_RULES[r.number];
  if (!wording) continue;
  const base: PairRule = { id: `onc-${r.number}`, ...wording, source: 'onc' };
  const exceptions = new Map<string, AlertSeverity>();
  for (const [x, y, severity] of wording.exceptions ?? [])
    for (const a of expandMembers([x])) for (const b of expandMembers([y])) exceptions.set(pairKey(a, b), severity);
  for (const a of r.a)
    for (const b of r.b) {
      const severity = exceptions.get(pairKey(a, b));
      addPair(a, b, severity ? { ...base, severity } : base);
    }
}
const qt = ONC_RULES['21'];
if (qt) {
  const rule: PairRule = { id: 'onc-21', ...qt, source: 'onc' };
  for (const [i, j] of ONC_QT_PAIRS) addPair(ONC_QT_DRUGS[i]!, ONC_QT_DRUGS[j]!, rule);
}
for (const r of OTHER_INTERACTIONS) for (const a of expandMembers(r.a)) for (const b of expandMembers(r.b)) addPair(a, b, r);

/** allergy group → every ingredient in it; cross-sensitivities with their ingredient sets */
const GROUP_MEMBERS = new Map<string, Set<string>>(
  ALLERGY_GROUPS.map((g) => [g.id, new Set([...expandMembers(g.classes.map((c) => `class:${c}`)), ...(g.ingredients ?? [])])]),
);
const CROSS_MEMBERS = new Map<CrossSensitivity, Set<string>>(
  ALLERGY_GROUPS.flatMap((g) =>
    g.cross.map((x) => [x, new Set([...expandMembers(x.classes.map((c) => `class:${c}`)), ...(x.ingredients ?? [])])] as const),
  ),
);
const GROUP_WORDS = new Map<string, AllergyGroup>();
for (const g of ALLERGY_GROUPS) for (const w of g.words) GROUP_WORDS.set(normalizeName(w), g);
const GROUP_BY_CODE = new Map<string, AllergyGroup>();
for (const g of ALLERGY_GROUPS) for (const c of g.substanceCodes) GROUP_BY_CODE.set(c, g);

// ------------------------------------------------------------------ resolving names

const resolved = new Map<string, string[]>();

/** The ingredient keys named in a text (longest names first); [] when it names none. */
export function resolveIngredients(text: string): string[] {
  const cached = resolved.get(text);
  if (cached) return cached;
  const words = normalizeName(text).split(' ');
  const keys: string[] = [];
  for (let i = 0; i < words.length;) {
    let step = 1;
    for (let n = Math.min(MAX_WORDS, words.length - i); n > 0; n--) {
      const hit = NAMES.get(n === 1 ? words[i]! : words.slice(i, i + n).join(' '));
      if (hit) {
        for (const k of hit) if (!keys.includes(k)) keys.push(k);
        step = n;
        break;
      }
    }
    i += step;
  }
  if (resolved.size > 5000) resolved.clear();
  resolved.set(text, keys);
  return keys;
}

function ingredientsOf(m: MedicationInput): string[] {
  if (m.ingredients && m.ingredients.length > 0) {
    const keys: string[] = [];
    for (const i of m.ingredients) {
      const known = NAMES.get(normalizeName(i));
      for (const k of known ?? [normalizeName(i)]) if (k && !keys.includes(k)) keys.push(k);
    }
    return keys;
  }
  return typeof m.name === 'string' ? resolveIngredients(m.name) : [];
}

const LOCAL_ROUTES = new Set(['topical', 'ophthalmic', 'otic', 'nasal', 'vaginal']);
const isLocal = (m: MedicationInput) => typeof m.route === 'string' && LOCAL_ROUTES.has(m.route);
const KNOWN = new Set([...NAMES.values()].flat());
const known = (k: string) => KNOWN.has(k);

// ------------------------------------------------------------------ wording

const T = (en: string, fr: string): Text => ({ en, fr });
const FLAG_SEVERITY: Record<Flag['level'], AlertSeverity> = {
  contraindicated: 'contraindicated',
  avoid: 'moderate',
  caution: 'minor',
};
const source = (id: SourceId) => ({ id, name: SOURCES[id] });
const className = (c: DrugClass) => c.name;

/** The headings of the alert codes, for a UI that does not translate them itself. */
export const ALERT_HEADINGS: Record<AlertCode, Text> = {
  interaction: T('Drug interaction', 'Interaction médicamenteuse'),
  allergy: T('Allergy to this drug', 'Allergie à ce médicament'),
  'allergy-class': T('Allergy to this drug class', 'Allergie à cette classe'),
  'allergy-cross': T('Possible cross-allergy', 'Allergie croisée possible'),
  'duplicate-drug': T('Same drug twice', 'Même médicament en double'),
  'duplicate-class': T('Duplicate therapy', 'Redondance thérapeutique'),
  'dose-single': T('Dose above the maximum', 'Dose supérieure au maximum'),
  'dose-daily': T('Daily dose above the maximum', 'Dose journalière supérieure au maximum'),
  'dose-single-per-kg': T('Dose per kg above the maximum', 'Dose par kg supérieure au maximum'),
  'dose-daily-per-kg': T('Daily dose per kg above the maximum', 'Dose journalière par kg supérieure au maximum'),
  age: T('Not for this age', 'Non indiqué à cet âge'),
  renal: T('Renal function', 'Fonction rénale'),
  pregnancy: T('Pregnancy', 'Grossesse'),
  breastfeeding: T('Breastfeeding', 'Allaitement'),
};

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100));
const fmtFr = (n: number) => fmt(n).replace('.', ',');

// ------------------------------------------------------------------ the checks

interface Med {
  input: MedicationInput;
  name: string;
  /** the name normalised, padded with spaces for whole-word matching */
  words: string;
  keys: string[];
  local: boolean;
}

const MASS: Record<string, number> = {
  mg: 1,
  g: 1000,
  gram: 1000,
  grams: 1000,
  mcg: 0.001,
  µg: 0.001,
  ug: 0.001,
  microgram: 0.001,
  micrograms: 0.001,
  ng: 1e-6,
};
const SEVERE_MANIFESTATIONS = new Set(['anaphylaxis', 'angioedema', 'bronchospasm']);

/** Checks new items against each other and against the patient's current medications, allergies and state. */
export function checkMedications(input: CheckInput): CheckResult {
  const alerts: MedicationAlert[] = [];
  const items = (Array.isArray(input?.items) ? input.items : []).map(toMed);
  const current = (Array.isArray(input?.current) ? input.current : []).map(toMed);
  const patient = input?.patient ?? {};
  const emit = (a: Omit<MedicationAlert, 'blocking' | 'title'> & { title?: Text }) =>
    alerts.push({ ...a, title: a.title ?? ALERT_HEADINGS[a.code], blocking: isBlocking(a.severity) });

  items.forEach((item, i) => {
    for (let j = i + 1; j < items.length; j++)
      pairChecks(item, i, items[j]!, { kind: 'item', index: j, name: items[j]!.name }, emit);
    current.forEach((c, j) => pairChecks(item, i, c, { kind: 'current', index: j, name: c.name }, emit));
  });
  (Array.isArray(input?.allergies) ? input.allergies : []).forEach((allergy, a) => {
    if (!allergy || typeof allergy !== 'object' || !activeAllergy(allergy)) return;
    const targets = allergyTargets(allergy);
    if (targets.label) items.forEach((item, i) => allergyCheck(item, i, allergy, a, targets, emit));
  });
  items.forEach((item, i) => itemChecks(item, i, patient, emit));

  alerts.sort((x, y) => RANK[x.severity] - RANK[y.severity] || x.item - y.item || x.key.localeCompare(y.key));
  return {
    alerts,
    blocking: alerts.some((a) => a.blocking),
    unrecognised: items.flatMap((m, i) => (m.keys.some(known) ? [] : [i])),
  };
}

function toMed(m: MedicationInput | null | undefined): Med {
  const input = m && typeof m === 'object' ? m : { name: '' };
  const name = typeof input.name === 'string' ? input.name : '';
  return { input, name, words: ` ${normalizeName(name)} `, keys: ingredientsOf({ ...input, name }), local: isLocal(input) };
}

type Emit = (a: Omit<MedicationAlert, 'blocking' | 'title'> & { title?: Text }) => void;

function pairChecks(item: Med, i: number, other: Med, ref: AlertOther, emit: Emit) {
  const drugs = [item.name, other.name];
  // interactions: every rule of every ingredient pair, once per rule
  const seen = new Set<string>();
  for (const a of item.keys)
    for (const b of other.keys) {
      if (a === b) continue;
      for (const rule of PAIRS.get(pairKey(a, b)) ?? []) {
        const key = `interaction:${rule.id}:${pairKey(a, b)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        emit({
          code: 'interaction',
          key,
          severity: rule.severity,
          item: i,
          other: ref,
          drugs,
          title: T(`Interaction: ${item.name} + ${other.name}`, `Interaction : ${item.name} + ${other.name}`),
          why: rule.mechanism,
          action: rule.management,
          source: source(rule.source),
        });
      }
    }
  // duplicates: the same ingredient, else a shared class (systemic routes only)
  const same = item.keys.filter((k) => other.keys.includes(k));
  if (same.length > 0) {
    const what = same.join(' + ');
    emit({
      code: 'duplicate-drug',
      key: `duplicate-drug:${same.sort().join('+')}`,
      severity: 'moderate',
      item: i,
      other: ref,
      drugs,
      why: T(
        `${item.name} and ${other.name} both contain ${what}: the doses add up.`,
        `${item.name} et ${other.name} contiennent tous deux ${what} : les doses s’additionnent.`,
      ),
      action: T(
        ref.kind === 'current'
          ? 'Check that this is meant to replace or continue the current prescription, and keep the total within the maximum daily dose.'
          : 'Prescribe it once, with the intended total dose.',
        ref.kind === 'current'
          ? 'Vérifier s’il s’agit de remplacer ou de poursuivre la prescription en cours, et garder le total sous la dose journalière maximale.'
          : 'Le prescrire une seule fois, avec la dose totale voulue.',
      ),
      source: source('curated'),
    });
    return;
  }
  if (item.local || other.local) return;
  const reported = new Set<string>();
  for (const a of item.keys)
    for (const c of CLASSES_OF.get(a) ?? []) {
      if (!c.duplicate || reported.has(c.id) || !other.keys.some((b) => c.members.includes(b))) continue;
      reported.add(c.id);
      const n = className(c);
      emit({
        code: 'duplicate-class',
        key: `duplicate-class:${c.id}:${pairKey(
          a,
          other.keys.find((b) => c.members.includes(b))!,
        )}`,
        severity: 'moderate',
        item: i,
        other: ref,
        drugs,
        why: T(
          `${item.name} and ${other.name} are both ${n.en}: the same effect twice, with added side effects.`,
          `${item.name} et ${other.name} sont tous deux des ${n.fr} : le même effet deux fois, avec des effets indésirables cumulés.`,
        ),
        action: T(
          `Prescribe one of them, or stop the other (${n.en}).`,
          `Prescrire l’un des deux, ou arrêter l’autre (${n.fr}).`,
        ),
        source: source('curated'),
      });
    }
}

function activeAllergy(a: AllergyInput): boolean {
  const status = a.status ?? 'active';
  const verification = a.verificationStatus ?? 'unconfirmed';
  return status === 'active' && (verification === 'unconfirmed' || verification === 'confirmed');
}

/** What an allergy names: ingredients and allergy groups. */
function allergyTargets(a: AllergyInput): { keys: string[]; groups: AllergyGroup[]; label: string } {
  const label = (typeof a.substance === 'string' && a.substance) || (typeof a.substanceCode === 'string' ? a.substanceCode : '');
  const groups: AllergyGroup[] = [];
  const byCode = typeof a.substanceCode === 'string' ? GROUP_BY_CODE.get(a.substanceCode) : undefined;
  if (byCode) groups.push(byCode);
  const text = typeof a.substance === 'string' ? a.substance : '';
  const words = normalizeName(text).split(' ');
  for (let w = 0; w < words.length; w++)
    for (const n of [words[w]!, `${words[w]} ${words[w + 1] ?? ''}`.trim()]) {
      const g = GROUP_WORDS.get(n);
      if (g && !groups.includes(g)) groups.push(g);
    }
  let keys =
    byCode?.id === 'nsaids' && a.substanceCode === 'aspirin' ? ['acetylsalicylic acid'] : text ? resolveIngredients(text) : [];
  // a substance the knowledge does not know (nor a group word): matched as written
  if (keys.length === 0 && groups.length === 0 && normalizeName(text)) keys = [normalizeName(text)];
  for (const k of keys)
    for (const g of ALLERGY_GROUPS) if (GROUP_MEMBERS.get(g.id)!.has(k) && !groups.includes(g)) groups.push(g);
  return { keys, groups, label };
}

function allergyCheck(
  item: Med,
  i: number,
  allergy: AllergyInput,
  index: number,
  { keys, groups, label }: ReturnType<typeof allergyTargets>,
  emit: Emit,
) {
  const ref: AlertOther = { kind: 'allergy', index, name: label };
  const drugs = [item.name, label];
  const intolerance = allergy.type === 'intolerance';
  const severe =
    allergy.criticality === 'high' ||
    allergy.severity === 'severe' ||
    (allergy.manifestations ?? []).some((m) => SEVERE_MANIFESTATIONS.has(m));
  const reaction = T(intolerance ? 'an intolerance' : 'an allergy', intolerance ? 'une intolérance' : 'une allergie');

  // the same ingredient, or an unrecognised drug written as the allergy is
  const direct = item.keys.filter((k) => keys.includes(k));
  const asWritten = keys.length === 1 && !known(keys[0]!) && item.words.includes(` ${keys[0]} `);
  if (direct.length > 0 || asWritten) {
    emit({
      code: 'allergy',
      key: `allergy:${direct.join('+') || keys[0]}`,
      severity: intolerance ? 'moderate' : 'contraindicated',
      item: i,
      other: ref,
      drugs,
      why: T(
        `The patient has ${reaction.en} to ${label} recorded, and ${item.name} contains it.`,
        `Le patient a ${reaction.fr} à ${label} enregistrée, et ${item.name} en contient.`,
      ),
      action: T(
        intolerance
          ? 'Choose another drug, or warn the patient and watch for the reaction.'
          : 'Do not give it: choose a drug of another class.',
        intolerance
          ? 'Choisir un autre médicament, ou prévenir le patient et surveiller la réaction.'
          : 'Ne pas le donner : choisir un médicament d’une autre classe.',
      ),
      source: source('curated'),
    });
    return;
  }
  for (const g of groups) {
    const members = GROUP_MEMBERS.get(g.id)!;
    const inGroup = item.keys.find((k) => members.has(k));
    if (inGroup) {
      emit({
        code: 'allergy-class',
        key: `allergy-class:${g.id}:${inGroup}`,
        severity: intolerance ? 'minor' : 'major',
        item: i,
        other: ref,
        drugs,
        why: T(
          `${intolerance ? 'Intolerance' : 'Allergy'} recorded: ${label}. ${g.sameGroup.en}`,
          `${intolerance ? 'Intolérance enregistrée' : 'Allergie enregistrée'} : ${label}. ${g.sameGroup.fr}`,
        ),
        action: T(
          'Avoid it: choose a drug of another class, or give it only after allergy assessment.',
          'L’éviter : choisir un médicament d’une autre classe, ou ne le donner qu’après bilan allergologique.',
        ),
        source: source(g.source),
      });
      return;
    }
  }
  if (intolerance) return;
  for (const g of groups)
    for (const x of g.cross) {
      const hit = item.keys.find((k) => CROSS_MEMBERS.get(x)!.has(k));
      if (!hit) continue;
      emit({
        code: 'allergy-cross',
        key: `allergy-cross:${g.id}:${hit}`,
        severity: severe ? worse(x.severity, x.severeReactionSeverity) : x.severity,
        item: i,
        other: ref,
        drugs,
        why: T(`Allergy recorded: ${label}. ${x.why.en}`, `Allergie enregistrée : ${label}. ${x.why.fr}`),
        action: x.management,
        source: source(x.source),
      });
      return;
    }
}

function itemChecks(item: Med, i: number, patient: PatientContext, emit: Emit) {
  const age = typeof patient.ageYears === 'number' ? patient.ageYears : null;
  for (const k of item.keys) {
    const p = INGREDIENTS[k];
    if (!p) continue;
    const flag = (code: 'pregnancy' | 'breastfeeding', f: Flag | undefined) => {
      if (!f) return;
      emit({
        code,
        key: `${code}:${k}`,
        severity: FLAG_SEVERITY[f.level],
        item: i,
        other: null,
        drugs: [item.name],
        why: f.why,
        action: flagAction(f.level),
        source: source(f.source),
      });
    };
    if (patient.pregnant === true) flag('pregnancy', p.pregnancy);
    if (patient.breastfeeding === true) flag('breastfeeding', p.breastfeeding);
    if (p.renal && typeof patient.egfr === 'number' && patient.egfr < p.renal.belowEgfr)
      emit({
        code: 'renal',
        key: `renal:${k}`,
        severity: FLAG_SEVERITY[p.renal.level],
        item: i,
        other: null,
        drugs: [item.name],
        why: p.renal.why,
        action: flagAction(p.renal.level),
        source: source(p.renal.source),
      });
    if (p.minAgeYears && age !== null && age < p.minAgeYears.years)
      emit({
        code: 'age',
        key: `age:${k}`,
        severity: 'major',
        item: i,
        other: null,
        drugs: [item.name],
        why: p.minAgeYears.why,
        action: T(
          `Not under ${p.minAgeYears.years} years: choose an alternative unless a specialist advises it.`,
          `Pas avant ${p.minAgeYears.years} ans : choisir une alternative sauf avis spécialisé.`,
        ),
        source: source(p.minAgeYears.source),
      });
  }
  if (item.keys.length === 1 && !item.local) doseChecks(item, i, item.keys[0]!, age, patient, emit);
}

function flagAction(level: Flag['level']): Text {
  if (level === 'contraindicated')
    return T('Do not give it: choose an alternative.', 'Ne pas le donner : choisir une alternative.');
  if (level === 'avoid')
    return T(
      'Avoid it unless there is no safer alternative; record why.',
      'À éviter sauf absence d’alternative plus sûre ; noter pourquoi.',
    );
  return T('Use with caution, weighing benefit against risk.', 'Utiliser avec prudence, en pesant le bénéfice et le risque.');
}

function doseChecks(item: Med, i: number, k: string, age: number | null, patient: PatientContext, emit: Emit) {
  const dose = item.input.dose;
  const factor = dose && typeof dose.unit === 'string' ? MASS[dose.unit.trim().toLowerCase()] : undefined;
  if (!dose || factor === undefined || !Number.isFinite(dose.amount) || dose.amount <= 0) return;
  const single = dose.amount * factor;
  const times = item.input.timesPerDay;
  const daily = typeof times === 'number' && Number.isFinite(times) && times > 0 ? single * times : null;
  const route = typeof item.input.route === 'string' ? item.input.route : null;
  const limit = INGREDIENTS[k]?.dose?.find((l) => !l.routes || route === null || l.routes.includes(route as Route));
  if (!limit) return;
  const weight = typeof patient.weightKg === 'number' && patient.weightKg > 0 ? patient.weightKg : null;
  const child = age !== null && age < 18;
  const perKg = child || (weight !== null && limit.perKgBelowKg !== undefined && weight < limit.perKgBelowKg);
  const over = (
    code: 'dose-single' | 'dose-daily' | 'dose-single-per-kg' | 'dose-daily-per-kg',
    given: number,
    max: number,
    unit: string,
  ) =>
    emit({
      code,
      key: `${code}:${k}`,
      severity: 'major',
      item: i,
      other: null,
      drugs: [item.name],
      why: T(
        `${fmt(given)} ${unit} ${code.startsWith('dose-daily') ? 'a day' : 'per dose'} is above the maximum of ${fmt(max)} ${unit} for ${k}.`,
        `${fmtFr(given)} ${unit} ${code.startsWith('dose-daily') ? 'par jour' : 'par prise'} dépasse le maximum de ${fmtFr(max)} ${unit} pour ${k}.`,
      ),
      action: T(
        `Reduce the dose${code.startsWith('dose-daily') ? ' or the number of doses a day' : ''}, or record why this dose is intended.`,
        `Réduire la dose${code.startsWith('dose-daily') ? ' ou le nombre de prises par jour' : ''}, ou noter pourquoi cette dose est voulue.`,
      ),
      source: source(child && code.endsWith('per-kg') ? (limit.childSource ?? limit.source) : limit.source),
    });
  if (perKg && weight !== null) {
    if (limit.childMaxSingleMgPerKg !== undefined && single / weight > limit.childMaxSingleMgPerKg + 1e-9)
      over('dose-single-per-kg', single / weight, limit.childMaxSingleMgPerKg, 'mg/kg');
    if (daily !== null && limit.childMaxDailyMgPerKg !== undefined && daily / weight > limit.childMaxDailyMgPerKg + 1e-9)
      over('dose-daily-per-kg', daily / weight, limit.childMaxDailyMgPerKg, 'mg/kg');
  }
  if (limit.maxSingleMg !== undefined && single > limit.maxSingleMg + 1e-9) over('dose-single', single, limit.maxSingleMg, 'mg');
  if (daily !== null && limit.maxDailyMg !== undefined && daily > limit.maxDailyMg + 1e-9)
    over('dose-daily', daily, limit.maxDailyMg, 'mg');
}
