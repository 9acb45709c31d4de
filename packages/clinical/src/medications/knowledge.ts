// The curated half of the medication knowledge: drug classes, what is known of the commonly
// prescribed ingredients (dose limits, pregnancy, breastfeeding, renal function), allergy groups
// with their cross-sensitivities, and the interactions: the wording of the ONC high-priority list
// (whose drugs are generated from ../shared/data by scripts/build-medications.ts into onc.gen.ts)
// and other well-established ones. Every fact names its source; what is not here is unknown, and
// the checks say nothing about it rather than something false. Keys are INN names in lower case.
import type { AllergyGroup, DrugClass, IngredientProfile, InteractionRule, SourceId, Text } from './types.ts';

export const SOURCES: Record<SourceId, Text> = {
  onc: {
    en: 'ONC high-priority drug–drug interactions (Phansalkar et al., JAMIA 2012)',
    fr: 'Interactions prioritaires de l’ONC (Phansalkar et al., JAMIA 2012)',
  },
  bnf: { en: 'British National Formulary (BNF)', fr: 'British National Formulary (BNF)' },
  'who-mf': { en: 'WHO Model Formulary 2008', fr: 'Formulaire modèle de l’OMS 2008' },
  'who-mfc': { en: 'WHO Model Formulary for Children 2010', fr: 'Formulaire modèle de l’OMS pour l’enfant 2010' },
  'fda-label': { en: 'US FDA prescribing information', fr: 'Notice de la FDA (États-Unis)' },
  ema: {
    en: 'European Medicines Agency (EMA) safety review',
    fr: 'Réévaluation de sécurité de l’Agence européenne des médicaments (EMA)',
  },
  mhra: { en: 'MHRA Drug Safety Update', fr: 'MHRA Drug Safety Update (Royaume-Uni)' },
  aaaai: {
    en: 'AAAAI/ACAAI drug allergy practice parameter (2022)',
    fr: 'Recommandations AAAAI/ACAAI sur l’allergie médicamenteuse (2022)',
  },
  beers: { en: 'AGS Beers Criteria', fr: 'Critères de Beers (AGS)' },
  stockley: { en: 'Stockley’s Drug Interactions', fr: 'Stockley’s Drug Interactions' },
  curated: { en: 'Sanita curated knowledge', fr: 'Connaissances validées par Sanita' },
};

// ------------------------------------------------------------------ names

/**
 * Other names → the key. Lower case, no accents. US names (USAN), the ONC and DrugBank spellings,
 * and the EML's salts, so that a chart written anywhere resolves to the same ingredient.
 */
export const SYNONYMS: Record<string, string> = {
  acetaminophen: 'paracetamol',
  aspirin: 'acetylsalicylic acid',
  asa: 'acetylsalicylic acid',
  acetylsalicylic: 'acetylsalicylic acid',
  'amiodarone hydrochloride': 'amiodarone',
  'amodiaquine hydrochloride': 'amodiaquine',
  'atracurium besylate': 'atracurium',
  'atropine sulfate': 'atropine',
  'bupivacaine hydrochloride': 'bupivacaine',
  'bupropion hydrochloride': 'bupropion',
  'clindamycin hydrochloride': 'clindamycin',
  'clindamycin phosphate': 'clindamycin',
  'codeine phosphate': 'codeine',
  'daclatasvir hydrochloride': 'daclatasvir',
  'daunorubicin hydrochloride': 'daunorubicin',
  'diazepam rectal': 'diazepam',
  'fentanyl transdermal': 'fentanyl',
  'heparin sodium': 'heparin',
  'lithium carbonate': 'lithium',
  'methadone oral concentrate': 'methadone',
  'valproic acid (sodium valproate)': 'valproic acid',
  'sodium valproate': 'valproic acid',
  valproate: 'valproic acid',
  'tenofovir disoproxil fumarate': 'tenofovir',
  'tenofovir disoproxil': 'tenofovir',
  'norethisterone enantate': 'norethisterone',
  'etonogestrel-releasing': 'etonogestrel',
  'levonorgestrel-releasing': 'levonorgestrel',
  'medroxyprogesterone acetate': 'medroxyprogesterone',
  'hyoscine hydrobromide': 'hyoscine hydrobromide',
  'piperaquine phosphate': 'piperaquine',
  'pyronaridine tetraphosphate': 'pyronaridine',
  artenuate: 'artesunate',
  rifampin: 'rifampicin',
  meperidine: 'pethidine',
  esmoprazole: 'esomeprazole',
  voreconazole: 'voriconazole',
  lisdexamefetamine: 'lisdexamfetamine',
  methylergonovine: 'methylergometrine',
  ergonovine: 'ergometrine',
  'st john’s wort': "st john's wort",
  'methylene blue': 'methylthioninium chloride',
  cyclosporine: 'ciclosporin',
  glyburide: 'glibenclamide',
  albuterol: 'salbutamol',
  'co-trimoxazole': 'sulfamethoxazole + trimethoprim',
  cotrimoxazole: 'sulfamethoxazole + trimethoprim',
  bactrim: 'sulfamethoxazole + trimethoprim',
  'co-amoxiclav': 'amoxicillin + clavulanic acid',
  augmentin: 'amoxicillin + clavulanic acid',
  amoxycillin: 'amoxicillin',
  cephalexin: 'cefalexin',
  cefalexine: 'cefalexin',
  cephazolin: 'cefazolin',
  'penicillin v': 'phenoxymethylpenicillin',
  'penicillin g': 'benzylpenicillin',
  'benzathine penicillin': 'benzathine benzylpenicillin',
  'procaine penicillin': 'procaine benzylpenicillin',
  clavulanate: 'clavulanic acid',
  sulphamethoxazole: 'sulfamethoxazole',
  sulphadiazine: 'sulfadiazine',
  sulphasalazine: 'sulfasalazine',
  nitroglycerin: 'glyceryl trinitrate',
  frusemide: 'furosemide',
  adrenaline: 'epinephrine',
  'insulin (soluble)': 'insulin',
  'intermediate-acting insulin': 'insulin',
  'long-acting insulin analogues': 'insulin',
  cholecalciferol: 'colecalciferol',
  advil: 'ibuprofen',
  nurofen: 'ibuprofen',
  brufen: 'ibuprofen',
  tylenol: 'paracetamol',
  doliprane: 'paracetamol',
  dafalgan: 'paracetamol',
  efferalgan: 'paracetamol',
  panadol: 'paracetamol',
  coumadin: 'warfarin',
  zocor: 'simvastatin',
  prozac: 'fluoxetine',
  zoloft: 'sertraline',
  voltaren: 'diclofenac',
  voltarene: 'diclofenac',
};

// ------------------------------------------------------------------ classes

const cls = (id: string, en: string, fr: string, members: string[], duplicate = true): DrugClass => ({
  id,
  name: { en, fr },
  members,
  duplicate,
});

