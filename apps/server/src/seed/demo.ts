import { sql } from 'drizzle-orm';
import { formatMrn } from '@sanita/clinical/mrn';
import type { Db } from '../platform/db/database.ts';
import type { Crypto } from '../platform/crypto.ts';
import { writeAudit, systemActor } from '../platform/audit/audit.ts';
import { ROLES } from '../platform/access.ts';
import { clinics, memberships, organisation, users } from '../db/schema/identity.ts';
import { patientClinics, patients } from '../db/schema/patients.ts';
import { normaliseName, phoneKey } from '../modules/patients/patients.normalize.ts';
import { seedScheduling } from './scheduling.ts';
import { seedAppointments } from './appointments.ts';
import { seedQueue } from './queue.ts';

export const GIVEN_F = [
  'Marie',
  'Grâce',
  'Esther',
  'Chantal',
  'Béatrice',
  'Josée',
  'Nadine',
  'Aline',
  'Sifa',
  'Neema',
  'Furaha',
  'Rebecca',
  'Élodie',
  'Mireille',
  'Solange',
  'Ruth',
  'Clarisse',
  'Dorcas',
  'Lydia',
  'Amani',
];
export const GIVEN_M = [
  'Jean',
  'Patrice',
  'Joseph',
  'Emmanuel',
  'Héritier',
  'Christian',
  'Didier',
  'Fiston',
  'Glody',
  'Trésor',
  'Cédric',
  'Blaise',
  'Olivier',
  'Patrick',
  'Dieudonné',
  'Arsène',
  'Junior',
  'Moïse',
  'Jérémie',
  'Benjamin',
];
export const FAMILY = [
  'Mbuyi',
  'Kabila',
  'Tshisekedi',
  'Lumumba',
  'Ilunga',
  'Kasongo',
  'Mukendi',
  'Ngoy',
  'Kalala',
  'Mwamba',
  'Banza',
  'Kabamba',
  'Tshibangu',
  'Mutombo',
  'Nsimba',
  'Lukusa',
  'Kanku',
  'Bahati',
  'Muhindo',
  'Kambale',
  'Kahindo',
  'Masika',
  'Mumbere',
  'Paluku',
  'Kavira',
  'Ngalula',
  'Mbombo',
  'Kapinga',
  'Ntumba',
  'Mpiana',
  'Bokele',
  'Efonge',
  'Lokeli',
  'Nzuzi',
  'Makiese',
  'Matondo',
  'Mavungu',
  'Diambu',
  'Landu',
  'Kiala',
];
const CITIES_KIN = ['Gombe', 'Lingwala', 'Kintambo', 'Ngaliema', 'Limete', 'Matete', 'Kalamu', 'Bandalungwa'];
const CITIES_GOMA = ['Himbi', 'Katindo', 'Mikeno', 'Murara', 'Ndosho', 'Keshero', 'Mabanga'];

/** A small deterministic PRNG (mulberry32) so that demo data and tests are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DISPLAY: Record<string, string> = {
  super_admin: 'Sarah Kalonji',
  admin: 'Alain Mputu',
  manager: 'Marthe Ilunga',
  doctor: 'Dr Amani Mukendi',
  nurse: 'Grâce Nsimba',
  receptionist: 'Ruth Kabamba',
  pharmacist: 'Paul Kasongo',
  lab_technician: 'Eric Tshibangu',
  optician: 'Nadia Lukusa',
  accountant: 'Joël Banza',
  cashier: 'Rose Mwamba',
  secretary: 'Irène Kanku',
  insurer: 'Victor Ngoy',
  patient: 'Marie Mbuyi',
};

export interface DemoResult {
  clinics: { id: string; code: string }[];
  users: Record<string, string>;
  patientUserPatientId: string;
}

/**
 * The demo organisation: two clinics (Kinshasa and Goma), one user per role at Kinshasa
 * (`<role>@sanita.test`; admins and managers at both sites), a doctor and a receptionist at Goma,
 * `patients` patients split between the sites, and a patient portal account.
 */
