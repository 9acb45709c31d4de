import { sql } from 'drizzle-orm';
import { immunizationRevisions, immunizations } from '../../db/schema/immunizations.ts';
import type { SeedStep } from '../../platform/module.ts';

type Source = 'administered' | 'reported';
interface Dose {
  cvx: string;
  /** days after birth (childhood schedule), or days before today (negative) */
  day: number;
  dose?: number;
  source: Source;
  site?: (typeof immunizations.$inferInsert)['site'];
  route?: (typeof immunizations.$inferInsert)['route'];
  lot?: string;
}

/** The Expanded Programme on Immunization (PEV) of the DR Congo, as a health card reports it. */
const CHILDHOOD: Dose[] = [
  { cvx: '19', day: 0, source: 'reported', site: 'left_upper_arm', route: 'intradermal' },
  { cvx: '02', day: 0, dose: 1, source: 'reported', site: 'mouth', route: 'oral' },
  { cvx: '102', day: 42, dose: 1, source: 'reported', site: 'left_thigh', route: 'intramuscular' },
  { cvx: '102', day: 70, dose: 2, source: 'reported', site: 'left_thigh', route: 'intramuscular' },
  { cvx: '102', day: 98, dose: 3, source: 'reported', site: 'left_thigh', route: 'intramuscular' },
  { cvx: '05', day: 270, dose: 1, source: 'reported', site: 'left_upper_arm', route: 'subcutaneous' },
  { cvx: '37', day: 270, source: 'reported', site: 'right_upper_arm', route: 'subcutaneous' },
];
/** What an adult was given at the clinic lately (days before today). */
const ADULT: Dose[] = [
  { cvx: '09', day: -400, dose: 1, source: 'administered', site: 'left_deltoid', route: 'intramuscular', lot: 'TD2409K' },
  { cvx: '43', day: -60, dose: 1, source: 'administered', site: 'right_deltoid', route: 'intramuscular', lot: 'HB25A113' },
  { cvx: '43', day: -30, dose: 2, source: 'administered', site: 'right_deltoid', route: 'intramuscular', lot: 'HB25A113' },
];

const PEV = 'PEV — Programme élargi de vaccination';
const DAY = 86_400_000;

/**
 * Demo immunizations at Kinshasa: Marie Mbuyi (the portal patient) has her childhood vaccines as her
 * health card reports them and her recent adult ones given by the demo nurse (a Td, hepatitis B
 * doses 1 and 2: dose 3 is due), and a few other Kinshasa patients their childhood vaccines.
 * Idempotent: nothing is added once immunizations exist.
 */
export const seedImmunizations: SeedStep = async (tx, demo) => {
  const [{ n } = { n: 0 }] = (await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM immunizations`)).rows;
  if (n > 0) return;
  const nurse = demo.users['nurse@sanita.test'];
  const clinicId = demo.clinics.KIN.id;
  if (!nurse || !clinicId) return;
  const { rows } = await tx.execute<{ id: string; birth_date: string }>(sql`
    SELECT id, birth_date::text FROM patients
    WHERE primary_clinic_id = ${clinicId} AND status = 'active'
    ORDER BY id = ${demo.portalPatientId ?? null}::uuid DESC NULLS LAST, mrn
    LIMIT 6`);
  const today = new Date(new Date().toISOString().slice(0, 10)).getTime();
  const values: (typeof immunizations.$inferInsert)[] = [];
  for (const [i, patient] of rows.entries()) {
    const born = Date.parse(`${patient.birth_date}T00:00:00Z`);
    const doses = i === 0 ? [...CHILDHOOD, ...ADULT] : CHILDHOOD;
    for (const d of doses) {
      const at = d.day >= 0 ? born + d.day * DAY : today + d.day * DAY;
      if (at > today || at < born) continue;
      values.push({
        patientId: patient.id,
        clinicId,
        cvxCode: d.cvx,
        occurredOn: new Date(at).toISOString().slice(0, 10),
        lotNumber: d.lot ?? null,
        site: d.site ?? null,
        route: d.route ?? null,
        doseNumber: d.dose ?? null,
        source: d.source,
        performerId: d.source === 'administered' ? nurse : null,
        performerName: d.source === 'reported' ? PEV : null,
        createdBy: nurse,
        updatedBy: nurse,
      });
    }
  }
  if (!values.length) return;
  const stored = await tx.insert(immunizations).values(values).returning({ id: immunizations.id });
  await tx
    .insert(immunizationRevisions)
    .values(
      stored.map((s) => ({ immunizationId: s.id, version: 1, action: 'recorded' as const, changes: {}, changedBy: nurse })),
    );
};