export const CLASSES: readonly DrugClass[] = [
  cls('nsaid', 'NSAIDs', 'AINS', [
    'ibuprofen',
    'diclofenac',
    'naproxen',
    'ketoprofen',
    'indometacin',
    'meloxicam',
    'piroxicam',
    'celecoxib',
    'etoricoxib',
    'ketorolac',
    'mefenamic acid',
    'flurbiprofen',
    'nimesulide',
  ]),
  // analgesic-dose aspirin with an NSAID is both an interaction and an allergy cross-reaction; it is
  // not listed as NSAID duplicate therapy because low-dose aspirin is often rightly co-prescribed.
  cls('salicylate', 'Salicylates', 'Salicylés', ['acetylsalicylic acid'], false),
  cls('ssri', 'SSRIs', 'ISRS', ['fluoxetine', 'paroxetine', 'sertraline', 'citalopram', 'escitalopram', 'fluvoxamine'], false),
  cls('snri', 'SNRIs', 'IRSNa', ['venlafaxine', 'desvenlafaxine', 'duloxetine', 'milnacipran'], false),
  // one duplicate-therapy class for both: two serotonergic antidepressants together is the duplication
  cls('ssri-snri', 'SSRI or SNRI antidepressants', 'Antidépresseurs ISRS ou IRSNa', [
    'fluoxetine',
    'paroxetine',
    'sertraline',
    'citalopram',
    'escitalopram',
    'fluvoxamine',
    'venlafaxine',
    'desvenlafaxine',
    'duloxetine',
    'milnacipran',
  ]),
  cls('maoi', 'MAO inhibitors', 'IMAO', [
    'tranylcypromine',
    'phenelzine',
    'isocarboxazid',
    'selegiline',
    'moclobamide',
    'procarbazine',
  ]),
  cls('tca', 'Tricyclic antidepressants', 'Antidépresseurs tricycliques', [
    'amitriptyline',
    'clomipramine',
    'desipramine',
    'doxepin',
    'imipramine',
    'nortriptyline',
    'protriptyline',
    'trimipramine',
  ]),
  cls('triptan', 'Triptans', 'Triptans', [
    'sumatriptan',
    'zolmitriptan',
    'rizatriptan',
    'naratriptan',
    'eletriptan',
    'almotriptan',
  ]),
  cls('statin', 'Statins', 'Statines', [
    'simvastatin',
    'atorvastatin',
    'lovastatin',
    'pravastatin',
    'rosuvastatin',
    'fluvastatin',
    'pitavastatin',
  ]),
  cls('macrolide', 'Macrolides', 'Macrolides', [
    'clarithromycin',
    'erythromycin',
    'azithromycin',
    'telithromycin',
    'roxithromycin',
  ]),
  cls('penicillin', 'Penicillins', 'Pénicillines', [
    'amoxicillin',
    'ampicillin',
    'benzylpenicillin',
    'phenoxymethylpenicillin',
    'benzathine benzylpenicillin',
    'procaine benzylpenicillin',
    'cloxacillin',
    'flucloxacillin',
    'dicloxacillin',
    'oxacillin',
    'nafcillin',
    'piperacillin',
    'temocillin',
    'pivmecillinam',
  ]),
  cls('cephalosporin', 'Cephalosporins', 'Céphalosporines', [
    'cefalexin',
    'cefadroxil',
    'cefazolin',
    'cefaclor',
    'cefuroxime',
    'cefoxitin',
    'cefotaxime',
    'ceftriaxone',
    'ceftazidime',
    'cefixime',
    'cefpodoxime',
    'cefepime',
    'ceftaroline',
    'cefiderocol',
  ]),
  cls('carbapenem', 'Carbapenems', 'Carbapénèmes', ['meropenem', 'imipenem', 'ertapenem', 'doripenem']),
  cls('sulfonamide-antibacterial', 'Sulfonamide antibacterials', 'Sulfamides antibactériens', [
    'sulfamethoxazole',
    'sulfadiazine',
    'sulfadoxine',
    'sulfasalazine',
    'silver sulfadiazine',
  ]),
  cls('fluoroquinolone', 'Fluoroquinolones', 'Fluoroquinolones', [
    'ciprofloxacin',
    'levofloxacin',
    'moxifloxacin',
    'ofloxacin',
    'norfloxacin',
  ]),
  cls('tetracycline', 'Tetracyclines', 'Tétracyclines', ['doxycycline', 'tetracycline', 'minocycline']),
  cls('aminoglycoside', 'Aminoglycosides', 'Aminosides', ['gentamicin', 'amikacin', 'streptomycin', 'tobramycin', 'plazomicin']),
  cls('opioid', 'Opioids', 'Opioïdes', [
    'morphine',
    'codeine',
    'fentanyl',
    'methadone',
    'pethidine',
    'tramadol',
    'tapentadol',
    'oxycodone',
    'hydromorphone',
    'hydrocodone',
    'buprenorphine',
    'dihydrocodeine',
  ]),
  cls('ppi', 'Proton pump inhibitors', 'Inhibiteurs de la pompe à protons', [
    'omeprazole',
    'esomeprazole',
    'lansoprazole',
    'pantoprazole',
    'rabeprazole',
  ]),
  cls('acei', 'ACE inhibitors', 'IEC', ['enalapril', 'lisinopril', 'captopril', 'ramipril', 'perindopril']),
  cls('arb', 'Angiotensin II receptor blockers', 'ARA II (sartans)', [
    'losartan',
    'valsartan',
    'candesartan',
    'irbesartan',
    'telmisartan',
  ]),
  cls('beta-blocker', 'Beta-blockers', 'Bêtabloquants', [
    'bisoprolol',
    'carvedilol',
    'atenolol',
    'metoprolol',
    'propranolol',
    'nebivolol',
  ]),
  cls('benzodiazepine', 'Benzodiazepines', 'Benzodiazépines', [
    'diazepam',
    'lorazepam',
    'midazolam',
    'clonazepam',
    'alprazolam',
    'bromazepam',
  ]),
  cls('vitamin-k-antagonist', 'Vitamin K antagonists', 'Antivitamines K', ['warfarin', 'acenocoumarol', 'fluindione']),
  cls('hiv-protease-inhibitor', 'HIV protease inhibitors', 'Inhibiteurs de protéase du VIH', [
    'ritonavir',
    'atazanavir',
    'darunavir',
    'lopinavir',
    'saquinavir',
    'indinavir',
    'nelfinavir',
    'tipranavir',
    'amprenavir',
    'fosamprenavir',
  ]),
  cls(
    'artemisinin',
    'Artemisinins',
    'Dérivés de l’artémisinine',
    ['artemether', 'artesunate', 'dihydroartemisinin', 'arteether'],
    false,
  ),
  cls(
    'iodinated-contrast',
    'Iodinated contrast media',
    'Produits de contraste iodés',
    ['amidotrizoate', 'meglumine iotroxate', 'iohexol', 'iopamidol', 'iodixanol'],
    false,
  ),
  cls('quinine', 'Quinine and quinidine', 'Quinine et quinidine', ['quinine', 'quinidine'], false),
];

// ------------------------------------------------------------------ ingredients

const nsaidPregnancy = {
  level: 'avoid',
  why: {
    en: 'NSAIDs from 20 weeks can cause fetal kidney problems and low amniotic fluid; in the third trimester they can close the ductus arteriosus early. Prefer paracetamol.',
    fr: 'Les AINS dès 20 semaines peuvent altérer les reins du fœtus et réduire le liquide amniotique ; au troisième trimestre ils peuvent fermer prématurément le canal artériel. Préférer le paracétamol.',
  },
  source: 'fda-label',
} as const;

const nsaidRenal = {
  belowEgfr: 30,
  level: 'avoid',
  why: {
    en: 'NSAIDs reduce kidney blood flow and can precipitate acute kidney injury: avoid when eGFR is below 30.',
    fr: 'Les AINS réduisent le débit sanguin rénal et peuvent provoquer une insuffisance rénale aiguë : à éviter si le DFG est inférieur à 30.',
  },
  source: 'bnf',
} as const;

const raasPregnancy = {
  level: 'contraindicated',
  why: {
    en: 'Drugs acting on the renin–angiotensin system cause fetal renal damage, oligohydramnios and skull defects, mainly in the second and third trimesters. Switch to a drug safe in pregnancy (e.g. nifedipine, labetalol, methyldopa).',
    fr: 'Les médicaments du système rénine-angiotensine provoquent des atteintes rénales fœtales, un oligoamnios et des anomalies du crâne, surtout aux deuxième et troisième trimestres. Passer à un traitement sûr pendant la grossesse (nifédipine, labétalol, méthyldopa).',
  },
  source: 'ema',
} as const;

const statinPregnancy = {
  level: 'avoid',
  why: {
    en: 'Statins should be stopped in pregnancy: cholesterol is needed for fetal development and there is no benefit in treating during pregnancy.',
    fr: 'Les statines sont à arrêter pendant la grossesse : le cholestérol est nécessaire au développement du fœtus et le traitement n’apporte pas de bénéfice pendant cette période.',
  },
  source: 'bnf',
} as const;

const tetracyclinePregnancy = {
  level: 'avoid',
  why: {
    en: 'Tetracyclines affect fetal bone and tooth development (staining) after about 15 weeks.',
    fr: 'Les tétracyclines altèrent le développement des os et des dents du fœtus (coloration) après environ 15 semaines.',
  },
  source: 'bnf',
} as const;

const aminoglycosidePregnancy = {
  level: 'avoid',
  why: {
    en: 'Aminoglycosides cross the placenta and can damage the fetal eighth cranial nerve (deafness); use only if essential, with levels monitored.',
    fr: 'Les aminosides traversent le placenta et peuvent léser le nerf auditif du fœtus (surdité) ; seulement si indispensable, avec dosages sanguins.',
  },
  source: 'bnf',
} as const;

const aminoglycosideRenal = {
  belowEgfr: 60,
  level: 'caution',
  why: {
    en: 'Aminoglycosides are eliminated by the kidneys and are nephrotoxic: adjust dose or interval to renal function and monitor levels.',
    fr: 'Les aminosides sont éliminés par le rein et néphrotoxiques : adapter la dose ou l’intervalle à la fonction rénale et surveiller les taux.',
  },
  source: 'bnf',
} as const;

