import { sql } from 'drizzle-orm';
import { ageInDays, codedFlag, isCritical, numericFlag, selectRange } from '@sanita/clinical/lab/ranges';
import type { LabOrderStatus, LabPriority } from '@sanita/contracts/lab';
import { memberships, users } from '../../db/schema/identity.ts';
import type { Executor } from '../../platform/db/database.ts';
import type { SeedStep } from '../../platform/module.ts';
import { newVerificationCode } from '../../platform/verification.ts';
import * as repo from './lab.repository.ts';
import { convert } from './lab.units.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

type Stage = 'ordered' | 'collected' | 'received' | 'entered' | 'released';

interface Planned {
  codes: string[];
  stage: Stage;
  priority?: LabPriority;
  /** values by test code (in the test's unit), else the middle of the patient's range */
  values?: Record<string, number | string>;
  /** who entered the results (the second technician, for one to verify) */
  enteredBy?: 'second';
}

/**
 * Today's lab work at Kinshasa, whatever the hour the demo starts at: orders from the latest
 * consultations waiting at each step of the worklist (to collect, to receive, to enter, one entered
 * by a second technician for the demo technician to verify, one to release), the demo doctor's
 * released results with one critical potassium alert open, and Marie Mbuyi's history (HbA1c and
 * creatinine over a year) released to the portal. Tests are the shipped catalogue's (loaded before
 * the seed); a code it lacks is skipped. Idempotent.
 */
