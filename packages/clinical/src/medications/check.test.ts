// The medication safety checks: the named clinical cases of issue 11, the alert model (blocking,
// both drugs named, why, what to do, source, in English and French), and properties over the data:
// symmetric in the order of drugs, never throwing, and every ONC pair between formulary drugs flagged.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { COMMON_SUBSTANCES, type Allergy } from '@sanita/contracts/history';
import {
  ALERT_CODES,
  ALERT_HEADINGS,
  ALLERGY_GROUPS,
  CLASSES,
  INGREDIENTS,
  OTHER_INTERACTIONS,
  checkMedications,
  ingredientKeys,
  resolveIngredients,
  type AllergyInput,
  type CheckInput,
  type MedicationAlert,
} from '../medications.ts';
import { FORMULARY } from './formulary.gen.ts';
import { ONC_RULES } from './knowledge.ts';
import { ONC_PAIRS } from './onc-pairs.gen.ts';

const check = (input: CheckInput) => checkMedications(input);
const only = (alerts: MedicationAlert[], code: MedicationAlert['code']) => alerts.filter((a) => a.code === code);

function expectWellFormed(a: MedicationAlert) {
  for (const text of [a.title, a.why, a.action, a.source.name]) {
    expect(text.en.length).toBeGreaterThan(0);
    expect(text.fr.length).toBeGreaterThan(0);
  }
  expect(a.blocking).toBe(a.severity === 'contraindicated' || a.severity === 'major');
}

