import { DateTime } from 'luxon';
import { sql } from 'drizzle-orm';
import type { Executor } from '../platform/db/database.ts';
import {
  availabilityExceptions,
  availabilityTemplates,
  practitionerClinics,
  practitioners,
  practitionerSpecialties,
  specialties,
  visitTypes,
} from '../db/schema/scheduling.ts';

export const DEMO_SPECIALTIES = [
  { code: 'general-medicine', name: 'General medicine', nameFr: 'Médecine générale' },
  { code: 'paediatrics', name: 'Paediatrics', nameFr: 'Pédiatrie' },
  { code: 'obstetrics-gynaecology', name: 'Obstetrics and gynaecology', nameFr: 'Gynécologie-obstétrique' },
  { code: 'ophthalmology', name: 'Ophthalmology', nameFr: 'Ophtalmologie' },
  { code: 'cardiology', name: 'Cardiology', nameFr: 'Cardiologie' },
  { code: 'dentistry', name: 'Dentistry', nameFr: 'Dentisterie' },
  { code: 'internal-medicine', name: 'Internal medicine', nameFr: 'Médecine interne' },
  { code: 'surgery', name: 'Surgery', nameFr: 'Chirurgie' },
];

export const DEMO_VISIT_TYPES = [
  { code: 'consultation', name: 'Consultation', nameFr: 'Consultation', durationMinutes: 20, color: 'blue' },
  { code: 'new-patient', name: 'New patient', nameFr: 'Nouveau patient', durationMinutes: 30, color: 'teal' },
  { code: 'follow-up', name: 'Follow-up', nameFr: 'Suivi', durationMinutes: 15, color: 'green' },
  { code: 'procedure', name: 'Procedure', nameFr: 'Acte technique', durationMinutes: 45, color: 'orange' },
  { code: 'vaccination', name: 'Vaccination', nameFr: 'Vaccination', durationMinutes: 10, color: 'grape' },
];

type ClinicCode = 'KIN' | 'GOM';
interface DemoPractitioner {
  email?: string;
  displayName: string;
  licence: string;
  bio: string;
  languages: string[];
  fee: number;
  specialties: string[];
  clinics: ClinicCode[];
  buffer: number;
  /** visit-type codes the templates accept; empty = any */
  visitTypes?: string[];
  requiresConfirmation?: boolean;
  /** clinic → weekdays; default Mon–Sat at each clinic */
  days?: Partial<Record<ClinicCode, number[]>>;
}

const PRACTITIONERS: DemoPractitioner[] = [
  {
    email: 'doctor@sanita.test',
    displayName: 'Dr Amani Mukendi',
    licence: 'CNOM-KIN-04512',
    bio: 'General practitioner with ten years in Kinshasa; chronic disease follow-up and family medicine.',
    languages: ['fr', 'en', 'ln'],
    fee: 25,
    specialties: ['general-medicine', 'internal-medicine'],
    clinics: ['KIN'],
    buffer: 5,
  },
  {
    email: 'doctor.goma@sanita.test',
    displayName: 'Dr Kahindo Paluku',
    licence: 'CNOM-NK-01877',
    bio: 'General practitioner and paediatrician in Goma.',
    languages: ['fr', 'sw', 'en'],
    fee: 20,
    specialties: ['general-medicine', 'paediatrics'],
    clinics: ['GOM'],
    buffer: 0,
  },
  {
    email: 'optician@sanita.test',
    displayName: 'Nadia Lukusa',
    licence: 'OPT-KIN-00231',
    bio: 'Optometrist: eye tests, glasses and contact lenses.',
    languages: ['fr', 'ln'],
    fee: 15,
    specialties: ['ophthalmology'],
    clinics: ['KIN'],
    buffer: 0,
  },
  {
    email: 'nurse@sanita.test',
    displayName: 'Grâce Nsimba',
    licence: 'INF-KIN-10992',
    bio: 'Nurse: vaccinations, dressings and follow-up visits.',
    languages: ['fr', 'ln'],
    fee: 5,
    specialties: ['general-medicine'],
    clinics: ['KIN'],
    buffer: 0,
    visitTypes: ['vaccination', 'follow-up'],
  },
  {
    displayName: 'Dr Béatrice Ilunga',
    licence: 'CNOM-KIN-03340',
    bio: 'Obstetrician-gynaecologist: antenatal care, family planning, gynaecological consultations.',
    languages: ['fr', 'en', 'ln'],
    fee: 40,
    specialties: ['obstetrics-gynaecology'],
    clinics: ['KIN'],
    buffer: 5,
    requiresConfirmation: true,
  },
  {
    displayName: 'Dr Joseph Kabamba',
    licence: 'CNOM-KIN-02218',
    bio: 'Cardiologist: hypertension, heart failure, ECG and echocardiography. Consults in Goma on Saturdays.',
    languages: ['fr', 'en', 'sw'],
    fee: 50,
    specialties: ['cardiology', 'internal-medicine'],
    clinics: ['KIN', 'GOM'],
    buffer: 10,
    days: { KIN: [1, 2, 3, 4, 5], GOM: [6] },
  },
  {
    displayName: 'Dr Esther Kavira',
    licence: 'CNOD-NK-00412',
    bio: 'Dentist: check-ups, fillings, extractions.',
    languages: ['fr', 'sw'],
    fee: 30,
    specialties: ['dentistry'],
    clinics: ['GOM'],
    buffer: 5,
  },
  {
    displayName: 'Dr Patrice Ngoy',
    licence: 'CNOM-KIN-05105',
    bio: 'General surgeon: minor surgery, pre- and post-operative consultations.',
    languages: ['fr', 'en'],
    fee: 45,
    specialties: ['surgery'],
    clinics: ['KIN'],
    buffer: 5,
  },
];

