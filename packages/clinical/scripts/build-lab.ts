// Regenerates the shipped laboratory catalogue from ../shared/data/terminology/loinc (development time
// only; the generated file is committed and the product never reads ../shared):
//   src/lab/catalogue.gen.ts            the clinic's tests and panels (codes stable), their LOINC codes and
//                                       LOINC names as published, UCUM units, specimen, turnaround,
//                                       verification and reference ranges by sex and age band
//   src/lab/LOINC-NOTICE.txt            LOINC's notice, unchanged (LOINC codes and names are redistributed)
//   src/lab/LICENSE-LHNCBC-flowsheet.txt the NLM/LHNCBC flowsheet licence, unchanged (its adult ranges are used)
//
// Which tests: what a clinic's laboratory in a low- or middle-income setting orders every day (WHO
// essential in-vitro diagnostics, common panels), not LOINC's 2000 codes. Units are SI where the
// clinic's region reports SI (mmol/L, µmol/L, g/L), g/dL for haemoglobin (WHO's anaemia thresholds),
// each LOINC code the one whose property matches the unit. Every unit is checked to be valid UCUM here.
//
// Ranges: the adult range comes from loinc-common-labs.csv / nlm-flowsheet-lab-reference.csv where
// they have one for the code (one US institution's adult values, converted to the test's unit with
// UCUM and the analyte's molar mass: INDICATIVE, each clinic reviews them); the paediatric and
// sex-specific bands and the critical limits are written below (common paediatric references, rounded;
// also indicative). A band is [ageMinDays, ageMaxDays); a sex-specific one wins over "either".
//
// Usage: npx tsx packages/clinical/scripts/build-lab.ts [path/to/shared/data]
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import type { CodedAnswer, ReferenceRange, ResultType, SpecimenType } from '@sanita/contracts/lab';
import { rangeIssues, years, type ShippedLabTest } from '../src/lab/catalogue.ts';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'src', 'lab');
const data = resolve(process.argv[2] ?? join(here, '..', '..', '..', '..', 'shared', 'data'));
const loincDir = join(data, 'terminology', 'loinc');

interface UcumUtils {
  validateUnitString(unit: string): { status: string; msg: string[] };
  convertUnitTo(
    from: string,
    value: number,
    to: string,
    options?: { molecularWeight?: number },
  ): { status: string; toVal: number | null; msg: string[] };
}
const ucum = (
  createRequire(import.meta.url)('@lhncbc/ucum-lhc') as { UcumLhcUtils: { getInstance(): UcumUtils } }
).UcumLhcUtils.getInstance();
// (a blank makes ucum-lhc print to the console before refusing it)
const validUcum = (unit: string) => !/\s/.test(unit) && unit !== '' && ucum.validateUnitString(unit).status === 'valid';

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows.filter((r) => r.some((f) => f.trim()));
}
function table(file: string): Map<string, Record<string, string>> {
  const [header, ...rows] = parseCsv(readFileSync(join(loincDir, file), 'utf8').replace(/^\uFEFF/, ''));
  const cols = header!.map((h) => h.trim());
  const map = new Map<string, Record<string, string>>();
  for (const r of rows) {
    const rec = Object.fromEntries(cols.map((c, i) => [c, (r[i] ?? '').trim()]));
    const code = rec[cols[0]!]!;
    if (!map.has(code)) map.set(code, rec);
  }
  return map;
}

// LOINC names as published (the Top 2000 extracts first, then the other two files)
const top = [table('LOINC_1.6_Top2000CommonLabResultsSI.csv'), table('LOINC_1.6_Top2000CommonLabResultsUS.csv')];
const common = table('loinc-common-labs.csv');
const flowsheet = table('nlm-flowsheet-lab-reference.csv');
function loincName(code: string): string | null {
  for (const t of top) {
    const r = t.get(code);
    if (r) return r['Long Common Name']!;
  }
  return common.get(code)?.long_common_name ?? flowsheet.get(code)?.long_common_name ?? null;
}

// ------------------------------------------------------------------ ranges

const D = { week: 7, month: 30, m2: 60, m6: 183 } as const;
const Y = years;

interface Band {
  sex?: 'female' | 'male' | null;
  from?: number;
  to?: number | null;
  low?: number | null;
  high?: number | null;
  cl?: number | null;
  ch?: number | null;
}
const band = (low: number | null, high: number | null, o: Omit<Band, 'low' | 'high'> = {}): Band => ({ low, high, ...o });

/**
 * The adult range published for `loinc` (loinc-common-labs.csv, else the NLM flowsheet), converted to
 * `unit`: its range unit when that is UCUM, else its UCUM example unit (or `srcUnit` when neither is
 * right), with the molar mass of the flowsheet or `mw`.
 */
interface Source {
  loinc?: string;
  srcUnit?: string;
  mw?: number;
  /** keep only one side ("< 5", "> 1.0") */
  take?: 'low' | 'high';
  /** take the published danger values as critical limits */
  critical?: boolean;
  sex?: 'female' | 'male' | null;
  from?: number;
  to?: number | null;
  cl?: number | null;
  ch?: number | null;
}
const used = new Map<string, string>();
function sourced(testCode: string, loinc: string, unit: string, decimals: number, s: Source): Band {
  const code = s.loinc ?? loinc;
  const rec = [common.get(code), flowsheet.get(code)].find((r) => r && (r.normal_low || r.normal_high));
  if (!rec) throw new Error(`${testCode}: no published range for ${code}`);
  const from = s.srcUnit ?? (validUcum(rec.range_units ?? '') ? rec.range_units! : rec.ucum_example_unit!);
  const mw = s.mw ?? (Number(flowsheet.get(code)?.molecular_weight) || undefined);
  const conv = (text: string | undefined): number | null => {
    if (!text) return null;
    const v = Number(text);
    if (!Number.isFinite(v)) throw new Error(`${testCode}: ${text} is not a number`);
    if (from === unit) return round(v, decimals);
    const r = ucum.convertUnitTo(from, v, unit, mw ? { molecularWeight: mw } : undefined);
    if (r.status !== 'succeeded' || r.toVal === null)
      throw new Error(`${testCode}: cannot convert ${from} to ${unit}: ${r.msg.join(' ')}`);
    return round(r.toVal, decimals);
  };
  used.set(testCode, `${code} ${rec.normal_low}–${rec.normal_high} ${from}${from !== unit ? ` → ${unit}` : ''}`);
  return {
    sex: s.sex,
    from: s.from ?? Y(18),
    to: s.to,
    low: s.take === 'high' ? null : conv(rec.normal_low),
    high: s.take === 'low' ? null : conv(rec.normal_high),
    cl: s.cl !== undefined ? s.cl : s.critical ? conv(rec.danger_low) : null,
    ch: s.ch !== undefined ? s.ch : s.critical ? conv(rec.danger_high) : null,
  };
}
const round = (v: number, decimals: number) => Number(v.toFixed(decimals));

// ------------------------------------------------------------------ answers

