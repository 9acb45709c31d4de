import { sql } from 'drizzle-orm';
import type { ClaimStatus, PlanRules } from '@sanita/contracts/claims';
import { memberships, users } from '../../db/schema/identity.ts';
import type { Executor, Tx } from '../../platform/db/database.ts';
import { nextDocumentNumber } from '../../platform/document-numbers.ts';
import type { SeedContext, SeedStep } from '../../platform/module.ts';
import { money, moneyText, sum } from '../../platform/money.ts';
import * as repo from './claims.repository.ts';
import { payerShare } from './claims.rules.ts';
import { scoreFromDatabase } from './claims.service.ts';
import { appendClaimEvent } from './ledger.ts';

const DAY = 86_400_000;

const rules = (r: Partial<PlanRules>): PlanRules => ({
  coveredKinds: ['consultation', 'lab_test', 'medication', 'procedure'],
  excludedCodes: [],
  copay: '0.00',
  coinsurancePercent: '0',
  annualLimit: null,
  perClaimLimit: null,
  approvalThreshold: null,
  ...r,
});

/** The demo's payers, their plans and their insurer users (insurer@sanita.test reviews for SONAS). */
export const DEMO_PAYERS = [
  {
    code: 'SONAS',
    name: 'SONAS',
    email: 'sante@sonas.test',
    insurer: 'insurer@sanita.test',
    plans: [
      {
        code: 'SONAS-STD',
        name: 'SONAS Santé Standard',
        rules: rules({
          copay: '2.00',
          coinsurancePercent: '20',
          annualLimit: '2000.00',
          perClaimLimit: '500.00',
          approvalThreshold: '150.00',
        }),
      },
      {
        code: 'SONAS-PLUS',
        name: 'SONAS Santé Plus (optique)',
        rules: rules({
          coveredKinds: ['consultation', 'lab_test', 'medication', 'procedure', 'optical'],
          coinsurancePercent: '10',
          annualLimit: '5000.00',
          approvalThreshold: '300.00',
        }),
      },
    ],
  },
  {
    code: 'MSK',
    name: 'Mutuelle Santé Kin',
    email: 'contact@msk.test',
    insurer: 'insurer.msk@sanita.test',
    plans: [
      {
        code: 'MSK-BASE',
        name: 'Mutuelle de base',
        rules: rules({
          coveredKinds: ['consultation', 'lab_test', 'medication'],
          excludedCodes: ['LAB-VITD'],
          copay: '1.00',
          coinsurancePercent: '10',
          annualLimit: '1000.00',
          perClaimLimit: '300.00',
          approvalThreshold: '100.00',
        }),
      },
    ],
  },
  {
    code: 'JUBILEE',
    name: 'Jubilee Health',
    email: 'claims@jubilee.test',
    insurer: 'insurer.jubilee@sanita.test',
    plans: [
      {
        code: 'JUB-GOLD',
        name: 'Jubilee Gold',
        rules: rules({
          coveredKinds: ['consultation', 'lab_test', 'medication', 'procedure', 'optical', 'other'],
          annualLimit: '5000.00',
          approvalThreshold: '250.00',
        }),
      },
    ],
  },
] as const;

interface Item {
  kind: string;
  code: string;
  description: string;
  price: number;
  procedureCode?: string;
}
const ITEMS: Record<string, Item> = {
  cons: { kind: 'consultation', code: 'CONS-GEN', description: 'General consultation', price: 25, procedureCode: '99213' },
  malaria: { kind: 'lab_test', code: '70569-9', description: 'Malaria rapid diagnostic test', price: 8 },
  cbc: { kind: 'lab_test', code: '58410-2', description: 'Complete blood count', price: 12 },
  amox: { kind: 'medication', code: 'MED-AMOX500', description: 'Amoxicillin 500 mg capsule', price: 0.5 },
  para: { kind: 'medication', code: 'MED-PARA500', description: 'Paracetamol 500 mg tablet', price: 0.2 },
  hcg: { kind: 'lab_test', code: '2106-3', description: 'Pregnancy test (hCG, urine)', price: 6 },
  suture: {
    kind: 'procedure',
    code: 'PROC-LAC',
    description: 'Laceration repair, complex',
    price: 183.25,
    procedureCode: '13132',
  },
};
const COMMON_DX = [
  { code: 'J06.9', description: 'Acute upper respiratory infection, unspecified' },
  { code: 'B54', description: 'Unspecified malaria' },
  { code: 'R50.9', description: 'Fever, unspecified' },
  { code: 'K52.9', description: 'Noninfective gastroenteritis and colitis, unspecified' },
  { code: 'I10', description: 'Essential (primary) hypertension' },
];