export const INGREDIENTS: Record<string, IngredientProfile> = {
  paracetamol: {
    atc: 'N02BE01',
    dose: [
      {
        maxSingleMg: 1000,
        maxDailyMg: 4000,
        childMaxSingleMgPerKg: 15,
        childMaxDailyMgPerKg: 60,
        perKgBelowKg: 50,
        source: 'bnf',
        childSource: 'who-mfc',
      },
    ],
  },
  ibuprofen: {
    atc: 'M01AE01',
    dose: [
      {
        routes: ['oral'],
        maxDailyMg: 2400,
        childMaxSingleMgPerKg: 10,
        childMaxDailyMgPerKg: 40,
        source: 'bnf',
        childSource: 'who-mfc',
      },
    ],
    pregnancy: nsaidPregnancy,
    renal: nsaidRenal,
  },
  diclofenac: { atc: 'M01AB05', dose: [{ maxDailyMg: 150, source: 'bnf' }], pregnancy: nsaidPregnancy, renal: nsaidRenal },
  naproxen: { atc: 'M01AE02', pregnancy: nsaidPregnancy, renal: nsaidRenal },
  ketoprofen: { atc: 'M01AE03', pregnancy: nsaidPregnancy, renal: nsaidRenal },
  indometacin: { atc: 'M01AB01', pregnancy: nsaidPregnancy, renal: nsaidRenal },
  meloxicam: { atc: 'M01AC06', pregnancy: nsaidPregnancy, renal: nsaidRenal },
  celecoxib: { atc: 'M01AH01', pregnancy: nsaidPregnancy, renal: nsaidRenal },
  'acetylsalicylic acid': {
    atc: 'N02BA01',
    dose: [{ routes: ['oral', 'rectal'], maxDailyMg: 4000, source: 'bnf' }],
    minAgeYears: {
      years: 16,
      why: {
        en: 'Aspirin in children and adolescents under 16 can cause Reye’s syndrome (except on specialist advice, e.g. Kawasaki disease). Use paracetamol or ibuprofen.',
        fr: 'L’aspirine chez l’enfant et l’adolescent de moins de 16 ans peut provoquer un syndrome de Reye (sauf avis spécialisé, p. ex. maladie de Kawasaki). Utiliser le paracétamol ou l’ibuprofène.',
      },
      source: 'bnf',
    },
    pregnancy: {
      level: 'caution',
      why: {
        en: 'Analgesic doses in the third trimester risk premature closure of the ductus arteriosus and bleeding; low-dose aspirin (75–150 mg) on obstetric advice is used safely.',
        fr: 'Aux doses antalgiques au troisième trimestre : risque de fermeture prématurée du canal artériel et de saignement ; l’aspirine à faible dose (75–150 mg) sur avis obstétrical est utilisée sans danger.',
      },
      source: 'bnf',
    },
    breastfeeding: {
      level: 'avoid',
      why: {
        en: 'Avoid while breastfeeding: possible risk of Reye’s syndrome in the infant.',
        fr: 'À éviter pendant l’allaitement : risque possible de syndrome de Reye chez le nourrisson.',
      },
      source: 'bnf',
    },
  },
  codeine: {
    atc: 'R05DA04',
    dose: [{ routes: ['oral'], maxSingleMg: 60, maxDailyMg: 240, source: 'bnf' }],
    minAgeYears: {
      years: 12,
      why: {
        en: 'Codeine is contraindicated under 12 years: ultra-rapid metabolisers make enough morphine to stop breathing.',
        fr: 'La codéine est contre-indiquée avant 12 ans : chez les métaboliseurs ultrarapides, la morphine produite peut provoquer un arrêt respiratoire.',
      },
      source: 'ema',
    },
    breastfeeding: {
      level: 'contraindicated',
      why: {
        en: 'Contraindicated while breastfeeding: in ultra-rapid metabolising mothers the infant can receive enough morphine to stop breathing.',
        fr: 'Contre-indiquée pendant l’allaitement : chez une mère métaboliseuse ultrarapide, le nourrisson peut recevoir assez de morphine pour un arrêt respiratoire.',
      },
      source: 'ema',
    },
  },
  tramadol: { atc: 'N02AX02', dose: [{ maxSingleMg: 100, maxDailyMg: 400, source: 'bnf' }] },
  morphine: { atc: 'N02AA01' },
  fentanyl: { atc: 'N02AB03' },
  methadone: { atc: 'N07BC02' },
  pethidine: { atc: 'N02AB02' },
  amoxicillin: { atc: 'J01CA04' },
  ampicillin: { atc: 'J01CA01' },
  benzylpenicillin: { atc: 'J01CE01' },
  phenoxymethylpenicillin: { atc: 'J01CE02' },
  'benzathine benzylpenicillin': { atc: 'J01CE08' },
  'procaine benzylpenicillin': { atc: 'J01CE09' },
  cloxacillin: { atc: 'J01CF02' },
  flucloxacillin: { atc: 'J01CF05' },
  cefalexin: { atc: 'J01DB01' },
  cefazolin: { atc: 'J01DB04' },
  cefuroxime: { atc: 'J01DC02' },
  cefotaxime: { atc: 'J01DD01' },
  ceftazidime: { atc: 'J01DD02' },
  ceftriaxone: { atc: 'J01DD04', dose: [{ routes: ['parenteral'], maxDailyMg: 4000, source: 'bnf' }] },
  cefixime: { atc: 'J01DD08' },
  meropenem: { atc: 'J01DH02' },
  clarithromycin: {
    atc: 'J01FA09',
    dose: [{ routes: ['oral'], maxSingleMg: 500, maxDailyMg: 1000, source: 'bnf' }],
    pregnancy: {
      level: 'caution',
      why: {
        en: 'The manufacturer advises avoiding clarithromycin in pregnancy, particularly in the first trimester, unless the benefit outweighs the risk.',
        fr: 'Le fabricant conseille d’éviter la clarithromycine pendant la grossesse, surtout au premier trimestre, sauf si le bénéfice l’emporte sur le risque.',
      },
      source: 'bnf',
    },
  },
  erythromycin: { atc: 'J01FA01' },
  azithromycin: { atc: 'J01FA10' },
  ciprofloxacin: {
    atc: 'J01MA02',
    dose: [{ routes: ['oral'], maxSingleMg: 750, maxDailyMg: 1500, source: 'bnf' }],
    pregnancy: {
      level: 'avoid',
      why: {
        en: 'Quinolones caused arthropathy in animal studies; safer alternatives are usually available in pregnancy.',
        fr: 'Les quinolones ont provoqué des arthropathies chez l’animal ; il existe généralement des alternatives plus sûres pendant la grossesse.',
      },
      source: 'bnf',
    },
  },
  levofloxacin: { atc: 'J01MA12' },
  moxifloxacin: { atc: 'J01MA14' },
  doxycycline: {
    atc: 'J01AA02',
    minAgeYears: {
      years: 12,
      why: {
        en: 'Tetracyclines stain developing teeth and affect bone growth in children under 12 (except where no alternative, e.g. rickettsial disease).',
        fr: 'Les tétracyclines colorent les dents en formation et perturbent la croissance osseuse avant 12 ans (sauf absence d’alternative, p. ex. rickettsioses).',
      },
      source: 'bnf',
    },
    pregnancy: tetracyclinePregnancy,
    breastfeeding: {
      level: 'avoid',
      why: {
        en: 'Tetracyclines should not be used while breastfeeding (possible tooth staining in the infant).',
        fr: 'Les tétracyclines ne doivent pas être utilisées pendant l’allaitement (coloration possible des dents du nourrisson).',
      },
      source: 'bnf',
    },
  },
  gentamicin: { atc: 'J01GB03', pregnancy: aminoglycosidePregnancy, renal: aminoglycosideRenal },
  amikacin: { atc: 'J01GB06', pregnancy: aminoglycosidePregnancy, renal: aminoglycosideRenal },
  streptomycin: { atc: 'J01GA01', pregnancy: aminoglycosidePregnancy, renal: aminoglycosideRenal },
  nitrofurantoin: {
    atc: 'J01XE01',
    renal: {
      belowEgfr: 45,
      level: 'avoid',
      why: {
        en: 'Nitrofurantoin is ineffective and more toxic (neuropathy) with reduced kidney function: avoid below eGFR 45 (a short course may be used at 30–44 for resistant organisms).',
        fr: 'La nitrofurantoïne est inefficace et plus toxique (neuropathie) en cas d’insuffisance rénale : à éviter sous un DFG de 45 (cure courte possible entre 30 et 44 pour germes résistants).',
      },
      source: 'mhra',
    },
  },
  metronidazole: { atc: 'J01XD01' },
  sulfamethoxazole: { atc: 'J01EC01' },
  trimethoprim: { atc: 'J01EA01' },
  warfarin: {
    atc: 'B01AA03',
    pregnancy: {
      level: 'contraindicated',
      why: {
        en: 'Warfarin is teratogenic (embryopathy, especially in weeks 6–12) and causes fetal and neonatal bleeding near delivery: switch to a low-molecular-weight heparin (mechanical heart valves: specialist advice).',
        fr: 'La warfarine est tératogène (embryopathie, surtout entre 6 et 12 semaines) et provoque des hémorragies fœtales et néonatales près du terme : passer à une héparine de bas poids moléculaire (valves cardiaques mécaniques : avis spécialisé).',
      },
      source: 'fda-label',
    },
  },
  simvastatin: {
    atc: 'C10AA01',
    dose: [{ routes: ['oral'], maxDailyMg: 80, source: 'fda-label' }],
    pregnancy: statinPregnancy,
    breastfeeding: {
      level: 'avoid',
      why: {
        en: 'Statins: avoid while breastfeeding (no data on safety).',
        fr: 'Statines : à éviter pendant l’allaitement (absence de données de sécurité).',
      },
      source: 'bnf',
    },
  },
  atorvastatin: { atc: 'C10AA05', pregnancy: statinPregnancy },
  lovastatin: { atc: 'C10AA02', pregnancy: statinPregnancy },
  rosuvastatin: { atc: 'C10AA07', pregnancy: statinPregnancy },
  pravastatin: { atc: 'C10AA03', pregnancy: statinPregnancy },
  fluoxetine: { atc: 'N06AB03', dose: [{ routes: ['oral'], maxDailyMg: 60, source: 'bnf' }] },
  sertraline: { atc: 'N06AB06', dose: [{ routes: ['oral'], maxDailyMg: 200, source: 'bnf' }] },
  paroxetine: { atc: 'N06AB05' },
  citalopram: { atc: 'N06AB04' },
  escitalopram: { atc: 'N06AB10' },
  fluvoxamine: { atc: 'N06AB08' },
  venlafaxine: { atc: 'N06AX16' },
  duloxetine: { atc: 'N06AX21' },
  tranylcypromine: { atc: 'N06AF04' },
  phenelzine: { atc: 'N06AF03' },
  isocarboxazid: { atc: 'N06AF01' },
  moclobamide: { atc: 'N06AG02' },
  selegiline: { atc: 'N04BD01' },
  procarbazine: { atc: 'L01XB01' },
  linezolid: { atc: 'J01XX08' },
  'methylthioninium chloride': { atc: 'V03AB17' },
  amitriptyline: { atc: 'N06AA09' },
  clomipramine: { atc: 'N06AA04' },
  sumatriptan: { atc: 'N02CC01' },
  enalapril: { atc: 'C09AA02', dose: [{ routes: ['oral'], maxDailyMg: 40, source: 'bnf' }], pregnancy: raasPregnancy },
  lisinopril: { atc: 'C09AA03', pregnancy: raasPregnancy },
  captopril: { atc: 'C09AA01', pregnancy: raasPregnancy },
  ramipril: { atc: 'C09AA05', pregnancy: raasPregnancy },
  perindopril: { atc: 'C09AA04', pregnancy: raasPregnancy },
  losartan: { atc: 'C09CA01', dose: [{ routes: ['oral'], maxDailyMg: 100, source: 'bnf' }], pregnancy: raasPregnancy },
  valsartan: { atc: 'C09CA03', pregnancy: raasPregnancy },
  candesartan: { atc: 'C09CA06', pregnancy: raasPregnancy },
  amlodipine: { atc: 'C08CA01', dose: [{ routes: ['oral'], maxDailyMg: 10, source: 'bnf' }] },
  nifedipine: { atc: 'C08CA05' },
  verapamil: { atc: 'C08DA01' },
  diltiazem: { atc: 'C08DB01' },
  amiodarone: { atc: 'C01BD01' },
  digoxin: {
    atc: 'C01AA05',
    renal: {
      belowEgfr: 60,
      level: 'caution',
      why: {
        en: 'Digoxin is cleared by the kidneys: reduce the dose with reduced renal function and monitor levels (toxicity: nausea, arrhythmia).',
        fr: 'La digoxine est éliminée par le rein : réduire la dose en cas d’insuffisance rénale et surveiller les taux (toxicité : nausées, troubles du rythme).',
      },
      source: 'bnf',
    },
  },
  spironolactone: { atc: 'C03DA01' },
  furosemide: { atc: 'C03CA01' },
  hydrochlorothiazide: { atc: 'C03AA03' },
  bisoprolol: { atc: 'C07AB07' },
  carvedilol: { atc: 'C07AG02' },
  metformin: {
    atc: 'A10BA02',
    renal: {
      belowEgfr: 30,
      level: 'contraindicated',
      why: {
        en: 'Metformin is contraindicated when eGFR is below 30 (risk of lactic acidosis); review the dose below 45.',
        fr: 'La metformine est contre-indiquée sous un DFG de 30 (risque d’acidose lactique) ; revoir la dose sous 45.',
      },
      source: 'fda-label',
    },
  },
  gliclazide: { atc: 'A10BB09' },
  insulin: { atc: 'A10AB01' },
  omeprazole: { atc: 'A02BC01' },
  ranitidine: { atc: 'A02BA02' },
  metoclopramide: {
    atc: 'A03FA01',
    dose: [{ maxSingleMg: 10, maxDailyMg: 30, childMaxDailyMgPerKg: 0.5, source: 'ema' }],
  },
  ondansetron: { atc: 'A04AA01', dose: [{ routes: ['parenteral'], maxSingleMg: 16, source: 'fda-label' }] },
  loperamide: { atc: 'A07DA03', dose: [{ routes: ['oral'], maxDailyMg: 16, source: 'bnf' }] },
  cetirizine: { atc: 'R06AE07', dose: [{ routes: ['oral'], maxDailyMg: 10, source: 'bnf' }] },
  loratadine: { atc: 'R06AX13', dose: [{ routes: ['oral'], maxDailyMg: 10, source: 'bnf' }] },
  allopurinol: { atc: 'M04AA01', dose: [{ routes: ['oral'], maxDailyMg: 900, source: 'bnf' }] },
  azathioprine: { atc: 'L04AX01' },
  mercaptopurine: { atc: 'L01BB02' },
  methotrexate: {
    atc: 'L01BA01',
    pregnancy: {
      level: 'contraindicated',
      why: {
        en: 'Methotrexate is teratogenic and abortifacient; effective contraception is needed during and for 6 months after treatment.',
        fr: 'Le méthotrexate est tératogène et abortif ; une contraception efficace est nécessaire pendant le traitement et 6 mois après.',
      },
      source: 'bnf',
    },
    breastfeeding: {
      level: 'contraindicated',
      why: {
        en: 'Methotrexate is contraindicated while breastfeeding.',
        fr: 'Le méthotrexate est contre-indiqué pendant l’allaitement.',
      },
      source: 'bnf',
    },
  },
  'valproic acid': {
    atc: 'N03AG01',
    pregnancy: {
      level: 'contraindicated',
      why: {
        en: 'Valproate causes major malformations (about 1 in 10) and developmental disorders (up to 4 in 10): not in pregnancy unless no alternative, and only within a pregnancy prevention programme in women who could become pregnant.',
        fr: 'Le valproate provoque des malformations majeures (environ 1 sur 10) et des troubles du développement (jusqu’à 4 sur 10) : pas pendant la grossesse sauf absence d’alternative, et seulement avec un programme de prévention des grossesses chez les femmes en âge de procréer.',
      },
      source: 'mhra',
    },
  },
  thalidomide: {
    atc: 'L04AX02',
    pregnancy: {
      level: 'contraindicated',
      why: {
        en: 'Thalidomide causes severe birth defects: contraindicated in pregnancy, with a pregnancy prevention programme.',
        fr: 'La thalidomide provoque de graves malformations : contre-indiquée pendant la grossesse, avec un programme de prévention des grossesses.',
      },
      source: 'ema',
    },
  },
  lenalidomide: {
    atc: 'L04AX04',
    pregnancy: {
      level: 'contraindicated',
      why: {
        en: 'Lenalidomide is a thalidomide analogue and expected to cause birth defects: contraindicated in pregnancy.',
        fr: 'Le lénalidomide, analogue de la thalidomide, doit être considéré comme tératogène : contre-indiqué pendant la grossesse.',
      },
      source: 'ema',
    },
  },
  lithium: { atc: 'N05AN01' },
  carbamazepine: { atc: 'N03AF01' },
  phenytoin: { atc: 'N03AB02' },
  rifampicin: { atc: 'J04AB02' },
  fluconazole: { atc: 'J02AC01' },
  itraconazole: { atc: 'J02AC02' },
  ketoconazole: { atc: 'J02AB02' },
  voriconazole: { atc: 'J02AC03' },
  ritonavir: { atc: 'J05AE03' },
  clopidogrel: { atc: 'B01AC04' },
  heparin: { atc: 'B01AB01' },
  enoxaparin: { atc: 'B01AB05' },
  dabigatran: { atc: 'B01AE07' },
  haloperidol: { atc: 'N05AD01' },
  chlorpromazine: { atc: 'N05AA01' },
  diazepam: { atc: 'N05BA01' },
  lorazepam: { atc: 'N05BA06' },
  midazolam: { atc: 'N05CD08' },
  salbutamol: { atc: 'R03AC02' },
  levothyroxine: { atc: 'H03AA01' },
  tizanidine: { atc: 'M03BX02' },
  irinotecan: { atc: 'L01CE02' },
};

