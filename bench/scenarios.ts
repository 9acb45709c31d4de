import type { BenchPatient, BenchScheduling } from './dataset.ts';
import { FAMILY, GIVEN_F, GIVEN_M, pick, randomPerson, typo, type Rand } from './people.ts';

/**
 * The benchmark's scenarios. A later capability adds its own by appending an entry here: the
 * paced phase mixes every scenario by weight, the saturation phase drives each `read` one alone.
 */

export interface ScenarioContext {
  rand: Rand;
  /** active patients registered at Kinshasa, the clinic of the benchmark's users */
  kin: readonly BenchPatient[];
  scheduling: BenchScheduling;
}

export interface BenchRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
}

export interface Scenario {
  /** `<domain>.<action>[.<variant>]` */
  name: string;
  /** relative frequency in the paced mix */
  weight: number;
  /** read scenarios also get a closed-loop saturation run */
  kind: 'read' | 'write';
  /** non-2xx statuses that are a correct answer, not an error (a slot someone else just booked: 409) */
  expected?: number[];
  request(ctx: ScenarioContext): BenchRequest;
}

const anyPatient = (ctx: ScenarioContext): BenchPatient => pick(ctx.rand, ctx.kin);
const q = (text: string) => `/api/patients?q=${encodeURIComponent(text)}`;

/** What a receptionist types to find someone by name. */
function nameQuery(ctx: ScenarioContext): string {
  const { rand } = ctx;
  // mostly people who exist; sometimes a name that matches nobody exactly
  const p = rand() < 0.8 ? anyPatient(ctx) : { givenName: pick(rand, [...GIVEN_F, ...GIVEN_M]), familyName: pick(rand, FAMILY) };
  const r = rand();
  if (r < 0.3) return p.familyName; // "Kabamba"
  if (r < 0.6) return `${p.givenName} ${p.familyName}`; // "Grâce Kabamba"
  if (r < 0.7) return `${p.familyName} ${p.givenName}`.toLowerCase(); // "kabamba grâce"
  if (r < 0.8) return `${p.givenName} ${p.familyName}`.normalize('NFD').replace(/\p{M}+/gu, ''); // "Grace Kabamba"
  if (r < 0.9) return `${p.givenName} ${typo(rand, p.familyName)}`; // "Grâce Kabmaba"
  return p.familyName.slice(0, Math.max(4, Math.ceil(p.familyName.length * 0.7))); // "Kabam"
}

/** An MRN as printed on the card, or as typed (lower case, no dashes). */
function mrnQuery(ctx: ScenarioContext): string {
  const mrn = anyPatient(ctx).mrn;
  return ctx.rand() < 0.7 ? mrn : mrn.replace(/-/g, '').toLowerCase();
}

/** A phone number in the international or the local form. */
function phoneQuery(ctx: ScenarioContext): string {
  const phone = anyPatient(ctx).phone;
  const r = ctx.rand();
  if (r < 0.5) return `0${phone.slice(4)}`; // 0812345678
  if (r < 0.8) return phone; // +243812345678
  return `+243 ${phone.slice(4, 6)} ${phone.slice(6, 9)} ${phone.slice(9)}`; // +243 81 234 5678
}

const DAY_MS = 86_400_000;
/** Kinshasa is UTC+1 all year */
const KIN_OFFSET_MS = 3_600_000;
const localDate = (ms: number) => new Date(ms + KIN_OFFSET_MS).toISOString().slice(0, 10);

/** A start on the 20-minute grid of the bench templates, 61–400 days ahead (past the generated bookings), Monday–Friday. */
function futureSlot(ctx: ScenarioContext): string {
  const { rand } = ctx;
  for (;;) {
    const day = Math.floor((Date.now() + KIN_OFFSET_MS) / DAY_MS) + 61 + Math.floor(rand() * 340);
    const weekday = new Date(day * DAY_MS).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const slot = Math.floor(rand() * 24);
    const localMin = slot < 12 ? 8 * 60 + slot * 20 : 13 * 60 + (slot - 12) * 20;
    return new Date(day * DAY_MS + localMin * 60_000 - KIN_OFFSET_MS).toISOString();
  }
}

