import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestContext, type Session, type TestContext } from '../../../test/helpers.ts';
import { operations, type JsonSchema, type Operation } from '../../../test/operations.ts';
import { signedPrescription, stockedLot as formularyLot } from '../../modules/pharmacy/pharmacy.fixtures.ts';
import { encounter as labEncounter, labTests, type LabFixtureTests } from '../../modules/lab/lab.fixtures.ts';
import {
  claimAt,
  coverage as claimsCoverage,
  documentOf as claimsDocument,
  plan as claimsPlan,
} from '../../modules/claims/claims.fixtures.ts';

/**
 * Every date, date-time, integer and number a route reads (body, query string, path), found in the
 * OpenAPI document the app builds from the registered routes, is sent edge values: year 0, year
 * 10000, 2^31, 2^53+1, 1e308 and -1. Each answer is a 4xx naming the field, never a 5xx. A new
 * route is fuzzed as soon as it is registered: its request is built from its schema, with the ids
 * of real rows from BASELINES below, so that the edge value reaches the service and the database
 * rather than stopping at a missing field (the first test checks each of these requests succeeds).
 *
 * The second half: text that is only spaces is refused where text is required, and stored as
 * absent (null) where it is optional.
 */

/** A leaf the fuzzer varies: where it is, what its schema says. */
interface Field {
  part: 'body' | 'querystring' | 'params';
  /** dotted path inside the part; array items are `.0` */
  path: string[];
  kind: 'date' | 'date-time' | 'number';
}
/** A request that a route accepts, built before each case (rows it needs may be created on the way). */
interface Request {
  body?: Record<string, unknown>;
  query?: Record<string, unknown>;
  params?: Record<string, string>;
}

let ctx: TestContext;
let admin: Session;
let patient: Session;
let ops: Operation[];
const anyUuid = '00000000-0000-4000-8000-000000000000';
const ids = {} as Record<'ngoy' | 'consultation' | 'practitioner' | 'visitType' | 'portalPractitioner', string>;

const EDGE: Record<Field['kind'], string[]> = {
  // raw JSON text: 2^53+1 cannot be written as a JavaScript number
  date: ['"0000-01-01"', '"10000-01-01"'],
  'date-time': ['"0000-01-01T00:00:00Z"', '"10000-01-01T00:00:00Z"'],
  number: ['2147483648', '9007199254740993', '1e308', '-1'],
};
/**
 * Edge values a field may legitimately accept: `route field value`. Such a case must still never
 * answer 5xx, and a 4xx must name the field. Empty: every field of the API refuses them all.
 */
const ACCEPTS: string[] = [
  // a refraction of -1 dioptre is a real one (myopia)
  ...['right', 'left'].flatMap((eye) =>
    ['sphere', 'cylinder'].map((k) => `PUT /api/encounters/{id}/note sections.eyes.${eye}.${k} -1`),
  ),
  // an adjustment of a lot's count is signed: −1 takes one unit off
  'POST /api/inventory/lots/{id}/adjust quantity -1',
  // a reference range's limits may be negative (a base excess); a critical low of -1 is below the normal low
  ...['POST /api/lab/tests', 'PATCH /api/lab/tests/{testId}'].flatMap((k) =>
    ['low', 'criticalLow'].map((f) => `${k} ranges.0.${f} -1`),
  ),
  // a result may be negative (a base excess); the potassium of the baseline is then flagged critical
  'POST /api/lab/orders/{orderId}/results results.0.valueNumeric -1',
];

// ------------------------------------------------------------------ request builders