/** The anomalies planted in the demo, by the claim number's note: the test checks the scorer finds each. */
export type Planted = 'amount_outlier' | 'duplicate_service' | 'patient_frequency' | 'diagnosis_mismatch' | 'under_threshold';

interface Ctx {
  tx: Executor;
  demo: SeedContext;
  clinicId: string;
  cashier: string;
  practitionerId: string | null;
  now: number;
}

/** An issued invoice of these lines on a day, and a claim of them to the patient's coverage, at `status`. */
async function claimOf(
  c: Ctx,
  patientId: string,
  coverage: repo.CoverageRow,
  day: Date,
  lines: { item: Item; qty: number; price?: number }[],
  status: ClaimStatus,
  diagnoses: { code: string; description: string }[],
  planted: Planted | null = null,
): Promise<string> {
  const tx = c.tx as Tx;
  const serviceDate = day.toISOString().slice(0, 10);
  const priced = lines.map((l) => {
    const unit = money(l.price ?? l.item.price);
    return { ...l, unit: moneyText(unit, 'USD'), total: moneyText(unit.times(l.qty), 'USD') };
  });
  const total = moneyText(sum(priced.map((l) => l.total)), 'USD');
  const invNumber = await nextDocumentNumber(tx, c.clinicId, 'INV', day);
  const [inv] = (
    await tx.execute<{ id: string }>(sql`INSERT INTO invoices (clinic_id, patient_id, number, status, currency, subtotal, total,
        patient_share, issued_at, issued_by, created_by, created_at)
      VALUES (${c.clinicId}, ${patientId}, ${invNumber}, 'issued', 'USD', ${total}, ${total}, ${total}, ${day.toISOString()}, ${c.cashier},
        ${c.cashier}, ${day.toISOString()}) RETURNING id`)
  ).rows;
  const invoiceId = inv!.id;
  const lineIds: string[] = [];
  for (const l of priced) {
    const [row] = (
      await tx.execute<{ id: string }>(sql`INSERT INTO invoice_lines (invoice_id, kind, code, description, source, service_date,
          practitioner_id, procedure_code, quantity, unit_price, amount, total, created_by, created_at)
        VALUES (${invoiceId}, ${l.item.kind}, ${l.item.code}, ${l.item.description}, 'manual', ${serviceDate}, ${c.practitionerId},
          ${l.item.procedureCode ?? null}, ${l.qty}, ${l.unit}, ${l.total}, ${l.total}, ${c.cashier}, ${day.toISOString()}) RETURNING id`)
    ).rows;
    lineIds.push(row!.id);
  }
  const share = payerShare(priced, coverage.rules, 'USD', null);
  const number = await nextDocumentNumber(tx, c.clinicId, 'CLM', day);
  const claimId = await repo.insertClaim(tx, {
    clinicId: c.clinicId,
    number,
    patientId,
    coverageId: coverage.id,
    payerId: coverage.payerId,
    planId: coverage.planId,
    invoiceId,
    encounterId: null,
    practitionerId: c.practitionerId,
    diagnoses,
    currency: 'USD',
    claimed: share.claimed,
    serviceDate,
    resubmissionOf: null,
    createdBy: c.cashier,
  });
  await tx.execute(sql`UPDATE claims SET created_at = ${day.toISOString()} WHERE id = ${claimId}`);
  await repo.insertClaimLines(
    tx,
    claimId,
    priced.map((l, i) => ({
      invoiceLineId: lineIds[i]!,
      serviceDate,
      kind: l.item.kind,
      code: l.item.code,
      procedureCode: l.item.procedureCode ?? null,
      description: l.item.description,
      quantity: String(l.qty),
      claimed: share.lines[i]!,
    })),
  );
  await repo.setInvoiceInsurerShare(tx, invoiceId, share.claimed);
  await appendClaimEvent(tx, {
    claimId,
    type: 'created',
    actorId: c.cashier,
    payload: { number, invoiceId, claimed: share.claimed, seeded: true },
  });
  pending.push({ claimId, status, planted });
  return claimId;
}

let pending: { claimId: string; status: ClaimStatus; planted: Planted | null }[] = [];