// ------------------------------------------------------------------ allergy groups

const crossPenicillinCephalosporin = {
  classes: ['cephalosporin'],
  severity: 'moderate',
  severeReactionSeverity: 'major',
  why: {
    en: 'Cross-reactivity between penicillins and cephalosporins is low (about 1–2 %), mostly through shared side chains (e.g. amoxicillin with cefalexin or cefadroxil); it is lower still with third-generation cephalosporins such as ceftriaxone.',
    fr: 'La réactivité croisée entre pénicillines et céphalosporines est faible (environ 1–2 %), surtout par chaînes latérales communes (p. ex. amoxicilline et céfalexine ou céfadroxil) ; elle est encore plus faible avec les céphalosporines de troisième génération comme la ceftriaxone.',
  },
  management: {
    en: 'If the penicillin reaction was not severe, it can usually be given with observation. After anaphylaxis, angioedema or a severe skin reaction, avoid it or give it only after specialist advice, where anaphylaxis can be treated.',
    fr: 'Si la réaction à la pénicilline n’était pas grave, elle peut en général être donnée sous surveillance. Après anaphylaxie, angio-œdème ou réaction cutanée grave, l’éviter ou ne la donner qu’après avis spécialisé, là où une anaphylaxie peut être traitée.',
  },
  source: 'aaaai',
} as const;

