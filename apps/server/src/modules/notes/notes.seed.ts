import { sql } from 'drizzle-orm';
import type { NoteSections } from '@sanita/contracts/notes';
import { diagnoses, noteRevisions, notes, noteShortcuts } from '../../db/schema/notes.ts';
import type { SeedStep } from '../../platform/module.ts';

interface Case {
  sections: NoteSections;
  summary: string;
  dx: { code: string; description: string; rank: 'primary' | 'secondary' }[];
}

/** Consultations the demo's doctors write: common presentations of a Congolese outpatient clinic. */
const CASES: Case[] = [
  {
    sections: {
      subjective: 'Fever and headache for 3 days, chills at night, poor appetite. No cough, no diarrhoea.',
      objective: 'Febrile 38.9 °C, pulse 112, mild pallor. Abdomen soft, no splenomegaly. Malaria RDT positive.',
      assessment: 'Uncomplicated falciparum malaria.',
      plan: 'Artemether-lumefantrine 4 tablets twice daily for 3 days. Paracetamol. Return at once if vomiting or drowsy.',
    },
    summary:
      'You have malaria. Take all the tablets for 3 days, drink plenty, and come back at once if you vomit or feel drowsy.',
    dx: [{ code: 'B54', description: 'Unspecified malaria', rank: 'primary' }],
  },
  {
    sections: {
      subjective: 'Review of blood pressure. Occasional headaches. Takes amlodipine most days.',
      objective: 'BP 152/94, pulse 78. BMI 31. No oedema.',
      assessment: 'Essential hypertension, not at target. Obesity.',
      plan: 'Increase amlodipine to 10 mg daily. Salt reduction, walking 30 minutes a day. Review in 4 weeks.',
    },
    summary: 'Your blood pressure is still high: take amlodipine 10 mg every day, eat less salt, and come back in 4 weeks.',
    dx: [
      { code: 'I10', description: 'Essential (primary) hypertension', rank: 'primary' },
      { code: 'E66.9', description: 'Obesity, unspecified', rank: 'secondary' },
    ],
  },
  {
    sections: {
      subjective: 'Known type 2 diabetes, thirst and frequent urination for 2 weeks. Ran out of metformin.',
      objective: 'Glucose 13.2 mmol/L. Feet: sensation intact, no ulcer.',
      assessment: 'Type 2 diabetes, poorly controlled after stopping treatment.',
      plan: 'Restart metformin 500 mg twice daily. HbA1c. Diet advice. Review in 2 weeks.',
    },
    summary: 'Restart metformin twice a day with meals. We took blood to check your diabetes; come back in 2 weeks.',
    dx: [{ code: 'E11.9', description: 'Type 2 diabetes mellitus without complications', rank: 'primary' }],
  },
  {
    sections: {
      subjective: 'Sore throat, runny nose and dry cough for 4 days. No breathlessness.',
      objective: 'Temperature 37.6 °C. Throat red, no exudate. Chest clear.',
      assessment: 'Viral upper respiratory tract infection.',
      plan: 'Paracetamol, fluids, rest. No antibiotic. Return if breathless or fever beyond 5 days.',
    },
    summary: 'A cold caused by a virus: antibiotics will not help. Rest, drink, paracetamol for pain.',
    dx: [{ code: 'J06.9', description: 'Acute upper respiratory infection, unspecified', rank: 'primary' }],
  },
  {
    sections: {
      subjective: 'Watery diarrhoea 5 times a day since yesterday, cramps, no blood.',
      objective: 'Mildly dry mucosae, pulse 96. Abdomen soft, diffusely tender.',
      assessment: 'Acute gastroenteritis with mild dehydration.',
      plan: 'Oral rehydration salts, zinc for 10 days. Return if blood in stool or unable to drink.',
    },
    summary: 'Drink the oral rehydration solution after each loose stool. Come back if you see blood or cannot drink.',
    dx: [{ code: 'A09', description: 'Infectious gastroenteritis and colitis, unspecified', rank: 'primary' }],
  },
  {
    sections: {
      subjective: 'Burning on passing urine and frequency for 3 days. No fever, no flank pain.',
      objective: 'Afebrile. Suprapubic tenderness. Urine dipstick: leucocytes and nitrites positive.',
      assessment: 'Uncomplicated lower urinary tract infection.',
      plan: 'Nitrofurantoin 100 mg twice daily for 5 days. Fluids.',
    },
    summary: 'A bladder infection: take the antibiotic twice a day for 5 days and drink plenty of water.',
    dx: [{ code: 'N39.0', description: 'Urinary tract infection, site not specified', rank: 'primary' }],
  },
];