describe('named clinical cases', () => {
  it('warfarin + ibuprofen: a blocking major interaction naming both drugs, why, what to do and the source', () => {
    const r = check({ items: [{ name: 'Ibuprofen 400 mg tablet' }], current: [{ name: 'Warfarin 5 mg tablet' }] });
    const [alert, ...rest] = only(r.alerts, 'interaction');
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({
      severity: 'major',
      blocking: true,
      item: 0,
      other: { kind: 'current', index: 0, name: 'Warfarin 5 mg tablet' },
      drugs: ['Ibuprofen 400 mg tablet', 'Warfarin 5 mg tablet'],
      source: { id: 'bnf' },
    });
    expect(alert!.why.en).toMatch(/bleeding/);
    expect(alert!.action.en).toMatch(/paracetamol/);
    expect(alert!.action.fr).toMatch(/paracétamol/);
    expectWellFormed(alert!);
    expect(r.blocking).toBe(true);
  });

  it('an SSRI + an MAOI (fluoxetine + phenelzine, sertraline + selegiline): contraindicated, from the ONC list', () => {
    for (const [a, b] of [
      ['Fluoxetine 20 mg capsule', 'Phenelzine 15 mg'],
      ['Sertraline 50mg', 'Selegiline 5 mg'],
    ] as const) {
      const [alert] = only(check({ items: [{ name: a }, { name: b }] }).alerts, 'interaction');
      expect(alert).toMatchObject({ severity: 'contraindicated', blocking: true, drugs: [a, b], source: { id: 'onc' } });
      expect(alert!.why.en).toMatch(/serotonin syndrome/);
    }
  });

  it('simvastatin + clarithromycin: contraindicated (rhabdomyolysis), suspend the statin', () => {
    const r = check({ items: [{ name: 'Clarithromycin 500 mg tablet' }], current: [{ name: 'Simvastatin 40 mg' }] });
    const [alert] = only(r.alerts, 'interaction');
    expect(alert).toMatchObject({
      key: 'interaction:onc-25:clarithromycin|simvastatin',
      severity: 'contraindicated',
      blocking: true,
    });
    expect(alert!.why.en).toMatch(/rhabdomyolysis/);
    expect(alert!.action.en).toMatch(/suspend the statin/);
  });

  it('amoxicillin for a penicillin-allergic patient: blocking, whether the chart has the common substance or free text', () => {
    for (const allergy of [{ substanceCode: 'penicillins', substance: 'Penicillins' }, { substance: 'penicillin (rash 2019)' }]) {
      const r = check({ items: [{ name: 'Amoxicillin 500 mg capsule' }], allergies: [allergy] });
      expect(r.alerts.map((a) => [a.code, a.severity, a.blocking])).toEqual([['allergy-class', 'major', true]]);
      expect(r.alerts[0]!.drugs).toEqual(['Amoxicillin 500 mg capsule', allergy.substance]);
    }
    // an allergy to amoxicillin itself, then co-amoxiclav: the drug is in it
    const direct = check({ items: [{ name: 'Co-amoxiclav 625 mg' }], allergies: [{ substance: 'Amoxicillin' }] });
    expect(direct.alerts.map((a) => [a.code, a.severity])).toEqual([['allergy', 'contraindicated']]);
  });

  it('ceftriaxone for a penicillin-allergic patient: a cross-sensitivity warning with the low-risk wording, blocking after anaphylaxis', () => {
    const mild = check({
      items: [{ name: 'Ceftriaxone 1 g injection', route: 'parenteral' }],
      allergies: [{ substanceCode: 'penicillins', substance: 'Penicillins', manifestations: ['rash'] }],
    });
    expect(mild.alerts.map((a) => [a.code, a.severity, a.blocking])).toEqual([['allergy-cross', 'moderate', false]]);
    expect(mild.alerts[0]!.why.en).toMatch(/low \(about 1–2 %\)/);
    expect(mild.alerts[0]!.source.id).toBe('aaaai');
    expect(mild.blocking).toBe(false);

    const anaphylaxis = check({
      items: [{ name: 'Ceftriaxone 1 g injection' }],
      allergies: [{ substanceCode: 'penicillins', substance: 'Penicillins', manifestations: ['anaphylaxis'] }],
    });
    expect(anaphylaxis.alerts.map((a) => [a.code, a.severity, a.blocking])).toEqual([['allergy-cross', 'major', true]]);
  });

  it('two NSAIDs: duplicate therapy (informing), among new items and against a current medication', () => {
    const both = check({ items: [{ name: 'Ibuprofen 400mg' }, { name: 'Diclofenac 50 mg' }] });
    expect(both.alerts.map((a) => [a.code, a.severity, a.blocking])).toEqual([['duplicate-class', 'moderate', false]]);
    expect(both.alerts[0]!.why.en).toMatch(/both NSAIDs/);
    expect(both.alerts[0]!.why.fr).toMatch(/AINS/);
    const current = check({ items: [{ name: 'Naproxen 500 mg' }], current: [{ name: 'Ibuprofen 200 mg' }] });
    expect(only(current.alerts, 'duplicate-class')).toHaveLength(1);
    // an SSRI with an SNRI is one duplicate (serotonergic antidepressants), not two
    const antidepressants = check({ items: [{ name: 'Sertraline 50 mg' }], current: [{ name: 'Venlafaxine 75 mg' }] });
    expect(antidepressants.alerts.map((a) => a.key)).toEqual(['duplicate-class:ssri-snri:sertraline|venlafaxine']);
    expect(only(check({ items: [{ name: 'Sertraline' }, { name: 'Fluoxetine' }] }).alerts, 'duplicate-class')).toHaveLength(1);
    // the same drug twice is its own alert
    const same = check({ items: [{ name: 'Paracetamol 500 mg' }], current: [{ name: 'Doliprane 1000' }] });
    expect(same.alerts.map((a) => a.code)).toEqual(['duplicate-drug']);
  });

  it('paracetamol above its maximum daily dose: blocking; at the maximum, nothing', () => {
    const over = check({ items: [{ name: 'Paracetamol 500 mg tablet', dose: { amount: 1, unit: 'g' }, timesPerDay: 6 }] });
    expect(over.alerts.map((a) => [a.code, a.severity, a.blocking])).toEqual([['dose-daily', 'major', true]]);
    expect(over.alerts[0]!.why.en).toBe('6000 mg a day is above the maximum of 4000 mg for paracetamol.');
    expect(over.alerts[0]!.why.fr).toBe('6000 mg par jour dépasse le maximum de 4000 mg pour paracetamol.');
    expect(check({ items: [{ name: 'Paracetamol', dose: { amount: 1000, unit: 'mg' }, timesPerDay: 4 }] }).alerts).toEqual([]);
    const single = check({ items: [{ name: 'Paracetamol', dose: { amount: 2000, unit: 'mg' }, timesPerDay: 1 }] });
    expect(single.alerts.map((a) => a.code)).toEqual(['dose-single']);
  });
});