const crossBetaLactamCarbapenem = {
  classes: ['carbapenem'],
  severity: 'minor',
  severeReactionSeverity: 'moderate',
  why: {
    en: 'Cross-reactivity between penicillins or cephalosporins and carbapenems is under 1 %.',
    fr: 'La réactivité croisée entre pénicillines ou céphalosporines et carbapénèmes est inférieure à 1 %.',
  },
  management: {
    en: 'Can usually be given; after a severe reaction, give the first dose with observation.',
    fr: 'Peut en général être donné ; après une réaction grave, donner la première dose sous surveillance.',
  },
  source: 'aaaai',
} as const;

export const ALLERGY_GROUPS: readonly AllergyGroup[] = [
  {
    id: 'penicillins',
    substanceCodes: ['penicillins'],
    words: ['penicillin', 'penicillins', 'penicilline', 'penicillines', 'penicilin'],
    classes: ['penicillin'],
    sameGroup: {
      en: 'All penicillins share the beta-lactam ring and side chains that cause penicillin allergy: a patient allergic to one penicillin must be considered allergic to all.',
      fr: 'Toutes les pénicillines partagent le cycle bêta-lactame et les chaînes latérales responsables de l’allergie : un patient allergique à une pénicilline doit être considéré comme allergique à toutes.',
    },
    cross: [crossPenicillinCephalosporin, crossBetaLactamCarbapenem],
    source: 'bnf',
  },
  {
    id: 'cephalosporins',
    substanceCodes: ['cephalosporins'],
    words: ['cephalosporin', 'cephalosporins', 'cephalosporine', 'cephalosporines'],
    classes: ['cephalosporin'],
    sameGroup: {
      en: 'Cephalosporins cross-react with each other, mostly when they share side chains; consider the patient allergic to the class unless tested.',
      fr: 'Les céphalosporines ont des réactions croisées entre elles, surtout à chaînes latérales communes ; considérer le patient allergique à la classe sauf bilan allergologique.',
    },
    cross: [
      {
        ...crossPenicillinCephalosporin,
        classes: ['penicillin'],
        management: {
          en: 'A penicillin can usually be given if the cephalosporin reaction was not severe; after a severe reaction, seek specialist advice first.',
          fr: 'Une pénicilline peut en général être donnée si la réaction à la céphalosporine n’était pas grave ; après une réaction grave, demander d’abord un avis spécialisé.',
        },
      },
      crossBetaLactamCarbapenem,
    ],
    source: 'aaaai',
  },
  {
    id: 'sulfonamides',
    substanceCodes: ['sulfonamides'],
    words: ['sulfa', 'sulpha', 'sulfonamide', 'sulfonamides', 'sulphonamide', 'sulphonamides', 'sulfamide', 'sulfamides'],
    classes: ['sulfonamide-antibacterial'],
    sameGroup: {
      en: 'Sulfonamide antibacterials share the arylamine group that causes sulfonamide allergy (including severe skin reactions).',
      fr: 'Les sulfamides antibactériens partagent le groupe arylamine responsable de l’allergie aux sulfamides (y compris les réactions cutanées graves).',
    },
    cross: [
      {
        classes: [],
        ingredients: ['furosemide', 'hydrochlorothiazide', 'acetazolamide', 'gliclazide', 'glibenclamide', 'celecoxib'],
        severity: 'minor',
        severeReactionSeverity: 'moderate',
        why: {
          en: 'A non-antibacterial sulfonamide: true cross-reactivity with antibacterial sulfonamide allergy is unlikely (the arylamine group is absent).',
          fr: 'Sulfamide non antibactérien : une réaction croisée vraie avec l’allergie aux sulfamides antibactériens est peu probable (pas de groupe arylamine).',
        },
        management: {
          en: 'Can usually be given; watch for a reaction, especially after a previous severe one.',
          fr: 'Peut en général être donné ; surveiller une réaction, surtout après une réaction grave antérieure.',
        },
        source: 'aaaai',
      },
    ],
    source: 'bnf',
  },
  {
    id: 'nsaids',
    substanceCodes: ['nsaids', 'aspirin'],
    words: ['nsaid', 'nsaids', 'ains', 'anti-inflammatory', 'anti-inflammatoire', 'anti-inflammatoires'],
    classes: ['nsaid', 'salicylate'],
    sameGroup: {
      en: 'Reactions to aspirin and NSAIDs (bronchospasm, urticaria, angioedema) are usually due to COX-1 inhibition and recur with any NSAID or aspirin.',
      fr: 'Les réactions à l’aspirine et aux AINS (bronchospasme, urticaire, angio-œdème) sont en général dues à l’inhibition de la COX-1 et se reproduisent avec tout AINS ou l’aspirine.',
    },
    cross: [],
    source: 'bnf',
  },
  {
    id: 'opioids',
    substanceCodes: ['opioids'],
    words: ['opioid', 'opioids', 'opiate', 'opiates', 'opioide', 'opioides', 'opiaces'],
    classes: ['opioid'],
    sameGroup: {
      en: 'A recorded opioid allergy: true allergy is rare (itching and nausea are common side effects), but reactions can recur with another opioid.',
      fr: 'Allergie aux opioïdes enregistrée : l’allergie vraie est rare (prurit et nausées sont des effets indésirables fréquents), mais une réaction peut se reproduire avec un autre opioïde.',
    },
    cross: [],
    source: 'bnf',
  },
  {
    id: 'quinine',
    substanceCodes: ['quinine'],
    words: ['quinine', 'quinidine'],
    classes: ['quinine'],
    sameGroup: {
      en: 'Quinine and quinidine are stereoisomers: hypersensitivity to one applies to the other.',
      fr: 'La quinine et la quinidine sont des stéréo-isomères : l’hypersensibilité à l’une vaut pour l’autre.',
    },
    cross: [],
    source: 'bnf',
  },
  {
    id: 'artemisinins',
    substanceCodes: ['artemisinins'],
    words: ['artemisinin', 'artemisinins', 'artemisinine', 'artemisinines'],
    classes: ['artemisinin'],
    sameGroup: {
      en: 'Artemisinin derivatives share the same active structure: hypersensitivity to one applies to the class.',
      fr: 'Les dérivés de l’artémisinine partagent la même structure active : l’hypersensibilité à l’un vaut pour la classe.',
    },
    cross: [],
    source: 'who-mf',
  },
  {
    id: 'iodinated-contrast',
    substanceCodes: ['iodinated_contrast'],
    words: ['contrast', 'iodinated contrast', 'produit de contraste'],
    classes: ['iodinated-contrast'],
    sameGroup: {
      en: 'Previous reaction to iodinated contrast: reactions can recur with any iodinated contrast medium.',
      fr: 'Réaction antérieure à un produit de contraste iodé : elle peut se reproduire avec tout produit de contraste iodé.',
    },
    cross: [],
    source: 'curated',
  },
];

// ------------------------------------------------------------------ interactions

/** The wording of each rule of the ONC list (its number in Phansalkar et al., Table 2); the drugs are in onc.gen.ts. */
export const ONC_RULES: Record<
  string,
  Pick<InteractionRule, 'severity' | 'mechanism' | 'management' | 'exceptions'> & { name: Text }