/**
 * Scheduling demo data: specialties, visit types, practitioners (four of them the demo staff
 * users) with weekly hours, one leave and one clinic holiday a few weeks ahead. Idempotent:
 * reference data is upserted by code and practitioners are added only once.
 */
export async function seedScheduling(
  tx: Executor,
  opts: { clinics: Record<ClinicCode, { id: string; timezone: string }>; users: Record<string, string>; now?: Date },
): Promise<void> {
  await tx.insert(specialties).values(DEMO_SPECIALTIES).onConflictDoNothing({ target: specialties.code });
  await tx.insert(visitTypes).values(DEMO_VISIT_TYPES).onConflictDoNothing({ target: visitTypes.code });
  const [{ n } = { n: 0 }] = await tx.select({ n: sql<number>`count(*)::int` }).from(practitioners);
  if (n > 0) return;

  const specialtyIds = new Map(
    (await tx.select({ id: specialties.id, code: specialties.code }).from(specialties)).map((s) => [s.code, s.id]),
  );
  const visitTypeIds = new Map(
    (await tx.select({ id: visitTypes.id, code: visitTypes.code }).from(visitTypes)).map((v) => [v.code, v.id]),
  );
  const created = await tx
    .insert(practitioners)
    .values(
      PRACTITIONERS.map((p) => ({
        userId: p.email ? (opts.users[p.email] ?? null) : null,
        displayName: p.displayName,
        licenceNumber: p.licence,
        bio: p.bio,
        languages: p.languages,
        feeAmount: p.fee.toFixed(2),
        feeCurrency: 'USD',
        requiresConfirmation: p.requiresConfirmation ?? false,
      })),
    )
    .returning({ id: practitioners.id, displayName: practitioners.displayName });
  const idOf = new Map(created.map((c) => [c.displayName, c.id]));

  const links: (typeof practitionerSpecialties.$inferInsert)[] = [];
  const sites: (typeof practitionerClinics.$inferInsert)[] = [];
  const templates: (typeof availabilityTemplates.$inferInsert)[] = [];
  for (const p of PRACTITIONERS) {
    const practitionerId = idOf.get(p.displayName)!;
    for (const code of p.specialties) links.push({ practitionerId, specialtyId: specialtyIds.get(code)! });
    const allowed = (p.visitTypes ?? []).map((c) => visitTypeIds.get(c)!);
    for (const site of p.clinics) {
      const clinicId = opts.clinics[site].id;
      sites.push({ practitionerId, clinicId });
      for (const weekday of p.days?.[site] ?? [1, 2, 3, 4, 5, 6]) {
        const base = { practitionerId, clinicId, weekday, slotMinutes: 20, bufferMinutes: p.buffer, visitTypeIds: allowed };
        templates.push({ ...base, startTime: '08:00', endTime: '12:00' });
        if (weekday !== 6) templates.push({ ...base, startTime: '13:00', endTime: '17:00' });
      }
    }
  }
  await tx.insert(practitionerSpecialties).values(links);
  await tx.insert(practitionerClinics).values(sites);
  await tx.insert(availabilityTemplates).values(templates);

  // far enough ahead that "this week" in the demo (and in tests) is untouched
  const now = DateTime.fromJSDate(opts.now ?? new Date());
  const kin = opts.clinics.KIN.timezone;
  const gom = opts.clinics.GOM.timezone;
  const leaveStart = now.setZone(kin).startOf('day').plus({ days: 15 });
  const holiday = now.setZone(gom).startOf('day').plus({ days: 22 });
  await tx.insert(availabilityExceptions).values([
    {
      practitionerId: idOf.get('Dr Joseph Kabamba')!,
      clinicId: null,
      kind: 'leave',
      startsAt: leaveStart.toJSDate(),
      endsAt: leaveStart.plus({ days: 5 }).toJSDate(),
      reason: 'Cardiology congress',
    },
    {
      practitionerId: null,
      clinicId: opts.clinics.GOM.id,
      kind: 'holiday',
      startsAt: holiday.toJSDate(),
      endsAt: holiday.plus({ days: 1 }).toJSDate(),
      reason: 'Public holiday',
    },
  ]);
}
