import { sql } from 'drizzle-orm';
import { checkMedications, type MedicationInput } from '@sanita/clinical/medications';
import { checkDose } from '@sanita/clinical/medications/dosing';
import { PRESCRIPTION_VALID_DAYS, type DoseUnit, type Frequency } from '@sanita/contracts/medications';
import {
  prescriptionItems,
  prescriptions,
  refillRequests,
  reportedMedications,
  type StoredOverride,
} from '../../db/schema/medications.ts';
import type { Executor } from '../../platform/db/database.ts';
import type { SeedStep } from '../../platform/module.ts';
import { itemIdsByCode, itemsByIds } from './formulary.repository.ts';
import { issuerOf, patientForPrescription } from './prescriptions.repository.ts';
import { newVerificationCode } from '../../platform/verification.ts';

interface SeedItem {
  code: string;
  amount: number;
  unit: DoseUnit;
  frequency: Frequency;
  days: number;
  quantity: number;
  quantityUnit: string;
  instructions?: { en: string; fr: string };
}
interface Regimen {
  items: SeedItem[];
  /** the prescriber's reason for going ahead despite a blocking interaction */
  override?: string;
}

const daily = (times: number): Frequency => ({ kind: 'times_per_day', times, asNeeded: false });
const AT_NIGHT: Frequency = { kind: 'at_night', asNeeded: false };

/** What the demo doctors prescribe at Kinshasa: common first-line treatments. */
const REGIMENS: Regimen[] = [
  {
    items: [
      {
        code: 'who-eml:artemether-20mg-lumefantrine-120mg-tablet',
        amount: 4,
        unit: 'tablet',
        frequency: daily(2),
        days: 3,
        quantity: 24,
        quantityUnit: 'tablet',
        instructions: { en: 'Take with food or milk.', fr: 'Prendre avec un repas ou du lait.' },
      },
      {
        code: 'who-eml:paracetamol-500mg-tablet',
        amount: 2,
        unit: 'tablet',
        frequency: { kind: 'every_hours', hours: 6, asNeeded: true, maxPerDay: 4 },
        days: 3,
        quantity: 24,
        quantityUnit: 'tablet',
      },
    ],
  },
  {
    items: [
      {
        code: 'who-eml:amoxicillin-tablet-500mg',
        amount: 1,
        unit: 'tablet',
        frequency: daily(3),
        days: 7,
        quantity: 21,
        quantityUnit: 'tablet',
        instructions: {
          en: 'Finish the course even if you feel better.',
          fr: 'Terminez le traitement même si vous allez mieux.',
        },
      },
    ],
  },
  {
    items: [
      {
        code: 'who-eml:ciprofloxacin-250mg-tablet',
        amount: 2,
        unit: 'tablet',
        frequency: daily(2),
        days: 5,
        quantity: 20,
        quantityUnit: 'tablet',
      },
    ],
  },
  {
    items: [
      {
        code: 'who-eml:ferrous-salt-60mg-folic-acid-400ug-tablet',
        amount: 1,
        unit: 'tablet',
        frequency: daily(1),
        days: 30,
        quantity: 30,
        quantityUnit: 'tablet',
      },
    ],
  },
  {
    items: [
      {
        code: 'who-eml:amlodipine-5mg-tablet',
        amount: 1,
        unit: 'tablet',
        frequency: AT_NIGHT,
        days: 30,
        quantity: 30,
        quantityUnit: 'tablet',
      },
      {
        code: 'who-eml:hydrochlorothiazide-25mg-tablet',
        amount: 1,
        unit: 'tablet',
        frequency: daily(1),
        days: 30,
        quantity: 30,
        quantityUnit: 'tablet',
        instructions: { en: 'In the morning.', fr: 'Le matin.' },
      },
    ],
  },
];
/** Prescriptions the pharmacist will see with an overridden interaction. */
const WITH_OVERRIDES: Regimen[] = [
  {
    items: [
      {
        code: 'who-eml:warfarin-5mg-tablet',
        amount: 1,
        unit: 'tablet',
        frequency: AT_NIGHT,
        days: 30,
        quantity: 30,
        quantityUnit: 'tablet',
      },
      {
        code: 'who-eml:metronidazole-500mg-tablet',
        amount: 1,
        unit: 'tablet',
        frequency: daily(3),
        days: 7,
        quantity: 21,
        quantityUnit: 'tablet',
      },
    ],
    override: 'No alternative for this infection; INR checked on day 3 and warfarin reviewed',
  },
  {
    items: [
      {
        code: 'who-eml:simvastatin-20mg-tablet',
        amount: 1,
        unit: 'tablet',
        frequency: AT_NIGHT,
        days: 30,
        quantity: 30,
        quantityUnit: 'tablet',
      },
      {
        code: 'who-eml:clarithromycin-500mg-tablet',
        amount: 1,
        unit: 'tablet',
        frequency: daily(2),
        days: 7,
        quantity: 14,
        quantityUnit: 'tablet',
      },
    ],
    override: 'Patient told to stop simvastatin during the 7-day course; restart after',
  },
];