const a = (code: string, en: string, fr: string): CodedAnswer => ({ code, en, fr });
const NEG = a('NEG', 'Negative', 'Négatif');
const POS = a('POS', 'Positive', 'Positif');
const NR = a('NONREACTIVE', 'Non-reactive', 'Non réactif');
const R = a('REACTIVE', 'Reactive', 'Réactif');
const INDET = a('INDETERMINATE', 'Indeterminate', 'Indéterminé');
const INVALID = a('INVALID', 'Invalid — repeat the test', 'Invalide — refaire le test');
const TRACE = a('TRACE', 'Trace', 'Traces');
const plus = (n: number) => a(`${n}+`, `${n}+`, `${n}+`);
const dipstick = (max: number, trace = true) => [
  NEG,
  ...(trace ? [TRACE] : []),
  ...[1, 2, 3, 4].filter((n) => n <= max).map(plus),
];

// ------------------------------------------------------------------ the catalogue

interface Def {
  code: string;
  loinc: string | null;
  alsoLoinc?: string[];
  name: string;
  nameFr: string;
  specimen: SpecimenType;
  type?: ResultType;
  unit?: string;
  decimals?: number;
  answers?: CodedAnswer[];
  normal?: string[];
  tat: number;
  verify?: boolean;
  /** the adult range from the published files */
  source?: Source;
  /** the bands written here */
  bands?: Band[];
}
interface PanelDef {
  code: string;
  loinc: string | null;
  alsoLoinc?: string[];
  name: string;
  nameFr: string;
  specimen: SpecimenType;
  tat: number;
  members: string[];
}