/** Moves a seeded draft on to its status through the events a real claim goes through. */
async function advance(c: Ctx, claimId: string, status: ClaimStatus, insurer: string) {
  const tx = c.tx as Tx;
  if (status === 'draft') return;
  const claim = (await repo.getClaim(tx, claimId))!;
  const result = await scoreFromDatabase(tx, claim);
  const submittedAt = new Date(Date.parse(claim.createdAt.toISOString()) + 3600_000);
  await tx.execute(sql`UPDATE claims SET status = 'submitted', submitted_at = ${submittedAt.toISOString()}, anomaly_score = ${result.score},
      anomaly_reasons = ${JSON.stringify(result.reasons)}::jsonb, version = version + 1 WHERE id = ${claimId}`);
  await appendClaimEvent(tx, {
    claimId,
    type: 'submitted',
    actorId: c.cashier,
    payload: { score: result.score, reasons: result.reasons.map((r) => r.code) },
  });
  if (status === 'submitted') return;
  await tx.execute(sql`UPDATE claims SET status = 'in_review', version = version + 1 WHERE id = ${claimId}`);
  await appendClaimEvent(tx, { claimId, type: 'in_review', actorId: insurer, payload: {} });
  if (status === 'in_review') return;
  const decision = status === 'paid' ? 'approved' : status;
  const lines = await repo.claimLines(tx, claimId);
  const approvedLines = lines.map((l, i) =>
    decision === 'denied'
      ? '0.00'
      : decision === 'partially_approved' && i === 0
        ? moneyText(money(l.claimed).times(0.5), 'USD')
        : l.claimed,
  );
  if (decision === 'partially_approved' && lines.length === 1 && approvedLines[0] === lines[0]!.claimed)
    approvedLines[0] = '0.00';
  for (const [i, l] of lines.entries())
    await repo.setLineDecision(
      tx,
      l.id,
      approvedLines[i]!,
      approvedLines[i] === l.claimed ? null : 'Not supported by the medical record',
    );
  const approved = moneyText(sum(approvedLines), 'USD');
  await tx.execute(sql`UPDATE claims SET status = ${decision}, approved = ${approved},
      decided_at = submitted_at + interval '2 days', version = version + 1 WHERE id = ${claimId}`);
  if (decision !== 'approved')
    await repo.insertNote(
      tx,
      claimId,
      insurer,
      decision === 'denied'
        ? 'Service not covered for this diagnosis.'
        : 'Half of the consultation fee is above the agreed tariff.',
      true,
    );
  await appendClaimEvent(tx, { claimId, type: 'decision', actorId: insurer, payload: { decision, approved } });
  if (status !== 'paid') return;
  await tx.execute(sql`UPDATE claims SET status = 'paid', paid = approved, payment_reference = ${'VIR-' + claim.number.slice(-6)},
      version = version + 1 WHERE id = ${claimId}`);
  await appendClaimEvent(tx, { claimId, type: 'paid', actorId: c.cashier, payload: { amount: approved } });
}

/**
 * Payers (SONAS, Mutuelle Santé Kin, Jubilee Health) and their plans, an insurer user per payer
 * (insurer@sanita.test for SONAS), coverages for about 40 % of the Kinshasa patients (the portal
 * patient among them), and claims over the last 90 days in every status, each with its own issued
 * invoice, plus a FIXED set of planted anomalies the scorer finds (claims.test.ts checks it): an
 * outlier consultation fee, the same malaria test claimed twice on one day, a patient with nine
 * claims in a month, a pregnancy test for a male patient whose consultation that day was already claimed
 * (two reasons: it scores High), and a claim just under SONAS's approval threshold. Idempotent.
 */
