// The prescription being written, as the panel holds it: each item's fields as typed (text for the numbers,
// so that "1." or "" can be typed), the formulary item it came from (its strength and form make the quantity),
// and the reasons typed for overriding blocking alerts. Pure: turned into the contract's input for the server
// and into the checks' input for checkMedications.
import {
  checkDose,
  computeQuantity,
  instructionsText,
  type CheckInput,
  type MedicationInput,
} from '@sanita/clinical/medications';
import {
  asksPregnancy,
  MEDICATION_ROUTES,
  PREGNANCY_CARRY_DAYS,
  type DoseUnit,
  type MedicationRoute,
} from '@sanita/contracts/medications';
import type {
  CurrentMedication,
  Favourite,
  FormularyItem,
  Frequency,
  Prescription,
  PrescriptionItem,
  PrescriptionItemInput,
} from '../api/medications.ts';

export type Lang = 'en' | 'fr';

export interface DraftItem {
  /** React key, stable while the item is on screen */
  key: string;
  formularyItemId: string | null;
  name: string;
  ingredients: string[];
  /** of the formulary item, when known: what the quantity and the dose in mg are computed from */
  strength: string | null;
  form: string | null;
  route: MedicationRoute | null;
  doseAmount: string;
  doseUnit: DoseUnit;
  frequency: Frequency;
  durationDays: string;
  quantity: string;
  quantityUnit: string;
  /** the prescriber typed the quantity: it is no longer recomputed */
  quantityEdited: boolean;
  refills: number;
  instructions: string;
  /** the prescriber typed the instructions: they are no longer rewritten */
  instructionsEdited: boolean;
  substitutionAllowed: boolean;
  /** alert key → the reason typed */
  overrides: Record<string, string>;
}

let counter = 0;
const newKey = () => `item-${Date.now().toString(36)}-${(counter++).toString(36)}`;

const isRoute = (r: string | null | undefined): r is MedicationRoute =>
  typeof r === 'string' && (MEDICATION_ROUTES as readonly string[]).includes(r);

/** The dose unit a form is usually prescribed in. */
export function defaultUnit(form: string | null, strength: string | null): DoseUnit {
  const f = (form ?? '').toLowerCase();
  if (/capsule/.test(f)) return 'capsule';
  if (/tablet/.test(f)) return 'tablet';
  if (/drop/.test(f)) return 'drop';
  if (/inhal/.test(f)) return 'puff';
  if (/suppositor/.test(f)) return 'suppository';
  if (/patch/.test(f)) return 'patch';
  if (/sachet|powder for oral/.test(f)) return 'sachet';
  if (/cream|ointment|gel|lotion/.test(f)) return 'application';
  if (/oral|syrup|suspension|liquid/.test(f)) return 'mL';
  if (/IU/.test(strength ?? '')) return 'IU';
  // an injection is prescribed by mass when its strength is one (1 g vial, 40 mg/mL), else by volume
  if (/injection|infusion/.test(f)) return /\d\s*(mg|g|mcg|ug)\b/i.test(strength ?? '') ? 'mg' : 'mL';
  return 'tablet';
}

export const DEFAULT_FREQUENCY: Frequency = { kind: 'times_per_day', times: 3, asNeeded: false };

export function emptyItem(): DraftItem {
  return {
    key: newKey(),
    formularyItemId: null,
    name: '',
    ingredients: [],
    strength: null,
    form: null,
    route: null,
    doseAmount: '1',
    doseUnit: 'tablet',
    frequency: DEFAULT_FREQUENCY,
    durationDays: '7',
    quantity: '',
    quantityUnit: 'tablet',
    quantityEdited: false,
    refills: 0,
    instructions: '',
    instructionsEdited: false,
    substitutionAllowed: true,
    overrides: {},
  };
}

/** A new item for a formulary product, with the dose unit its form suggests. */
export function itemFromFormulary(f: FormularyItem, lang: Lang): DraftItem {
  const unit = defaultUnit(f.form, f.strength);
  const countable = !['mg', 'g', 'mcg', 'mL', 'IU', 'unit'].includes(unit);
  return recompute(
    {
      ...emptyItem(),
      formularyItemId: f.id,
      name: f.name,
      ingredients: f.ingredients,
      strength: f.strength,
      form: f.form,
      route: isRoute(f.route) ? f.route : null,
      doseUnit: unit,
      doseAmount: countable ? '1' : '',
    },
    lang,
  );
}

