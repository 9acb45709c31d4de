// Dosing arithmetic and wording for prescriptions: how many administrations a day a structured
// frequency means, the frequency and the patient's instructions in English and French, the quantity to
// dispense, and the dose in mass the safety checks need. Pure, synchronous, and it never throws: what it
// cannot work out is `null` (the prescriber types it). The shapes are the contract's (issue 11 design),
// written structurally so that this package does not depend on the contracts.
import type { MedicationInput } from './check.ts';

export type Lang = 'en' | 'fr';

export type FrequencyKind = 'times_per_day' | 'every_hours' | 'pattern' | 'at_night' | 'once';

/** A structured frequency (the contract's `Frequency`). */
export interface Frequency {
  kind: FrequencyKind;
  /** times_per_day: 1..12 */
  times?: number | null;
  /** every_hours: 1..72 (q8h → 8) */
  hours?: number | null;
  /** morning, midday, evening, night: multiples of the dose (1-0-1 → [1, 0, 1, 0]) */
  pattern?: readonly number[] | null;
  /** as needed (PRN) */
  asNeeded: boolean;
  /** as needed: administrations a day at most */
  maxPerDay?: number | null;
}

export interface Dose {
  amount: number;
  /** mg g mcg mL tablet capsule drop puff sachet suppository unit IU application patch */
  unit: string;
}

export interface QuantityInput {
  dose: Dose;
  frequency: Frequency;
  durationDays: number;
  /** the formulary item's strength: "500mg", "125mg/5mL", "100 ug" */
  strength?: string | null;
  /** the formulary item's form: "tablet", "capsule", "oral solution" */
  form?: string | null;
}

export interface Quantity {
  quantity: number;
  /** tablet, capsule, mL, drop, puff, sachet, suppository, patch */
  unit: string;
}

export interface InstructionsInput {
  dose: Dose;
  frequency: Frequency;
  durationDays?: number | null;
  route?: string | null;
  strength?: string | null;
  form?: string | null;
}

// ------------------------------------------------------------------ numbers

const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
const positive = (n: unknown): n is number => finite(n) && n > 0;
/** rounds away the float noise of products such as 0.1 × 3 before rounding up */
const ceil = (n: number) => Math.ceil(Math.round(n * 1e6) / 1e6);
const round3 = (n: number) => Math.round(n * 1000) / 1000;

const MASS_MG: Record<string, number> = { mg: 1, g: 1000, mcg: 0.001, ug: 0.001, µg: 0.001, μg: 0.001 };
const massFactor = (unit: unknown) => (typeof unit === 'string' ? MASS_MG[unit.trim().toLowerCase()] : undefined);

/** dose units counted one by one: the quantity is a number of them */
const COUNTABLE = new Set(['tablet', 'capsule', 'drop', 'puff', 'sachet', 'suppository', 'patch']);
const isMl = (unit: unknown) => typeof unit === 'string' && unit.trim().toLowerCase() === 'ml';
const unitOf = (dose: Dose) => (typeof dose.unit === 'string' ? dose.unit.trim() : '');

/** the solid form a strength is per, when the form is one */
function solidForm(form: string | null | undefined): 'tablet' | 'capsule' | null {
  if (typeof form !== 'string') return null;
  const f = form.toLowerCase();
  if (/\bcapsules?\b/.test(f)) return 'capsule';
  if (/\btablets?\b/.test(f)) return 'tablet';
  return null;
}

type Strength = { mgPerUnit: number } | { mgPerMl: number };

/** "500mg" → 500 mg per unit; "125mg/5mL" → 25 mg/mL; combinations, percentages and IU → null */
export function parseStrength(strength: string | null | undefined): Strength | null {
  if (typeof strength !== 'string') return null;
  const s = strength.trim().replace(/,(?=\d)/g, '.');
  const perUnit = /^(\d+(?:\.\d+)?)\s*(mg|g|mcg|ug|µg|μg)$/i.exec(s);
  if (perUnit) {
    const mg = Number(perUnit[1]) * massFactor(perUnit[2])!;
    return positive(mg) ? { mgPerUnit: mg } : null;
  }
  const perMl = /^(\d+(?:\.\d+)?)\s*(mg|g|mcg|ug|µg|μg)\s*\/\s*(\d+(?:\.\d+)?)?\s*ml$/i.exec(s);
  if (perMl) {
    const volume = perMl[3] === undefined ? 1 : Number(perMl[3]);
    const mgPerMl = (Number(perMl[1]) * massFactor(perMl[2])!) / volume;
    return positive(mgPerMl) ? { mgPerMl } : null;
  }
  return null;
}