/** An eye consultation, for the encounters of an ophthalmologist. */
const EYE_CASE: Case = {
  sections: {
    subjective: 'Blurred distance vision for a year, worse at night. No pain, no redness. No glasses so far.',
    objective: 'Anterior segments quiet. Fundus: healthy discs, cup-disc 0.3 both eyes.',
    assessment: 'Bilateral myopia with mild astigmatism.',
    plan: 'Glasses prescribed as refracted. Review in 12 months.',
    eyes: {
      right: { visualAcuity: '6/18', sphere: -1.75, cylinder: -0.5, axis: 180, iop: 15 },
      left: { visualAcuity: '6/24', sphere: -2.25, cylinder: -0.75, axis: 170, iop: 16 },
    },
  },
  summary: 'You are short-sighted in both eyes. Wear the glasses prescribed today; come back in a year.',
  dx: [{ code: 'H52.13', description: 'Myopia, bilateral', rank: 'primary' }],
};

const SHORTCUTS = [
  {
    name: '.ros',
    text: 'Review of systems: no fever, no weight loss, no chest pain, no breathlessness, no abdominal pain, no urinary symptoms.',
  },
  { name: '.normexam', text: 'Alert and oriented. Heart sounds normal, chest clear, abdomen soft and non-tender.' },
  { name: '.fu', text: 'Follow-up in 2 weeks, earlier if symptoms worsen.' },
  { name: '.malaria', text: 'Malaria RDT: ___. Danger signs (vomiting, convulsions, drowsiness, breathlessness) explained.' },
];

/**
 * Demo notes (after the encounters): a signed note with its diagnoses for each finished encounter
 * of the demo, a draft for each one in progress, and the organisation's shortcuts. Idempotent.
 */
export const seedNotes: SeedStep = async (tx, demo) => {
  const [{ n } = { n: 0 }] = (await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM note_shortcuts`)).rows;
  if (n === 0) {
    const by = demo.users['admin@sanita.test'] ?? null;
    await tx.insert(noteShortcuts).values(SHORTCUTS.map((s) => ({ ...s, updatedBy: by })));
  }
  const fallback = demo.users['doctor@sanita.test'];
  if (!fallback) return;
  const { rows } = await tx.execute<{
    id: string;
    status: string;
    started_at: string | Date;
    ended_at: string | Date | null;
    author: string | null;
    eyes: boolean;
  }>(sql`
    SELECT e.id, e.status, e.started_at, e.ended_at, pr.user_id AS author,
           EXISTS (SELECT 1 FROM practitioner_specialties ps JOIN specialties s ON s.id = ps.specialty_id
                    WHERE ps.practitioner_id = e.practitioner_id AND s.code = 'ophthalmology') AS eyes
      FROM encounters e
      LEFT JOIN practitioners pr ON pr.id = e.practitioner_id
     WHERE e.status IN ('finished', 'in_progress')
       AND NOT EXISTS (SELECT 1 FROM notes n WHERE n.encounter_id = e.id)
     ORDER BY e.started_at, e.id`);
  let i = 0;
  for (const e of rows) {
    const c = e.eyes ? EYE_CASE : CASES[i++ % CASES.length]!;
    const template = e.eyes ? ('ophthalmology' as const) : ('general' as const);
    const authorId = e.author ?? fallback;
    const started = new Date(e.started_at).getTime();
    const written = new Date(started + 8 * 60_000);
    const draft = e.status === 'in_progress';
    const sections: NoteSections = draft
      ? {
          subjective: c.sections.subjective,
          objective: '',
          assessment: '',
          plan: '',
          ...(e.eyes ? { eyes: { right: {}, left: {} } } : {}),
        }
      : c.sections;
    const [note] = await tx
      .insert(notes)
      .values({
        encounterId: e.id,
        template,
        sections,
        patientSummary: draft ? null : c.summary,
        authorId,
        version: 1,
        createdAt: written,
        updatedAt: written,
      })
      .returning({ id: notes.id });
    if (draft) continue;
    await tx.insert(diagnoses).values(
      c.dx.map((d, position) => ({
        ...d,
        encounterId: e.id,
        noteId: note!.id,
        position,
        addedBy: authorId,
        createdAt: written,
      })),
    );
    const signedAt = new Date(Math.max(started + 15 * 60_000, e.ended_at ? new Date(e.ended_at).getTime() : 0));
    await tx
      .update(notes)
      .set({ signedAt, signedBy: authorId, version: 2, updatedAt: signedAt })
      .where(sql`${notes.id} = ${note!.id}`);
    await tx.insert(noteRevisions).values({
      noteId: note!.id,
      kind: 'signed',
      content: { template, sections, patientSummary: c.summary, diagnoses: c.dx },
      authorId,
      createdAt: signedAt,
    });
  }
};
