import { pick, type Rand } from './people.ts';

/**
 * Consultation notes of the benchmark: a handful of common presentations of an outpatient clinic in
 * Kinshasa or Goma, each with its ICD-10-CM codes and sentences to draw the SOAP sections from, so that
 * the notes have the lengths of real ones (a few hundred characters per section) and read like them.
 */
interface Presentation {
  /** ICD-10-CM codes, the first the usual primary */
  codes: string[];
  subjective: string[];
  objective: string[];
  assessment: string[];
  plan: string[];
  summary: string[];
}

const PRESENTATIONS: Presentation[] = [
  {
    codes: ['B54', 'B50.9', 'R50.9'],
    subjective: [
      'Fever for {d} days with chills and sweats, worse in the evening.',
      'Headache and generalised body aches, reduced appetite.',
      'No cough, no diarrhoea, no urinary complaints.',
      'Took paracetamol at home with partial relief.',
      'Sleeps without a bed net since the family moved.',
    ],
    objective: [
      'T {t} °C, HR {hr}/min, BP {bp} mmHg.',
      'Conjunctivae mildly pale, no jaundice.',
      'Spleen tip palpable, no hepatomegaly.',
      'Malaria RDT positive.',
      'Alert, oriented, no neck stiffness.',
    ],
    assessment: ['Uncomplicated falciparum malaria, no danger signs.', 'Mild anaemia to follow.'],
    plan: [
      'Artemether-lumefantrine for 3 days with food.',
      'Paracetamol for fever, oral fluids.',
      'Return at once if vomiting, confusion or convulsions.',
      'Review in {n} days with a full blood count.',
      'Advised to use an impregnated bed net.',
    ],
    summary: [
      'You have malaria. Take all the tablets for 3 days with food, drink plenty and come back at once if you vomit the tablets or feel worse.',
      'Sleep under a treated bed net every night.',
    ],
  },
  {
    codes: ['I10', 'E66.9', 'R51.9'],
    subjective: [
      'Known hypertensive on amlodipine, here for review.',
      'Occasional morning headaches, no chest pain, no dyspnoea.',
      'Reports taking the treatment most days; ran out {d} days ago.',
      'Eats salted fish often; little exercise.',
    ],
    objective: [
      'BP {bp} mmHg (repeat after 10 min similar), HR {hr}/min.',
      'Weight {w} kg, BMI {bmi}.',
      'Heart sounds regular, no murmur; no oedema.',
      'Fundi not examined.',
    ],
    assessment: ['Essential hypertension, not at target.', 'Adherence is the main issue.'],
    plan: [
      'Continue amlodipine 10 mg daily; add hydrochlorothiazide 12.5 mg.',
      'Salt reduction and 30 minutes of walking daily discussed.',
      'Creatinine and potassium at next visit.',
      'Review in {n} weeks with a home BP diary.',
    ],
    summary: [
      'Your blood pressure is still high. Take both medicines every morning, eat less salt and walk every day. Bring your blood pressure notebook next time.',
    ],
  },
  {
    codes: ['E11.9', 'E66.9', 'I10'],
    subjective: [
      'Type 2 diabetes for {y} years, on metformin.',
      'Polyuria has improved; no hypoglycaemic episodes.',
      'Tingling of both feet at night for some months.',
      'Follows the diet with difficulty during festivities.',
    ],
    objective: [
      'Fasting glucose {g} mmol/L, BP {bp} mmHg.',
      'Weight {w} kg, BMI {bmi}.',
      'Feet: monofilament sensation reduced at both halluces, pulses present, no ulcer.',
    ],
    assessment: ['Type 2 diabetes, suboptimal control.', 'Early peripheral neuropathy.'],
    plan: [
      'Increase metformin to 1 g twice daily.',
      'HbA1c and lipids.',
      'Foot care education; inspect feet daily.',
      'Review in {n} weeks.',
    ],
    summary: [
      'Your sugar is still a little high. Take metformin twice a day with meals and check your feet every evening. We will repeat the blood tests.',
    ],
  },
  {
    codes: ['J06.9', 'J02.9', 'R05.9'],
    subjective: [
      'Sore throat and runny nose for {d} days.',
      'Dry cough, worse at night; no shortness of breath.',
      'Low-grade fever at home; siblings have similar symptoms.',
    ],
    objective: [
      'T {t} °C, RR {rr}/min, SpO2 {spo2} %.',
      'Pharynx red without exudate; tympanic membranes normal.',
      'Chest clear on auscultation.',
    ],
    assessment: ['Viral upper respiratory tract infection.'],
    plan: [
      'Symptomatic treatment: paracetamol, honey and warm drinks.',
      'No antibiotic indicated.',
      'Return if breathing becomes difficult or fever lasts more than 3 days.',
    ],
    summary: [
      'You have a cold caused by a virus: antibiotics would not help. Rest, drink warm fluids and take paracetamol if needed.',
    ],
  },
  {
    codes: ['J18.9', 'R50.9', 'R06.02'],
    subjective: [
      'Productive cough for {d} days with fever and right-sided chest pain.',
      'Breathless on walking; no haemoptysis.',
      'No contact with tuberculosis known.',
    ],
    objective: [
      'T {t} °C, RR {rr}/min, HR {hr}/min, SpO2 {spo2} % on air.',
      'Crackles at the right base, bronchial breathing.',
      'Chest X-ray: right lower lobe consolidation.',
    ],
    assessment: ['Community-acquired pneumonia, CURB-65 of 1: outpatient treatment.'],
    plan: [
      'Amoxicillin 1 g three times daily for 5 days.',
      'Sputum for GeneXpert if the cough persists beyond 2 weeks.',
      'Review in {n} days or earlier if worse.',
    ],
    summary: [
      'You have a chest infection. Take the antibiotic three times a day for 5 days and come back in 2 days, or at once if breathing gets harder.',
    ],
  },
  {
    codes: ['A09', 'E86.0', 'R10.9'],
    subjective: [
      'Watery diarrhoea {n} times a day since {d} days, no blood.',
      'Crampy abdominal pain, mild nausea.',
      'Drinking water from a new source.',
    ],
    objective: [
      'T {t} °C, HR {hr}/min, BP {bp} mmHg.',
      'Mucous membranes slightly dry, skin pinch normal.',
      'Abdomen soft, diffusely tender, bowel sounds increased.',
    ],
    assessment: ['Acute gastroenteritis with some dehydration.'],
    plan: ['Oral rehydration salts after each stool, zinc for 10 days.', 'Boil drinking water.', 'Return if blood in stool.'],
    summary: [
      'You have a stomach infection. Drink the rehydration solution after each loose stool and boil your drinking water. Come back if you see blood.',
    ],
  },
  {
    codes: ['K29.70', 'R10.13', 'K21.9'],
    subjective: [
      'Epigastric burning for weeks, worse when fasting.',
      'Takes ibuprofen for back pain regularly.',
      'No vomiting, no black stools, no weight loss.',
    ],
    objective: ['Epigastric tenderness, no guarding.', 'Conjunctivae pink. BP {bp} mmHg.'],
    assessment: ['Gastritis, likely NSAID-related.'],
    plan: ['Stop ibuprofen; paracetamol instead.', 'Omeprazole 20 mg daily for 4 weeks.', 'Review in {n} weeks.'],
    summary: [
      'Your stomach lining is irritated by the pain tablets. Stop ibuprofen and take omeprazole every morning for a month.',
    ],
  },
  {
    codes: ['N39.0', 'R30.0', 'R35.0'],
    subjective: ['Burning on passing urine and frequency for {d} days.', 'No fever, no flank pain.', 'Not pregnant.'],
    objective: [
      'T {t} °C. Suprapubic tenderness, no renal angle tenderness.',
      'Urine dipstick: leucocytes ++, nitrites positive.',
    ],
    assessment: ['Uncomplicated lower urinary tract infection.'],
    plan: ['Nitrofurantoin 100 mg twice daily for 5 days.', 'Drink more water.', 'Return if fever or back pain.'],
    summary: ['You have a bladder infection. Take the tablets twice a day for 5 days and drink plenty of water.'],
  },
  {
    codes: ['M54.50', 'M54.2', 'M25.561'],
    subjective: ['Low back pain for {d} days after lifting bags at the market.', 'No leg weakness, no numbness, bladder normal.'],
    objective: ['Paraspinal spasm, straight leg raise negative both sides.', 'Neurological examination of the legs normal.'],
    assessment: ['Mechanical low back pain, no red flags.'],
    plan: ['Paracetamol, heat, keep moving.', 'Exercises shown.', 'Review in {n} weeks if not better.'],
    summary: [
      'Your back pain comes from the muscles and should improve in a few weeks. Keep moving and do the exercises we showed you.',
    ],
  },
  {
    codes: ['Z00.00', 'Z30.09', 'Z23'],
    subjective: ['Routine check-up, no complaints.', 'Asks about family planning options.', 'Vaccination card reviewed.'],
    objective: ['BP {bp} mmHg, HR {hr}/min, weight {w} kg.', 'Examination unremarkable.'],
    assessment: ['Healthy adult; counselling given.'],
    plan: ['Next check-up in one year.', 'Tetanus booster due: given today.'],
    summary: ['Your check-up is normal. We gave you the tetanus booster today; next check-up in one year.'],
  },
];