export const seedClaims: SeedStep = async (tx, demo) => {
  const [{ n } = { n: 0 }] = (await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM payers`)).rows;
  if (n > 0) return;
  const kin = demo.clinics.KIN.id;
  const cashier = demo.users['cashier@sanita.test'] ?? demo.users['admin@sanita.test'];
  if (!kin || !cashier) return;
  pending = [];

  // payers, plans, insurers
  const plans: repo.PlanRow[] = [];
  const insurerOf = new Map<string, string>();
  for (const p of DEMO_PAYERS) {
    const payerId = await repo.insertPayer(tx, { code: p.code, name: p.name, email: p.email, phone: null });
    for (const pl of p.plans)
      plans.push(
        (await repo.getPlan(
          tx,
          await repo.insertPlan(tx, { payerId, code: pl.code, name: pl.name, currency: 'USD', rules: pl.rules }),
        ))!,
      );
    let userId = demo.users[p.insurer];
    if (!userId) {
      const [u] = await tx
        .insert(users)
        .values({
          email: p.insurer,
          displayName: `${p.name} reviewer`,
          passwordHash: demo.passwordHash,
          locale: 'fr',
          emailVerifiedAt: new Date(),
        })
        .returning({ id: users.id });
      userId = u!.id;
      await tx.insert(memberships).values({ userId, clinicId: kin, roleId: 'insurer' });
      demo.users[p.insurer] = userId;
    }
    await repo.setMember(tx, userId, payerId);
    insurerOf.set(payerId, userId);
  }

  // coverages: about 40 % of Kinshasa's patients, the portal patient first (SONAS Standard)
  const patients = (
    await tx.execute<{
      id: string;
      sex: string;
      name: string;
    }>(sql`SELECT p.id, p.sex, concat_ws(' ', p.given_name, p.family_name) AS name
      FROM patients p WHERE p.primary_clinic_id = ${kin} AND p.status = 'active' ORDER BY p.mrn`)
  ).rows;
  if (!patients.length) return;
  const covered = patients.filter((p) => p.id === demo.portalPatientId || demo.rand() < 0.4);
  const now = Date.now();
  const validFrom = new Date(now - 400 * DAY).toISOString().slice(0, 10);
  const coverageOf = new Map<string, repo.CoverageRow>();
  for (const [i, p] of covered.entries()) {
    const plan = p.id === demo.portalPatientId ? plans[0]! : (plans[i % 3 === 0 ? 0 : i % 3 === 1 ? 2 : 3] ?? plans[0]!);
    const id = await repo.insertCoverage(tx, {
      patientId: p.id,
      planId: plan.id,
      payerId: plan.payerId,
      memberId: `${plan.code.split('-')[0]}-${String(100000 + i * 37).slice(-6)}`,
      subscriberName: i % 4 === 3 ? null : p.name,
      relationship: i % 4 === 3 ? 'child' : 'self',
      validFrom,
      validTo: null,
      priority: 1,
      createdBy: cashier,
    });
    coverageOf.set(p.id, (await repo.getCoverage(tx, id))!);
  }

  const [pr] = (
    await tx.execute<{ id: string }>(sql`SELECT pr.id FROM practitioners pr JOIN users u ON u.id = pr.user_id
      WHERE u.email = 'doctor@sanita.test' LIMIT 1`)
  ).rows;
  const c: Ctx = { tx, demo, clinicId: kin, cashier, practitionerId: pr?.id ?? null, now };
  const statuses: ClaimStatus[] = [
    'paid',
    'paid',
    'approved',
    'approved',
    'partially_approved',
    'denied',
    'in_review',
    'submitted',
    'submitted',
    'draft',
  ];
  const jitter = (price: number) => Math.round(price * (0.92 + demo.rand() * 0.16) * 100) / 100;
  const day = (daysAgo: number) => new Date(now - daysAgo * DAY);
  const ordinary = covered.filter((p) => p.id !== demo.portalPatientId);

  // ordinary claims: 1–3 per covered patient over the last 90 days
  let k = 0;
  for (const p of covered) {
    const cov = coverageOf.get(p.id)!;
    const count = 1 + Math.floor(demo.rand() * 3);
    for (let j = 0; j < count; j++) {
      const lines: { item: Item; qty: number; price?: number }[] = [{ item: ITEMS.cons!, qty: 1, price: jitter(25) }];
      if (demo.rand() < 0.5) lines.push({ item: ITEMS.malaria!, qty: 1, price: jitter(8) });
      if (demo.rand() < 0.4) lines.push({ item: ITEMS.cbc!, qty: 1, price: jitter(12) });
      if (demo.rand() < 0.5) lines.push({ item: ITEMS.amox!, qty: 21 });
      else lines.push({ item: ITEMS.para!, qty: 10 });
      const dx = [COMMON_DX[Math.floor(demo.rand() * COMMON_DX.length)]!];
      await claimOf(c, p.id, cov, day(5 + Math.floor(demo.rand() * 85)), lines, statuses[k++ % statuses.length]!, dx);
    }
  }

  // the planted anomalies, on fixed patients (the first covered ones after the portal patient)
  if (ordinary.length >= 4) {
    const [a, b, f, ...rest] = ordinary;
    const male = rest.find((p) => p.sex === 'male') ?? ordinary.find((p) => p.sex === 'male');
    const sonas = plans[0]!;
    const sonasPatient = covered.find((p) => coverageOf.get(p.id)!.planId === sonas.id && p !== a && p !== b && p !== f) ?? a!;
    // the planted claims go to SONAS, whose reviewer is insurer@sanita.test: a second coverage when the patient has another payer
    for (const p of [a!, b!, f!, ...(male ? [male] : [])]) {
      if (coverageOf.get(p.id)!.planId === sonas.id) continue;
      const id = await repo.insertCoverage(tx, {
        patientId: p.id,
        planId: sonas.id,
        payerId: sonas.payerId,
        memberId: `SONAS-9${String(coverageOf.size).padStart(5, '0')}-${p.id.slice(0, 4)}`,
        subscriberName: p.name,
        relationship: 'self',
        validFrom,
        validTo: null,
        priority: 2,
        createdBy: cashier,
      });
      coverageOf.set(p.id, (await repo.getCoverage(tx, id))!);
    }
    // an outlier consultation fee: 180 where peers charge about 25
    await claimOf(
      c,
      a!.id,
      coverageOf.get(a!.id)!,
      day(3),
      [{ item: ITEMS.cons!, qty: 1, price: 180 }],
      'submitted',
      [COMMON_DX[0]!],
      'amount_outlier',
    );
    // the same malaria test on the same day, claimed on two invoices
    await claimOf(c, b!.id, coverageOf.get(b!.id)!, day(4), [{ item: ITEMS.malaria!, qty: 1, price: 8 }], 'approved', [
      COMMON_DX[1]!,
    ]);
    await claimOf(
      c,
      b!.id,
      coverageOf.get(b!.id)!,
      day(4),
      [{ item: ITEMS.malaria!, qty: 1, price: 8 }],
      'submitted',
      [COMMON_DX[1]!],
      'duplicate_service',
    );
    // a patient with twelve claims in a month
    for (let i = 0; i < 11; i++)
      await claimOf(
        c,
        f!.id,
        coverageOf.get(f!.id)!,
        day(29 - Math.round(i * 2.4)),
        [{ item: ITEMS.cons!, qty: 1, price: jitter(25) }],
        'approved',
        [COMMON_DX[2]!],
      );
    await claimOf(
      c,
      f!.id,
      coverageOf.get(f!.id)!,
      day(1),
      [{ item: ITEMS.cons!, qty: 1, price: 25 }],
      'in_review',
      [COMMON_DX[2]!],
      'patient_frequency',
    );
    // a pregnancy test for a male patient, with a consultation claimed already that day on another invoice:
    // a mismatch and a duplicate together (0.35 + 0.45), the demo's claim that scores High
    if (male) {
      await claimOf(c, male.id, coverageOf.get(male.id)!, day(2), [{ item: ITEMS.cons!, qty: 1, price: 25 }], 'approved', [
        COMMON_DX[3]!,
      ]);
      await claimOf(
        c,
        male.id,
        coverageOf.get(male.id)!,
        day(2),
        [
          { item: ITEMS.cons!, qty: 1, price: 25 },
          { item: ITEMS.hcg!, qty: 1 },
        ],
        'submitted',
        [COMMON_DX[3]!],
        'diagnosis_mismatch',
      );
    }
    // 183.25 billed under SONAS Standard: (183.25 − 2) × 80 % = 145.00, just under the 150.00 threshold
    const sc = coverageOf.get(sonasPatient.id)!;
    if (sc.planId === sonas.id)
      await claimOf(
        c,
        sonasPatient.id,
        sc,
        day(2),
        [{ item: ITEMS.suture!, qty: 1 }],
        'submitted',
        [{ code: 'S01.81XA', description: 'Laceration without foreign body of other part of head, initial encounter' }],
        'under_threshold',
      );
  }

  // submitted and later claims are scored in the order they were made, as they would have been
  repo.clearP95Cache();
  for (const p of pending) {
    const claim = (await repo.getClaim(tx, p.claimId))!;
    await advance(c, p.claimId, p.status, insurerOf.get(claim.payerId)!);
  }
  repo.clearP95Cache();
  pending = [];
};