const CBC_TAT = 4;
const CHEM_TAT = 4;
const tests: Def[] = [
  // ---------------------------------------------------------------- haematology: the full blood count
  {
    code: 'WBC',
    loinc: '6690-2',
    alsoLoinc: ['26464-8'],
    name: 'White blood cells (WBC)',
    nameFr: 'Globules blancs (leucocytes)',
    specimen: 'whole_blood',
    unit: '10*9/L',
    decimals: 1,
    tat: CBC_TAT,
    source: { loinc: '26464-8', cl: 2.0, ch: 30.0 },
    bands: [
      band(9.0, 30.0, { from: 0, to: 14, cl: 4.0, ch: 40.0 }),
      band(5.0, 19.5, { from: 14, to: D.m2, cl: 2.0, ch: 35.0 }),
      band(6.0, 17.5, { from: D.m2, to: Y(1), cl: 2.0, ch: 30.0 }),
      band(5.5, 15.5, { from: Y(1), to: Y(6), cl: 2.0, ch: 30.0 }),
      band(4.5, 13.5, { from: Y(6), to: Y(12), cl: 2.0, ch: 30.0 }),
      band(4.5, 11.0, { from: Y(12), to: Y(18), cl: 2.0, ch: 30.0 }),
    ],
  },
  {
    code: 'RBC',
    loinc: '789-8',
    alsoLoinc: ['26453-1'],
    name: 'Red blood cells (RBC)',
    nameFr: 'Globules rouges (érythrocytes)',
    specimen: 'whole_blood',
    unit: '10*12/L',
    decimals: 2,
    tat: CBC_TAT,
    source: { from: Y(12) },
  },
  {
    code: 'HGB',
    loinc: '718-7',
    alsoLoinc: ['20509-6'],
    name: 'Haemoglobin',
    nameFr: 'Hémoglobine',
    specimen: 'whole_blood',
    unit: 'g/dL',
    decimals: 1,
    tat: CBC_TAT,
    source: { sex: 'female', cl: 7.0, ch: 20.0 },
    bands: [
      band(14.5, 22.5, { from: 0, to: 14, cl: 9.5, ch: 23.0 }),
      band(10.0, 18.0, { from: 14, to: D.m2, cl: 7.0, ch: 20.0 }),
      band(9.0, 14.0, { from: D.m2, to: D.m6, cl: 7.0, ch: 20.0 }),
      band(10.5, 13.5, { from: D.m6, to: Y(2), cl: 7.0, ch: 20.0 }),
      band(11.5, 13.5, { from: Y(2), to: Y(6), cl: 7.0, ch: 20.0 }),
      band(11.5, 15.5, { from: Y(6), to: Y(12), cl: 7.0, ch: 20.0 }),
      band(12.0, 16.0, { sex: 'female', from: Y(12), to: Y(18), cl: 7.0, ch: 20.0 }),
      band(13.0, 16.0, { sex: 'male', from: Y(12), to: Y(18), cl: 7.0, ch: 20.0 }),
      band(13.5, 17.5, { sex: 'male', from: Y(18), cl: 7.0, ch: 20.0 }),
    ],
  },
  {
    code: 'HCT',
    loinc: '4544-3',
    alsoLoinc: ['20570-8'],
    name: 'Haematocrit',
    nameFr: 'Hématocrite',
    specimen: 'whole_blood',
    unit: '%',
    decimals: 1,
    tat: CBC_TAT,
    source: { sex: 'female', critical: true },
    bands: [band(40.0, 52.0, { sex: 'male', from: Y(18), cl: 21.0, ch: 60.0 })],
  },
  {
    code: 'MCV',
    loinc: '787-2',
    alsoLoinc: ['30428-7'],
    name: 'Mean cell volume (MCV)',
    nameFr: 'Volume globulaire moyen (VGM)',
    specimen: 'whole_blood',
    unit: 'fL',
    decimals: 1,
    tat: CBC_TAT,
    source: { from: Y(12) },
    bands: [
      band(88, 123, { from: 0, to: D.month }),
      band(77, 115, { from: D.month, to: D.m6 }),
      band(70, 86, { from: D.m6, to: Y(2) }),
      band(75, 87, { from: Y(2), to: Y(6) }),
      band(77, 95, { from: Y(6), to: Y(12) }),
    ],
  },
  {
    code: 'MCH',
    loinc: '785-6',
    alsoLoinc: ['28539-5'],
    name: 'Mean cell haemoglobin (MCH)',
    nameFr: 'Teneur corpusculaire moyenne en hémoglobine (TCMH)',
    specimen: 'whole_blood',
    unit: 'pg',
    decimals: 1,
    tat: CBC_TAT,
    source: { from: Y(12) },
  },
  {
    code: 'MCHC',
    loinc: '786-4',
    alsoLoinc: ['28540-3'],
    name: 'Mean cell haemoglobin concentration (MCHC)',
    nameFr: 'Concentration corpusculaire moyenne en hémoglobine (CCMH)',
    specimen: 'whole_blood',
    unit: 'g/dL',
    decimals: 1,
    tat: CBC_TAT,
    source: { from: Y(12) },
  },
  {
    code: 'RDW',
    loinc: '788-0',
    alsoLoinc: ['30385-9'],
    name: 'Red cell distribution width (RDW)',
    nameFr: 'Indice de distribution des globules rouges (IDR)',
    specimen: 'whole_blood',
    unit: '%',
    decimals: 1,
    tat: CBC_TAT,
    bands: [band(11.5, 14.5, { from: Y(1) })],
  },
  {
    code: 'PLT',
    loinc: '777-3',
    alsoLoinc: ['26515-7'],
    name: 'Platelets',
    nameFr: 'Plaquettes',
    specimen: 'whole_blood',
    unit: '10*9/L',
    decimals: 0,
    tat: CBC_TAT,
    source: { loinc: '26515-7', from: 0, cl: 20, ch: 1000 },
  },
  ...(
    [
      ['NEUT-PCT', '770-8', ['26511-6', '23761-0'], 'Neutrophils (%)', 'Polynucléaires neutrophiles (%)', { loinc: '770-8' }],
      ['LYMPH-PCT', '736-9', ['26478-8'], 'Lymphocytes (%)', 'Lymphocytes (%)', { loinc: '26478-8' }],
      ['MONO-PCT', '5905-5', ['26485-3'], 'Monocytes (%)', 'Monocytes (%)', { loinc: '26485-3' }],
      ['EOS-PCT', '713-8', ['26450-7'], 'Eosinophils (%)', 'Polynucléaires éosinophiles (%)', { loinc: '26450-7' }],
      ['BASO-PCT', '706-2', ['30180-4'], 'Basophils (%)', 'Polynucléaires basophiles (%)', { loinc: '30180-4' }],
    ] as const
  ).map(([code, loinc, also, name, nameFr, source]): Def => ({
    code,
    loinc,
    alsoLoinc: [...also],
    name,
    nameFr,
    specimen: 'whole_blood',
    unit: '%',
    decimals: 0,
    tat: CBC_TAT,
    source: { ...source, from: Y(12) },
  })),
  ...(
    [
      ['NEUT', '751-8', ['26499-4'], 'Neutrophils', 'Polynucléaires neutrophiles', band(1.5, 7.0, { from: Y(12), cl: 0.5 })],
      ['LYMPH', '731-0', ['26474-7'], 'Lymphocytes', 'Lymphocytes', band(1.0, 4.8, { from: Y(12) })],
      ['MONO', '742-7', ['26484-6'], 'Monocytes', 'Monocytes', band(0.2, 1.0, { from: Y(12) })],
      ['EOS', '711-2', ['26449-9'], 'Eosinophils', 'Polynucléaires éosinophiles', band(0.0, 0.5, { from: Y(12) })],
      ['BASO', '704-7', ['26444-0'], 'Basophils', 'Polynucléaires basophiles', band(0.0, 0.2, { from: Y(12) })],
    ] as const
  ).map(([code, loinc, also, name, nameFr, b]): Def => ({
    code,
    loinc,
    alsoLoinc: [...also],
    name: `${name} (absolute)`,
    nameFr: `${nameFr} (valeur absolue)`,
    specimen: 'whole_blood',
    unit: '10*9/L',
    decimals: 2,
    tat: CBC_TAT,
    bands: [b],
  })),
  // ---------------------------------------------------------------- other haematology
  {
    code: 'ESR',
    loinc: '30341-2',
    alsoLoinc: ['4537-7'],
    name: 'Erythrocyte sedimentation rate (ESR)',
    nameFr: 'Vitesse de sédimentation (VS)',
    specimen: 'whole_blood',
    unit: 'mm/h',
    decimals: 0,
    tat: CBC_TAT,
    bands: [
      band(null, 10, { from: 0, to: Y(18) }),
      band(null, 15, { sex: 'male', from: Y(18), to: Y(50) }),
      band(null, 20, { sex: 'female', from: Y(18), to: Y(50) }),
      band(null, 20, { sex: 'male', from: Y(50) }),
      band(null, 30, { sex: 'female', from: Y(50) }),
    ],
  },
  {
    code: 'RETIC',
    loinc: '17849-1',
    name: 'Reticulocytes (%)',
    nameFr: 'Réticulocytes (%)',
    specimen: 'whole_blood',
    unit: '%',
    decimals: 1,
    tat: 24,
    bands: [band(0.5, 2.5, { from: D.m6 })],
  },
  {
    code: 'ABO-RH',
    loinc: '882-1',
    name: 'Blood group (ABO and RhD)',
    nameFr: 'Groupe sanguin (ABO et rhésus D)',
    specimen: 'whole_blood',
    type: 'coded',
    answers: ['A', 'B', 'AB', 'O'].flatMap((g) => [
      a(`${g}_POS`, `${g} RhD positive`, `${g} rhésus positif`),
      a(`${g}_NEG`, `${g} RhD negative`, `${g} rhésus négatif`),
    ]),
    tat: 2,
    // a transfusion depends on it: read by a second person
    verify: true,
  },
  {
    code: 'HBS',
    loinc: '4621-9',
    name: 'Sickling test (haemoglobin S)',
    nameFr: 'Test de falciformation (hémoglobine S)',
    specimen: 'whole_blood',
    type: 'coded',
    answers: [a('NEG', 'Negative (no HbS)', 'Négatif (pas d’HbS)'), a('POS', 'Positive (HbS present)', 'Positif (HbS présente)')],
    normal: ['NEG'],
    tat: 24,
  },
  {
    code: 'MAL-RDT',
    // the shipped LOINC extracts carry no malaria code; a clinic may set one
    loinc: null,
    name: 'Malaria rapid diagnostic test (RDT)',
    nameFr: 'Test de diagnostic rapide du paludisme (TDR)',
    specimen: 'whole_blood',
    type: 'coded',
    answers: [
      NEG,
      a('PF', 'P. falciparum positive', 'Positif à P. falciparum'),
      a('PAN', 'Non-falciparum (Pan) positive', 'Positif non falciparum (Pan)'),
      a('PF_PAN', 'P. falciparum and Pan positive', 'Positif à P. falciparum et Pan'),
      INVALID,
    ],
    normal: ['NEG'],
    tat: 1,
  },
  {
    code: 'MAL-SMEAR',
    loinc: null,
    name: 'Malaria thick and thin blood film',
    nameFr: 'Goutte épaisse et frottis sanguin (paludisme)',
    specimen: 'whole_blood',
    type: 'coded',
    answers: [
      a('NEG', 'No parasites seen', 'Absence de parasites'),
      a('PF', 'P. falciparum seen', 'P. falciparum présent'),
      a('PV', 'P. vivax seen', 'P. vivax présent'),
      a('PO', 'P. ovale seen', 'P. ovale présent'),
      a('PM', 'P. malariae seen', 'P. malariae présent'),
      a('MIXED', 'Mixed infection', 'Infection mixte'),
    ],
    normal: ['NEG'],
    tat: 2,
  },
  // ---------------------------------------------------------------- coagulation
  {
    code: 'PT',
    loinc: '5902-2',
    name: 'Prothrombin time (PT)',
    nameFr: 'Temps de Quick (TP)',
    specimen: 'plasma',
    unit: 's',
    decimals: 1,
    tat: CHEM_TAT,
    source: { from: D.m6, ch: 40 },
  },
  {
    code: 'INR',
    loinc: '6301-6',
    alsoLoinc: ['34714-6'],
    name: 'INR',
    nameFr: 'INR',
    specimen: 'plasma',
    unit: '{INR}',
    decimals: 2,
    tat: CHEM_TAT,
    // the published 0–2.5 is a point-of-care range for anticoagulated patients; this is the untreated one
    bands: [band(0.8, 1.2, { from: D.m6, ch: 5.0 })],
  },
  {
    code: 'APTT',
    loinc: '3173-2',
    name: 'Activated partial thromboplastin time (aPTT)',
    nameFr: 'Temps de céphaline activée (TCA)',
    specimen: 'plasma',
    unit: 's',
    decimals: 1,
    tat: CHEM_TAT,
    bands: [band(25, 35, { from: D.m6, ch: 100 })],
  },
  // ---------------------------------------------------------------- chemistry: electrolytes and kidney
  {
    code: 'NA',
    loinc: '2951-2',
    alsoLoinc: ['2947-0'],
    name: 'Sodium',
    nameFr: 'Sodium (natrémie)',
    specimen: 'serum',
    unit: 'mmol/L',
    decimals: 0,
    tat: CHEM_TAT,
    verify: true,
    source: { from: 0, cl: 120, ch: 160 },
  },
  {
    code: 'K',
    loinc: '2823-3',
    alsoLoinc: ['6298-4'],
    name: 'Potassium',
    nameFr: 'Potassium (kaliémie)',
    specimen: 'serum',
    unit: 'mmol/L',
    decimals: 1,
    tat: CHEM_TAT,
    // a critical value is often a haemolysed sample: a second person checks before release
    verify: true,
    source: { from: D.month, cl: 2.8, ch: 6.2 },
    bands: [band(3.7, 5.9, { from: 0, to: D.month, cl: 2.8, ch: 7.0 })],
  },
  {
    code: 'CL',
    loinc: '2075-0',
    alsoLoinc: ['2069-3'],
    name: 'Chloride',
    nameFr: 'Chlore (chlorémie)',
    specimen: 'serum',
    unit: 'mmol/L',
    decimals: 0,
    tat: CHEM_TAT,
    source: { from: 0 },
  },
  {
    code: 'HCO3',
    loinc: '2028-9',
    name: 'Bicarbonate (total CO2)',
    nameFr: 'Bicarbonates (CO2 total)',
    specimen: 'serum',
    unit: 'mmol/L',
    decimals: 0,
    tat: CHEM_TAT,
    source: { from: 0, cl: 10, ch: 40 },
  },
  {
    code: 'UREA',
    // urea nitrogen in mmol/L is the urea concentration (one urea per two nitrogen atoms)
    loinc: '14937-7',
    name: 'Urea',
    nameFr: 'Urée',
    specimen: 'serum',
    unit: 'mmol/L',
    decimals: 1,
    tat: CHEM_TAT,
    source: { loinc: '3094-0', mw: 28.0134, from: Y(1) },
  },
  {
    code: 'CREAT',
    loinc: '14682-9',
    name: 'Creatinine',
    nameFr: 'Créatinine',
    specimen: 'serum',
    unit: 'umol/L',
    decimals: 0,
    tat: CHEM_TAT,
    source: { sex: 'female' },
    bands: [
      band(27, 88, { from: 0, to: D.month }),
      band(14, 34, { from: D.month, to: Y(1) }),
      band(15, 37, { from: Y(1), to: Y(5) }),
      band(25, 60, { from: Y(5), to: Y(12) }),
      band(40, 90, { from: Y(12), to: Y(18) }),
      band(60, 110, { sex: 'male', from: Y(18) }),
    ],
  },
  {
    code: 'GLU',
    loinc: '14749-6',
    name: 'Glucose',
    nameFr: 'Glucose (glycémie)',
    specimen: 'serum',
    unit: 'mmol/L',
    decimals: 1,
    tat: CHEM_TAT,
    source: { from: D.month, cl: 2.5, ch: 25.0 },
    bands: [band(2.6, 7.0, { from: 0, to: D.month, cl: 2.0, ch: 25.0 })],
  },
  {
    code: 'GLU-CAP',
    loinc: '15074-8',
    name: 'Glucose, capillary (finger prick)',
    nameFr: 'Glycémie capillaire',
    specimen: 'whole_blood',
    unit: 'mmol/L',
    decimals: 1,
    tat: 1,
    source: { from: D.month, cl: 2.5, ch: 25.0 },
    bands: [band(2.6, 7.0, { from: 0, to: D.month, cl: 2.0, ch: 25.0 })],
  },
  {
    code: 'CA',
    loinc: '2000-8',
    name: 'Calcium',
    nameFr: 'Calcium (calcémie)',
    specimen: 'serum',
    unit: 'mmol/L',
    decimals: 2,
    tat: CHEM_TAT,
    source: { from: Y(1), cl: 1.6, ch: 3.5 },
  },
  {
    code: 'MG',
    loinc: '2601-3',
    name: 'Magnesium',
    nameFr: 'Magnésium',
    specimen: 'serum',
    unit: 'mmol/L',
    decimals: 2,
    tat: CHEM_TAT,
    // the published 1.3–2.7 mg/dL is wider than any usual adult range: the common 0.70–1.00 mmol/L instead
    bands: [band(0.7, 1.0, { from: Y(1), cl: 0.4, ch: 2.0 })],
  },
  {
    code: 'PHOS',
    loinc: '14879-1',
    name: 'Phosphate',
    nameFr: 'Phosphore (phosphatémie)',
    specimen: 'serum',
    unit: 'mmol/L',
    decimals: 2,
    tat: CHEM_TAT,
    // the published 3.4–4.5 mg/dL is narrower than usual: the common adult 0.80–1.45 mmol/L, children's higher
    bands: [
      band(1.3, 2.4, { from: 0, to: Y(1) }),
      band(1.0, 1.9, { from: Y(1), to: Y(18) }),
      band(0.8, 1.45, { from: Y(18), cl: 0.3 }),
    ],
  },
  {
    code: 'URIC',
    loinc: '14933-6',
    name: 'Uric acid',
    nameFr: 'Acide urique (uricémie)',
    specimen: 'serum',
    unit: 'umol/L',
    decimals: 0,
    tat: CHEM_TAT,
    source: { loinc: '3084-1' },
  },
  // ---------------------------------------------------------------- liver
  {
    code: 'TP',
    loinc: '2885-2',
    name: 'Total protein',
    nameFr: 'Protéines totales (protidémie)',
    specimen: 'serum',
    unit: 'g/L',
    decimals: 0,
    tat: CHEM_TAT,
    source: { from: Y(1) },
  },
  {
    code: 'ALB',
    loinc: '1751-7',
    name: 'Albumin',
    nameFr: 'Albumine',
    specimen: 'serum',
    unit: 'g/L',
    decimals: 0,
    tat: CHEM_TAT,
    source: { from: Y(1) },
  },
  {
    code: 'TBIL',
    loinc: '14631-6',
    name: 'Bilirubin, total',
    nameFr: 'Bilirubine totale',
    specimen: 'serum',
    unit: 'umol/L',
    decimals: 0,
    tat: CHEM_TAT,
    // a newborn's bilirubin is read against hour-specific charts, not a range: no band under a month
    source: { from: D.month },
  },
  {
    code: 'DBIL',
    loinc: '14629-0',
    name: 'Bilirubin, direct (conjugated)',
    nameFr: 'Bilirubine conjuguée (directe)',
    specimen: 'serum',
    unit: 'umol/L',
    decimals: 1,
    tat: CHEM_TAT,
    source: { loinc: '1968-7', mw: 584.6621, from: D.month },
  },
  {
    code: 'ALT',
    loinc: '1742-6',
    name: 'Alanine aminotransferase (ALT)',
    nameFr: 'Alanine aminotransférase (ALAT)',
    specimen: 'serum',
    unit: 'U/L',
    decimals: 0,
    tat: CHEM_TAT,
    source: { from: Y(1) },
  },
  {
    code: 'AST',
    loinc: '1920-8',
    name: 'Aspartate aminotransferase (AST)',
    nameFr: 'Aspartate aminotransférase (ASAT)',
    specimen: 'serum',
    unit: 'U/L',
    decimals: 0,
    tat: CHEM_TAT,
    source: { from: Y(1) },
  },
  {
    code: 'ALP',
    loinc: '6768-6',
    name: 'Alkaline phosphatase (ALP)',
    nameFr: 'Phosphatases alcalines (PAL)',
    specimen: 'serum',
    unit: 'U/L',
    decimals: 0,
    tat: CHEM_TAT,
    source: {},
    // bone growth: children's ALP is several times the adult's, boys' for longer
    bands: [
      band(80, 480, { from: 0, to: Y(1) }),
      band(100, 400, { from: Y(1), to: Y(10) }),
      band(100, 500, { from: Y(10), to: Y(15) }),
      band(50, 150, { sex: 'female', from: Y(15), to: Y(18) }),
      band(70, 300, { sex: 'male', from: Y(15), to: Y(18) }),
    ],
  },
  {
    code: 'GGT',
    loinc: '2324-2',
    name: 'Gamma-glutamyl transferase (GGT)',
    nameFr: 'Gamma-glutamyl transférase (GGT)',
    specimen: 'serum',
    unit: 'U/L',
    decimals: 0,
    tat: CHEM_TAT,
    source: { from: Y(1) },
  },
  // ---------------------------------------------------------------- other chemistry
  {
    code: 'CRP',
    loinc: '1988-5',
    name: 'C-reactive protein (CRP)',
    nameFr: 'Protéine C réactive (CRP)',
    specimen: 'serum',
    unit: 'mg/L',
    decimals: 1,
    tat: CHEM_TAT,
    source: { take: 'high', from: 0 },
  },
  {
    code: 'AMYL',
    loinc: '1798-8',
    name: 'Amylase',
    nameFr: 'Amylase',
    specimen: 'serum',
    unit: 'U/L',
    decimals: 0,
    tat: CHEM_TAT,
    source: {},
  },
  {
    code: 'LIPASE',
    loinc: '3040-3',
    name: 'Lipase',
    nameFr: 'Lipase',
    specimen: 'serum',
    unit: 'U/L',
    decimals: 0,
    tat: CHEM_TAT,
    source: {},
  },
  {
    code: 'LDH',
    loinc: '2532-0',
    name: 'Lactate dehydrogenase (LDH)',
    nameFr: 'Lactate déshydrogénase (LDH)',
    specimen: 'serum',
    unit: 'U/L',
    decimals: 0,
    tat: CHEM_TAT,
    source: {},
  },
  {
    code: 'CK',
    loinc: '2157-6',
    name: 'Creatine kinase (CK)',
    nameFr: 'Créatine kinase (CPK)',
    specimen: 'serum',
    unit: 'U/L',
    decimals: 0,
    tat: CHEM_TAT,
    source: { critical: true },
  },
  {
    code: 'LACT',
    loinc: '2524-7',
    name: 'Lactate',
    nameFr: 'Lactates',
    specimen: 'plasma',
    unit: 'mmol/L',
    decimals: 1,
    tat: 1,
    source: { from: 0, ch: 4.0 },
  },
  {
    code: 'TROP-I',
    loinc: '10839-9',
    name: 'Troponin I (cardiac)',
    nameFr: 'Troponine I cardiaque',
    specimen: 'serum',
    unit: 'ng/mL',
    decimals: 2,
    tat: 1,
    verify: true,
    source: { take: 'high' },
  },
  {
    code: 'TSH',
    loinc: '3016-3',
    name: 'Thyroid-stimulating hormone (TSH)',
    nameFr: 'Thyréostimuline (TSH)',
    specimen: 'serum',
    unit: 'm[IU]/L',
    decimals: 2,
    tat: 24,
    // published as "{mcU}/ml" with a range in mU/L, i.e. the international unit
    source: { srcUnit: 'm[IU]/L' },
  },
  {
    code: 'FT4',
    loinc: '14920-3',
    name: 'Free thyroxine (free T4)',
    nameFr: 'Thyroxine libre (T4 libre)',
    specimen: 'serum',
    unit: 'pmol/L',
    decimals: 1,
    tat: 24,
    source: { loinc: '3024-7', mw: 776.87 },
  },
  {
    code: 'PSA',
    loinc: '2857-1',
    name: 'Prostate-specific antigen (PSA)',
    nameFr: 'Antigène prostatique spécifique (PSA)',
    specimen: 'serum',
    unit: 'ng/mL',
    decimals: 2,
    tat: 24,
    source: { sex: 'male', take: 'high' },
  },
  {
    code: 'FERR',
    loinc: '2276-4',
    name: 'Ferritin',
    nameFr: 'Ferritine',
    specimen: 'serum',
    unit: 'ug/L',
    decimals: 0,
    tat: 24,
    source: {},
  },
  {
    code: 'FE',
    loinc: '14798-3',
    name: 'Iron',
    nameFr: 'Fer sérique',
    specimen: 'serum',
    unit: 'umol/L',
    decimals: 1,
    tat: 24,
    source: { loinc: '2498-4', mw: 55.845, srcUnit: 'ug/dL' },
  },
  {
    code: 'HBA1C',
    loinc: '4548-4',
    name: 'Haemoglobin A1c (HbA1c)',
    nameFr: 'Hémoglobine glyquée (HbA1c)',
    specimen: 'whole_blood',
    unit: '%',
    decimals: 1,
    tat: 24,
    source: {},
  },
  // ---------------------------------------------------------------- lipids
  {
    code: 'CHOL',
    loinc: '14647-2',
    name: 'Cholesterol, total',
    nameFr: 'Cholestérol total',
    specimen: 'serum',
    unit: 'mmol/L',
    decimals: 2,
    tat: 24,
    source: { loinc: '2093-3', take: 'high' },
  },
  {
    code: 'TG',
    loinc: '14927-8',
    name: 'Triglycerides',
    nameFr: 'Triglycérides',
    specimen: 'serum',
    unit: 'mmol/L',
    decimals: 2,
    tat: 24,
    source: { loinc: '2571-8', mw: 885.7, take: 'high' },
  },
  {
    code: 'HDL',
    loinc: '14646-4',
    name: 'HDL cholesterol',
    nameFr: 'Cholestérol HDL',
    specimen: 'serum',
    unit: 'mmol/L',
    decimals: 2,
    tat: 24,
    source: { loinc: '2085-9', take: 'low' },
  },
  {
    code: 'LDL',
    loinc: '22748-8',
    alsoLoinc: ['39469-2'],
    name: 'LDL cholesterol',
    nameFr: 'Cholestérol LDL',
    specimen: 'serum',
    unit: 'mmol/L',
    decimals: 2,
    tat: 24,
    source: { loinc: '13457-7', take: 'high' },
  },
  // ---------------------------------------------------------------- urine
  {
    code: 'U-COLOR',
    loinc: '5778-6',
    name: 'Urine colour',
    nameFr: 'Couleur des urines',
    specimen: 'urine',
    type: 'coded',
    answers: [
      a('PALE', 'Pale yellow', 'Jaune pâle'),
      a('YELLOW', 'Yellow', 'Jaune'),
      a('DARK', 'Dark yellow', 'Jaune foncé'),
      a('AMBER', 'Amber', 'Ambré'),
      a('RED', 'Red', 'Rouge'),
      a('BROWN', 'Brown', 'Brun'),
      a('OTHER', 'Other', 'Autre'),
    ],
    normal: ['PALE', 'YELLOW', 'DARK'],
    tat: 2,
  },
  {
    code: 'U-CLARITY',
    loinc: '32167-9',
    alsoLoinc: ['5767-9'],
    name: 'Urine clarity',
    nameFr: 'Aspect des urines',
    specimen: 'urine',
    type: 'coded',
    answers: [
      a('CLEAR', 'Clear', 'Clair'),
      a('HAZY', 'Slightly cloudy', 'Légèrement trouble'),
      a('CLOUDY', 'Cloudy', 'Trouble'),
      a('TURBID', 'Turbid', 'Très trouble'),
    ],
    normal: ['CLEAR'],
    tat: 2,
  },
  {
    code: 'U-SG',
    loinc: '5811-5',
    name: 'Urine specific gravity',
    nameFr: 'Densité urinaire',
    specimen: 'urine',
    unit: '1',
    decimals: 3,
    tat: 2,
    // published without a unit: a ratio of densities
    source: { from: 0, srcUnit: '1' },
  },
  {
    code: 'U-PH',
    loinc: '5803-2',
    name: 'Urine pH',
    nameFr: 'pH urinaire',
    specimen: 'urine',
    unit: '[pH]',
    decimals: 1,
    tat: 2,
    source: { from: 0 },
  },
  ...(
    [
      ['U-PRO', '20454-5', 'Urine protein (dipstick)', 'Protéines urinaires (bandelette)', dipstick(4)],
      ['U-GLU', '25428-4', 'Urine glucose (dipstick)', 'Glucose urinaire (bandelette)', dipstick(4)],
      ['U-KET', '2514-8', 'Urine ketones (dipstick)', 'Corps cétoniques urinaires (bandelette)', dipstick(3)],
      ['U-BLD', '5794-3', 'Urine blood (dipstick)', 'Sang dans les urines (bandelette)', dipstick(3)],
      ['U-LEU', '5799-2', 'Urine leukocyte esterase (dipstick)', 'Leucocytes urinaires (bandelette)', dipstick(3)],
      ['U-NIT', '5802-4', 'Urine nitrite (dipstick)', 'Nitrites urinaires (bandelette)', [NEG, POS]],
      ['U-BIL', '5770-3', 'Urine bilirubin (dipstick)', 'Bilirubine urinaire (bandelette)', dipstick(3, false)],
      [
        'U-UBG',
        '5818-0',
        'Urine urobilinogen (dipstick)',
        'Urobilinogène urinaire (bandelette)',
        [a('NORMAL', 'Normal', 'Normal'), plus(1), plus(2), plus(3)],
      ],
    ] as const
  ).map(([code, loinc, name, nameFr, answers]): Def => ({
    code,
    loinc,
    name,
    nameFr,
    specimen: 'urine',
    type: 'coded',
    answers: [...answers],
    normal: [answers[0].code],
    tat: 2,
  })),
  {
    code: 'U-WBC',
    loinc: '5821-4',
    name: 'Urine white cells (microscopy)',
    nameFr: 'Leucocytes urinaires (microscopie)',
    specimen: 'urine',
    unit: '/[HPF]',
    decimals: 0,
    tat: 2,
    source: { from: 0 },
  },
  {
    code: 'U-RBC',
    loinc: '13945-1',
    name: 'Urine red cells (microscopy)',
    nameFr: 'Hématies urinaires (microscopie)',
    specimen: 'urine',
    unit: '/[HPF]',
    decimals: 0,
    tat: 2,
    source: { from: 0 },
  },
  {
    code: 'U-BACT',
    loinc: '25145-4',
    name: 'Urine bacteria (microscopy)',
    nameFr: 'Bactéries urinaires (microscopie)',
    specimen: 'urine',
    type: 'coded',
    answers: [
      a('NONE', 'None seen', 'Absentes'),
      a('FEW', 'Few', 'Rares'),
      a('MODERATE', 'Moderate', 'Assez nombreuses'),
      a('MANY', 'Many', 'Nombreuses'),
    ],
    normal: ['NONE'],
    tat: 2,
  },
  {
    code: 'UPT',
    loinc: '2106-3',
    name: 'Pregnancy test (urine hCG)',
    nameFr: 'Test de grossesse (hCG urinaire)',
    specimen: 'urine',
    type: 'coded',
    // neither answer is abnormal: no normal codes, no flag
    answers: [NEG, POS, INVALID],
    tat: 1,
  },
  // ---------------------------------------------------------------- serology and infection
  {
    code: 'HIV',
    loinc: '49580-4',
    name: 'HIV 1+2 antibody rapid test',
    nameFr: 'Test rapide VIH 1+2 (anticorps)',
    specimen: 'whole_blood',
    type: 'coded',
    answers: [NR, R, INDET, INVALID],
    normal: ['NONREACTIVE'],
    tat: 1,
    // WHO's testing strategy: a reactive result is confirmed, and every result read by a second person
    verify: true,
  },
  {
    code: 'HIV-EIA',
    loinc: '31201-7',
    name: 'HIV 1+2 antibody (immunoassay)',
    nameFr: 'Anticorps anti-VIH 1+2 (immunoessai)',
    specimen: 'serum',
    type: 'coded',
    answers: [NR, R, INDET],
    normal: ['NONREACTIVE'],
    tat: 48,
    verify: true,
  },
  {
    code: 'HIV-VL',
    loinc: '20447-9',
    name: 'HIV-1 viral load',
    nameFr: 'Charge virale VIH-1',
    specimen: 'plasma',
    unit: '{copies}/mL',
    decimals: 0,
    tat: 168,
    verify: true,
    // WHO: virological failure above 1000 copies/mL (the published 0–50 is "undetectable")
    bands: [band(null, 1000, { from: 0 })],
  },
  {
    code: 'CD4',
    loinc: '24467-3',
    name: 'CD4 count',
    nameFr: 'Numération des CD4',
    specimen: 'whole_blood',
    unit: '/uL',
    decimals: 0,
    tat: 48,
    bands: [band(500, 1500, { from: Y(5) })],
  },
  {
    code: 'HBSAG',
    loinc: '5196-1',
    name: 'Hepatitis B surface antigen (HBsAg)',
    nameFr: 'Antigène HBs (hépatite B)',
    specimen: 'serum',
    type: 'coded',
    answers: [NR, R, INVALID],
    normal: ['NONREACTIVE'],
    tat: 24,
    verify: true,
  },
  {
    code: 'HCV',
    loinc: '16128-1',
    name: 'Hepatitis C antibody',
    nameFr: 'Anticorps anti-VHC (hépatite C)',
    specimen: 'serum',
    type: 'coded',
    answers: [NR, R, INVALID],
    normal: ['NONREACTIVE'],
    tat: 24,
    verify: true,
  },
  {
    code: 'RPR',
    loinc: '20507-0',
    name: 'Syphilis RPR',
    nameFr: 'Syphilis RPR',
    specimen: 'serum',
    type: 'coded',
    answers: [NR, R],
    normal: ['NONREACTIVE'],
    tat: 24,
  },
  {
    code: 'TPHA',
    loinc: '24312-1',
    name: 'Treponema pallidum antibody (TPHA)',
    nameFr: 'Anticorps anti-Treponema pallidum (TPHA)',
    specimen: 'serum',
    type: 'coded',
    answers: [NR, R],
    normal: ['NONREACTIVE'],
    tat: 24,
  },
  {
    code: 'STREP-A',
    loinc: '18481-2',
    name: 'Group A streptococcus rapid antigen (throat)',
    nameFr: 'Test rapide streptocoque A (gorge)',
    specimen: 'swab',
    type: 'coded',
    answers: [NEG, POS, INVALID],
    normal: ['NEG'],
    tat: 1,
  },
  {
    code: 'CRAG',
    loinc: '31788-3',
    name: 'Cryptococcal antigen (CSF)',
    nameFr: 'Antigène cryptococcique (LCR)',
    specimen: 'csf',
    type: 'coded',
    answers: [NEG, POS],
    normal: ['NEG'],
    tat: 2,
    verify: true,
  },
  {
    code: 'FOBT',
    loinc: '2335-8',
    name: 'Faecal occult blood',
    nameFr: 'Sang occulte dans les selles',
    specimen: 'stool',
    type: 'coded',
    answers: [NEG, POS],
    normal: ['NEG'],
    tat: 24,
  },
  {
    code: 'STOOL-OP',
    loinc: '10704-5',
    name: 'Stool ova and parasites (microscopy)',
    nameFr: 'Examen parasitologique des selles',
    specimen: 'stool',
    type: 'text',
    tat: 24,
  },
  {
    code: 'AFB',
    loinc: '11545-1',
    name: 'Acid-fast bacilli smear (Ziehl–Neelsen)',
    nameFr: 'Recherche de BAAR (Ziehl–Neelsen)',
    specimen: 'sputum',
    type: 'coded',
    answers: [
      a('NEG', 'No AFB seen', 'BAAR absents'),
      a('SCANTY', 'Scanty (1–9 AFB / 100 fields)', 'Rares (1–9 BAAR / 100 champs)'),
      plus(1),
      plus(2),
      plus(3),
    ],
    normal: ['NEG'],
    tat: 24,
    verify: true,
  },
  {
    code: 'GRAM',
    loinc: '664-3',
    name: 'Gram stain',
    nameFr: 'Coloration de Gram',
    specimen: 'other',
    type: 'text',
    tat: 2,
  },
  {
    code: 'BCULT',
    loinc: '600-7',
    name: 'Blood culture',
    nameFr: 'Hémoculture',
    specimen: 'blood',
    type: 'text',
    tat: 120,
    verify: true,
  },
  {
    code: 'UCULT',
    loinc: '630-4',
    name: 'Urine culture',
    nameFr: 'Uroculture (ECBU)',
    specimen: 'urine',
    type: 'text',
    tat: 72,
    verify: true,
  },
];