// ------------------------------------------------------------------ frequency

function validPattern(p: Frequency['pattern']): number[] | null {
  if (!Array.isArray(p) || p.length !== 4) return null;
  const slots = p.map((x) => (finite(x) && x >= 0 ? x : NaN));
  return slots.every((x) => !Number.isNaN(x)) && slots.some((x) => x > 0) ? slots : null;
}

/** administrations in 24 h before "as needed" is considered; null when the frequency is incomplete */
function scheduledPerDay(f: Frequency): number | null {
  switch (f.kind) {
    case 'times_per_day':
      return positive(f.times) ? f.times : null;
    case 'every_hours':
      return positive(f.hours) ? 24 / f.hours : null;
    case 'pattern': {
      const p = validPattern(f.pattern);
      return p ? p.filter((x) => x > 0).length : null;
    }
    case 'at_night':
    case 'once':
      return 1;
    default:
      return null;
  }
}

/**
 * Administrations in 24 hours: 3 for three times a day, 3 for every 8 hours, 2 for 1-0-1, 1 at night or
 * once; for "as needed", the maximum per day (or the schedule's count when no maximum is given).
 * null when the frequency is incomplete.
 */
export function administrationsPerDay(frequency: Frequency): number | null {
  if (!frequency || typeof frequency !== 'object') return null;
  if (frequency.asNeeded && positive(frequency.maxPerDay)) return frequency.maxPerDay;
  return scheduledPerDay(frequency);
}

/** doses a day in multiples of the dose: 2-0-1 is 3 (two administrations, three doses) */
function dosesPerDay(f: Frequency): number | null {
  if (f.asNeeded && positive(f.maxPerDay)) return f.maxPerDay;
  if (f.kind === 'pattern') {
    const p = validPattern(f.pattern);
    return p ? p.reduce((a, b) => a + b, 0) : null;
  }
  return scheduledPerDay(f);
}

