import type { Db } from '../platform/db/database.ts';
import type { Crypto } from '../platform/crypto.ts';
import type { SeedContext } from '../platform/module.ts';
import { writeAudit, systemActor } from '../platform/audit/audit.ts';
import { modules } from '../modules/index.ts';

export { FAMILY, GIVEN_F, GIVEN_M } from './patients.ts';

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

export interface DemoResult {
  clinics: { id: string; code: string }[];
  users: Record<string, string>;
  patientUserPatientId: string;
}

/**
 * The demo organisation, in one transaction: each module's seed step in manifest order (clinics
 * Kinshasa and Goma, `patients` patients split between the sites, one user per role and a patient
 * portal account, then the modules' own data: practitioners and their diaries, service points…).
 */
export async function seedDemo(
  db: Db,
  crypto: Crypto,
  passwordHash: string,
  opts: { patients: number; seed?: number },
): Promise<DemoResult> {
  const demo: SeedContext = {
    rand: prng(opts.seed ?? 20261123),
    crypto,
    passwordHash,
    opts: { patients: opts.patients },
    clinics: { KIN: { id: '', timezone: '' }, GOM: { id: '', timezone: '' } },
    users: {},
    portalPatientId: null,
  };
  return db.transaction(async (tx) => {
    for (const m of modules) await m.seed?.(tx, demo);
    await writeAudit(tx, systemActor, {
      action: 'system.seed_demo',
      details: { patients: opts.patients, users: Object.keys(demo.users).length },
    });
    return {
      clinics: Object.entries(demo.clinics).map(([code, c]) => ({ id: c.id, code })),
      users: demo.users,
      patientUserPatientId: demo.portalPatientId ?? '',
    };
  });
}