> = {
  '3': {
    name: { en: 'Amphetamine derivatives + MAO inhibitors', fr: 'Dérivés amphétaminiques + IMAO' },
    severity: 'contraindicated',
    mechanism: {
      en: 'MAO inhibition prevents breakdown of the noradrenaline the amphetamine releases: hypertensive crisis, hyperthermia, possibly fatal.',
      fr: 'L’inhibition de la MAO empêche la dégradation de la noradrénaline libérée par l’amphétamine : crise hypertensive, hyperthermie, potentiellement mortelles.',
    },
    management: {
      en: 'Do not combine; allow 14 days after stopping the MAO inhibitor.',
      fr: 'Ne pas associer ; respecter 14 jours après l’arrêt de l’IMAO.',
    },
  },
  '4': {
    name: { en: 'Atazanavir + proton pump inhibitors', fr: 'Atazanavir + IPP' },
    severity: 'major',
    mechanism: {
      en: 'Atazanavir needs stomach acid to be absorbed: proton pump inhibitors cut its levels and risk HIV treatment failure and resistance.',
      fr: 'L’atazanavir a besoin de l’acidité gastrique pour être absorbé : les IPP diminuent ses taux, avec risque d’échec du traitement anti-VIH et de résistance.',
    },
    management: {
      en: 'Avoid; if acid suppression is essential, use an H2 blocker timed per the atazanavir label.',
      fr: 'À éviter ; si la suppression acide est indispensable, utiliser un anti-H2 à distance selon la notice de l’atazanavir.',
    },
  },
  '6': {
    name: { en: 'Febuxostat + azathioprine or mercaptopurine', fr: 'Fébuxostat + azathioprine ou mercaptopurine' },
    severity: 'contraindicated',
    mechanism: {
      en: 'Xanthine oxidase inhibition blocks thiopurine breakdown: levels rise several-fold, with severe bone-marrow suppression.',
      fr: 'L’inhibition de la xanthine oxydase bloque la dégradation des thiopurines : taux multipliés, avec aplasie médullaire grave.',
    },
    management: { en: 'Do not combine.', fr: 'Ne pas associer.' },
  },
  '8': {
    name: { en: 'SSRIs and SNRIs + MAO inhibitors', fr: 'ISRS et IRSNa + IMAO' },
    severity: 'contraindicated',
    mechanism: {
      en: 'Both raise serotonin: serotonin syndrome (agitation, hyperthermia, clonus, seizures), possibly fatal.',
      fr: 'Les deux augmentent la sérotonine : syndrome sérotoninergique (agitation, hyperthermie, myoclonies, convulsions), potentiellement mortel.',
    },
    management: {
      en: 'Do not combine. Wait 2 weeks after stopping an MAO inhibitor before starting an SSRI or SNRI; before starting an MAO inhibitor, wait at least 1 week after stopping most SSRIs (2 weeks for sertraline, 5 weeks for fluoxetine).',
      fr: 'Ne pas associer. Attendre 2 semaines après l’arrêt d’un IMAO avant de commencer un ISRS ou un IRSNa ; avant de commencer un IMAO, attendre au moins 1 semaine après l’arrêt de la plupart des ISRS (2 semaines pour la sertraline, 5 semaines pour la fluoxétine).',
    },
  },
  '11': {
    name: { en: 'Irinotecan + CYP3A4 inhibitors', fr: 'Irinotécan + inhibiteurs du CYP3A4' },
    severity: 'major',
    mechanism: {
      en: 'CYP3A4 inhibition raises the active metabolite SN-38: severe neutropenia and diarrhoea.',
      fr: 'L’inhibition du CYP3A4 augmente le métabolite actif SN-38 : neutropénie et diarrhée sévères.',
    },
    management: {
      en: 'Avoid; stop strong CYP3A4 inhibitors at least a week before irinotecan.',
      fr: 'À éviter ; arrêter les inhibiteurs puissants du CYP3A4 au moins une semaine avant l’irinotécan.',
    },
  },
  '16': {
    name: { en: 'Narcotic analgesics + MAO inhibitors', fr: 'Analgésiques opioïdes + IMAO' },
    severity: 'contraindicated',
    mechanism: {
      en: 'Serotonergic opioids with MAO inhibition: serotonin syndrome or severe excitation, hypertension, hyperthermia, coma.',
      fr: 'Opioïdes sérotoninergiques avec inhibition de la MAO : syndrome sérotoninergique ou excitation sévère, hypertension, hyperthermie, coma.',
    },
    management: {
      en: 'Do not combine; allow 14 days after stopping the MAO inhibitor. Choose a non-serotonergic analgesic (e.g. morphine at reduced dose, with caution).',
      fr: 'Ne pas associer ; respecter 14 jours après l’arrêt de l’IMAO. Choisir un antalgique non sérotoninergique (p. ex. morphine à dose réduite, avec prudence).',
    },
  },
  '20': {
    name: { en: 'Tricyclic antidepressants + MAO inhibitors', fr: 'Antidépresseurs tricycliques + IMAO' },
    severity: 'contraindicated',
    mechanism: {
      en: 'Serotonin syndrome and hypertensive reactions.',
      fr: 'Syndrome sérotoninergique et réactions hypertensives.',
    },
    management: {
      en: 'Do not combine; allow 14 days after stopping the MAO inhibitor.',
      fr: 'Ne pas associer ; respecter 14 jours après l’arrêt de l’IMAO.',
    },
  },
  '21': {
    name: { en: 'QT-prolonging agents together', fr: 'Association de médicaments allongeant le QT' },
    severity: 'major',
    mechanism: {
      en: 'Both prolong the QT interval: additive risk of torsades de pointes and sudden death.',
      fr: 'Les deux allongent l’intervalle QT : risque additif de torsades de pointes et de mort subite.',
    },
    management: {
      en: 'Avoid the combination; if unavoidable, check an ECG and potassium and magnesium before and during treatment.',
      fr: 'Éviter l’association ; si elle est inévitable, contrôler ECG, kaliémie et magnésémie avant et pendant le traitement.',
    },
  },
  '22': {
    name: { en: 'Ramelteon + CYP1A2 inhibitors', fr: 'Rameltéon + inhibiteurs du CYP1A2' },
    severity: 'contraindicated',
    // only fluvoxamine is a contraindication in the label; the weaker inhibitors call for caution
    exceptions: [
      ['ramelteon', 'amiodarone', 'major'],
      ['ramelteon', 'ticlopidine', 'major'],
      ['ramelteon', 'ciprofloxacin', 'major'],
    ],
    mechanism: {
      en: 'Strong CYP1A2 inhibition (fluvoxamine) raises ramelteon exposure many-fold: excessive sedation.',
      fr: 'L’inhibition puissante du CYP1A2 (fluvoxamine) multiplie l’exposition au rameltéon : sédation excessive.',
    },
    management: {
      en: 'Do not combine with fluvoxamine; with other CYP1A2 inhibitors, avoid or use the lowest dose.',
      fr: 'Ne pas associer à la fluvoxamine ; avec les autres inhibiteurs du CYP1A2, éviter ou utiliser la dose la plus faible.',
    },
  },
  '23': {
    name: {
      en: 'HIV protease inhibitors + strong CYP3A4 inducers',
      fr: 'Inhibiteurs de protéase du VIH + inducteurs puissants du CYP3A4',
    },
    severity: 'contraindicated',
    mechanism: {
      en: 'Enzyme induction (rifampicin, carbamazepine, St John’s wort…) cuts protease inhibitor levels: HIV treatment failure and resistance.',
      fr: 'L’induction enzymatique (rifampicine, carbamazépine, millepertuis…) effondre les taux d’inhibiteur de protéase : échec du traitement anti-VIH et résistance.',
    },
    management: {
      en: 'Do not combine with rifampicin, rifapentine, carbamazepine or St John’s wort; rifabutin only at an adjusted dose on specialist advice (the usual choice for tuberculosis with HIV).',
      fr: 'Ne pas associer à la rifampicine, la rifapentine, la carbamazépine ou le millepertuis ; la rifabutine seulement à dose adaptée sur avis spécialisé (le choix habituel pour une tuberculose chez un patient VIH).',
    },
    exceptions: [['class:hiv-protease-inhibitor', 'rifabutin', 'major']],
  },
  '25': {
    name: { en: 'Simvastatin or lovastatin + CYP3A4 inhibitors', fr: 'Simvastatine ou lovastatine + inhibiteurs du CYP3A4' },
    severity: 'contraindicated',
    mechanism: {
      en: 'CYP3A4 inhibition raises simvastatin and lovastatin levels many-fold: myopathy and rhabdomyolysis.',
      fr: 'L’inhibition du CYP3A4 multiplie les taux de simvastatine et de lovastatine : myopathie et rhabdomyolyse.',
    },
    management: {
      en: 'Do not combine: suspend the statin for the course (e.g. of clarithromycin) or use a statin not metabolised by CYP3A4 (pravastatin, rosuvastatin).',
      fr: 'Ne pas associer : suspendre la statine le temps du traitement (p. ex. clarithromycine) ou utiliser une statine non métabolisée par le CYP3A4 (pravastatine, rosuvastatine).',
    },
    exceptions: [
      ['simvastatin', 'amiodarone', 'major'],
      ['simvastatin', 'verapamil', 'major'],
      ['simvastatin', 'diltiazem', 'major'],
      ['lovastatin', 'amiodarone', 'major'],
      ['lovastatin', 'verapamil', 'major'],
      ['lovastatin', 'diltiazem', 'major'],
      ['simvastatin', 'fluconazole', 'major'],
      ['lovastatin', 'fluconazole', 'major'],
    ],
  },
  '27': {
    name: { en: 'Ergot alkaloids + CYP3A4 inhibitors', fr: 'Alcaloïdes de l’ergot + inhibiteurs du CYP3A4' },
    severity: 'contraindicated',
    mechanism: {
      en: 'CYP3A4 inhibition raises ergot levels: ergotism, severe vasospasm and limb or cerebral ischaemia.',
      fr: 'L’inhibition du CYP3A4 augmente les taux de dérivés de l’ergot : ergotisme, vasospasme sévère et ischémie des membres ou cérébrale.',
    },
    management: { en: 'Do not combine.', fr: 'Ne pas associer.' },
  },
  '28': {
    name: { en: 'Tizanidine + CYP1A2 inhibitors', fr: 'Tizanidine + inhibiteurs du CYP1A2' },
    severity: 'contraindicated',
    // the label contraindicates ciprofloxacin and fluvoxamine; the other CYP1A2 inhibitors are to be avoided
    exceptions: [
      ['tizanidine', 'mexiletine', 'major'],
      ['tizanidine', 'propafenone', 'major'],
      ['tizanidine', 'zileuton', 'major'],
      ['tizanidine', 'amiodarone', 'major'],
      ['tizanidine', 'ticlopidine', 'major'],
    ],
    mechanism: {
      en: 'CYP1A2 inhibition raises tizanidine levels many-fold: severe hypotension and sedation.',
      fr: 'L’inhibition du CYP1A2 multiplie les taux de tizanidine : hypotension et sédation sévères.',
    },
    management: {
      en: 'Do not combine with ciprofloxacin or fluvoxamine; avoid the other CYP1A2 inhibitors.',
      fr: 'Ne pas associer à la ciprofloxacine ni à la fluvoxamine ; éviter les autres inhibiteurs du CYP1A2.',
    },
  },
  '30': {
    name: { en: 'MAO inhibitor + procarbazine', fr: 'IMAO + procarbazine' },
    severity: 'contraindicated',
    mechanism: {
      en: 'Procarbazine is itself an MAO inhibitor: additive MAO inhibition with hypertensive crisis.',
      fr: 'La procarbazine est elle-même un IMAO : inhibition additive avec crise hypertensive.',
    },
    management: { en: 'Do not combine.', fr: 'Ne pas associer.' },
  },
  '31': {
    name: { en: 'Triptans + MAO inhibitors', fr: 'Triptans + IMAO' },
    severity: 'contraindicated',
    mechanism: {
      en: 'MAO-A inhibition blocks triptan breakdown and adds serotonergic effect: serotonin syndrome and raised triptan levels.',
      fr: 'L’inhibition de la MAO-A bloque la dégradation du triptan et ajoute un effet sérotoninergique : syndrome sérotoninergique et taux de triptan élevés.',
    },
    management: {
      en: 'Do not combine; allow 14 days after stopping the MAO inhibitor.',
      fr: 'Ne pas associer ; respecter 14 jours après l’arrêt de l’IMAO.',
    },
  },
};