describe('the alert model', () => {
  it('children: mg/kg limits where known, and drugs not for their age', () => {
    // 20 kg child: 500 mg four times a day is 25 mg/kg a dose and 100 mg/kg a day
    const r = check({
      items: [{ name: 'Paracetamol oral liquid', dose: { amount: 500, unit: 'mg' }, timesPerDay: 4 }],
      patient: { ageYears: 6, weightKg: 20 },
    });
    expect(r.alerts.map((a) => a.code).sort()).toEqual(['dose-daily-per-kg', 'dose-single-per-kg']);
    expect(
      check({
        items: [{ name: 'Paracetamol', dose: { amount: 300, unit: 'mg' }, timesPerDay: 4 }],
        patient: { ageYears: 6, weightKg: 20 },
      }).alerts,
    ).toEqual([]);
    expect(check({ items: [{ name: 'Aspirin 300 mg' }], patient: { ageYears: 10 } }).alerts.map((a) => a.code)).toEqual(['age']);
    expect(check({ items: [{ name: 'Aspirin 300 mg' }], patient: { ageYears: 30 } }).alerts).toEqual([]);
  });

  it('an adult under 50 kg: paracetamol by weight (15 mg/kg a dose, 60 mg/kg a day)', () => {
    const r = check({
      items: [{ name: 'Paracetamol 1 g', dose: { amount: 1, unit: 'g' }, timesPerDay: 4 }],
      patient: { ageYears: 70, weightKg: 40 },
    });
    expect(r.alerts.map((a) => [a.code, a.source.id])).toEqual([
      ['dose-daily-per-kg', 'bnf'],
      ['dose-single-per-kg', 'bnf'],
    ]);
    expect(r.alerts[0]!.why.en).toBe('100 mg/kg a day is above the maximum of 60 mg/kg for paracetamol.');
  });

  it('a rule’s exceptions: rifabutin with a protease inhibitor and simvastatin with fluconazole are major, not contraindicated', () => {
    const severity = (a: string, b: string) =>
      only(check({ items: [{ name: a }, { name: b }] }).alerts, 'interaction').map((x) => x.severity);
    expect(severity('Rifabutin 150 mg', 'Ritonavir 100 mg')).toEqual(['major']);
    expect(severity('Rifampicin 300 mg', 'Ritonavir 100 mg')).toEqual(['contraindicated']);
    expect(severity('Simvastatin 20 mg', 'Fluconazole 200 mg')).toEqual(['major']);
    expect(severity('Simvastatin 20 mg', 'Itraconazole 100 mg')).toEqual(['contraindicated']);
  });

  it('pregnancy, breastfeeding and renal flags only when the patient’s state is known', () => {
    const items = [{ name: 'Enalapril 10 mg' }, { name: 'Metformin 500 mg' }, { name: 'Codeine 30 mg' }];
    expect(check({ items }).alerts).toEqual([]);
    const r = check({ items, patient: { pregnant: true, breastfeeding: true, egfr: 25 } });
    expect(r.alerts.map((a) => [a.code, a.key, a.severity])).toEqual([
      ['pregnancy', 'pregnancy:enalapril', 'contraindicated'],
      ['renal', 'renal:metformin', 'contraindicated'],
      ['breastfeeding', 'breastfeeding:codeine', 'contraindicated'],
    ]);
  });

  it('allergies that do not count (resolved, refuted, entered in error) say nothing; an intolerance informs', () => {
    const items = [{ name: 'Amoxicillin 250 mg' }];
    for (const off of [{ status: 'resolved' }, { verificationStatus: 'refuted' }, { verificationStatus: 'entered_in_error' }])
      expect(check({ items, allergies: [{ substanceCode: 'penicillins', substance: 'Penicillins', ...off }] }).alerts).toEqual(
        [],
      );
    const intolerance = check({ items, allergies: [{ substance: 'Amoxicillin', type: 'intolerance' }] });
    expect(intolerance.alerts.map((a) => [a.code, a.severity, a.blocking])).toEqual([['allergy', 'moderate', false]]);
  });

  it('sulfonamides, NSAIDs and aspirin: the chart’s common substances reach their drugs', () => {
    const sulfa = check({
      items: [{ name: 'Co-trimoxazole 960 mg' }, { name: 'Furosemide 40 mg' }],
      allergies: [{ substanceCode: 'sulfonamides', substance: 'Sulfonamides' }],
    });
    expect(sulfa.alerts.map((a) => [a.code, a.drugs[0], a.severity])).toEqual([
      ['allergy-class', 'Co-trimoxazole 960 mg', 'major'],
      ['allergy-cross', 'Furosemide 40 mg', 'minor'],
    ]);
    // free text, in English or French
    for (const substance of ['Sulfa drugs', 'allergie aux sulfamides', 'Bactrim (rash)'])
      expect(
        check({ items: [{ name: 'Sulfadiazine 500 mg' }], allergies: [{ substance }] }).alerts.map((a) => a.blocking),
      ).toEqual([true]);
    const aspirin = check({
      items: [{ name: 'Ibuprofen 200 mg' }],
      allergies: [{ substanceCode: 'aspirin', substance: 'Aspirin' }],
    });
    expect(aspirin.alerts.map((a) => [a.code, a.severity])).toEqual([['allergy-class', 'major']]);
    const nsaid = check({
      items: [{ name: 'Acetylsalicylic acid 100 mg' }],
      allergies: [{ substanceCode: 'nsaids', substance: 'NSAIDs' }],
    });
    expect(nsaid.alerts.map((a) => a.code)).toEqual(['allergy-class']);
  });

  it('every medication substance of the chart’s common list names an allergy group; food and environment ones none', () => {
    // the chart's allergies are passed as the API returns them
    const fromChart: (a: Allergy) => AllergyInput = (a) => a;
    expect(fromChart).toBeTypeOf('function');
    const grouped = new Set(ALLERGY_GROUPS.flatMap((g) => g.substanceCodes));
    for (const [code, category] of Object.entries(COMMON_SUBSTANCES)) expect(grouped.has(code)).toBe(category === 'medication');
  });

  it('an unknown or free-text drug is listed as unrecognised, and still matched against an allergy written the same way', () => {
    const r = check({
      items: [{ name: 'Zopiclone 7.5 mg' }, { name: 'the blue pills from the market' }],
      allergies: [{ substance: 'Zopiclone' }],
    });
    expect(r.unrecognised).toEqual([0, 1]);
    expect(r.alerts.map((a) => [a.code, a.item])).toEqual([['allergy', 0]]);
  });

  it('a formulary item checks by its ingredients; every alert code has a heading in both languages', () => {
    const coAmoxiclav = FORMULARY.find((f) => f.ingredients.includes('clavulanic acid'))!;
    expect(coAmoxiclav.ingredients).toEqual(['amoxicillin', 'clavulanic acid']);
    const r = check({
      items: [{ name: coAmoxiclav.name, ingredients: coAmoxiclav.ingredients }],
      allergies: [{ substanceCode: 'penicillins', substance: 'Penicillins' }],
    });
    expect(r.alerts.map((a) => a.code)).toEqual(['allergy-class']);
    for (const code of ALERT_CODES) expect(ALERT_HEADINGS[code].fr).not.toBe('');
  });
});