export const scenarios: Scenario[] = [
  {
    name: 'patient.register',
    weight: 10,
    kind: 'write',
    request: ({ rand }) => {
      const p = randomPerson(rand, false);
      return {
        method: 'POST',
        path: '/api/patients',
        body: {
          ...p,
          middleName: p.middleName ?? undefined,
          email: p.email ?? undefined,
          nationalId: p.nationalId ?? undefined,
          bloodType: p.bloodType ?? undefined,
          allowDuplicate: true,
        },
      };
    },
  },
  { name: 'patient.search.name', weight: 35, kind: 'read', request: (ctx) => ({ method: 'GET', path: q(nameQuery(ctx)) }) },
  { name: 'patient.search.mrn', weight: 15, kind: 'read', request: (ctx) => ({ method: 'GET', path: q(mrnQuery(ctx)) }) },
  { name: 'patient.search.phone', weight: 10, kind: 'read', request: (ctx) => ({ method: 'GET', path: q(phoneQuery(ctx)) }) },
  {
    name: 'patient.read',
    weight: 30,
    kind: 'read',
    request: (ctx) => ({ method: 'GET', path: `/api/patients/${anyPatient(ctx).id}` }),
  },
  {
    // the check the registration form runs before saving
    name: 'patient.duplicates',
    weight: 5,
    kind: 'read',
    request: (ctx) => {
      const { rand } = ctx;
      const p = rand() < 0.5 ? anyPatient(ctx) : randomPerson(rand, false);
      const phone = 'phone' in p ? p.phone : p.phones[0]!;
      const params = new URLSearchParams({ givenName: p.givenName, familyName: p.familyName, birthDate: p.birthDate, phone });
      return { method: 'GET', path: `/api/patients/duplicates?${params.toString()}` };
    },
  },
  {
    // a receptionist (or a patient in the portal) opens a practitioner's next two weeks
    name: 'scheduling.slots',
    weight: 10,
    kind: 'read',
    request: (ctx) => {
      const { scheduling: s } = ctx;
      const params = new URLSearchParams({
        clinicId: s.clinicId,
        visitTypeId: s.visitTypeId,
        from: localDate(Date.now()),
        to: localDate(Date.now() + 13 * DAY_MS),
      });
      return { method: 'GET', path: `/api/practitioners/${pick(ctx.rand, s.practitionerIds)}/slots?${params.toString()}` };
    },
  },
  {
    name: 'scheduling.book',
    weight: 5,
    kind: 'write',
    expected: [409],
    request: (ctx) => ({
      method: 'POST',
      path: '/api/appointments',
      body: {
        patientId: anyPatient(ctx).id,
        practitionerId: pick(ctx.rand, ctx.scheduling.practitionerIds),
        visitTypeId: ctx.scheduling.visitTypeId,
        startsAt: futureSlot(ctx),
        reason: 'Benchmark booking',
      },
    }),
  },
];

/** The scenarios `--scenario` selects (exact names or prefixes), with `--weights` applied. */
export function selectScenarios(filters: string[], weights: Record<string, number>): Scenario[] {
  for (const k of Object.keys(weights)) {
    if (!scenarios.some((s) => s.name === k)) throw new Error(`--weights: no scenario "${k}"`);
  }
  const chosen = scenarios
    .filter(
      (s) =>
        !filters.length ||
        filters.some((f) => s.name === f || s.name.startsWith(`${f}.`) || (f.endsWith('*') && s.name.startsWith(f.slice(0, -1)))),
    )
    .map((s) => ({ ...s, weight: weights[s.name] ?? s.weight }));
  if (!chosen.length && !filters.includes('hello'))
    throw new Error(`--scenario ${filters.join(',')} matches none of: ${scenarios.map((s) => s.name).join(', ')}`);
  return chosen;
}