// Panel LOINC codes are written here: the shipped extracts list observations, not panels (24357-6 is
// in the NLM flowsheet; 57021-8 is the code the NIST sample ORU uses for a CBC with differential).
const panels: PanelDef[] = [
  {
    code: 'CBC',
    loinc: '57021-8',
    // the CBC panel without differential, and the hemogram of the HL7 samples' orders
    alsoLoinc: ['58410-2', '24317-0'],
    name: 'Full blood count (CBC) with differential',
    nameFr: 'Numération formule sanguine (NFS)',
    specimen: 'whole_blood',
    tat: CBC_TAT,
    members: [
      'WBC',
      'RBC',
      'HGB',
      'HCT',
      'MCV',
      'MCH',
      'MCHC',
      'RDW',
      'PLT',
      'NEUT-PCT',
      'LYMPH-PCT',
      'MONO-PCT',
      'EOS-PCT',
      'BASO-PCT',
      'NEUT',
      'LYMPH',
      'MONO',
      'EOS',
      'BASO',
    ],
  },
  {
    code: 'BMP',
    loinc: '51990-0',
    name: 'Basic metabolic panel',
    nameFr: 'Bilan métabolique de base (ionogramme, urée, créatinine, glycémie, calcium)',
    specimen: 'serum',
    tat: CHEM_TAT,
    members: ['NA', 'K', 'CL', 'HCO3', 'UREA', 'CREAT', 'GLU', 'CA'],
  },
  {
    code: 'CMP',
    loinc: '24323-8',
    name: 'Comprehensive metabolic panel',
    nameFr: 'Bilan métabolique complet',
    specimen: 'serum',
    tat: CHEM_TAT,
    members: ['NA', 'K', 'CL', 'HCO3', 'UREA', 'CREAT', 'GLU', 'CA', 'TP', 'ALB', 'TBIL', 'ALP', 'ALT', 'AST'],
  },
  {
    code: 'ELEC',
    loinc: null,
    name: 'Electrolytes',
    nameFr: 'Ionogramme sanguin',
    specimen: 'serum',
    tat: CHEM_TAT,
    members: ['NA', 'K', 'CL', 'HCO3'],
  },
  {
    code: 'LFT',
    loinc: '24325-3',
    name: 'Liver function tests',
    nameFr: 'Bilan hépatique',
    specimen: 'serum',
    tat: CHEM_TAT,
    members: ['ALT', 'AST', 'ALP', 'GGT', 'TBIL', 'DBIL', 'TP', 'ALB'],
  },
  {
    code: 'LIPID',
    loinc: '57698-3',
    name: 'Lipid panel',
    nameFr: 'Bilan lipidique',
    specimen: 'serum',
    tat: 24,
    members: ['CHOL', 'TG', 'HDL', 'LDL'],
  },
  {
    code: 'COAG',
    loinc: null,
    name: 'Coagulation screen (PT, INR, aPTT)',
    nameFr: 'Bilan de coagulation (TP, INR, TCA)',
    specimen: 'plasma',
    tat: CHEM_TAT,
    members: ['PT', 'INR', 'APTT'],
  },
  {
    code: 'TFT',
    loinc: null,
    name: 'Thyroid function (TSH, free T4)',
    nameFr: 'Bilan thyroïdien (TSH, T4 libre)',
    specimen: 'serum',
    tat: 24,
    members: ['TSH', 'FT4'],
  },
  {
    code: 'UA',
    loinc: '24356-8',
    // the dipstick panel (NLM flowsheet)
    alsoLoinc: ['24357-6'],
    name: 'Urinalysis (dipstick and microscopy)',
    nameFr: 'Examen des urines (bandelette et microscopie)',
    specimen: 'urine',
    tat: 2,
    members: [
      'U-COLOR',
      'U-CLARITY',
      'U-SG',
      'U-PH',
      'U-PRO',
      'U-GLU',
      'U-KET',
      'U-BLD',
      'U-LEU',
      'U-NIT',
      'U-BIL',
      'U-UBG',
      'U-WBC',
      'U-RBC',
      'U-BACT',
    ],
  },
];