describe('the formulary', () => {
  it('729 WHO EML products with stable, unique ids; the commonly prescribed items known by ATC', () => {
    expect(FORMULARY).toHaveLength(729);
    expect(new Set(FORMULARY.map((f) => f.id)).size).toBe(729);
    expect(FORMULARY.find((f) => f.id === 'who-eml:amoxicillin-tablet-500mg')).toMatchObject({
      name: 'Amoxicillin tablet, 500mg',
      genericName: 'Amoxicillin',
      ingredients: ['amoxicillin'],
      strength: '500mg',
      form: 'tablet',
      route: 'oral',
      atc: ['J01CA04'],
      rxnorm: null,
    });
    for (const f of FORMULARY) expect(f.id).toMatch(/^who-eml:[a-z0-9-]+$/);
  });
});

describe('the knowledge', () => {
  it('every class a rule, an exception or an allergy group names exists, and every key is lower case', () => {
    const ids = new Set(CLASSES.map((c) => c.id));
    const refs = [
      ...OTHER_INTERACTIONS.flatMap((r) => [...r.a, ...r.b]),
      ...Object.values(ONC_RULES).flatMap((r) => (r.exceptions ?? []).flatMap(([a, b]) => [a, b])),
      ...ALLERGY_GROUPS.flatMap((g) => [...g.classes, ...g.cross.flatMap((x) => x.classes)].map((c) => `class:${c}`)),
    ];
    for (const ref of refs) if (ref.startsWith('class:')) expect(ids, ref).toContain(ref.slice(6));
    const keys = [
      ...refs.filter((r) => !r.startsWith('class:')),
      ...CLASSES.flatMap((c) => c.members),
      ...Object.keys(INGREDIENTS),
    ];
    for (const k of keys) expect(k).toBe(k.trim().toLowerCase());
  });

  it('every pair alert names both drugs, and every alert carries its source and text in both languages', () => {
    const r = check({
      items: [
        { name: 'Ibuprofen 400 mg' },
        { name: 'Paracetamol', dose: { amount: 2, unit: 'g' }, timesPerDay: 4 },
        { name: 'Ceftriaxone 1 g' },
        { name: 'Enalapril' },
      ],
      current: [{ name: 'Warfarin' }, { name: 'Losartan 50 mg' }, { name: 'Diclofenac' }],
      allergies: [
        { substanceCode: 'penicillins', substance: 'Penicillins' },
        { substanceCode: 'nsaids', substance: 'NSAIDs' },
      ],
      patient: { pregnant: true, egfr: 20, ageYears: 30 },
    });
    expect(new Set(r.alerts.map((a) => a.code))).toEqual(
      new Set([
        'interaction',
        'allergy-class',
        'allergy-cross',
        'duplicate-class',
        'dose-single',
        'dose-daily',
        'renal',
        'pregnancy',
      ]),
    );
    for (const a of r.alerts) {
      expectWellFormed(a);
      expect(a.drugs).toHaveLength(a.other ? 2 : 1);
      if (a.other) expect(a.drugs[1]).toBe(a.other.name);
    }
  });
});