export const seedLab: SeedStep = async (tx, demo) => {
  const [{ n } = { n: 0 }] = (await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM lab_orders`)).rows;
  if (n > 0) return;
  const kin = demo.clinics.KIN.id;
  const doctor = demo.users['doctor@sanita.test'];
  const tech = demo.users['lab_technician@sanita.test'];
  if (!kin || !doctor || !tech) return;
  const tests = await repo.testsByCodes(tx, ['K', 'CREAT', 'HBA1C', 'CBC', 'BMP', 'LIPID', 'MAL-RDT', 'HIV', 'GLU', 'UA']);
  if (!tests.size) return;

  // a second technician, who entered the result the demo technician verifies
  let second = demo.users['lab_technician2@sanita.test'];
  if (!second) {
    const [u] = await tx
      .insert(users)
      .values({
        email: 'lab_technician2@sanita.test',
        displayName: 'Chantal Mbala',
        passwordHash: demo.passwordHash,
        locale: 'fr',
        emailVerifiedAt: new Date(),
      })
      .returning({ id: users.id });
    await tx.insert(memberships).values({ userId: u!.id, clinicId: kin, roleId: 'lab_technician' });
    second = u!.id;
    demo.users['lab_technician2@sanita.test'] = second;
  }

  // the latest consultations at Kinshasa (today's when there are), newest first
  const { rows: encounters } = await tx.execute<{ id: string; patientId: string; startedBy: string }>(sql`
    SELECT e.id, e.patient_id AS "patientId", e.started_by AS "startedBy"
      FROM encounters e JOIN patients p ON p.id = e.patient_id
     WHERE e.clinic_id = ${kin} AND e.status IN ('finished', 'in_progress') AND p.status = 'active'
       AND p.id <> ${demo.portalPatientId ?? sql`'00000000-0000-0000-0000-000000000000'::uuid`}
     ORDER BY e.started_at DESC, e.id LIMIT 12`);

  const plan: Planned[] = [
    { codes: ['MAL-RDT', 'CBC'], stage: 'ordered', priority: 'stat' },
    { codes: ['BMP'], stage: 'ordered' },
    { codes: ['LIPID'], stage: 'collected' },
    { codes: ['GLU'], stage: 'collected', priority: 'urgent' },
    { codes: ['CBC'], stage: 'received' },
    { codes: ['HIV'], stage: 'entered', enteredBy: 'second', values: { HIV: 'NONREACTIVE' } },
    { codes: ['MAL-RDT'], stage: 'entered', values: { 'MAL-RDT': 'POSITIVE' } },
    { codes: ['CREAT', 'GLU'], stage: 'released' },
    { codes: ['BMP'], stage: 'released', values: { K: 6.8 } },
  ];
  const now = Date.now();
  for (const [i, p] of plan.entries()) {
    const e = encounters[i % Math.max(1, encounters.length)];
    if (!e) break;
    // written over the last hours: the oldest first in the worklist
    const orderedAt = new Date(now - (plan.length - i) * 25 * MINUTE);
    await order(tx, {
      clinicId: kin,
      patientId: e.patientId,
      encounterId: e.id,
      orderedBy: doctor,
      orderedAt,
      tests,
      plan: p,
      tech: p.enteredBy === 'second' ? second : tech,
      releaser: tech,
    });
  }

  // Marie Mbuyi: HbA1c and creatinine over a year, released (the portal shows them)
  const marie = demo.portalPatientId;
  if (!marie) return;
  const hba1c = [8.4, 7.9, 7.4, 7.1, 6.8];
  const creat = [78, 81, 85, 88, 92];
  for (const [k, daysAgo] of [360, 270, 180, 90, 14].entries()) {
    await order(tx, {
      clinicId: kin,
      patientId: marie,
      encounterId: null,
      orderedBy: doctor,
      orderedAt: new Date(now - daysAgo * DAY),
      tests,
      plan: { codes: ['HBA1C', 'CREAT'], stage: 'released', values: { HBA1C: hba1c[k]!, CREAT: creat[k]! } },
      tech,
      releaser: tech,
      units: { CREAT: 'umol/L', HBA1C: '%' },
    });
  }
};

/** One order at its stage, with its specimens, results, and the alert of a released critical value. */
async function order(
  tx: Executor,
  v: {
    clinicId: string;
    patientId: string;
    encounterId: string | null;
    orderedBy: string;
    orderedAt: Date;
    tests: Map<string, repo.TestRow>;
    plan: Planned;
    tech: string;
    releaser: string;
    /** the units the plan's values are in, when not the test's */
    units?: Record<string, string>;
  },
): Promise<void> {
  const ordered = v.plan.codes.map((c) => v.tests.get(c)).filter((t): t is repo.TestRow => !!t);
  if (!ordered.length) return;
  const patient = (await repo.patientAt(tx, v.patientId, v.clinicId))!;
  const priority = v.plan.priority ?? 'routine';
  const hours = priority === 'stat' ? 1 : priority === 'urgent' ? 4 : Math.max(...ordered.map((t) => t.turnaroundHours));
  const id = await repo.insertOrder(tx, {
    number: await repo.nextOrderNumber(tx, v.clinicId),
    clinicId: v.clinicId,
    patientId: v.patientId,
    encounterId: v.encounterId,
    orderedBy: v.orderedBy,
    orderedAt: v.orderedAt,
    priority,
    clinicalNotes: null,
    dueAt: new Date(v.orderedAt.getTime() + hours * 3_600_000),
    verificationCode: newVerificationCode(),
  });
  const members = await repo.membersOf(
    tx,
    ordered.filter((t) => t.kind === 'panel').map((t) => t.id),
  );
  const itemIds: string[] = [];
  for (const [n, t] of ordered.entries()) itemIds.push(await repo.insertItem(tx, id, t.id, n));
  const stage = v.plan.stage;
  if (stage === 'ordered') return;

  const collectedAt = new Date(v.orderedAt.getTime() + 10 * MINUTE);
  const byType = new Map<string, string>();
  for (const [n, t] of ordered.entries()) {
    let specimen = byType.get(t.specimenType);
    if (!specimen) {
      specimen = await repo.insertSpecimen(tx, {
        orderId: id,
        accessionNumber: await repo.nextAccessionNumber(tx),
        specimenType: t.specimenType,
        collectedAt,
        collectedBy: v.tech,
      });
      byType.set(t.specimenType, specimen);
    }
    await repo.setItemSpecimen(tx, itemIds[n]!, specimen);
  }
  if (stage === 'collected') return void (await repo.setOrderStatus(tx, id, 'collected'));
  await repo.receiveSpecimens(tx, id, v.tech, new Date(collectedAt.getTime() + 15 * MINUTE));
  if (stage === 'received') return void (await repo.setOrderStatus(tx, id, 'received'));

  const released = stage === 'released';
  const critical: string[] = [];
  const age = ageInDays(patient.birthDate, collectedAt);
  for (const [n, t] of ordered.entries()) {
    for (const m of t.kind === 'panel' ? (members.get(t.id) ?? []) : [t]) {
      const range = selectRange(m.ranges, patient.sex, age);
      const given = v.plan.values?.[m.code];
      let value: {
        valueNumeric: number | null;
        valueCode: string | null;
        valueText: string | null;
        flag: ReturnType<typeof numericFlag>;
      };
      if (m.resultType === 'numeric') {
        let x = typeof given === 'number' ? given : middle(range);
        const from = v.units?.[m.code];
        if (typeof given === 'number' && from && m.unit && from !== m.unit) x = convert(x, from, m.unit, m) ?? x;
        x = Number(x.toFixed(m.decimals));
        value = { valueNumeric: x, valueCode: null, valueText: null, flag: numericFlag(x, range) };
      } else if (m.resultType === 'coded') {
        const code =
          (typeof given === 'string' && m.answers.find((a) => a.code.toUpperCase() === given.toUpperCase())?.code) ||
          range?.normalCodes?.[0] ||
          m.answers[0]?.code ||
          'normal';
        value = { valueNumeric: null, valueCode: code, valueText: null, flag: codedFlag(code, range) };
      } else value = { valueNumeric: null, valueCode: null, valueText: typeof given === 'string' ? given : 'Normal', flag: null };
      const resultId = await repo.upsertResult(tx, {
        ...value,
        unit: m.resultType === 'numeric' ? m.unit : null,
        range,
        critical: isCritical(value.flag),
        comment: null,
        observedAt: collectedAt.toISOString(),
        orderId: id,
        orderItemId: itemIds[n]!,
        testId: m.id,
        patientId: v.patientId,
        clinicId: v.clinicId,
        status: released ? 'released' : 'entered',
        source: 'manual',
        sourceMessageId: null,
        userId: v.tech,
        released: false,
      });
      if (released) {
        if (m.requiresVerification) await repo.verifyResults(tx, [resultId], v.releaser);
        else await repo.releaseResults(tx, [resultId], v.releaser);
      }
      if (released && isCritical(value.flag)) critical.push(resultId);
    }
  }
  const releasedAt = new Date(collectedAt.getTime() + 90 * MINUTE);
  const at = new Date(Math.min(releasedAt.getTime(), Date.now() - 2 * MINUTE)).toISOString();
  await tx.execute(sql`UPDATE lab_results SET entered_at = ${at}, released_at = CASE WHEN released_at IS NULL THEN NULL ELSE ${at}::timestamptz END,
                         verified_at = CASE WHEN verified_at IS NULL THEN NULL ELSE ${at}::timestamptz END WHERE order_id = ${id}`);
  for (const resultId of critical)
    await tx.execute(sql`INSERT INTO lab_critical_alerts (result_id, order_id, patient_id, clinic_id, ordered_by, raised_at)
                         VALUES (${resultId}, ${id}, ${v.patientId}, ${v.clinicId}, ${v.orderedBy}, ${at})`);
  const status: LabOrderStatus = released ? 'completed' : 'in_progress';
  await repo.setOrderStatus(tx, id, status);
}

/** The middle of a range (a normal value), else 1. */
function middle(range: ReturnType<typeof selectRange>): number {
  if (!range) return 1;
  if (range.low !== null && range.high !== null) return (range.low + range.high) / 2;
  if (range.high !== null) return range.high * 0.7;
  if (range.low !== null) return range.low * 1.3;
  return 1;
}