// ------------------------------------------------------------------ assemble and check

const toRange = (b: Band): ReferenceRange => ({
  sex: b.sex ?? null,
  ageMinDays: b.from ?? 0,
  ageMaxDays: b.to ?? null,
  low: b.low ?? null,
  high: b.high ?? null,
  criticalLow: b.cl ?? null,
  criticalHigh: b.ch ?? null,
});
/** sex-specific after "either", then by age */
const order = (x: ReferenceRange, y: ReferenceRange) => (x.sex ?? '').localeCompare(y.sex ?? '') || x.ageMinDays - y.ageMinDays;

/**
 * A patient whose sex is neither female nor male (or not recorded) is judged against an "either" range:
 * where a band has ranges for both sexes and none for either, the either one spans both normal ranges
 * and keeps the stricter critical limits (so a critical value alerts whoever the patient is).
 */
function withEither(ranges: ReferenceRange[]): ReferenceRange[] {
  const out = [...ranges];
  for (const f of ranges.filter((r) => r.sex === 'female')) {
    const m = ranges.find((r) => r.sex === 'male' && r.ageMinDays === f.ageMinDays && r.ageMaxDays === f.ageMaxDays);
    if (!m || ranges.some((r) => r.sex === null && r.ageMinDays === f.ageMinDays && r.ageMaxDays === f.ageMaxDays)) continue;
    const pick = (x: number | null, y: number | null, fn: (...v: number[]) => number) =>
      x === null || y === null ? null : fn(x, y);
    const pickAny = (x: number | null, y: number | null, fn: (...v: number[]) => number) =>
      x === null ? y : y === null ? x : fn(x, y);
    out.push({
      sex: null,
      ageMinDays: f.ageMinDays,
      ageMaxDays: f.ageMaxDays,
      low: pick(f.low, m.low, Math.min),
      high: pick(f.high, m.high, Math.max),
      criticalLow: pickAny(f.criticalLow, m.criticalLow, Math.max),
      criticalHigh: pickAny(f.criticalHigh, m.criticalHigh, Math.min),
    });
  }
  return out;
}

