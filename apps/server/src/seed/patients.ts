import { sql } from 'drizzle-orm';
import { formatMrn } from '@sanita/clinical/mrn';
import type { SeedStep } from '../platform/module.ts';
import { patientClinics, patients } from '../db/schema/patients.ts';
import { normaliseName, phoneKey } from '../modules/patients/patients.normalize.ts';

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

const RELATIONSHIP_WORDS = {
  en: { spouse: 'Spouse', parent: 'Parent', sibling: 'Sibling', child: 'Child' },
  fr: { spouse: 'Conjoint(e)', parent: 'Parent', sibling: 'Frère ou sœur', child: 'Enfant' },
} as const;

/**
 * `opts.patients` demo patients, two thirds at Kinshasa and one third at Goma; the first Kinshasa
 * patient (Marie Mbuyi) gets the portal account.
 */
export const seedPatients: SeedStep = async (tx, demo) => {
  const { rand, crypto } = demo;
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  const kin = demo.clinics.KIN.id;
  const gom = demo.clinics.GOM.id;
  const n = demo.opts.patients;
  const rows: (typeof patients.$inferInsert & { id: string })[] = [];
  for (let i = 0; i < n; i++) {
    const female = rand() < 0.52;
    const given = pick(female ? GIVEN_F : GIVEN_M);
    const family = pick(FAMILY);
    const middle = rand() < 0.4 ? pick(FAMILY) : null;
    const age = Math.floor(rand() * 85);
    const birth = new Date(Date.UTC(2026 - age, Math.floor(rand() * 12), 1 + Math.floor(rand() * 28))).toISOString().slice(0, 10);
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
                relationship: pick(['spouse', 'parent', 'sibling', 'child'] as const),
                phone: `+2439${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`,
              },
            ]
          : [],
      bloodType: rand() < 0.5 ? pick(['A+', 'A-', 'B+', 'B-', 'AB+', 'O+', 'O+', 'O-']) : null,
      primaryClinicId: atGoma ? gom : kin,
    });
  }
  // a contact's relationship as the front desk writes it: in English for an English speaker, otherwise in French
  for (const r of rows) {
    const words = RELATIONSHIP_WORDS[r.preferredLanguage === 'en' ? 'en' : 'fr'];
    r.emergencyContacts = (r.emergencyContacts as { relationship: keyof typeof words }[]).map((c) => ({
      ...c,
      relationship: words[c.relationship],
    }));
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

  demo.portalPatientId = rows[0]?.id ?? null;
};