const WORDS: Record<Lang, readonly string[]> = {
  en: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'],
  fr: ['zéro', 'une', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf', 'dix', 'onze', 'douze'],
};

/** "once", "twice", "three times" / "une fois", "deux fois" */
function times(n: number, lang: Lang): string {
  if (lang === 'en') {
    if (n === 1) return 'once';
    if (n === 2) return 'twice';
    return `${Number.isInteger(n) && n <= 12 ? WORDS.en[n] : number(n, lang)} times`;
  }
  return `${Number.isInteger(n) && n <= 12 ? WORDS.fr[n] : number(n, lang)} fois`;
}

const FRACTIONS: Record<number, string> = { 0.25: '¼', 0.5: '½', 0.75: '¾' };

/** 1.5 → "1½" for countable units; 2.5 → "2.5" / "2,5" otherwise */
function number(n: number, lang: Lang, fractions = false): string {
  const r = round3(n);
  if (fractions) {
    const whole = Math.floor(r);
    const glyph = FRACTIONS[round3(r - whole)];
    if (glyph) return `${whole > 0 ? whole : ''}${glyph}`;
  }
  const s = String(r);
  return lang === 'fr' ? s.replace('.', ',') : s;
}

/** the pattern as written on a prescription: 1-0-1 (three slots), 1-0-1-1 when the night slot is used */
function patternText(p: number[], lang: Lang): string {
  const slots = p[3] === 0 ? p.slice(0, 3) : p;
  return slots.map((x) => number(x, lang, true)).join('-');
}

const T = {
  en: {
    perDay: 'a day',
    everyHour: 'every hour',
    everyHours: (h: string) => `every ${h} hours`,
    atNight: 'once daily at night',
    once: 'once only',
    asNeeded: 'as needed',
    atMost: (t: string) => `at most ${t} a day`,
    forDays: (d: number) => `for ${d} ${d === 1 ? 'day' : 'days'}`,
    slots: ['in the morning', 'at midday', 'in the evening', 'at night'],
    and: 'and',
  },
  fr: {
    perDay: 'par jour',
    everyHour: 'toutes les heures',
    everyHours: (h: string) => `toutes les ${h} heures`,
    atNight: 'une fois par jour au coucher',
    once: 'une seule fois',
    asNeeded: 'si besoin',
    atMost: (t: string) => `au maximum ${t} par jour`,
    forDays: (d: number) => `pendant ${d} ${d === 1 ? 'jour' : 'jours'}`,
    slots: ['le matin', 'à midi', 'le soir', 'au coucher'],
    and: 'et',
  },
} as const;

/** the schedule without "as needed"; null when incomplete */
function scheduleText(f: Frequency, lang: Lang): string | null {
  const t = T[lang];
  switch (f.kind) {
    case 'times_per_day':
      return positive(f.times) ? `${times(f.times, lang)} ${t.perDay}` : null;
    case 'every_hours':
      if (!positive(f.hours)) return null;
      return f.hours === 1 ? t.everyHour : t.everyHours(number(f.hours, lang));
    case 'pattern': {
      const p = validPattern(f.pattern);
      return p ? patternText(p, lang) : null;
    }
    case 'at_night':
      return t.atNight;
    case 'once':
      return t.once;
    default:
      return null;
  }
}

/**
 * The frequency as a prescriber reads it: "1-0-1", "every 8 hours", "three times a day", "once daily at
 * night", "as needed, at most 4 times a day" (French: "1-0-1", "toutes les 8 heures", "trois fois par
 * jour", …). An empty string when the frequency is incomplete.
 */
export function frequencyText(frequency: Frequency, lang: Lang): string {
  if (!frequency || typeof frequency !== 'object') return '';
  const t = T[lang] ?? T.en;
  const l: Lang = lang === 'fr' ? 'fr' : 'en';
  const max = positive(frequency.maxPerDay) ? frequency.maxPerDay : null;
  if (frequency.asNeeded) {
    const limit = max === null ? '' : `, ${t.atMost(times(max, l))}`;
    // "as needed, at most 4 times a day" says all a times-per-day schedule would
    if (frequency.kind === 'times_per_day' || frequency.kind === 'once') {
      const base = max === null && frequency.kind === 'times_per_day' ? scheduleText(frequency, l) : null;
      return base ? `${t.asNeeded}, ${l === 'en' ? 'up to' : 'jusqu’à'} ${base}` : `${t.asNeeded}${limit}`;
    }
    const schedule = scheduleText(frequency, l);
    return schedule ? `${schedule}, ${t.asNeeded}${limit}` : `${t.asNeeded}${limit}`;
  }
  return scheduleText(frequency, l) ?? '';
}

// ------------------------------------------------------------------ quantity

/** administrations over the whole course; null when it cannot be told */
function courseDoses(f: Frequency, days: number): number | null {
  if (f.kind === 'once' && !f.asNeeded) return 1;
  if (f.kind === 'every_hours' && !(f.asNeeded && positive(f.maxPerDay))) {
    // q48h for 7 days: days 1, 3, 5 and 7
    return positive(f.hours) ? ceil((days * 24) / f.hours) : null;
  }
  const perDay = dosesPerDay(f);
  return perDay === null ? null : perDay * days;
}

/** dose units per administration of a mass dose from a solid form: rounded up to a half tablet or a whole capsule */
function unitsPerDose(mg: number, mgPerUnit: number, form: 'tablet' | 'capsule'): number {
  const exact = round3(mg / mgPerUnit);
  return form === 'capsule' ? ceil(exact) : ceil(exact * 2) / 2;
}

/**
 * The quantity to dispense for the course: countable dose units (tablets, capsules, drops, puffs,
 * sachets, suppositories, patches) × doses a day × days; a dose in mass from a tablet or capsule of a
 * known strength → tablets or capsules (each dose rounded up to half a tablet or a whole capsule); a
 * dose in mL → mL; a dose in mass from a liquid of known concentration → mL. Rounded up to a whole
 * unit. null when it cannot be told (units, IU, applications, combinations, incomplete input).
 */
export function computeQuantity(input: QuantityInput): Quantity | null {
  try {
    const { dose, frequency, durationDays } = input ?? ({} as QuantityInput);
    if (!dose || !positive(dose.amount) || !frequency || typeof frequency !== 'object') return null;
    if (!positive(durationDays) || !Number.isInteger(durationDays)) return null;
    const doses = courseDoses(frequency, durationDays);
    if (doses === null || !positive(doses)) return null;
    const unit = unitOf(dose);
    const lower = unit.toLowerCase();
    if (COUNTABLE.has(lower)) return { quantity: ceil(dose.amount * doses), unit: lower };
    if (isMl(unit)) return { quantity: ceil(dose.amount * doses), unit: 'mL' };
    const factor = massFactor(unit);
    if (factor === undefined) return null;
    const mg = dose.amount * factor;
    const strength = parseStrength(input.strength);
    if (!strength) return null;
    if ('mgPerUnit' in strength) {
      const form = solidForm(input.form);
      if (!form) return null;
      return { quantity: ceil(unitsPerDose(mg, strength.mgPerUnit, form) * doses), unit: form };
    }
    return { quantity: ceil((mg / strength.mgPerMl) * doses), unit: 'mL' };
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ dose for the checks

/**
 * The dose per administration in mass, as the safety checks need it: a mass dose as is; tablets or
 * capsules of a known strength → amount × strength in mg; mL of a known concentration → mg. null when
 * it cannot be told (the checks then skip the dose limits).
 */
export function doseForChecks(dose: Dose | null | undefined, strength?: string | null): Dose | null {
  if (!dose || !positive(dose.amount)) return null;
  const unit = unitOf(dose);
  if (massFactor(unit) !== undefined) return { amount: dose.amount, unit: unit.toLowerCase() === 'g' ? 'g' : unit };
  const s = parseStrength(strength);
  if (!s) return null;
  const lower = unit.toLowerCase();
  if ((lower === 'tablet' || lower === 'capsule' || lower === 'sachet' || lower === 'suppository') && 'mgPerUnit' in s)
    return { amount: round3(dose.amount * s.mgPerUnit), unit: 'mg' };
  if (isMl(unit) && 'mgPerMl' in s) return { amount: round3(dose.amount * s.mgPerMl), unit: 'mg' };
  return null;
}

/**
 * The dose fields of a `MedicationInput` for `checkMedications`: the largest single administration and
 * the administrations a day such that their product is the daily dose (2-0-1 of 500 mg: 1,000 mg per
 * dose, 1.5 a day → 1,500 mg a day).
 */
export function checkDose(
  dose: Dose | null | undefined,
  frequency: Frequency | null | undefined,
  strength?: string | null,
): Pick<MedicationInput, 'dose' | 'timesPerDay'> {
  const mass = doseForChecks(dose, strength);
  if (!mass || !frequency || typeof frequency !== 'object') return { dose: mass, timesPerDay: null };
  if (frequency.kind === 'pattern' && !(frequency.asNeeded && positive(frequency.maxPerDay))) {
    const p = validPattern(frequency.pattern);
    if (!p) return { dose: mass, timesPerDay: null };
    const largest = Math.max(...p);
    const total = p.reduce((a, b) => a + b, 0);
    return { dose: { amount: round3(mass.amount * largest), unit: mass.unit }, timesPerDay: total / largest };
  }
  return { dose: mass, timesPerDay: administrationsPerDay(frequency) };
}

// ------------------------------------------------------------------ instructions

const UNIT_NAMES: Record<string, { en: [string, string]; fr: [string, string] }> = {
  tablet: { en: ['tablet', 'tablets'], fr: ['comprimé', 'comprimés'] },
  capsule: { en: ['capsule', 'capsules'], fr: ['gélule', 'gélules'] },
  drop: { en: ['drop', 'drops'], fr: ['goutte', 'gouttes'] },
  puff: { en: ['puff', 'puffs'], fr: ['bouffée', 'bouffées'] },
  sachet: { en: ['sachet', 'sachets'], fr: ['sachet', 'sachets'] },
  suppository: { en: ['suppository', 'suppositories'], fr: ['suppositoire', 'suppositoires'] },
  unit: { en: ['unit', 'units'], fr: ['unité', 'unités'] },
  application: { en: ['application', 'applications'], fr: ['application', 'applications'] },
  patch: { en: ['patch', 'patches'], fr: ['patch', 'patchs'] },
};
const SYMBOLS: Record<string, { en: string; fr: string }> = {
  mg: { en: 'mg', fr: 'mg' },
  g: { en: 'g', fr: 'g' },
  mcg: { en: 'mcg', fr: 'µg' },
  ml: { en: 'mL', fr: 'mL' },
  iu: { en: 'IU', fr: 'UI' },
};

/** "1 tablet", "½ tablet", "1½ tablets", "2 puffs", "500 mg", "2.5 mL" / "1 comprimé", "1½ comprimé", "2,5 mL" */
export function doseText(dose: Dose, lang: Lang): string {
  if (!dose || !positive(dose.amount)) return '';
  const l: Lang = lang === 'fr' ? 'fr' : 'en';
  const unit = unitOf(dose).toLowerCase();
  const names = UNIT_NAMES[unit];
  if (names) {
    // English: plural above one (1½ tablets); French: plural from two (1½ comprimé)
    const plural = l === 'en' ? dose.amount > 1 : dose.amount >= 2;
    return `${number(dose.amount, l, true)} ${names[l][plural ? 1 : 0]}`;
  }
  const symbol = SYMBOLS[unit]?.[l] ?? unitOf(dose);
  return `${number(dose.amount, l)} ${symbol}`.trim();
}

const VERBS: Record<string, { en: string; fr: string }> = {
  take: { en: 'Take', fr: 'Prendre' },
  instil: { en: 'Instil', fr: 'Instiller' },
  inhale: { en: 'Inhale', fr: 'Inhaler' },
  insert: { en: 'Insert', fr: 'Introduire' },
  apply: { en: 'Apply', fr: 'Appliquer' },
  give: { en: 'Give', fr: 'Administrer' },
  use: { en: 'Use', fr: 'Utiliser' },
};

function verb(unit: string, route: string | null | undefined): { en: string; fr: string } {
  if (unit === 'drop' && route !== 'oral') return VERBS.instil!;
  if (unit === 'puff' || route === 'inhalation') return VERBS.inhale!;
  if (unit === 'suppository' || route === 'rectal' || route === 'vaginal') return VERBS.insert!;
  if (unit === 'application' || unit === 'patch' || route === 'topical' || route === 'transdermal') return VERBS.apply!;
  if (route === 'parenteral') return VERBS.give!;
  if (!route || route === 'oral') return VERBS.take!;
  return VERBS.use!;
}

/** "1 tablet in the morning and 1 tablet in the evening" */
function patternInstructions(dose: Dose, p: number[], lang: Lang): string {
  const t = T[lang];
  const parts = p.flatMap((m, i) => (m > 0 ? [`${doseText({ ...dose, amount: dose.amount * m }, lang)} ${t.slots[i]}`] : []));
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} ${t.and} ${parts[parts.length - 1]}`;
}

/**
 * The patient's instructions for the label and the prescription, in the patient's language: "Take 1
 * tablet three times a day for 7 days" / "Prendre 1 comprimé trois fois par jour pendant 7 jours";
 * "Take 1 tablet in the morning and 1 tablet in the evening for 30 days"; a mass dose from a tablet of
 * known strength names the tablets: "Take 1 g (2 tablets) twice a day for 5 days". An empty string when
 * the dose or the frequency is incomplete.
 */
export function instructionsText(item: InstructionsInput, lang: Lang): string {
  try {
    const l: Lang = lang === 'fr' ? 'fr' : 'en';
    const t = T[l];
    const { dose, frequency } = item ?? ({} as InstructionsInput);
    if (!dose || !positive(dose.amount) || !frequency || typeof frequency !== 'object') return '';
    const unit = unitOf(dose).toLowerCase();
    const v = verb(unit, item.route)[l];
    let what = doseText(dose, l);
    // a mass dose from a solid form of known strength: say how many tablets too
    const s = parseStrength(item.strength);
    const form = solidForm(item.form);
    const factor = massFactor(unit);
    if (factor !== undefined && s && 'mgPerUnit' in s && form) {
      const units = unitsPerDose(dose.amount * factor, s.mgPerUnit, form);
      if (Math.abs(units - (dose.amount * factor) / s.mgPerUnit) < 1e-6)
        what = `${what} (${doseText({ amount: units, unit: form }, l)})`;
    }
    const p = frequency.kind === 'pattern' && !frequency.asNeeded ? validPattern(frequency.pattern) : null;
    const schedule = p ? null : frequencyText(frequency, l);
    if (!p && !schedule) return '';
    const body = p ? patternInstructions(dose, p, l) : `${what} ${schedule}`;
    const single = frequency.kind === 'once' && !frequency.asNeeded;
    const days =
      !single && positive(item.durationDays) && Number.isInteger(item.durationDays) ? ` ${t.forDays(item.durationDays)}` : '';
    const joiner = frequency.asNeeded && days ? ',' : '';
    return `${v} ${body}${joiner}${days}`;
  } catch {
    return '';
  }
}