const problems: string[] = [];
const catalogue: ShippedLabTest[] = [];
for (const t of tests) {
  const resultType = t.type ?? 'numeric';
  const unit = resultType === 'numeric' ? t.unit! : null;
  if (resultType === 'numeric' && (!unit || !validUcum(unit))) problems.push(`${t.code}: unit ${unit} is not UCUM`);
  const decimals = t.decimals ?? (resultType === 'numeric' ? 1 : 0);
  let ranges: ReferenceRange[] = [];
  if (resultType === 'numeric') {
    const bands = [...(t.bands ?? [])];
    if (t.source) bands.push(sourced(t.code, t.loinc!, unit!, decimals, t.source));
    ranges = withEither(bands.map(toRange)).sort(order);
    if (!ranges.length) problems.push(`${t.code}: a numeric test without a range`);
  } else if (t.normal) ranges = [{ ...toRange({}), normalCodes: t.normal }];
  const loinc = t.loinc;
  const name = loinc ? loincName(loinc) : null;
  if (loinc && !name) problems.push(`${t.code}: LOINC ${loinc} is not in the shipped extracts`);
  for (const other of t.alsoLoinc ?? [])
    if (!loincName(other)) problems.push(`${t.code}: LOINC ${other} is not in the shipped extracts`);
  if (resultType === 'coded' && !t.answers?.length) problems.push(`${t.code}: a coded test without answers`);
  const answers = t.answers ?? [];
  for (const i of rangeIssues(ranges, { resultType, answers })) problems.push(`${t.code}: ${i.field} ${i.message}`);
  catalogue.push({
    code: t.code,
    loinc,
    loincName: name,
    alsoLoinc: t.alsoLoinc ?? [],
    name: t.name,
    nameFr: t.nameFr,
    kind: 'test',
    specimenType: t.specimen,
    resultType,
    unit,
    decimals,
    answers,
    turnaroundHours: t.tat,
    requiresVerification: t.verify ?? false,
    ranges,
    members: [],
  });
}
const byCode = new Map(catalogue.map((t) => [t.code, t]));
for (const p of panels) {
  for (const m of p.members) if (!byCode.has(m)) problems.push(`${p.code}: no test ${m}`);
  catalogue.push({
    code: p.code,
    loinc: p.loinc,
    loincName: (p.loinc && loincName(p.loinc)) || null,
    alsoLoinc: p.alsoLoinc ?? [],
    name: p.name,
    nameFr: p.nameFr,
    kind: 'panel',
    specimenType: p.specimen,
    resultType: 'numeric',
    unit: null,
    decimals: 0,
    answers: [],
    turnaroundHours: p.tat,
    requiresVerification: false,
    ranges: [],
    members: p.members,
  });
}
const codes = new Set<string>();
for (const t of catalogue) {
  if (codes.has(t.code)) problems.push(`${t.code}: code twice`);
  codes.add(t.code);
  if (!/^[A-Za-z0-9_.-]{1,20}$/.test(t.code)) problems.push(`${t.code}: not a valid code`);
}
const loincs = new Map<string, string>();
for (const t of catalogue)
  for (const l of [t.loinc, ...t.alsoLoinc]) {
    if (!l) continue;
    if (loincs.has(l)) problems.push(`${t.code}: LOINC ${l} also names ${loincs.get(l)}`);
    loincs.set(l, t.code);
  }
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}