const DAY = 86_400_000;
/** Prescriptions of earlier consultations, at most (a large demo stays quick to seed). */
const OLDER_AT_MOST = 40;

/**
 * Demo prescriptions at Kinshasa: every consultation finished today gets a signed prescription (one in
 * three with an interaction the doctor overrode, with a reason), so that the demo pharmacist's worklist
 * has work waiting; some consultations of the last weeks a prescription still active (older ones
 * expired); Marie Mbuyi (the portal patient) her reported medications and an active prescription with
 * a refill request waiting. The checks run as they would when signing; a regimen that would raise
 * another blocking alert (an allergy) is not prescribed to that patient. Idempotent.
 */
export const seedMedications: SeedStep = async (tx, demo) => {
  const [{ n } = { n: 0 }] = (await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM prescriptions`)).rows;
  if (n > 0) return;
  const kin = demo.clinics.KIN.id;
  const doctor = demo.users['doctor@sanita.test'];
  if (!kin || !doctor) return;
  const codes = await itemIdsByCode(
    tx,
    [...REGIMENS, ...WITH_OVERRIDES].flatMap((r) => r.items.map((i) => i.code)).concat(METFORMIN, AMLODIPINE),
  );
  const formulary = await itemsByIds(tx, [...codes.values()]);
  const rand = demo.rand;

  const { rows: encounters } = await tx.execute<{
    id: string;
    patient_id: string;
    started_by: string;
    ended_at: Date | string;
    today: boolean;
  }>(sql`
    SELECT e.id, e.patient_id, e.started_by, e.ended_at,
           (e.ended_at AT TIME ZONE c.timezone)::date = (now() AT TIME ZONE c.timezone)::date AS today
      FROM encounters e JOIN clinics c ON c.id = e.clinic_id
     WHERE e.clinic_id = ${kin} AND e.status = 'finished' AND e.ended_at > now() - interval '90 days'
     ORDER BY e.ended_at, e.id`);

  let older = 0;
  let waiting = 0;
  for (const [i, e] of encounters.entries()) {
    const endedAt = new Date(e.ended_at);
    const age = (Date.now() - endedAt.getTime()) / DAY;
    // today's all; of the last weeks some (dispensed, or expired after 30 days)
    if (!e.today && (older >= OLDER_AT_MOST || rand() > 0.35)) continue;
    if (!e.today) older += 1;
    const wantOverride = e.today && i % 3 === 0;
    const pool = wantOverride ? WITH_OVERRIDES : REGIMENS;
    const start = Math.floor(rand() * pool.length);
    for (let k = 0; k < pool.length; k++) {
      const regimen = pool[(start + k) % pool.length]!;
      const done = await prescribe(tx, {
        patientId: e.patient_id,
        clinicId: kin,
        encounterId: e.id,
        prescriberId: e.started_by,
        signedAt: endedAt,
        // dispensed long ago, but for a few of the last days still waiting at the pharmacy
        status: age > PRESCRIPTION_VALID_DAYS ? 'expired' : e.today || (age < 4 && waiting++ < 3) ? 'active' : 'completed',
        regimen,
        formulary,
        codes,
      });
      if (done) break;
    }
  }

  // Marie Mbuyi: what she reports taking, and her diabetes treatment with a refill asked for
  const marie = demo.portalPatientId;
  if (!marie) return;
  const nurse = demo.users['nurse@sanita.test'] ?? doctor;
  const amlodipine = codes.get(AMLODIPINE);
  await tx.insert(reportedMedications).values([
    {
      patientId: marie,
      clinicId: kin,
      formularyItemId: amlodipine ?? null,
      name: 'Amlodipine 5 mg',
      ingredients: ['amlodipine'],
      doseText: '1 comprimé le soir',
      route: 'oral',
      since: isoDay(Date.now() - 400 * DAY),
      note: 'Prescrit au Centre de santé de Lingwala',
      recordedBy: nurse,
    },
    {
      patientId: marie,
      clinicId: kin,
      name: 'Vitamine C 500 mg',
      ingredients: [],
      doseText: '1 comprimé par jour',
      route: 'oral',
      since: isoDay(Date.now() - 90 * DAY),
      stoppedOn: isoDay(Date.now() - 20 * DAY),
      stopReason: 'Cure terminée',
      stoppedBy: nurse,
      recordedBy: nurse,
    },
  ]);
  const signedAt = new Date(Date.now() - 24 * DAY);
  const metformin = await prescribe(tx, {
    patientId: marie,
    clinicId: kin,
    encounterId: null,
    prescriberId: doctor,
    signedAt,
    status: 'active',
    regimen: {
      items: [
        {
          code: METFORMIN,
          amount: 1,
          unit: 'tablet',
          frequency: daily(2),
          days: 30,
          quantity: 60,
          quantityUnit: 'tablet',
          instructions: { en: 'With breakfast and dinner.', fr: 'Au petit-déjeuner et au dîner.' },
        },
      ],
    },
    formulary,
    codes,
  });
  const portalUser = demo.users['patient@sanita.test'];
  if (metformin && portalUser)
    await tx.insert(refillRequests).values({
      prescriptionId: metformin.id,
      patientId: marie,
      clinicId: kin,
      note: 'Il me reste des comprimés pour une semaine.',
      requestedBy: portalUser,
      requestedAt: new Date(Date.now() - 2 * 3_600_000),
    });
};

const METFORMIN = 'who-eml:metformin-500mg-tablet';
const AMLODIPINE = 'who-eml:amlodipine-5mg-tablet';
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * One signed prescription of a regimen, checked as signing would check it (the patient's allergies
 * and age): blocking interactions get the regimen's override; any other blocking alert, or a missing
 * formulary item, and nothing is written (undefined).
 */
async function prescribe(
  tx: Executor,
  p: {
    patientId: string;
    clinicId: string;
    encounterId: string | null;
    prescriberId: string;
    signedAt: Date;
    status: 'active' | 'expired' | 'completed';
    regimen: Regimen;
    formulary: Awaited<ReturnType<typeof itemsByIds>>;
    codes: Map<string, string>;
  },
): Promise<{ id: string; overrides: number } | undefined> {
  const items = p.regimen.items.map((i) => ({ ...i, item: p.formulary.get(p.codes.get(i.code) ?? '') }));
  if (items.some((i) => !i.item)) return undefined;
  const patient = await patientForPrescription(tx, p.patientId, p.clinicId);
  if (!patient) return undefined;
  const language = patient.language === 'en' ? 'en' : 'fr';
  const { rows: allergies } = await tx.execute<{
    substanceCode: string | null;
    substance: string | null;
    type: 'allergy' | 'intolerance' | null;
    criticality: 'low' | 'high' | 'unable_to_assess' | null;
    severity: 'mild' | 'moderate' | 'severe' | null;
    status: string | null;
    verificationStatus: string | null;
  }>(sql`SELECT substance_code AS "substanceCode", substance, type, criticality, severity, status,
                verification_status AS "verificationStatus" FROM allergies WHERE patient_id = ${p.patientId}`);
  const inputs: MedicationInput[] = items.map((i) => ({
    name: i.item!.name,
    ingredients: i.item!.ingredients,
    route: i.item!.route,
    ...checkDose({ amount: i.amount, unit: i.unit }, i.frequency, i.item!.strength),
  }));
  const born = Date.parse(`${patient.birthDate}T00:00:00Z`);
  const result = checkMedications({
    items: inputs,
    allergies,
    patient: { ageYears: Math.floor((p.signedAt.getTime() - born) / (365.25 * DAY)) },
  });
  const blocking = result.alerts.filter((a) => a.blocking);
  if (blocking.some((a) => a.code !== 'interaction') || (blocking.length && !p.regimen.override)) return undefined;
  const prescriber = await issuerOf(tx, p.prescriberId, p.clinicId, language);
  const at = p.signedAt.toISOString();
  const overridesOf = (index: number): StoredOverride[] =>
    blocking
      .filter((a) => a.item === index)
      .map((a) => ({
        key: a.key,
        reason: p.regimen.override!,
        severity: a.severity,
        code: a.code,
        title: a.title,
        drugs: [...a.drugs],
        by: { id: p.prescriberId, name: prescriber.prescriber.name },
        at,
      }));
  const [row] = await tx
    .insert(prescriptions)
    .values({
      patientId: p.patientId,
      clinicId: p.clinicId,
      encounterId: p.encounterId,
      prescriberId: p.prescriberId,
      status: p.status,
      language,
      snapshot: {
        ...prescriber,
        patient: {
          name: patient.name,
          birthDate: patient.birthDate,
          sex: patient.sex,
          mrn: patient.mrn,
          weightKg: patient.weightKg === null ? null : Number(patient.weightKg),
        },
      },
      createdAt: new Date(p.signedAt.getTime() - 5 * 60_000),
      updatedAt: p.signedAt,
      signedAt: p.signedAt,
      expiresAt: new Date(p.signedAt.getTime() + PRESCRIPTION_VALID_DAYS * DAY),
      verificationCode: newVerificationCode(),
      version: p.status === 'active' ? 2 : 3,
      completedAt: p.status === 'completed' ? new Date(p.signedAt.getTime() + 40 * 60_000) : null,
    })
    .returning({ id: prescriptions.id });
  await tx.insert(prescriptionItems).values(
    items.map((i, position) => ({
      prescriptionId: row!.id,
      position,
      formularyItemId: i.item!.id,
      name: i.item!.name,
      ingredients: i.item!.ingredients,
      route: i.item!.route,
      doseAmount: String(i.amount),
      doseUnit: i.unit,
      frequency: i.frequency,
      durationDays: i.days,
      quantity: String(i.quantity),
      quantityUnit: i.quantityUnit,
      instructions: i.instructions?.[language] ?? null,
      overrides: overridesOf(position),
    })),
  );
  return { id: row!.id, overrides: blocking.length };
}