/**
 * The ONC rules expand from their named drugs to every member of these classes (so a formulary SSRI
 * the list does not name is still caught). Only classes whose members share the mechanism.
 */
export const ONC_CLASS_EXPANSION: Record<string, readonly string[]> = {
  SSRIs: ['ssri', 'snri'],
  MAOI: ['maoi'],
  'MAO inhibitors': ['maoi'],
  'Monoamine oxidase (MAO) inhibitors': ['maoi'],
  'Tricyclic antidepressants (TCAs)': ['tca'],
  Triptans: ['triptan'],
  'Proton Pump Inhibitors': ['ppi'],
  'Protease inhibitors': ['hiv-protease-inhibitor'],
};

const nsaids = ['nsaid'];

/** Well-established interactions beyond the ONC list: `a`/`b` are ingredient keys or `class:<id>`. */
export const OTHER_INTERACTIONS: readonly InteractionRule[] = [
  {
    id: 'vka-nsaid',
    a: ['class:vitamin-k-antagonist'],
    b: nsaids.map((c) => `class:${c}`),
    severity: 'major',
    mechanism: {
      en: 'NSAIDs damage the gastric mucosa and inhibit platelets, and some displace warfarin: serious gastrointestinal bleeding is several times more likely.',
      fr: 'Les AINS lèsent la muqueuse gastrique et inhibent les plaquettes, et certains déplacent la warfarine : le risque d’hémorragie digestive grave est multiplié.',
    },
    management: {
      en: 'Avoid: use paracetamol for pain. If an NSAID is unavoidable, give the shortest course with a proton pump inhibitor and check the INR.',
      fr: 'À éviter : utiliser le paracétamol contre la douleur. Si un AINS est inévitable, cure la plus courte avec un IPP et contrôle de l’INR.',
    },
    source: 'bnf',
  },
  {
    id: 'vka-aspirin',
    a: ['class:vitamin-k-antagonist'],
    b: ['acetylsalicylic acid'],
    severity: 'major',
    mechanism: {
      en: 'Aspirin inhibits platelets and injures the gastric mucosa: bleeding risk rises with warfarin.',
      fr: 'L’aspirine inhibe les plaquettes et lèse la muqueuse gastrique : le risque hémorragique augmente avec la warfarine.',
    },
    management: {
      en: 'Combine only on a specialist indication (e.g. mechanical valve), at low dose, with a proton pump inhibitor; never aspirin as an analgesic.',
      fr: 'N’associer que sur indication spécialisée (p. ex. valve mécanique), à faible dose, avec un IPP ; jamais l’aspirine comme antalgique.',
    },
    source: 'bnf',
  },
  {
    id: 'vka-antibiotic',
    a: ['class:vitamin-k-antagonist'],
    b: [
      'sulfamethoxazole',
      'metronidazole',
      'fluconazole',
      'miconazole',
      'clarithromycin',
      'erythromycin',
      'ciprofloxacin',
      'levofloxacin',
    ],
    severity: 'major',
    mechanism: {
      en: 'Inhibits warfarin metabolism (CYP2C9/3A4) or gut vitamin K production: the INR rises and bleeding can follow within days.',
      fr: 'Inhibe le métabolisme de la warfarine (CYP2C9/3A4) ou la production intestinale de vitamine K : l’INR augmente et une hémorragie peut survenir en quelques jours.',
    },
    management: {
      en: 'Prefer another antimicrobial; otherwise check the INR within 3–5 days and reduce the warfarin dose as needed.',
      fr: 'Préférer un autre anti-infectieux ; sinon contrôler l’INR dans les 3–5 jours et réduire la dose de warfarine si besoin.',
    },
    source: 'bnf',
  },
  {
    id: 'vka-rifampicin',
    a: ['class:vitamin-k-antagonist'],
    b: ['rifampicin', 'carbamazepine', 'phenytoin', 'phenobarbital'],
    severity: 'major',
    mechanism: {
      en: 'Enzyme induction speeds warfarin breakdown: the INR falls (clot risk), and rises again when the inducer is stopped.',
      fr: 'L’induction enzymatique accélère l’élimination de la warfarine : l’INR baisse (risque de thrombose) puis remonte à l’arrêt de l’inducteur.',
    },
    management: {
      en: 'Monitor the INR closely when starting and stopping; large warfarin dose changes may be needed.',
      fr: 'Surveiller étroitement l’INR à l’introduction et à l’arrêt ; de fortes adaptations de dose peuvent être nécessaires.',
    },
    source: 'bnf',
  },
  {
    id: 'serotonergic-linezolid',
    a: ['class:ssri', 'class:snri', 'class:tca', 'tramadol', 'pethidine', 'fentanyl', 'methadone'],
    b: ['linezolid', 'methylthioninium chloride'],
    severity: 'contraindicated',
    mechanism: {
      en: 'Linezolid and methylthioninium chloride (methylene blue) inhibit MAO-A: serotonin syndrome with serotonergic drugs.',
      fr: 'Le linézolide et le chlorure de méthylthioninium (bleu de méthylène) inhibent la MAO-A : syndrome sérotoninergique avec les médicaments sérotoninergiques.',
    },
    management: {
      en: 'Avoid; if linezolid or methylene blue is urgent, stop the serotonergic drug and monitor for serotonin syndrome for 2 weeks (5 for fluoxetine).',
      fr: 'À éviter ; si le linézolide ou le bleu de méthylène est urgent, arrêter le médicament sérotoninergique et surveiller un syndrome sérotoninergique pendant 2 semaines (5 pour la fluoxétine).',
    },
    source: 'fda-label',
  },
  {
    id: 'ssri-tramadol',
    a: ['class:ssri', 'class:snri'],
    b: ['tramadol'],
    severity: 'moderate',
    mechanism: {
      en: 'Both are serotonergic (serotonin syndrome), tramadol lowers the seizure threshold, and fluoxetine or paroxetine block its activation.',
      fr: 'Les deux sont sérotoninergiques (syndrome sérotoninergique), le tramadol abaisse le seuil épileptogène, et la fluoxétine ou la paroxétine bloquent son activation.',
    },
    management: {
      en: 'Prefer another analgesic; if used, start low and watch for agitation, tremor, clonus and fever.',
      fr: 'Préférer un autre antalgique ; sinon commencer bas et surveiller agitation, tremblements, myoclonies et fièvre.',
    },
    source: 'bnf',
  },
  {
    id: 'ssri-nsaid',
    a: ['class:ssri', 'class:snri'],
    b: ['class:nsaid', 'acetylsalicylic acid'],
    severity: 'moderate',
    mechanism: {
      en: 'SSRIs deplete platelet serotonin: with NSAIDs or aspirin, upper gastrointestinal bleeding is more likely.',
      fr: 'Les ISRS appauvrissent les plaquettes en sérotonine : avec les AINS ou l’aspirine, l’hémorragie digestive haute est plus probable.',
    },
    management: {
      en: 'Consider paracetamol instead, or add a proton pump inhibitor, especially in the elderly.',
      fr: 'Envisager le paracétamol, ou ajouter un IPP, surtout chez le sujet âgé.',
    },
    source: 'bnf',
  },
  {
    id: 'nsaid-aspirin',
    a: ['class:nsaid'],
    b: ['acetylsalicylic acid'],
    severity: 'moderate',
    mechanism: {
      en: 'Ibuprofen and other NSAIDs can block low-dose aspirin’s antiplatelet effect, and together they add gastrointestinal bleeding risk.',
      fr: 'L’ibuprofène et d’autres AINS peuvent bloquer l’effet antiagrégant de l’aspirine à faible dose, et l’association ajoute un risque d’hémorragie digestive.',
    },
    management: {
      en: 'Avoid regular NSAIDs with aspirin; if needed, take ibuprofen at least 30 minutes after immediate-release aspirin, with gastric protection.',
      fr: 'Éviter les AINS au long cours avec l’aspirine ; si besoin, prendre l’ibuprofène au moins 30 minutes après l’aspirine à libération immédiate, avec protection gastrique.',
    },
    source: 'fda-label',
  },
  {
    id: 'methotrexate-trimethoprim',
    a: ['methotrexate'],
    b: ['trimethoprim', 'sulfamethoxazole'],
    severity: 'major',
    mechanism: {
      en: 'Both are folate antagonists and trimethoprim reduces methotrexate excretion: severe, sometimes fatal bone-marrow suppression.',
      fr: 'Les deux sont antifoliques et le triméthoprime réduit l’élimination du méthotrexate : aplasie médullaire grave, parfois mortelle.',
    },
    management: { en: 'Avoid; choose another antibiotic.', fr: 'À éviter ; choisir un autre antibiotique.' },
    source: 'bnf',
  },
  {
    id: 'methotrexate-nsaid',
    a: ['methotrexate'],
    b: ['class:nsaid', 'acetylsalicylic acid'],
    severity: 'moderate',
    mechanism: {
      en: 'NSAIDs reduce methotrexate excretion: toxicity, notably with high (oncology) doses.',
      fr: 'Les AINS réduisent l’élimination du méthotrexate : toxicité, surtout aux fortes doses (oncologie).',
    },
    management: {
      en: 'Avoid with high-dose methotrexate; with weekly low doses, monitor blood counts and renal function.',
      fr: 'À éviter avec le méthotrexate à forte dose ; aux faibles doses hebdomadaires, surveiller numération et fonction rénale.',
    },
    source: 'bnf',
  },
  {
    id: 'raas-potassium-sparing',
    a: ['class:acei', 'class:arb'],
    b: ['spironolactone', 'amiloride', 'eplerenone', 'triamterene'],
    severity: 'moderate',
    mechanism: {
      en: 'Both raise potassium: hyperkalaemia, especially with reduced renal function.',
      fr: 'Les deux augmentent le potassium : hyperkaliémie, surtout en cas d’insuffisance rénale.',
    },
    management: {
      en: 'Check potassium and creatinine within a week of starting and regularly after.',
      fr: 'Contrôler kaliémie et créatinine dans la semaine qui suit l’introduction, puis régulièrement.',
    },
    source: 'bnf',
  },
  {
    id: 'acei-arb',
    a: ['class:acei'],
    b: ['class:arb'],
    severity: 'major',
    mechanism: {
      en: 'Dual blockade of the renin–angiotensin system: hyperkalaemia, hypotension and acute kidney injury without added benefit.',
      fr: 'Double blocage du système rénine-angiotensine : hyperkaliémie, hypotension et insuffisance rénale aiguë sans bénéfice supplémentaire.',
    },
    management: { en: 'Do not combine except on specialist advice.', fr: 'Ne pas associer sauf avis spécialisé.' },
    source: 'mhra',
  },
  {
    id: 'lithium-diuretic-nsaid-raas',
    a: ['lithium'],
    b: ['class:nsaid', 'class:acei', 'class:arb', 'hydrochlorothiazide', 'furosemide'],
    severity: 'major',
    mechanism: {
      en: 'Reduces lithium excretion: lithium levels rise into the toxic range (tremor, confusion, arrhythmia).',
      fr: 'Réduit l’élimination du lithium : la lithémie monte dans la zone toxique (tremblements, confusion, troubles du rythme).',
    },
    management: {
      en: 'Avoid if possible; otherwise check lithium levels within a week and adjust the dose.',
      fr: 'À éviter si possible ; sinon contrôler la lithémie dans la semaine et adapter la dose.',
    },
    source: 'bnf',
  },
  {
    id: 'clopidogrel-ppi',
    a: ['clopidogrel'],
    b: ['omeprazole', 'esomeprazole'],
    severity: 'moderate',
    mechanism: {
      en: 'Omeprazole and esomeprazole inhibit CYP2C19, which activates clopidogrel: less antiplatelet effect.',
      fr: 'L’oméprazole et l’ésoméprazole inhibent le CYP2C19, qui active le clopidogrel : effet antiagrégant diminué.',
    },
    management: { en: 'Use pantoprazole or lansoprazole instead.', fr: 'Utiliser plutôt le pantoprazole ou le lansoprazole.' },
    source: 'mhra',
  },
  {
    id: 'atorvastatin-cyp3a4',
    a: ['atorvastatin'],
    b: ['clarithromycin', 'itraconazole', 'ketoconazole', 'class:hiv-protease-inhibitor'],
    severity: 'major',
    mechanism: {
      en: 'CYP3A4 inhibition raises atorvastatin levels: myopathy and rhabdomyolysis.',
      fr: 'L’inhibition du CYP3A4 augmente les taux d’atorvastatine : myopathie et rhabdomyolyse.',
    },
    management: {
      en: 'Suspend atorvastatin for a short course, or keep to the lowest dose (usually ≤ 20 mg) and watch for muscle pain.',
      fr: 'Suspendre l’atorvastatine le temps d’une cure courte, ou rester à la dose la plus faible (en général ≤ 20 mg) et surveiller les douleurs musculaires.',
    },
    source: 'fda-label',
  },
  {
    id: 'digoxin-amiodarone-macrolide',
    a: ['digoxin'],
    b: ['amiodarone', 'clarithromycin', 'verapamil', 'quinidine'],
    severity: 'major',
    mechanism: {
      en: 'Inhibits P-glycoprotein: digoxin levels rise (nausea, visual disturbance, arrhythmia).',
      fr: 'Inhibe la P-glycoprotéine : la digoxinémie augmente (nausées, troubles visuels, troubles du rythme).',
    },
    management: {
      en: 'Halve the digoxin dose when starting amiodarone; otherwise monitor levels and the ECG.',
      fr: 'Diviser par deux la dose de digoxine à l’introduction de l’amiodarone ; sinon surveiller digoxinémie et ECG.',
    },
    source: 'bnf',
  },
  {
    id: 'opioid-benzodiazepine',
    a: ['class:opioid'],
    b: ['class:benzodiazepine'],
    severity: 'major',
    mechanism: {
      en: 'Additive central nervous system and respiratory depression: profound sedation, respiratory arrest, death.',
      fr: 'Dépression additive du système nerveux central et de la respiration : sédation profonde, arrêt respiratoire, décès.',
    },
    management: {
      en: 'Combine only if no alternative; use the lowest doses, shortest duration, and monitor breathing and sedation.',
      fr: 'N’associer qu’en l’absence d’alternative ; doses les plus faibles, durée la plus courte, et surveiller respiration et sédation.',
    },
    source: 'fda-label',
  },
  {
    id: 'allopurinol-thiopurine',
    a: ['allopurinol'],
    b: ['azathioprine', 'mercaptopurine'],
    severity: 'major',
    mechanism: {
      en: 'Xanthine oxidase inhibition blocks thiopurine breakdown: bone-marrow suppression.',
      fr: 'L’inhibition de la xanthine oxydase bloque la dégradation des thiopurines : aplasie médullaire.',
    },
    management: {
      en: 'Reduce the azathioprine or mercaptopurine dose to a quarter and monitor blood counts, or avoid.',
      fr: 'Réduire la dose d’azathioprine ou de mercaptopurine au quart et surveiller la numération, ou éviter.',
    },
    source: 'bnf',
  },
  {
    id: 'rifampicin-hormonal-contraception',
    a: ['rifampicin', 'rifabutin', 'carbamazepine', 'phenytoin', 'phenobarbital', 'efavirenz'],
    b: ['ethinylestradiol', 'levonorgestrel', 'norethisterone', 'etonogestrel', 'ulipristal'],
    severity: 'major',
    mechanism: {
      en: 'Enzyme induction lowers hormone levels: contraceptive failure.',
      fr: 'L’induction enzymatique diminue les taux d’hormones : échec de la contraception.',
    },
    management: {
      en: 'Use a copper IUD, a levonorgestrel IUS or medroxyprogesterone injection during and for 4 weeks after the inducer.',
      fr: 'Utiliser un DIU au cuivre, un SIU au lévonorgestrel ou l’injection de médroxyprogestérone pendant et 4 semaines après l’inducteur.',
    },
    source: 'bnf',
  },
];