// ------------------------------------------------------------------ write

const banner = `// GENERATED by packages/clinical/scripts/build-lab.ts from ../shared/data/terminology/loinc — do not edit.\n`;
const path = join(out, 'catalogue.gen.ts');
const options = await prettier.resolveConfig(path);
writeFileSync(
  path,
  await prettier.format(
    banner +
      `// This material contains content from LOINC (http://loinc.org): codes and long common names, unaltered
// (see LOINC-NOTICE.txt). Adult reference ranges from the NLM/LHNCBC flowsheet and loinc-common-labs.csv
// (see LICENSE-LHNCBC-flowsheet.txt) — one institution's adult values, converted to the units here:
// INDICATIVE, to be reviewed by each clinic; paediatric and sex-specific bands and critical limits
// are written in the build script (also indicative). Units are UCUM.
import type { ShippedLabTest } from './catalogue.ts';

export const LAB_CATALOGUE: readonly ShippedLabTest[] = ${JSON.stringify(catalogue)};
`,
    { ...options, filepath: path },
  ),
);
copyFileSync(join(loincDir, 'LOINC-NOTICE.txt'), join(out, 'LOINC-NOTICE.txt'));
copyFileSync(join(loincDir, 'LICENSE-LHNCBC-flowsheet.md'), join(out, 'LICENSE-LHNCBC-flowsheet.txt'));

for (const [code, text] of used) console.log(`  ${code.padEnd(10)} adult range from ${text}`);
const n = (k: string) => catalogue.filter((t) => t.kind === k).length;
console.log(
  `lab catalogue: ${n('test')} tests, ${n('panel')} panels; ${catalogue.filter((t) => t.requiresVerification).length} verified by a second person`,
);
