import { sql } from 'drizzle-orm';
import type { AllergyInput, HistoryInput, ProblemInput } from '@sanita/contracts/history';
import { COMMON_SUBSTANCES, SUBSTANCE_NAMES } from '@sanita/contracts/history';
import type { Executor } from '../../platform/db/database.ts';
import type { SeedStep } from '../../platform/module.ts';
import * as repo from './history.repository.ts';

/** A demo patient's chart: problems, allergies (or an explicit "no known allergies"), history. */
interface Profile {
  problems: (ProblemInput & { description: string })[];
  /** 'nka': a clinician stated no known allergies; empty: never asked */
  allergies: AllergyInput[] | 'nka';
  history: HistoryInput[];
}

const yearsAgo = (n: number, month = 6) => `${new Date().getUTCFullYear() - n}-${String(month).padStart(2, '0')}-15`;
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** Marie Mbuyi (the portal patient) first, then the doctor's patients of the day. */
const PROFILES: Profile[] = [
  {
    problems: [
      {
        code: 'I10',
        description: 'Essential (primary) hypertension',
        onsetDate: yearsAgo(6, 3),
        note: 'On amlodipine 5 mg daily.',
      },
      {
        code: 'E11.9',
        description: 'Type 2 diabetes mellitus without complications',
        onsetDate: yearsAgo(3, 9),
        note: 'Metformin 500 mg twice daily; HbA1c 7.4 % last quarter.',
      },
      {
        code: 'B54',
        description: 'Unspecified malaria',
        status: 'resolved',
        onsetDate: daysAgo(80),
        resolutionDate: daysAgo(72),
      },
    ],
    allergies: [
      {
        substanceCode: 'penicillins',
        type: 'allergy',
        reaction: 'Hives and swollen lips within an hour of amoxicillin',
        manifestations: ['urticaria', 'angioedema'],
        severity: 'severe',
        criticality: 'high',
        verificationStatus: 'confirmed',
        onsetDate: yearsAgo(12),
      },
    ],
    history: [
      { kind: 'surgical', condition: 'Caesarean section', date: yearsAgo(11, 4) },
      { kind: 'family', relation: 'mother', condition: 'Hypertension, stroke at 68' },
      { kind: 'family', relation: 'father', condition: 'Type 2 diabetes' },
      { kind: 'social', tobacco: 'never', alcohol: 'occasional', unitsPerWeek: 2, occupation: 'Market trader' },
    ],
  },
  {
    problems: [{ code: 'J45.909', description: 'Unspecified asthma, uncomplicated', onsetDate: yearsAgo(20) }],
    allergies: [
      {
        substanceCode: 'nsaids',
        type: 'allergy',
        reaction: 'Wheeze after ibuprofen',
        manifestations: ['bronchospasm'],
        severity: 'severe',
        criticality: 'high',
        verificationStatus: 'confirmed',
      },
      {
        substanceCode: 'sulfonamides',
        type: 'allergy',
        reaction: 'Itchy rash on co-trimoxazole',
        manifestations: ['rash', 'pruritus'],
        severity: 'moderate',
        criticality: 'low',
        verificationStatus: 'unconfirmed',
      },
    ],
    history: [
      { kind: 'family', relation: 'mother', condition: 'Asthma' },
      { kind: 'social', tobacco: 'former', packYears: 5, alcohol: 'none', occupation: 'Taxi driver' },
    ],
  },
  {
    problems: [
      { code: 'D57.3', description: 'Sickle-cell trait', onsetDate: undefined },
      {
        code: 'B54',
        description: 'Unspecified malaria',
        status: 'resolved',
        onsetDate: daysAgo(60),
        resolutionDate: daysAgo(53),
      },
    ],
    allergies: 'nka',
    history: [
      { kind: 'surgical', condition: 'Appendicectomy', date: yearsAgo(9, 2) },
      { kind: 'social', tobacco: 'never', alcohol: 'none', occupation: 'Primary school teacher' },
    ],
  },
  {
    problems: [
      {
        code: 'B20',
        description: 'Human immunodeficiency virus [HIV] disease',
        onsetDate: yearsAgo(5),
        note: 'On TLD since diagnosis; viral load suppressed.',
      },
      { description: 'Chronic low back pain', onsetDate: yearsAgo(2) },
    ],
    allergies: [
      {
        substanceCode: 'peanut',
        type: 'allergy',
        reaction: 'Throat tightness and collapse at a wedding',
        manifestations: ['anaphylaxis'],
        severity: 'severe',
        criticality: 'high',
        verificationStatus: 'confirmed',
        note: 'Carries an adrenaline auto-injector.',
      },
    ],
    history: [
      { kind: 'medical', condition: 'Pulmonary tuberculosis, treated', date: yearsAgo(8) },
      { kind: 'social', tobacco: 'current', packYears: 12, alcohol: 'regular', unitsPerWeek: 14, occupation: 'Mechanic' },
    ],
  },
  {
    problems: [
      { code: 'I10', description: 'Essential (primary) hypertension', onsetDate: yearsAgo(10) },
      { code: 'N18.30', description: 'Chronic kidney disease, stage 3 unspecified', onsetDate: yearsAgo(2) },
    ],
    allergies: [
      {
        substanceCode: 'latex',
        type: 'allergy',
        reaction: 'Redness where gloves touched',
        manifestations: ['rash'],
        severity: 'mild',
        criticality: 'low',
        verificationStatus: 'unconfirmed',
      },
      {
        substanceCode: 'milk',
        type: 'intolerance',
        reaction: 'Bloating and diarrhoea',
        manifestations: ['diarrhoea'],
        severity: 'mild',
        criticality: 'low',
        verificationStatus: 'confirmed',
      },
    ],
    history: [
      { kind: 'family', relation: 'father', condition: 'Stroke' },
      { kind: 'social', tobacco: 'never', alcohol: 'occasional', unitsPerWeek: 4, occupation: 'Retired civil servant' },
    ],
  },
  {
    // allergies never asked about: the banner says "Allergies not recorded"
    problems: [{ code: 'K21.9', description: 'Gastro-esophageal reflux disease without esophagitis', onsetDate: yearsAgo(1) }],
    allergies: [],
    history: [],
  },
];