/** Free slots of Dr Ngoy at KIN from next week, handed out one by one (every other one, so bookings never touch). */
let slotCache: string[] = [];
let slotWindow = 0;
async function freeSlot(): Promise<string> {
  while (!slotCache.length) {
    if (slotWindow > 6) throw new Error('no free slot left for the fuzzer');
    // from next week: the portal books at most 60 days ahead
    const day = (n: number) => new Date(Date.now() + (8 + 7 * slotWindow + n) * 86_400_000).toISOString().slice(0, 10);
    const [from, to] = [day(0), day(6)];
    slotWindow += 1;
    const res = await admin.req(
      'GET',
      `/api/practitioners/${ids.ngoy}/slots?clinicId=${ctx.ids.kin}&visitTypeId=${ids.consultation}&from=${from}&to=${to}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    // not within an hour of what the two patients already have (seeded visits with other doctors)
    const { rows } = await ctx.sql.query<{ t: Date }>(
      `SELECT starts_at AS t FROM appointments WHERE patient_id = ANY($1) AND status NOT IN ('cancelled', 'no_show')`,
      [[ctx.ids.kinPatient, ctx.ids.ownPatient]],
    );
    const busy = rows.map((r) => r.t.getTime());
    slotCache = res
      .json<{ data: { startsAt: string }[] }>()
      .data.map((s) => s.startsAt)
      .filter((_s, i) => i % 2 === 0)
      .filter((s) => busy.every((t) => Math.abs(new Date(s).getTime() - t) >= 3_600_000));
  }
  return slotCache.shift()!;
}

let serial = 0;
const next = () => (serial += 1);

async function bookedAppointment(): Promise<string> {
  const res = await admin.req(
    'POST',
    '/api/appointments',
    { patientId: ctx.ids.kinPatient, practitionerId: ids.ngoy, visitTypeId: ids.consultation, startsAt: await freeSlot() },
    { 'x-clinic-id': ctx.ids.kin },
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}
async function portalAppointment(): Promise<string> {
  const res = await patient.req('POST', '/api/portal/appointments', {
    clinicId: ctx.ids.kin,
    practitionerId: ids.ngoy,
    visitTypeId: ids.consultation,
    startsAt: await freeSlot(),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}
/** An encounter in progress of the Kinshasa patient (a walk-in seen outside the queue), to finish or cancel. */
async function openEncounter(): Promise<string> {
  const { rows } = await ctx.sql.query<{ id: string }>(
    `INSERT INTO encounters (clinic_id, patient_id, type, status, started_by) VALUES ($1, $2, 'outpatient', 'in_progress', $3)
     RETURNING id`,
    [ctx.ids.kin, ctx.ids.kinPatient, admin.userId],
  );
  return rows[0]!.id;
}
/** A prescription item every prescribing route accepts (the edge values replace its numbers). */
const RX_ITEM = {
  name: 'Paracetamol',
  dose: { amount: 500, unit: 'mg' },
  frequency: { kind: 'times_per_day', times: 3, asNeeded: false },
  durationDays: 5,
  quantity: 15,
  quantityUnit: 'tablet',
  refills: 0,
};
/** A local lab test every catalogue route accepts (the edge values replace its numbers). */
const labTest = () => ({
  code: `EDGE-${next()}`,
  name: 'Edge analyte',
  kind: 'test',
  specimenType: 'serum',
  resultType: 'numeric',
  unit: 'umol/L',
  decimals: 1,
  turnaroundHours: 4,
  requiresVerification: false,
  ranges: [{ sex: null, ageMinDays: 0, ageMaxDays: 36_500, low: 1, high: 2, criticalLow: -5, criticalHigh: 4 }],
});
/** A medications row (version 1) for the routes that change one: a local formulary item, a draft, a reported medication, a favourite. */
async function medication(kind: 'formulary' | 'draft' | 'reported' | 'favourite'): Promise<string> {
  const kin = { 'x-clinic-id': ctx.ids.kin };
  const res =
    kind === 'formulary'
      ? await admin.req('POST', '/api/formulary', { name: `Edge ${next()} tablet`, genericName: 'Edge' }, kin)
      : kind === 'draft'
        ? await admin.req('POST', `/api/encounters/${await openEncounter()}/prescriptions`, { items: [RX_ITEM] }, kin)
        : kind === 'reported'
          ? await admin.req(
              'POST',
              `/api/patients/${ctx.ids.kinPatient}/reported-medications`,
              { name: 'Zinc', since: '2020-01-01' },
              kin,
            )
          : await admin.req('POST', '/api/prescription-favourites', { label: `Edge ${next()}`, item: RX_ITEM }, kin);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}
/** A booked appointment moved (behind the API's back) to a status a route starts from. */
async function appointmentIn(status: 'requested' | 'checked_in'): Promise<string> {
  const id = await bookedAppointment();
  await ctx.sql.query('UPDATE appointments SET status = $2 WHERE id = $1', [id, status]);
  return id;
}
async function appointmentVersion(id: string): Promise<number> {
  const { rows } = await ctx.sql.query<{ version: number }>('SELECT version FROM appointments WHERE id = $1', [id]);
  return rows[0]!.version;
}
/** A problem, allergy or history entry of the Kinshasa patient (version 1), for the routes that change one. */
async function historyItem(path: 'problems' | 'allergies' | 'history', body: Record<string, unknown>): Promise<string> {
  const res = await admin.req('POST', `/api/patients/${ctx.ids.kinPatient}/${path}`, body, { 'x-clinic-id': ctx.ids.kin });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}
/** An immunization of the Kinshasa patient (version 1), for the routes that change one. */
async function immunization(): Promise<string> {
  const res = await admin.req(
    'POST',
    `/api/patients/${ctx.ids.kinPatient}/immunizations`,
    { cvxCode: '03', occurredOn: '2020-01-01', source: 'reported' },
    { 'x-clinic-id': ctx.ids.kin },
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}
/** A Kinshasa item with a lot of plenty of units (made once), for the inventory routes. */
let stockedLot: Promise<{ itemId: string; lotId: string }> | null = null;
async function inventoryItem(): Promise<string> {
  const res = await admin.req(
    'POST',
    '/api/inventory/items',
    { kind: 'medication', name: `Edge tablets ${next()}`, unit: 'tablet' },
    { 'x-clinic-id': ctx.ids.kin },
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}
let paracetamolLot: Promise<{ itemId: string; lotId: string }> | undefined;

/** The lab's own tests (created once), and an order of Kinshasa's patient at a step, through the API. */
let labCatalogue: Promise<LabFixtureTests> | undefined;
type LabStage = 'ordered' | 'collected' | 'received' | 'entered' | 'entered_verify' | 'released';
async function labOrder(
  stage: LabStage,
): Promise<{ id: string; version: number; itemId: string; resultId: string; resultVersion: number }> {
  const T = await (labCatalogue ??= labTests(ctx.sql));
  const kin = { 'x-clinic-id': ctx.ids.kin };
  const testId = stage === 'entered_verify' ? T.hgb : T.k;
  const encounterId = await labEncounter(ctx.sql, ctx.ids.kinPatient, ctx.ids.kin);
  let res = await admin.req('POST', `/api/patients/${ctx.ids.kinPatient}/lab-orders`, { encounterId, testIds: [testId] }, kin);
  expect(res.statusCode, res.body).toBe(201);
  let o = res.json<{ id: string; version: number; items: { id: string; results: { id: string; version: number }[] }[] }>();
  const steps: [string, Record<string, unknown>][] = [];
  if (stage !== 'ordered') steps.push(['collect', {}]);
  if (!['ordered', 'collected'].includes(stage)) steps.push(['receive', {}]);
  if (['entered', 'entered_verify', 'released'].includes(stage))
    steps.push(['results', { results: [{ orderItemId: o.items[0]!.id, testId, valueNumeric: 4.2 }] }]);
  for (const [path, body] of steps) {
    res = await admin.req('POST', `/api/lab/orders/${o.id}/${path}`, { version: o.version, ...body }, kin);
    expect(res.statusCode, res.body).toBe(200);
    o = res.json();
  }
  const resultId = o.items[0]!.results[0]?.id ?? '';
  if (stage === 'entered_verify')
    // entered by the lab technician: the super admin verifies as a second person
    await ctx.sql.query('UPDATE lab_results SET entered_by = $2 WHERE id = $1', [
      resultId,
      ctx.ids.users['lab_technician@sanita.test'],
    ]);
  if (stage === 'released') {
    res = await admin.req('POST', `/api/lab/orders/${o.id}/release`, { version: o.version, resultIds: [resultId] }, kin);
    expect(res.statusCode, res.body).toBe(200);
    o = res.json();
  }
  return { id: o.id, version: o.version, itemId: o.items[0]!.id, resultId, resultVersion: o.items[0]!.results[0]?.version ?? 1 };
}
function inventoryLot(): Promise<{ itemId: string; lotId: string }> {
  stockedLot ??= (async () => {
    const itemId = await inventoryItem();
    const res = await admin.req(
      'POST',
      '/api/inventory/lots',
      { itemId, lotNumber: 'EDGE-1', expiresOn: '2099-12-31', quantity: 1_000_000, unitCost: '0.01' },
      { 'x-clinic-id': ctx.ids.kin },
    );
    expect(res.statusCode, res.body).toBe(201);
    return { itemId, lotId: res.json<{ lot: { id: string } }>().lot.id };
  })();
  return stockedLot;
}
async function patientVersion(): Promise<number> {
  const { rows } = await ctx.sql.query<{ version: number }>('SELECT version FROM patients WHERE id = $1', [ctx.ids.kinPatient]);
  return rows[0]!.version;
}

/**
 * What a route needs beyond what its schema tells: real ids, a current version, unique codes.
 * Merged over the request generated from the schema. A route not listed here gets the generated
 * request alone; if that is not enough to succeed, the first test says so and it belongs here.
 */
/** An encounter in progress with a draft note (a primary diagnosis, ready to sign), for the notes routes. */
async function draftNote(): Promise<string> {
  const id = await openEncounter();
  const res = await admin.req(
    'PUT',
    `/api/encounters/${id}/note`,
    {
      version: 0,
      template: 'general',
      sections: { subjective: 'Cough', objective: '', assessment: 'Bronchitis', plan: 'Rest' },
      patientSummary: null,
      diagnoses: [{ code: 'J20.9', rank: 'primary' }],
    },
    { 'x-clinic-id': ctx.ids.kin },
  );
  expect(res.statusCode, res.body).toBe(200);
  return id;
}
/** An invoice of Kinshasa's patient at a stage, written behind the API's back (the patient's open draft is voided first). */
async function billingInvoice(stage: 'draft' | 'unpriced' | 'issued'): Promise<{ id: string; lineId: string }> {
  await ctx.sql.query(
    `UPDATE invoices SET status = 'void', void_reason = 'fuzz' WHERE clinic_id = $1 AND patient_id = $2 AND status = 'draft'`,
    [ctx.ids.kin, ctx.ids.kinPatient],
  );
  const issued = stage === 'issued';
  const { rows } = await ctx.sql.query<{ id: string }>(
    `INSERT INTO invoices (clinic_id, patient_id, status, currency, subtotal, total, patient_share, number, issued_at)
     VALUES ($1, $2, $3, 'USD', 10, 10, 10, $4, $5) RETURNING id`,
    [
      ctx.ids.kin,
      ctx.ids.kinPatient,
      issued ? 'issued' : 'draft',
      issued ? `INV-FUZZ-${next()}` : null,
      issued ? new Date() : null,
    ],
  );
  const line = await ctx.sql.query<{ id: string }>(
    `INSERT INTO invoice_lines (invoice_id, kind, code, description, source, service_date, quantity, unit_price, amount, total)
     VALUES ($1, 'other', 'FUZZ', 'Fuzz line', 'manual', current_date, 1, $2, 10, 10) RETURNING id`,
    [rows[0]!.id, stage === 'unpriced' ? null : 10],
  );
  return { id: rows[0]!.id, lineId: line.rows[0]!.id };
}
/** A cashier session of the cashier at Kinshasa, open or closed (her open ones are closed first: one open at a time). */
async function cashierSession(status: 'open' | 'closed'): Promise<string> {
  const cashier = ctx.ids.users['cashier@sanita.test'];
  await ctx.sql.query(
    `UPDATE cashier_sessions SET status = 'closed', closed_at = now() WHERE clinic_id = $1 AND cashier_id = $2 AND status = 'open'`,
    [ctx.ids.kin, cashier],
  );
  const { rows } = await ctx.sql.query<{ id: string }>(
    `INSERT INTO cashier_sessions (clinic_id, cashier_id, status, floats, counts, closed_at)
     VALUES ($1, $2, $3, '[]', $4, $5) RETURNING id`,
    [ctx.ids.kin, cashier, status, status === 'closed' ? '[]' : null, status === 'closed' ? new Date() : null],
  );
  return rows[0]!.id;
}
const billingPrice = () => ({
  kind: 'other',
  code: `EDGE-${next()}`,
  name: 'Edge',
  currency: 'USD',
  unitPrice: '1',
  effectiveFrom: '2026-01-01',
});
const BASELINES: Record<string, () => Promise<Request>> = {
  'PUT /api/encounters/{id}/note': async () => ({
    params: { id: await openEncounter() },
    body: {
      version: 0,
      template: 'ophthalmology',
      sections: {
        subjective: 'Blurred vision',
        objective: '',
        assessment: 'Myopia',
        plan: 'Glasses',
        eyes: {
          right: { visualAcuity: '6/9', sphere: -1.25, cylinder: -0.5, axis: 90, iop: 16 },
          left: { sphere: -1, cylinder: -0.25, axis: 80, iop: 17 },
        },
      },
      patientSummary: null,
      diagnoses: [{ code: 'H52.13', rank: 'primary' }],
    },
  }),
  'POST /api/encounters/{id}/note/sign': async () => ({ params: { id: await draftNote() }, body: { version: 1 } }),
  'GET /api/patients/{patientId}/notes': async () => ({ params: { patientId: ctx.ids.kinPatient } }),
  'POST /api/patients': async () => ({
    body: { givenName: 'Edge', familyName: `Case${next()}`, sex: 'female', birthDate: '1990-01-01', allowDuplicate: true },
  }),
  'PATCH /api/patients/{id}': async () => ({
    params: { id: ctx.ids.kinPatient },
    body: { version: await patientVersion(), middleName: `M${next()}` },
  }),
  'GET /api/patients': async () => ({ query: { q: 'Mbuyi' } }),
  'GET /api/patients/{id}/access-log': async () => ({ params: { id: ctx.ids.kinPatient } }),
  'POST /api/auth/register': async () => ({
    body: {
      email: `edge.${next()}@example.cd`,
      password: 'Strong-enough-2026',
      givenName: 'Edge',
      familyName: 'Register',
      birthDate: '1990-01-01',
      sex: 'female',
      clinicId: ctx.ids.kin,
    },
  }),
  'PUT /api/practitioners/{id}/templates': async () => ({
    params: { id: ids.practitioner },
    body: {
      clinicId: ctx.ids.kin,
      templates: [
        { weekday: 1, startTime: '08:00', endTime: '12:00', slotMinutes: 20, validFrom: '2031-01-01', validTo: '2031-12-31' },
      ],
    },
  }),
  'POST /api/availability/exceptions': async () => ({
    body: { practitionerId: ids.practitioner, kind: 'leave', startsAt: '2035-01-02T10:00:00Z', endsAt: '2035-01-02T12:00:00Z' },
  }),
  'GET /api/practitioners/{id}/slots': async () => ({
    params: { id: ids.ngoy },
    query: { clinicId: ctx.ids.kin, visitTypeId: ids.consultation, from: '2031-03-03', to: '2031-03-05' },
  }),
  'POST /api/visit-types': async () => ({
    body: { code: `edge-${next()}`, name: 'Edge', nameFr: 'Bord', durationMinutes: 20 },
  }),
  'PATCH /api/visit-types/{id}': async () => ({ params: { id: ids.visitType }, body: { durationMinutes: 25 } }),
  'POST /api/practitioners': async () => ({
    body: { displayName: `Dr Edge ${next()}`, clinicIds: [ctx.ids.kin], feeAmount: 10, feeCurrency: 'USD' },
  }),
  'PATCH /api/practitioners/{id}': async () => ({
    params: { id: ids.practitioner },
    body: { feeAmount: 12, feeCurrency: 'USD' },
  }),
  'GET /api/appointments': async () => ({ query: { from: '2031-03-01', to: '2031-03-07' } }),
  'POST /api/appointments': async () => ({
    body: { patientId: ctx.ids.kinPatient, practitionerId: ids.ngoy, visitTypeId: ids.consultation, startsAt: await freeSlot() },
  }),
  'POST /api/appointments/{id}/confirm': async () => {
    const id = await appointmentIn('requested');
    return { params: { id }, body: { version: await appointmentVersion(id) } };
  },
  'POST /api/appointments/{id}/status': async () => {
    const id = await appointmentIn('checked_in');
    return { params: { id }, body: { status: 'in_progress', version: await appointmentVersion(id) } };
  },
  'POST /api/appointments/{id}/reschedule': async () => ({
    params: { id: await bookedAppointment() },
    body: { startsAt: await freeSlot() },
  }),
  'POST /api/waitlist': async () => ({
    body: {
      patientId: ctx.ids.kinPatient,
      visitTypeId: ids.consultation,
      earliest: `2032-01-${String(10 + (next() % 18))}`,
      latest: '2032-02-01',
    },
  }),
  'POST /api/portal/appointments': async () => ({
    body: { clinicId: ctx.ids.kin, practitionerId: ids.ngoy, visitTypeId: ids.consultation, startsAt: await freeSlot() },
  }),
  'POST /api/portal/appointments/{id}/reschedule': async () => ({
    params: { id: await portalAppointment() },
    body: { startsAt: await freeSlot() },
  }),
  'GET /api/patients/{patientId}/vitals': async () => ({ params: { patientId: ctx.ids.kinPatient } }),
  'GET /api/patients/{patientId}/timeline': async () => ({ params: { patientId: ctx.ids.kinPatient } }),
  'POST /api/patients/{patientId}/letters': async () => ({
    params: { patientId: ctx.ids.kinPatient },
    body: { kind: 'sick_note', restFrom: '2026-12-07', restTo: '2026-12-08' },
  }),
  'GET /api/patients/{patientId}/encounters': async () => ({ params: { patientId: ctx.ids.kinPatient } }),
  'POST /api/encounters/{id}/finish': async () => ({ params: { id: await openEncounter() }, body: { version: 1 } }),
  'POST /api/encounters/{id}/cancel': async () => ({ params: { id: await openEncounter() }, body: { version: 1 } }),
  'GET /api/patients/{patientId}/documents': async () => ({ params: { patientId: ctx.ids.kinPatient } }),
  'POST /api/patients/{patientId}/vitals': async () => ({
    params: { patientId: ctx.ids.kinPatient },
    body: { heartRate: 80, takenAt: '2026-01-02T08:00:00Z' },
  }),
  'POST /api/patients/{patientId}/problems': async () => ({
    params: { patientId: ctx.ids.kinPatient },
    body: { description: 'Edge problem', status: 'resolved', onsetDate: '2020-01-01', resolutionDate: '2020-02-01' },
  }),
  'PATCH /api/patients/{patientId}/problems/{id}': async () => ({
    params: { patientId: ctx.ids.kinPatient, id: await historyItem('problems', { description: 'Edge problem' }) },
    body: { version: 1, status: 'resolved', onsetDate: '2020-01-01', resolutionDate: '2020-02-01' },
  }),
  'POST /api/patients/{patientId}/allergies': async () => ({
    params: { patientId: ctx.ids.kinPatient },
    body: { substanceCode: 'egg', verificationStatus: 'refuted', onsetDate: '2020-01-01' },
  }),
  'PATCH /api/patients/{patientId}/allergies/{id}': async () => ({
    params: {
      patientId: ctx.ids.kinPatient,
      id: await historyItem('allergies', { substanceCode: 'egg', verificationStatus: 'refuted' }),
    },
    body: { version: 1, onsetDate: '2020-01-01' },
  }),
  'POST /api/patients/{patientId}/history': async () => ({
    params: { patientId: ctx.ids.kinPatient },
    body: { kind: 'social', tobacco: 'current', packYears: 5, alcohol: 'regular', unitsPerWeek: 3 },
  }),
  'PATCH /api/patients/{patientId}/history/{id}': async () => ({
    params: {
      patientId: ctx.ids.kinPatient,
      id: await historyItem('history', { kind: 'surgical', condition: 'Edge operation' }),
    },
    body: { version: 1, date: '2020-01-01' },
  }),
  'GET /api/news2-alerts': async () => ({ query: { status: 'open' } }),
  'GET /api/terminology/icd10': async () => ({ query: { q: 'diabetes type 2', limit: 20 } }),
  'GET /api/terminology/cvx': async () => ({ query: { q: 'measles', limit: 20 } }),
  'POST /api/patients/{patientId}/immunizations': async () => ({
    params: { patientId: ctx.ids.kinPatient },
    body: { cvxCode: '03', occurredOn: '2020-01-01', source: 'reported', doseNumber: 1 },
  }),
  'PATCH /api/patients/{patientId}/immunizations/{id}': async () => ({
    params: { patientId: ctx.ids.kinPatient, id: await immunization() },
    body: { version: 1, occurredOn: '2020-02-01', doseNumber: 2 },
  }),
  'POST /api/patients/{patientId}/immunizations/{id}/entered-in-error': async () => ({
    params: { patientId: ctx.ids.kinPatient, id: await immunization() },
    body: { version: 1, reason: 'Wrong patient' },
  }),
  'PUT /api/news2-alerts/settings': async () => ({ body: { escalationMinutes: 15 } }),
  'POST /api/inventory/items': async () => ({
    body: { kind: 'consumable', name: `Edge swabs ${next()}`, unit: 'box', code: null, reorderLevel: 5 },
  }),
  'PATCH /api/inventory/items/{id}': async () => ({
    params: { id: await inventoryItem() },
    body: { version: 1, name: 'Edited' },
  }),
  'PUT /api/inventory/items/{id}/settings': async () => ({
    params: { id: (await inventoryLot()).itemId },
    body: { reorderLevel: 10 },
  }),
  'GET /api/inventory/items/{id}/movements': async () => ({ params: { id: (await inventoryLot()).itemId }, query: { limit: 5 } }),
  'POST /api/inventory/lots': async () => ({
    body: {
      itemId: (await inventoryLot()).itemId,
      lotNumber: `EDGE-R${next()}`,
      expiresOn: '2099-12-31',
      quantity: 5,
      unitCost: '0.5',
    },
  }),
  'POST /api/inventory/lots/{id}/adjust': async () => ({
    params: { id: (await inventoryLot()).lotId },
    body: { quantity: 1, reason: 'Found in the store room' },
  }),
  'POST /api/inventory/lots/{id}/destroy': async () => ({
    params: { id: (await inventoryLot()).lotId },
    body: { quantity: 1, reason: 'Damaged' },
  }),
  'POST /api/inventory/lots/{id}/return': async () => ({
    params: { id: (await inventoryLot()).lotId },
    body: { quantity: 1, reason: 'Wrong item delivered' },
  }),
  'POST /api/inventory/transfers': async () => ({
    body: { toClinicId: ctx.ids.gom, lines: [{ lotId: (await inventoryLot()).lotId, quantity: 1 }] },
  }),
  'POST /api/inventory/stock-takes': async () => ({
    body: { lines: [{ lotId: (await inventoryLot()).lotId, counted: 900_000 }] },
  }),
  'GET /api/inventory/alerts/expiry': async () => ({ query: { days: 30 } }),
  'POST /api/pharmacy/prescriptions/{prescriptionId}/dispenses': async () => {
    // a stocked product of the prescribed medicine (another one would be refused as no substitute)
    paracetamolLot ??= formularyLot(ctx.sql, {
      clinicId: ctx.ids.kin,
      userId: ctx.ids.users['admin@sanita.test']!,
      code: 'who-eml:paracetamol-500mg-tablet',
      lotNumber: 'EDGE-RX',
      quantity: 1_000_000,
      expiresInDays: 365,
    });
    const { itemId } = await paracetamolLot;
    const { id, itemIds } = await signedPrescription(ctx.sql, {
      patientId: ctx.ids.kinPatient,
      clinicId: ctx.ids.kin,
      prescriberId: ctx.ids.users['doctor@sanita.test']!,
      items: [{ code: 'who-eml:paracetamol-500mg-tablet', quantity: 10 }],
    });
    return {
      params: { prescriptionId: id },
      body: { items: [{ prescriptionItemId: itemIds[0], quantity: 1, inventoryItemId: itemId }] },
    };
  },
  'POST /api/inventory/reservations': async () => ({
    body: { lotId: (await inventoryLot()).lotId, quantity: 1, minutes: 5 },
  }),
  'GET /api/formulary': async () => ({ query: { q: 'amoxicillin', limit: 20 } }),
  'PATCH /api/formulary/{id}': async () => ({
    params: { id: await medication('formulary') },
    body: { version: 1, form: 'tablet' },
  }),
  'POST /api/encounters/{id}/prescriptions': async () => ({ params: { id: await openEncounter() }, body: { items: [RX_ITEM] } }),
  'PUT /api/prescriptions/{id}': async () => ({
    params: { id: await medication('draft') },
    body: { version: 1, items: [RX_ITEM] },
  }),
  'POST /api/prescriptions/{id}/sign': async () => ({ params: { id: await medication('draft') }, body: { version: 1 } }),
  'POST /api/prescriptions/{id}/cancel': async () => ({
    params: { id: await medication('draft') },
    body: { version: 1, reason: 'Edge' },
  }),
  'GET /api/patients/{patientId}/prescriptions': async () => ({
    params: { patientId: ctx.ids.kinPatient },
    query: { limit: 20 },
  }),
  'POST /api/patients/{patientId}/reported-medications': async () => ({
    params: { patientId: ctx.ids.kinPatient },
    body: { name: 'Vitamin C', since: '2020-01-01' },
  }),
  'POST /api/patients/{patientId}/reported-medications/{id}/stop': async () => ({
    params: { patientId: ctx.ids.kinPatient, id: await medication('reported') },
    body: { stoppedOn: '2021-01-01' },
  }),
  'POST /api/patients/{patientId}/medication-checks': async () => ({
    params: { patientId: ctx.ids.kinPatient },
    body: { items: [RX_ITEM] },
  }),
  'POST /api/prescription-favourites': async () => ({ body: { label: 'Edge', item: RX_ITEM } }),
  'PATCH /api/prescription-favourites/{id}': async () => ({
    params: { id: await medication('favourite') },
    body: { item: RX_ITEM },
  }),
  'GET /api/refill-requests': async () => ({ query: { limit: 20 } }),
  'GET /api/lab/tests': async () => ({ query: { q: 'potassium', limit: 20 } }),
  // lab orders and results
  'GET /api/patients/{patientId}/lab-orders': async () => ({ params: { patientId: ctx.ids.kinPatient }, query: { limit: 20 } }),
  'GET /api/lab/worklist': async () => ({ query: { limit: 20 } }),
  'POST /api/lab/orders/{orderId}/cancel': async () => {
    const o = await labOrder('ordered');
    return { params: { orderId: o.id }, body: { version: o.version, reason: 'Edge' } };
  },
  'POST /api/lab/orders/{orderId}/collect': async () => {
    const o = await labOrder('ordered');
    return { params: { orderId: o.id }, body: { version: o.version, collectedAt: new Date().toISOString() } };
  },
  'POST /api/lab/orders/{orderId}/receive': async () => {
    const o = await labOrder('collected');
    return { params: { orderId: o.id }, body: { version: o.version } };
  },
  'POST /api/lab/orders/{orderId}/results': async () => {
    const o = await labOrder('received');
    return {
      params: { orderId: o.id },
      body: { version: o.version, results: [{ orderItemId: o.itemId, testId: (await labCatalogue!).k, valueNumeric: 4.2 }] },
    };
  },
  'POST /api/lab/orders/{orderId}/verify': async () => {
    const o = await labOrder('entered_verify');
    return { params: { orderId: o.id }, body: { version: o.version, resultIds: [o.resultId] } };
  },
  'POST /api/lab/orders/{orderId}/release': async () => {
    const o = await labOrder('entered');
    return { params: { orderId: o.id }, body: { version: o.version, resultIds: [o.resultId] } };
  },
  'POST /api/lab/results/{resultId}/portal-hold': async () => {
    const o = await labOrder('released');
    return { params: { resultId: o.resultId }, body: { version: o.resultVersion, hold: true } };
  },
  'GET /api/patients/{patientId}/lab-results/table': async () => ({
    params: { patientId: ctx.ids.kinPatient },
    query: { columns: 6, from: '2020-01-01', to: '2030-01-01' },
  }),
  'GET /api/patients/{patientId}/lab-results/trend': async () => ({
    params: { patientId: ctx.ids.kinPatient },
    query: { testId: (await (labCatalogue ??= labTests(ctx.sql))).k, limit: 20 },
  }),
  'POST /api/lab/tests': async () => ({ body: labTest() }),
  'PATCH /api/lab/tests/{testId}': async () => {
    const res = await admin.req('POST', '/api/lab/tests', labTest(), { 'x-clinic-id': ctx.ids.kin });
    expect(res.statusCode, res.body).toBe(201);
    return {
      params: { testId: res.json<{ id: string }>().id },
      body: { version: 1, decimals: 2, turnaroundHours: 6, ranges: labTest().ranges },
    };
  },
  // billing
  'GET /api/billing/prices': async () => ({ query: { limit: 20 } }),
  'POST /api/billing/prices': async () => ({ body: billingPrice() }),
  'PATCH /api/billing/prices/{id}': async () => {
    const res = await admin.req('POST', '/api/billing/prices', billingPrice(), { 'x-clinic-id': ctx.ids.kin });
    expect(res.statusCode, res.body).toBe(201);
    return { params: { id: res.json<{ id: string }>().id }, body: { version: 1, unitPrice: '2' } };
  },
  'POST /api/billing/tax-rates': async () => ({
    body: { category: `edge${next()}`, name: 'Edge', rate: '5', effectiveFrom: '2026-01-01' },
  }),
  'PATCH /api/billing/settings': async () => ({ body: { paymentTermsDays: 30 } }),
  'GET /api/billing/invoices': async () => ({ query: { limit: 20 } }),
  'POST /api/billing/invoices/{id}/lines': async () => ({
    params: { id: (await billingInvoice('draft')).id },
    body: { kind: 'other', description: 'Edge', unitPrice: '1', quantity: '1', version: 1 },
  }),
  'PATCH /api/billing/invoices/{id}/lines/{lineId}': async () => {
    const i = await billingInvoice('unpriced');
    return { params: { id: i.id, lineId: i.lineId }, body: { unitPrice: '3', version: 1 } };
  },
  'DELETE /api/billing/invoices/{id}/lines/{lineId}': async () => {
    const i = await billingInvoice('draft');
    return { params: { id: i.id, lineId: i.lineId }, query: { version: 1 } };
  },
  'POST /api/billing/invoices/{id}/issue': async () => ({
    params: { id: (await billingInvoice('draft')).id },
    body: { version: 1 },
  }),
  'POST /api/billing/invoices/{id}/discounts': async () => ({
    params: { id: (await billingInvoice('draft')).id },
    body: { percent: '5', reason: 'Edge', version: 1 },
  }),
  'POST /api/billing/invoices/{id}/void': async () => ({
    params: { id: (await billingInvoice('issued')).id },
    body: { reason: 'Edge', version: 1 },
  }),
  'POST /api/billing/invoices/{id}/credit-notes': async () => ({
    params: { id: (await billingInvoice('issued')).id },
    body: { amount: '1', reason: 'Edge', version: 1 },
  }),
  // payments and the cashier
  'POST /api/payments/exchange-rates': async () => ({ body: { from: 'USD', to: 'CDF', rate: '2850' } }),
  'POST /api/cashier/sessions/{id}/close': async () => ({
    params: { id: await cashierSession('open') },
    body: { counts: [], version: 1 },
  }),
  'POST /api/cashier/sessions/{id}/reopen': async () => ({
    params: { id: await cashierSession('closed') },
    body: { reason: 'Fuzz', version: 1 },
  }),
  'POST /api/payment-plans': async () => ({
    body: { invoiceId: (await billingInvoice('issued')).id, instalments: [{ dueDate: '2030-01-01', amount: '10' }] },
  }),
  // insurance and claims
  'PATCH /api/payers/{id}': async () => {
    const r = await ctx.sql.query<{ id: string; version: number }>(`SELECT id, version FROM payers WHERE code = 'SONAS'`);
    return { params: { id: r.rows[0]!.id }, body: { version: r.rows[0]!.version } };
  },
  'PATCH /api/plans/{id}': async () => {
    const r = await ctx.sql.query<{ id: string; version: number }>(
      `SELECT id, version FROM insurance_plans ORDER BY code LIMIT 1`,
    );
    return { params: { id: r.rows[0]!.id }, body: { version: r.rows[0]!.version } };
  },
  'POST /api/patients/{patientId}/coverages': async () => ({
    params: { patientId: ctx.ids.kinPatient },
    body: {
      planId: await claimsPlan(ctx.sql, {}),
      memberId: `FZ-${Math.random()}`,
      relationship: 'self',
      validFrom: '2026-01-01',
    },
  }),
  'PATCH /api/coverages/{id}': async () => ({
    params: { id: await claimsCoverage(ctx.sql, ctx.ids.kinPatient, await claimsPlan(ctx.sql, {})) },
    body: { version: 1 },
  }),
  'GET /api/patients/{patientId}/eligibility': async () => ({ params: { patientId: ctx.ids.kinPatient } }),
  'GET /api/claims': async () => ({ query: { limit: 20 } }),
  'POST /api/claims/{id}/attachments': async () => {
    const c = await claimAt(ctx.sql, admin, ctx.ids.kin, ctx.ids.kinPatient, admin.userId, 'draft');
    const documentId = await claimsDocument(ctx.sql, ctx.ids.kinPatient, ctx.ids.kin, admin.userId);
    return { params: { id: c.id }, body: { documentId, version: c.version } };
  },
  ...Object.fromEntries(
    (
      [
        ['submit', 'draft', {}],
        ['review', 'submitted', {}],
        ['decision', 'in_review', { decision: 'approved' }],
        ['paid', 'approved', { amount: '1.00' }],
        ['resubmit', 'denied', {}],
      ] as const
    ).map(([action, stage, extra]) => [
      `POST /api/claims/{id}/${action}`,
      async () => {
        const c = await claimAt(ctx.sql, admin, ctx.ids.kin, ctx.ids.kinPatient, admin.userId, stage);
        return { params: { id: c.id }, body: { ...extra, version: c.version } };
      },
    ]),
  ),
  'GET /api/billing-reports/revenue': async () => ({
    query: {
      from: new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10),
      to: new Date().toISOString().slice(0, 10),
      currency: 'USD',
    },
  }),
};

// ------------------------------------------------------------------ schema walking

/** The branches of a schema that are not `null`. */
const branches = (s: JsonSchema): JsonSchema[] =>
  s.anyOf ? s.anyOf.flatMap(branches).filter((b) => b.type !== 'null') : s.type === 'null' ? [] : [s];

function kindOf(s: JsonSchema): Field['kind'] | undefined {
  for (const b of branches(s)) {
    if (b.type === 'string' && (b.format === 'date' || b.format === 'date-time')) return b.format;
    if (b.type === 'integer' || b.type === 'number') return 'number';
  }
  return undefined;
}

/** The fuzzable leaves under a schema. */
function leaves(s: JsonSchema, path: string[], part: Field['part'], out: Field[]): Field[] {
  const kind = kindOf(s);
  if (kind) {
    out.push({ part, path, kind });
    return out;
  }
  for (const b of branches(s)) {
    if (b.type === 'object') for (const [k, v] of Object.entries(b.properties ?? {})) leaves(v, [...path, k], part, out);
    if (b.type === 'array' && b.items) leaves(b.items, [...path, '0'], part, out);
  }
  return out;
}

function fieldsOfOp(o: Operation): Field[] {
  const out: Field[] = [];
  if (o.body) leaves(o.body, [], 'body', out);
  for (const q of o.query) leaves(q.schema, [q.name], 'querystring', out);
  for (const p of o.pathParams) leaves(p.schema, [p.name], 'params', out);
  return out;
}

/** A value the schema accepts, for the fields nobody named. */
function sample(s: JsonSchema): unknown {
  const b = branches(s)[0] ?? s;
  if (b.const !== undefined) return b.const;
  if (b.enum) return b.enum[0];
  if (b.anyOf) return sample(b.anyOf[0]!);
  if (b.type === 'object') return Object.fromEntries((b.required ?? []).map((k) => [k, sample(b.properties![k]!)]));
  if (b.type === 'array') return b.minItems ? [sample(b.items!)] : [];
  if (b.type === 'integer' || b.type === 'number') return Math.max(b.minimum ?? 1, 1);
  if (b.type === 'boolean') return false;
  if (b.type === 'string') {
    if (b.format === 'uuid') return anyUuid;
    if (b.format === 'date') return '2031-03-04';
    if (b.format === 'date-time') return '2031-03-04T07:00:00Z';
    if (b.format === 'email') return `fuzz.${next()}@example.cd`;
    return 'x'.repeat(Math.max(b.minLength ?? 1, 1));
  }
  return null;
}

/** Sets `path` in `target`, creating objects and one-item arrays on the way from the schema. */
function setPath(target: Record<string, unknown>, schema: JsonSchema | undefined, path: string[], value: unknown): void {
  let obj: Record<string, unknown> | unknown[] = target;
  let s = schema;
  path.forEach((key, i) => {
    const sub = s && (branches(s).find((b) => b.properties || b.items) ?? s);
    const childSchema = sub?.properties?.[key] ?? sub?.items;
    if (i === path.length - 1) {
      (obj as Record<string, unknown>)[key] = value;
      return;
    }
    const holder = obj as Record<string, unknown>;
    if (holder[key] === undefined || holder[key] === null) holder[key] = childSchema ? sample(childSchema) : {};
    if (Array.isArray(holder[key]) && !(holder[key] as unknown[]).length)
      (holder[key] as unknown[]).push(sample(childSchema?.items ?? {}));
    obj = holder[key] as Record<string, unknown>;
    s = childSchema;
  });
}

async function baselineOf(o: Operation): Promise<Request> {
  const generated: Request = {
    body: o.body ? (sample(o.body) as Record<string, unknown>) : undefined,
    query: Object.fromEntries(o.query.filter((q) => q.required).map((q) => [q.name, sample(q.schema)])),
    params: Object.fromEntries(o.pathParams.map((p) => [p.name, String(sample(p.schema))])),
  };
  const given = BASELINES[o.key] ? await BASELINES[o.key]!() : {};
  return {
    body: o.body ? { ...generated.body, ...given.body } : undefined,
    query: { ...generated.query, ...given.query },
    params: { ...generated.params, ...given.params },
  };
}

const SENTINEL = '__edge_value_goes_here__';

/** Sends a request, with `edge` (raw JSON text) at `field` when given. */
function send(o: Operation, r: Request, field?: Field, edge?: string): Promise<LightMyRequestResponse> {
  const body = r.body ? structuredClone(r.body) : undefined;
  const query: Record<string, string> = Object.fromEntries(Object.entries(r.query ?? {}).map(([k, v]) => [k, String(v)]));
  const params = { ...r.params };
  if (field && edge !== undefined) {
    const text = edge.startsWith('"') ? (JSON.parse(edge) as string) : edge;
    if (field.part === 'body') setPath(body!, o.body, field.path, SENTINEL);
    else if (field.part === 'querystring') query[field.path[0]!] = text;
    else params[field.path[0]!] = text;
  }
  const url =
    o.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? anyUuid)) +
    (Object.keys(query).length ? `?${new URLSearchParams(query).toString()}` : '');
  const who = o.path.startsWith('/api/portal') ? patient : admin;
  const payload = body === undefined ? undefined : JSON.stringify(body).replace(`"${SENTINEL}"`, edge ?? 'null');
  return ctx.app.inject({
    method: o.method as 'POST',
    url,
    headers: {
      authorization: `Bearer ${who.token}`,
      'x-clinic-id': ctx.ids.kin,
      ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(payload !== undefined ? { payload } : {}),
  });
}

const nameOf = (f: Field) => (f.part === 'body' ? f.path.join('.') : `${f.part}.${f.path.join('.')}`);
function namedFields(res: LightMyRequestResponse): string[] {
  const details = res.json<{ error?: { details?: unknown } }>().error?.details;
  return Array.isArray(details) ? details.map((d: { field: string }) => d.field) : [];
}

// ------------------------------------------------------------------ setup

beforeAll(async () => {
  ctx = await createTestContext();
  admin = await ctx.login('super_admin@sanita.test');
  patient = await ctx.login('patient@sanita.test');
  const one = async (q: string) => (await ctx.sql.query<{ id: string }>(q)).rows[0]!.id;
  ids.ngoy = await one(`SELECT id FROM practitioners WHERE display_name = 'Dr Patrice Ngoy'`);
  ids.consultation = await one(`SELECT id FROM visit_types WHERE code = 'consultation'`);
  const dr = await admin.req(
    'POST',
    '/api/practitioners',
    { displayName: 'Dr Fuzz', clinicIds: [ctx.ids.kin] },
    { 'x-clinic-id': ctx.ids.kin },
  );
  expect(dr.statusCode, dr.body).toBe(201);
  ids.practitioner = dr.json<{ id: string }>().id;
  const vt = await admin.req(
    'POST',
    '/api/visit-types',
    { code: 'fuzz', name: 'Fuzz', nameFr: 'Fuzz', durationMinutes: 20 },
    { 'x-clinic-id': ctx.ids.kin },
  );
  expect(vt.statusCode, vt.body).toBe(201);
  ids.visitType = vt.json<{ id: string }>().id;

  ops = operations(ctx.app);
});
afterAll(async () => {
  await ctx?.close();
});

const fuzzed = () => ops.filter((o) => fieldsOfOp(o).length);

// ------------------------------------------------------------------ the fuzz

describe('edge dates and numbers on every route', () => {
  it('finds the routes and fields to fuzz in the OpenAPI document', () => {
    const all = fuzzed().flatMap((o) => fieldsOfOp(o).map((f) => `${o.key} ${nameOf(f)}`));
    // a sample of what must be there: if these go missing, the walk above is broken
    expect(all).toEqual(
      expect.arrayContaining([
        'POST /api/patients birthDate',
        'PATCH /api/patients/{id} version',
        'PATCH /api/patients/{id} deceasedAt',
        'PUT /api/practitioners/{id}/templates templates.0.validFrom',
        'PUT /api/practitioners/{id}/templates templates.0.slotMinutes',
        'POST /api/waitlist earliest',
        'GET /api/admin/audit querystring.from',
        'GET /api/patients querystring.limit',
        'POST /api/portal/appointments startsAt',
        'POST /api/patients/{patientId}/vitals takenAt',
        'POST /api/patients/{patientId}/vitals temperature',
        'GET /api/patients/{patientId}/vitals querystring.limit',
      ]),
    );
    expect(all.length).toBeGreaterThan(30);
    for (const key of Object.keys(BASELINES))
      expect(
        ops.map((o) => o.key),
        key,
      ).toContain(key);
  });

  it('the request each route is fuzzed from succeeds, so edge values reach the service and the database', async () => {
    const failed: string[] = [];
    for (const o of fuzzed()) {
      try {
        const res = await send(o, await baselineOf(o));
        if (res.statusCode >= 300) failed.push(`${o.key} → ${res.statusCode} ${res.body.slice(0, 300)}`);
      } catch (err) {
        failed.push(`${o.key}: ${(err as Error).message.slice(0, 300)}`);
      }
    }
    expect(failed).toEqual([]);
  });

  it('each edge value answers a 4xx naming the field, never a 5xx', async () => {
    const problems: string[] = [];
    for (const o of fuzzed()) {
      for (const f of fieldsOfOp(o)) {
        for (const edge of EDGE[f.kind]) {
          const res = await send(o, await baselineOf(o), f, edge);
          const named = namedFields(res).includes(nameOf(f));
          const label = `${o.key} ${nameOf(f)}=${edge} → ${res.statusCode} ${res.body.slice(0, 200)}`;
          if (process.env.FUZZ_LOG) console.log(label);
          if (res.statusCode >= 500) problems.push(label);
          else if (ACCEPTS.includes(`${o.key} ${nameOf(f)} ${edge}`)) {
            if (res.statusCode >= 400 && !named) problems.push(label);
          } else if (res.statusCode !== 400 || !named) problems.push(label);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('what a refused date says', () => {
  it('a date out of the years says so; text that is no date says only that', async () => {
    const details = async (birthDate: string) =>
      (await admin.req('GET', `/api/patients?birthDate=${birthDate}`)).json<{ error: { details: unknown[] } }>().error.details;
    expect(await details('0000-01-01')).toEqual([
      {
        field: 'querystring.birthDate',
        code: 'pattern',
        params: { pattern: '^(18|19|20|21)[0-9]{2}-' },
        message: 'must be in the years 1800–2199',
      },
    ]);
    expect(await details('14/03/1987')).toEqual([
      expect.objectContaining({ field: 'querystring.birthDate', code: 'format', params: { format: 'date' } }),
    ]);
  });
});

// ------------------------------------------------------------------ text of spaces

describe('text that is only spaces', () => {
  const req = (method: string, url: string, body: unknown) => admin.req(method, url, body, { 'x-clinic-id': ctx.ids.kin });
  const blank = ' \t  ';

  async function refused(res: Promise<LightMyRequestResponse>, field: string) {
    const r = await res;
    expect(r.statusCode, r.body).toBe(400);
    expect(namedFields(r), r.body).toContain(field);
  }
  const column = async (q: string, id: string) => (await ctx.sql.query(q, [id])).rows[0] as Record<string, unknown>;

  it('is refused where text is required, naming the field', async () => {
    const sp = { code: 'BLANK', name: 'Blank test', kind: 'other', ticketPrefix: 'B' };
    await refused(
      req('POST', '/api/admin/users', {
        email: 'blank@sanita.test',
        displayName: blank,
        memberships: [{ clinicId: ctx.ids.kin, role: 'nurse' }],
      }),
      'displayName',
    );
    await refused(req('PATCH', `/api/admin/users/${ctx.ids.users['nurse@sanita.test']}`, { displayName: blank }), 'displayName');
    await refused(req('POST', '/api/service-points', { ...sp, name: blank }), 'name');
    const created = await req('POST', '/api/service-points', sp);
    expect(created.statusCode, created.body).toBe(201);
    await refused(req('PATCH', `/api/service-points/${created.json<{ id: string }>().id}`, { name: blank }), 'name');
    await refused(req('POST', '/api/display-tokens', { name: blank, servicePointIds: [] }), 'name');
    await refused(
      req('POST', '/api/auth/register', {
        email: 'blank.register@example.cd',
        password: 'Strong-enough-2026',
        givenName: blank,
        familyName: 'Kabongo',
        birthDate: '1990-01-01',
        sex: 'female',
        clinicId: ctx.ids.kin,
      }),
      'givenName',
    );
    await refused(
      req('POST', '/api/patients', {
        givenName: 'Blank',
        familyName: 'Contact',
        sex: 'male',
        birthDate: '1990-01-01',
        allowDuplicate: true,
        emergencyContacts: [{ name: blank, phone: '+243 810 000 000' }],
      }),
      'emergencyContacts.0.name',
    );
    await refused(req('POST', '/api/practitioners', { displayName: blank, clinicIds: [ctx.ids.kin] }), 'displayName');
    await refused(req('POST', '/api/specialties', { code: 'blank', name: blank, nameFr: 'Vide' }), 'name');
    expect((await ctx.sql.query(`SELECT 1 FROM users WHERE email LIKE 'blank%'`)).rowCount).toBe(0);
  });

  it('is trimmed where it is kept, and stored as nothing (null) where it is optional', async () => {
    const sp = await req('POST', '/api/service-points', {
      code: 'TRIM',
      name: '  Triage 2  ',
      kind: 'triage',
      ticketPrefix: 'T',
      room: blank,
    });
    expect(sp.statusCode, sp.body).toBe(201);
    const spId = sp.json<{ id: string }>().id;
    expect(await column('SELECT name, room FROM service_points WHERE id = $1', spId)).toEqual({ name: 'Triage 2', room: null });
    const renamed = await req('PATCH', `/api/service-points/${spId}`, { room: ' 12 ' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(await column('SELECT room FROM service_points WHERE id = $1', spId)).toEqual({ room: '12' });
    expect((await req('PATCH', `/api/service-points/${spId}`, { room: blank })).statusCode).toBe(200);
    expect(await column('SELECT room FROM service_points WHERE id = $1', spId)).toEqual({ room: null });

    const display = await req('POST', '/api/display-tokens', { name: ' Hall TV ', servicePointIds: [] });
    expect(display.statusCode, display.body).toBe(201);
    expect(display.json()).toMatchObject({ name: 'Hall TV' });

    const nurse = ctx.ids.users['nurse@sanita.test']!;
    expect((await req('PATCH', `/api/admin/users/${nurse}`, { displayName: '  Nurse Mbala ' })).statusCode).toBe(200);
    expect(await column('SELECT display_name FROM users WHERE id = $1', nurse)).toEqual({ display_name: 'Nurse Mbala' });

    const leave = await req('POST', '/api/availability/exceptions', {
      practitionerId: ids.practitioner,
      kind: 'leave',
      startsAt: '2036-01-02T10:00:00Z',
      endsAt: '2036-01-02T12:00:00Z',
      reason: blank,
    });
    expect(leave.statusCode, leave.body).toBe(201);
    expect(await column('SELECT reason FROM availability_exceptions WHERE id = $1', leave.json<{ id: string }>().id)).toEqual({
      reason: null,
    });

    const wait = await req('POST', '/api/waitlist', {
      patientId: ctx.ids.kinPatient,
      visitTypeId: ids.consultation,
      earliest: '2033-01-01',
      latest: '2033-02-01',
      notes: blank,
    });
    expect(wait.statusCode, wait.body).toBe(201);
    expect(await column('SELECT notes FROM waitlist_entries WHERE id = $1', wait.json<{ id: string }>().id)).toEqual({
      notes: null,
    });

    const walkIn = await req('POST', '/api/visits/walk-in', {
      patientId: ctx.ids.kinPatient,
      servicePointId: spId,
      priority: 'normal',
      reason: blank,
    });
    expect(walkIn.statusCode, walkIn.body).toBe(201);
    expect(await column('SELECT reason FROM visits WHERE id = $1', walkIn.json<{ visit: { id: string } }>().visit.id)).toEqual({
      reason: null,
    });

    const vitals = await req('POST', `/api/patients/${ctx.ids.kinPatient}/vitals`, { heartRate: 72, note: blank });
    expect(vitals.statusCode, vitals.body).toBe(201);
    expect(await column('SELECT note FROM vitals WHERE id = $1', vitals.json<{ id: string }>().id)).toEqual({ note: null });

    const problem = await req('POST', `/api/patients/${ctx.ids.kinPatient}/problems`, { description: ' Gout ', note: blank });
    expect(problem.statusCode, problem.body).toBe(201);
    expect(await column('SELECT description, note FROM problems WHERE id = $1', problem.json<{ id: string }>().id)).toEqual({
      description: 'Gout',
      note: null,
    });
    // a set scoring a NEWS2 alert; acknowledged with a blank note, which is no note
    const scored = await req('POST', `/api/patients/${ctx.ids.kinPatient}/vitals`, {
      respiratoryRate: 26,
      spo2: 91,
      onOxygen: false,
      systolic: 118,
      heartRate: 120,
      consciousness: 'A',
      temperature: 38.9,
    });
    expect(scored.statusCode, scored.body).toBe(201);
    const { id: alertId } = (await column(
      'SELECT id FROM news2_alerts WHERE vitals_id = $1',
      scored.json<{ id: string }>().id,
    )) as {
      id: string;
    };
    const acked = await req('POST', `/api/news2-alerts/${alertId}/acknowledge`, { note: blank });
    expect(acked.statusCode, acked.body).toBe(200);
    expect(await column('SELECT note FROM news2_alerts WHERE id = $1', alertId)).toEqual({ note: null });

    const version = await patientVersion();
    const edited = await req('PATCH', `/api/patients/${ctx.ids.kinPatient}`, {
      version,
      middleName: blank,
      address: { city: '  Goma ', line: blank },
      emergencyContacts: [{ name: ' Jean ', relationship: blank }],
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ middleName: null, address: { city: 'Goma' }, emergencyContacts: [{ name: 'Jean' }] });
    expect(edited.json().address).not.toHaveProperty('line');
    expect(edited.json().emergencyContacts[0]).not.toHaveProperty('relationship');
  });
});