/** What every consultation's note says besides the presentation: background, general examination, counselling. */
const GENERAL = {
  subjective: [
    'No known drug allergies.',
    'Current medication reviewed with the patient.',
    'Lives with family; non-smoker, occasional alcohol.',
    'Past history: {n} previous consultations here, no admission.',
    'Vaccinations up to date according to the card.',
  ],
  objective: ['General condition good, well hydrated, not pale.', 'Weight {w} kg.', 'Capillary refill under 2 s.'],
  plan: [
    'Diagnosis and treatment explained; the patient repeated the key instructions.',
    'Written prescription given; costs discussed.',
    'Warning signs explained to the patient and the accompanying relative.',
  ],
};

/** The codes the notes use, to look up their descriptions in the terminology. */
export const NOTE_CODES = [...new Set(PRESENTATIONS.flatMap((p) => p.codes))];

const int = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

function fill(rand: Rand, s: string): string {
  return s.replace(/\{(\w+)\}/g, (_, k: string) => {
    switch (k) {
      case 't':
        return (36.5 + rand() * 2.5).toFixed(1);
      case 'hr':
        return String(int(rand, 62, 112));
      case 'rr':
        return String(int(rand, 14, 26));
      case 'spo2':
        return String(int(rand, 92, 99));
      case 'bp':
        return `${int(rand, 110, 168)}/${int(rand, 68, 102)}`;
      case 'w':
        return String(int(rand, 48, 104));
      case 'bmi':
        return (19 + rand() * 15).toFixed(1);
      case 'g':
        return (5.5 + rand() * 6).toFixed(1);
      case 'y':
        return String(int(rand, 1, 15));
      default:
        return String(int(rand, 2, 7));
    }
  });
}

