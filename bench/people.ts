import { FAMILY, GIVEN_F, GIVEN_M } from '../apps/server/src/seed/demo.ts';

/** Realistic-looking patient data for the dataset and for registrations during the load. */

export type Rand = () => number;

export const pick = <T>(rand: Rand, a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;

const COMMUNES_KIN = ['Gombe', 'Lingwala', 'Kintambo', 'Ngaliema', 'Limete', 'Matete', 'Kalamu', 'Bandalungwa', 'Masina'];
const QUARTIERS_GOMA = ['Himbi', 'Katindo', 'Mikeno', 'Murara', 'Ndosho', 'Keshero', 'Mabanga', 'Katoyi'];
const MOBILE_PREFIXES = ['81', '82', '83', '84', '85', '89', '90', '97', '98', '99'];
const BLOOD = ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O+', 'O+', 'O-'] as const;
const RELATIONSHIPS = ['spouse', 'parent', 'sibling', 'child', 'friend'];
const LANGUAGES = ['fr', 'fr', 'fr', 'ln', 'sw', 'en', 'lu'];

export interface Person {
  givenName: string;
  middleName: string | null;
  familyName: string;
  sex: 'female' | 'male';
  birthDate: string;
  phones: string[];
  email: string | null;
  address: { line: string; city: string; country: string };
  preferredLanguage: string;
  nationalId: string | null;
  emergencyContacts: { name: string; relationship: string; phone: string }[];
  bloodType: (typeof BLOOD)[number] | null;
}

export function mobile(rand: Rand): string {
  return `+243${pick(rand, MOBILE_PREFIXES)}${String(Math.floor(rand() * 1e7)).padStart(7, '0')}`;
}

/** A young population, as in the DRC: about 40% children, few over 60. */
function birthDate(rand: Rand, today: Date): string {
  const r = rand();
  const age = r < 0.4 ? rand() * 15 : r < 0.85 ? 15 + rand() * 35 : 50 + rand() * 40;
  const d = new Date(today.getTime() - Math.floor(age * 365.25 * 86_400_000) - 86_400_000);
  return d.toISOString().slice(0, 10);
}

function ascii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

export function randomPerson(rand: Rand, atGoma: boolean, today = new Date()): Person {
  const female = rand() < 0.52;
  const givenName = pick(rand, female ? GIVEN_F : GIVEN_M);
  const familyName = pick(rand, FAMILY);
  const middleName = rand() < 0.4 ? pick(rand, FAMILY) : null;
  const phones = rand() < 0.85 ? [mobile(rand)] : [mobile(rand), mobile(rand)];
  return {
    givenName,
    middleName,
    familyName,
    sex: female ? 'female' : 'male',
    birthDate: birthDate(rand, today),
    phones,
    email: rand() < 0.25 ? `${ascii(givenName)}.${ascii(familyName)}${Math.floor(rand() * 1e4)}@example.cd` : null,
    address: {
      line: `${1 + Math.floor(rand() * 250)} Avenue ${pick(rand, FAMILY)}`,
      city: atGoma ? pick(rand, QUARTIERS_GOMA) : pick(rand, COMMUNES_KIN),
      country: 'CD',
    },
    preferredLanguage: pick(rand, LANGUAGES),
    nationalId: rand() < 0.5 ? `CD${String(Math.floor(rand() * 1e9)).padStart(9, '0')}` : null,
    emergencyContacts:
      rand() < 0.6
        ? [
            {
              name: `${pick(rand, rand() < 0.5 ? GIVEN_F : GIVEN_M)} ${familyName}`,
              relationship: pick(rand, RELATIONSHIPS),
              phone: mobile(rand),
            },
          ]
        : [],
    bloodType: rand() < 0.5 ? pick(rand, BLOOD) : null,
  };
}

/** A typing mistake: a substituted, dropped, doubled or swapped letter. */
export function typo(rand: Rand, word: string): string {
  if (word.length < 4) return word;
  const i = 1 + Math.floor(rand() * (word.length - 2));
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  switch (Math.floor(rand() * 4)) {
    case 0:
      return word.slice(0, i) + pick(rand, letters.split('')) + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + word.slice(i + 1);
    case 2:
      return word.slice(0, i) + word[i] + word.slice(i);
    default:
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  }
}

export { FAMILY, GIVEN_F, GIVEN_M };