export async function seedDemo(
  db: Db,
  crypto: Crypto,
  passwordHash: string,
  opts: { patients: number; seed?: number },
): Promise<DemoResult> {
  const rand = prng(opts.seed ?? 20261123);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  return db.transaction(async (tx) => {
    await tx.insert(organisation).values({ id: 1, name: 'Sanita Demo Health Group' }).onConflictDoNothing();
    const cs = await tx
      .insert(clinics)
      .values([
        {
          // the first clinic created is where a multi-site user acts by default
          createdAt: new Date(Date.now() - 1000),
          code: 'KIN',
          name: 'Clinique Sanita Kinshasa',
          timezone: 'Africa/Kinshasa',
          currencies: ['USD', 'CDF'],
          address: '12 Boulevard du 30 Juin, Gombe, Kinshasa',
          latitude: -4.3052,
          longitude: 15.3139,
          mrnPrefix: 'KIN',
        },
        {
          code: 'GOM',
          name: 'Clinique Sanita Goma',
          timezone: 'Africa/Lubumbashi',
          currencies: ['USD', 'CDF'],
          address: '45 Avenue du Lac, Himbi, Goma',
          latitude: -1.6792,
          longitude: 29.2228,
          mrnPrefix: 'GOM',
        },
      ])
      .returning({ id: clinics.id, code: clinics.code });
    const kin = cs.find((c) => c.code === 'KIN')!.id;
    const gom = cs.find((c) => c.code === 'GOM')!.id;

    const n = opts.patients;
    const rows: (typeof patients.$inferInsert & { id: string })[] = [];
    for (let i = 0; i < n; i++) {
      const female = rand() < 0.52;
      const given = pick(female ? GIVEN_F : GIVEN_M);
      const family = pick(FAMILY);
      const middle = rand() < 0.4 ? pick(FAMILY) : null;
      const age = Math.floor(rand() * 85);
      const birth = new Date(Date.UTC(2026 - age, Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)))
        .toISOString()
        .slice(0, 10);
      const atGoma = i % 3 === 2;
      const phone = `+2438${Math.floor(rand() * 10)}${String(Math.floor(rand() * 1e7)).padStart(7, '0')}`;
      const id = globalThis.crypto.randomUUID();
      const nid = rand() < 0.5 ? `CD${String(Math.floor(rand() * 1e9)).padStart(9, '0')}` : null;
      rows.push({
        id,
        mrn: formatMrn(atGoma ? 'GOM' : 'KIN', i + 1),
        givenName: given,
        middleName: middle,
        familyName: family,
        searchName: normaliseName([given, middle, family].filter(Boolean).join(' ')),
        sex: female ? 'female' : 'male',
        birthDate: birth,
        phones: [phone],
        phoneKeys: [phoneKey(phone)],
        email: rand() < 0.3 ? `${normaliseName(given).replace(/ /g, '')}.${normaliseName(family)}${i}@example.cd` : null,
        address: {
          line: `${1 + Math.floor(rand() * 200)} Avenue ${pick(FAMILY)}`,
          city: atGoma ? pick(CITIES_GOMA) : pick(CITIES_KIN),
          country: 'CD',
        },
        preferredLanguage: pick(['fr', 'fr', 'ln', 'sw', 'en']),
        nationalIdEnc: nid ? crypto.encrypt(nid, `patient:${id}:national-id`) : null,
        nationalIdHash: nid ? crypto.blindIndex(nid, 'national-id') : null,
        emergencyContacts:
          rand() < 0.6
            ? [
                {
                  name: `${pick(rand() < 0.5 ? GIVEN_F : GIVEN_M)} ${family}`,
                  relationship: pick(['spouse', 'parent', 'sibling', 'child']),
                  phone: `+2439${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`,
                },
              ]
            : [],
        bloodType: rand() < 0.5 ? pick(['A+', 'A-', 'B+', 'B-', 'AB+', 'O+', 'O+', 'O-']) : null,
        primaryClinicId: atGoma ? gom : kin,
      });
    }
    // the demo patient with a portal account is the first Kinshasa patient: give them a known name
    if (rows[0]) {
      Object.assign(rows[0], {
        givenName: 'Marie',
        middleName: null,
        familyName: 'Mbuyi',
        searchName: 'marie mbuyi',
        sex: 'female',
        email: 'patient@sanita.test',
      });
    }
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await tx.insert(patients).values(chunk);
      await tx.insert(patientClinics).values(chunk.map((r) => ({ patientId: r.id, clinicId: r.primaryClinicId })));
    }
    await tx.execute(sql`SELECT setval('patient_mrn_seq', ${Math.max(n, 1)})`);

    const userIds: Record<string, string> = {};
    const add = async (email: string, name: string, roleClinics: [string, string][], patientId: string | null = null) => {
      const [u] = await tx
        .insert(users)
        .values({ email, displayName: name, passwordHash, locale: 'fr', emailVerifiedAt: new Date(), patientId })
        .returning({ id: users.id });
      await tx.insert(memberships).values(roleClinics.map(([clinicId, roleId]) => ({ userId: u!.id, clinicId, roleId })));
      userIds[email] = u!.id;
    };
    for (const role of ROLES) {
      if (role === 'patient') continue;
      const both = role === 'super_admin' || role === 'admin' || role === 'manager';
      await add(
        `${role}@sanita.test`,
        DISPLAY[role]!,
        both
          ? [
              [kin, role],
              [gom, role],
            ]
          : [[kin, role]],
      );
    }
    await add('doctor.goma@sanita.test', 'Dr Kahindo Paluku', [[gom, 'doctor']]);
    await add('receptionist.goma@sanita.test', 'Esther Masika', [[gom, 'receptionist']]);
    const patientId = rows[0]?.id ?? null;
    if (patientId) await add('patient@sanita.test', 'Marie Mbuyi', [[kin, 'patient']], patientId);
    await seedScheduling(tx, {
      clinics: { KIN: { id: kin, timezone: 'Africa/Kinshasa' }, GOM: { id: gom, timezone: 'Africa/Lubumbashi' } },
      users: userIds,
    });
    await seedAppointments(tx, { clinics: { KIN: kin, GOM: gom }, rand, portalPatientId: patientId });
    await seedQueue(tx, { clinicIds: [kin, gom], demoClinicId: kin });
    await writeAudit(tx, systemActor, {
      action: 'system.seed_demo',
      details: { patients: n, users: Object.keys(userIds).length },
    });
    return { clinics: cs, users: userIds, patientUserPatientId: patientId ?? '' };
  });
}