describe('properties', () => {
  const pool = [
    ...new Set([
      ...CLASSES.flatMap((c) => c.members),
      ...FORMULARY.slice(0, 200).map((f) => f.name),
      'Unknownium 5 mg',
      '',
      '???',
    ]),
  ];
  const drug = fc.constantFrom(...pool).map((name) => ({ name }));
  const fingerprint = (alerts: MedicationAlert[]) => alerts.map((a) => `${a.key} ${a.severity}`).sort();

  it('checks are symmetric in the order of drugs (among new items, and new vs current)', () => {
    fc.assert(
      fc.property(fc.array(drug, { maxLength: 6 }), (items) => {
        const forward = check({ items });
        const backward = check({ items: [...items].reverse() });
        expect(fingerprint(backward.alerts)).toEqual(fingerprint(forward.alerts));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(drug, drug, (a, b) => {
        const ab = only(check({ items: [a], current: [b] }).alerts, 'interaction');
        const ba = only(check({ items: [b], current: [a] }).alerts, 'interaction');
        expect(fingerprint(ba)).toEqual(fingerprint(ab));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (anything) => {
        checkMedications(anything as CheckInput);
        checkMedications({ items: [anything] } as CheckInput);
        checkMedications({ items: [{ name: 'x' }], current: [anything], allergies: [anything], patient: anything } as CheckInput);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            name: fc.string(),
            route: fc.option(fc.string()),
            dose: fc.option(fc.record({ amount: fc.double(), unit: fc.constantFrom('mg', 'g', 'mcg', 'mL', '') })),
            timesPerDay: fc.option(fc.double()),
          }),
        ),
        fc.array(fc.record({ substance: fc.string(), substanceCode: fc.option(fc.string()) })),
        (items, allergies) => {
          const r = checkMedications({ items, allergies, patient: { ageYears: 5, weightKg: 0, pregnant: true, egfr: 10 } });
          expect(r.alerts.every((a) => a.item >= 0 && a.item < items.length)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('every pair of the ONC list whose two drugs are in the formulary is flagged, whichever is new', () => {
    const byIngredient = new Map<string, (typeof FORMULARY)[number][]>();
    for (const f of FORMULARY) for (const i of f.ingredients) byIngredient.set(i, [...(byIngredient.get(i) ?? []), f]);
    let checked = 0;
    for (const [a, , b] of ONC_PAIRS) {
      const [ka] = ingredientKeys(a);
      const [kb] = ingredientKeys(b);
      if (!ka || !kb || ka === kb) continue;
      for (const fa of byIngredient.get(ka) ?? [])
        for (const fb of byIngredient.get(kb) ?? []) {
          for (const [x, y] of [
            [fa, fb],
            [fb, fa],
          ] as const) {
            const r = check({
              items: [{ name: x.name, ingredients: x.ingredients }],
              current: [{ name: y.name, ingredients: y.ingredients }],
            });
            const flagged = r.alerts.some((al) => al.code === 'interaction' && al.source.id === 'onc' && al.blocking);
            expect(flagged, `${x.name} + ${y.name} (ONC: ${a} + ${b})`).toBe(true);
            checked++;
          }
        }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('free text names the same ingredients as the formulary’s generic names, and every formulary product is recognised', () => {
    for (const f of FORMULARY) for (const i of resolveIngredients(f.genericName)) expect(f.ingredients).toContain(i);
    const items = FORMULARY.map((f) => ({ name: f.name, ingredients: f.ingredients }));
    expect(check({ items: items.slice(0, 400) }).unrecognised).toEqual([]);
    expect(check({ items: items.slice(400) }).unrecognised).toEqual([]);
  });
});