/** An item as stored (a draft reloaded, the last prescription repeated, a favourite). */
export function itemFromSaved(
  i: Pick<
    PrescriptionItem,
    | 'formularyItemId'
    | 'name'
    | 'route'
    | 'dose'
    | 'frequency'
    | 'durationDays'
    | 'quantity'
    | 'quantityUnit'
    | 'refills'
    | 'instructions'
    | 'substitutionAllowed'
  > & { ingredients?: string[]; overrides?: { key: string; reason: string }[] },
): DraftItem {
  return {
    key: newKey(),
    formularyItemId: i.formularyItemId,
    name: i.name,
    ingredients: i.ingredients ?? [],
    strength: null,
    form: null,
    route: isRoute(i.route) ? i.route : null,
    doseAmount: String(i.dose.amount),
    doseUnit: i.dose.unit,
    frequency: i.frequency,
    durationDays: String(i.durationDays),
    quantity: String(i.quantity),
    quantityUnit: i.quantityUnit,
    quantityEdited: true,
    refills: i.refills,
    instructions: i.instructions ?? '',
    instructionsEdited: true,
    substitutionAllowed: i.substitutionAllowed,
    overrides: Object.fromEntries((i.overrides ?? []).map((o) => [o.key, o.reason])),
  };
}

export const itemFromFavourite = (f: Favourite) => itemFromSaved(f.item);