/** Most of a section's sentences, in order, each with its numbers filled in. */
const section = (rand: Rand, sentences: string[]) =>
  sentences
    .filter((_, i) => i === 0 || rand() < 0.8)
    .map((s) => fill(rand, s))
    .join(' ');

export interface GeneratedNote {
  sections: { subjective: string; objective: string; assessment: string; plan: string };
  patientSummary: string;
  /** the primary code first, then 0–2 secondary ones, distinct */
  codes: string[];
}

export function generateNote(rand: Rand): GeneratedNote {
  const p = pick(rand, PRESENTATIONS);
  const secondary = p.codes.slice(1).filter(() => rand() < 0.35);
  const more = (sentences: string[]) =>
    sentences
      .filter(() => rand() < 0.6)
      .map((s) => ` ${fill(rand, s)}`)
      .join('');
  return {
    sections: {
      subjective: section(rand, p.subjective) + more(GENERAL.subjective),
      objective: section(rand, p.objective) + more(GENERAL.objective),
      assessment: section(rand, p.assessment),
      plan: section(rand, p.plan) + more(GENERAL.plan),
    },
    patientSummary: section(rand, p.summary),
    codes: [p.codes[0]!, ...secondary],
  };
}

/** A draft as it stands mid-consultation: the history taken, the rest still to write. */
export function draftSections(rand: Rand): GeneratedNote['sections'] {
  const p = pick(rand, PRESENTATIONS);
  return { subjective: section(rand, p.subjective), objective: '', assessment: '', plan: '' };
}

/** The reason given when the consultation starts. */
export function reason(rand: Rand): string {
  return pick(rand, ['Fever', 'Follow-up', 'Cough', 'Review of results', 'Abdominal pain', 'Check-up', 'Headache', 'Back pain']);
}