/**
 * Demo problem lists, allergies and histories at Kinshasa: Marie Mbuyi (the portal patient) and the
 * first patients on the demo doctor's list today, recorded by the demo doctor (now and then the nurse),
 * each item with its first revision. Idempotent: nothing is added once problems exist.
 */
export const seedHistory: SeedStep = async (tx, demo) => {
  const [{ n } = { n: 0 }] = (await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM problems`)).rows;
  if (n > 0) return;
  const doctor = demo.users['doctor@sanita.test'];
  const nurse = demo.users['nurse@sanita.test'] ?? doctor;
  const clinicId = demo.clinics.KIN.id;
  if (!doctor || !nurse || !clinicId) return;
  const { rows } = await tx.execute<{ id: string }>(sql`
    SELECT a.patient_id AS id FROM appointments a JOIN users u ON u.id = (SELECT user_id FROM practitioners WHERE id = a.practitioner_id)
     WHERE a.clinic_id = ${clinicId} AND u.email = 'doctor@sanita.test' AND a.starts_at >= date_trunc('day', now()) - interval '1 day'
     GROUP BY a.patient_id ORDER BY min(a.starts_at), a.patient_id LIMIT ${PROFILES.length}`);
  const ids = [demo.portalPatientId, ...rows.map((r) => r.id).filter((id) => id !== demo.portalPatientId)].filter(
    (id): id is string => !!id,
  );
  for (const [i, patientId] of ids.slice(0, PROFILES.length).entries()) {
    const profile = PROFILES[i]!;
    const by = (k: number) => ((i + k) % 3 === 2 ? nurse : doctor);
    for (const [k, p] of profile.problems.entries())
      await add(tx, 'problem', patientId, clinicId, by(k), {
        code: p.code ?? null,
        description: p.description,
        status: p.status ?? 'active',
        onsetDate: p.onsetDate ?? null,
        resolutionDate: p.resolutionDate ?? null,
        note: p.note ?? null,
      });
    if (profile.allergies === 'nka') await repo.stateNoKnownAllergies(tx, patientId, clinicId, doctor);
    else
      for (const [k, a] of profile.allergies.entries())
        await add(tx, 'allergy', patientId, clinicId, by(k), {
          substanceCode: a.substanceCode ?? null,
          substance: a.substance ?? (a.substanceCode ? SUBSTANCE_NAMES[a.substanceCode] : 'Unknown'),
          type: a.type ?? 'allergy',
          category: a.category ?? (a.substanceCode ? COMMON_SUBSTANCES[a.substanceCode] : 'other'),
          reaction: a.reaction ?? null,
          manifestations: a.manifestations ?? [],
          severity: a.severity ?? null,
          criticality: a.criticality ?? 'unable_to_assess',
          verificationStatus: a.verificationStatus ?? 'unconfirmed',
          status: a.status ?? 'active',
          onsetDate: a.onsetDate ?? null,
          note: a.note ?? null,
        });
    for (const [k, h] of profile.history.entries())
      await add(tx, 'history', patientId, clinicId, by(k + 1), {
        kind: h.kind,
        condition: h.condition ?? null,
        relation: h.relation ?? null,
        date: h.date ?? null,
        tobacco: h.tobacco ?? null,
        packYears: h.packYears ?? null,
        alcohol: h.alcohol ?? null,
        unitsPerWeek: h.unitsPerWeek ?? null,
        occupation: h.occupation ?? null,
        note: h.note ?? null,
      });
  }
};

async function add<E extends repo.Entity>(
  tx: Executor,
  entity: E,
  patientId: string,
  clinicId: string,
  userId: string,
  values: Partial<repo.RowOf[E]>,
): Promise<void> {
  const stored = await repo.insertItem(tx, entity, { ...values, patientId, clinicId, createdBy: userId, updatedBy: userId });
  const changes = Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => v !== null && !(Array.isArray(v) && !v.length))
      .map(([k, v]) => [k, { from: null, to: v }]),
  );
  await repo.insertRevision(tx, {
    entity,
    entityId: stored.id,
    version: 1,
    patientId,
    action: 'created',
    changedBy: userId,
    changes,
  });
}