const num = (text: string): number | null => {
  const n = Number(text.trim().replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(n) ? n : null;
};

export const doseOf = (item: DraftItem) => {
  const amount = num(item.doseAmount);
  return amount !== null && amount > 0 ? { amount, unit: item.doseUnit } : null;
};

const daysOf = (item: DraftItem) => {
  const d = num(item.durationDays);
  return d !== null && Number.isInteger(d) && d >= 1 ? d : null;
};

/**
 * The quantity and the instructions follow the dose, frequency and duration until the prescriber types
 * their own: call after every change of those.
 */
export function recompute(item: DraftItem, lang: Lang): DraftItem {
  const dose = doseOf(item);
  const days = daysOf(item);
  let next = item;
  if (!item.quantityEdited && dose && days) {
    const q = computeQuantity({ dose, frequency: item.frequency, durationDays: days, strength: item.strength, form: item.form });
    next = q ? { ...next, quantity: String(q.quantity), quantityUnit: q.unit } : { ...next, quantity: '' };
  }
  if (!item.instructionsEdited && dose) {
    const text = instructionsText(
      { dose, frequency: item.frequency, durationDays: days, route: item.route, strength: item.strength, form: item.form },
      lang,
    );
    next = { ...next, instructions: text ? `${text}.` : '' };
  }
  return next;
}

/** What the checks see of an item being prescribed. */
export function checkInputOf(item: DraftItem): MedicationInput {
  return {
    name: item.name || '—',
    ingredients: item.ingredients.length ? item.ingredients : null,
    route: item.route,
    ...checkDose(doseOf(item), item.frequency, item.strength),
  };
}

export function currentInputOf(c: CurrentMedication): MedicationInput {
  return {
    name: c.name,
    ingredients: c.ingredients.length ? c.ingredients : null,
    route: c.route,
    ...checkDose(c.dose, c.frequency),
  };
}

/** The checks' input: the items with a name, the patient's current medications (without this prescription's own). */
export function checkInputs(
  items: DraftItem[],
  current: CurrentMedication[],
  prescriptionId: string | null,
  rest: Omit<CheckInput, 'items' | 'current'>,
): { input: CheckInput; indexes: number[] } {
  const indexes = items.flatMap((item, i) => (item.name.trim() ? [i] : []));
  return {
    indexes,
    input: {
      items: indexes.map((i) => checkInputOf(items[i]!)),
      current: current.filter((c) => !prescriptionId || c.prescriptionId !== prescriptionId).map(currentInputOf),
      ...rest,
    },
  };
}

/**
 * The contract's item input. The quantity falls back to 0 when empty so that the server names the field;
 * overrides are sent for the alerts given (the server matches them by key).
 */
export function toInput(item: DraftItem, alertKeys: string[]): PrescriptionItemInput {
  const overrides = alertKeys
    .filter((k) => (item.overrides[k] ?? '').trim() !== '')
    .map((key) => ({ key, reason: item.overrides[key]!.trim() }));
  return {
    formularyItemId: item.formularyItemId,
    name: item.name.trim() || undefined,
    route: item.route,
    dose: { amount: num(item.doseAmount) ?? 0, unit: item.doseUnit },
    frequency: cleanFrequency(item.frequency),
    durationDays: num(item.durationDays) ?? 0,
    quantity: num(item.quantity) ?? 0,
    quantityUnit: item.quantityUnit.trim() || item.doseUnit,
    refills: item.refills,
    instructions: item.instructions.trim() || undefined,
    substitutionAllowed: item.substitutionAllowed,
    ...(overrides.length ? { overrides } : {}),
  };
}

/** Only the fields the frequency's kind uses (the server refuses the others). */
export function cleanFrequency(f: Frequency): Frequency {
  const base: Frequency = { kind: f.kind, asNeeded: f.asNeeded };
  if (f.kind === 'times_per_day' && f.times !== undefined) base.times = f.times;
  if (f.kind === 'every_hours' && f.hours !== undefined) base.hours = f.hours;
  if (f.kind === 'pattern' && f.pattern) base.pattern = f.pattern;
  if (f.asNeeded) base.maxPerDay = f.maxPerDay ?? null;
  return base;
}

/** A favourite's item: the prescription item without the patient's overrides. */
export function toFavourite(item: DraftItem) {
  const { overrides: _overrides, ...rest } = toInput(item, []);
  return rest;
}

/**
 * A reloaded item given its formulary item's strength and form: the quantity and the instructions follow
 * the dose again when they are what would have been computed (the prescriber did not type their own).
 */
export function withFormulary(item: DraftItem, f: Pick<FormularyItem, 'strength' | 'form'>, lang: Lang): DraftItem {
  const known = { ...item, strength: f.strength, form: f.form };
  const auto = recompute({ ...known, quantityEdited: false, instructionsEdited: false }, lang);
  return {
    ...known,
    quantityEdited: auto.quantity !== item.quantity || auto.quantityUnit !== item.quantityUnit,
    instructionsEdited: auto.instructions !== item.instructions,
  };
}

/** The prescriber's answers about pregnancy and breastfeeding: null unknown, false no, true yes. */
export interface PregnancyAnswers {
  pregnant: boolean | null;
  breastfeeding: boolean | null;
}
export const UNKNOWN: PregnancyAnswers = { pregnant: null, breastfeeding: null };

/** Whether the panel asks (a woman aged 10 to 60, as the server decides): `sex` and the age in whole years. */
export function asksPregnancyOf(patient: { sex: string; birthDate: string } | undefined, now = Date.now()): boolean {
  if (!patient) return false;
  return asksPregnancy({ sex: patient.sex, ageYears: ageInYears(patient.birthDate, now) });
}

/** Whole years of age on `now` (the calendar: 18 on the 18th birthday). */
export function ageInYears(birthDate: string, now = Date.now()): number {
  const b = new Date(`${birthDate.slice(0, 10)}T00:00:00Z`);
  const d = new Date(now);
  let age = d.getUTCFullYear() - b.getUTCFullYear();
  if (d.getUTCMonth() < b.getUTCMonth() || (d.getUTCMonth() === b.getUTCMonth() && d.getUTCDate() < b.getUTCDate())) age--;
  return age;
}

/**
 * The answers a new prescription starts with: those of the patient's latest prescription (signed, or
 * saved if never signed; not cancelled) written in the last nine months, with its date; unknown otherwise.
 */
export function carriedAnswers(
  prescriptions: Prescription[],
  now = Date.now(),
): { answers: PregnancyAnswers; from: string | null } {
  const since = now - PREGNANCY_CARRY_DAYS * 86_400_000;
  const latest = prescriptions
    .filter((p) => p.status !== 'cancelled' && (p.pregnant !== null || p.breastfeeding !== null))
    .map((p) => ({ p, at: p.signedAt ?? p.createdAt }))
    .filter(({ at }) => Date.parse(at) >= since)
    .sort((a, b) => b.at.localeCompare(a.at))[0];
  return latest
    ? { answers: { pregnant: latest.p.pregnant, breastfeeding: latest.p.breastfeeding }, from: latest.at }
    : { answers: UNKNOWN, from: null };
}
