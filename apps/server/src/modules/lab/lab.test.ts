import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  LabCriticalAlert,
  LabOrder,
  LabOrderList,
  PortalLabResultList,
  ResultsTable,
  Trend,
  WorklistCounts,
} from '@sanita/contracts/lab';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import { pdfText } from '../../../test/pdf.ts';
import { encounter, labTests, type LabFixtureTests } from './lab.fixtures.ts';
import type { LabService } from './lab.service.ts';

let ctx: TestContext;
let doctor: Session;
let tech: Session;
let chief: Session; // super admin: a second person who may verify
let nurse: Session;
let goma: Session;
let patientSession: Session;
let T: LabFixtureTests;
const KIN = { 'x-clinic-id': '' };

let serial = 0;
/** A Kinshasa patient of this sex born on this day. */
async function patient(sex: 'female' | 'male', birthDate: string): Promise<string> {
  serial += 1;
  const admin = await ctx.login('admin@sanita.test');
  const res = await admin.req(
    'POST',
    '/api/patients',
    { givenName: 'Lab', familyName: `Patient${serial}`, sex, birthDate, allowDuplicate: true },
    KIN,
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

async function order(patientId: string, testIds: string[], extra: Record<string, unknown> = {}): Promise<LabOrder> {
  const enc = await encounter(ctx.sql, patientId, ctx.ids.kin);
  const res = await doctor.req('POST', `/api/patients/${patientId}/lab-orders`, { encounterId: enc, testIds, ...extra }, KIN);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<LabOrder>();
}

const step = async (o: LabOrder, path: string, body: Record<string, unknown> = {}, s = tech) => {
  const res = await s.req('POST', `/api/lab/orders/${o.id}/${path}`, { version: o.version, ...body }, KIN);
  return res;
};
const ok = async (o: LabOrder, path: string, body: Record<string, unknown> = {}, s = tech): Promise<LabOrder> => {
  const res = await step(o, path, body, s);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<LabOrder>();
};
/** Ordered, collected and received: ready for results. */
async function atBench(patientId: string, testIds: string[]): Promise<LabOrder> {
  const o = await order(patientId, testIds);
  return ok(await ok(o, 'collect'), 'receive');
}
const result = (o: LabOrder, testId: string) => o.items.flatMap((i) => i.results).find((r) => r.testId === testId)!;
const itemOf = (o: LabOrder, testId: string) => o.items.find((i) => i.expected.some((e) => e.testId === testId))!;
const enter = (o: LabOrder, rows: Record<string, unknown>[], s = tech) =>
  step(o, 'results', { results: rows.map((r) => ({ orderItemId: itemOf(o, r.testId as string).id, ...r })) }, s);

beforeAll(async () => {
  ctx = await createTestContext();
  KIN['x-clinic-id'] = ctx.ids.kin;
  [doctor, tech, chief, nurse, goma, patientSession] = (await Promise.all(
    [
      'doctor@sanita.test',
      'lab_technician@sanita.test',
      'super_admin@sanita.test',
      'nurse@sanita.test',
      'doctor.goma@sanita.test',
      'patient@sanita.test',
    ].map((e) => ctx.login(e)),
  )) as [Session, Session, Session, Session, Session, Session];
  T = await labTests(ctx.sql);
});
afterAll(async () => ctx?.close());

describe('ordering', () => {
  it('from a consultation in progress: a readable number, due by the priority; audited', async () => {
    const since = await lastAuditId(ctx.sql);
    const routine = await order(ctx.ids.kinPatient, [T.panel, T.mal]);
    expect(routine.number).toMatch(/^LAB-KIN-\d{6}$/);
    expect(routine).toMatchObject({ status: 'ordered', priority: 'routine', orderedBy: { id: doctor.userId } });
    // the longest turnaround of its tests: the panel's 48 h
    expect(Date.parse(routine.dueAt) - Date.parse(routine.orderedAt)).toBe(48 * 3_600_000);
    expect(routine.items.map((i) => i.expected.map((e) => e.testId))).toEqual([[T.k, T.glu], [T.mal]]);
    const stat = await order(ctx.ids.kinPatient, [T.k], { priority: 'stat' });
    expect(Date.parse(stat.dueAt) - Date.parse(stat.orderedAt)).toBe(3_600_000);
    expect(stat.number).not.toBe(routine.number);
    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'lab_order.create');
    expect(rows.map((r) => r.patient_id)).toEqual([ctx.ids.kinPatient, ctx.ids.kinPatient]);
  });

  it('refuses a closed consultation (409), another patient’s (400), a nurse (403), Goma (404)', async () => {
    const closed = await encounter(ctx.sql, ctx.ids.kinPatient, ctx.ids.kin, 'completed');
    const url = `/api/patients/${ctx.ids.kinPatient}/lab-orders`;
    const r1 = await doctor.req('POST', url, { encounterId: closed, testIds: [T.k] }, KIN);
    expect([r1.statusCode, r1.json().error.code]).toEqual([409, 'ENCOUNTER_CLOSED']);
    const other = await encounter(ctx.sql, ctx.ids.ownPatient, ctx.ids.kin);
    const r2 = await doctor.req('POST', url, { encounterId: other, testIds: [T.k] }, KIN);
    expect([r2.statusCode, r2.json().error.details[0].field]).toEqual([400, 'encounterId']);
    const open = await encounter(ctx.sql, ctx.ids.kinPatient, ctx.ids.kin);
    expect((await nurse.req('POST', url, { encounterId: open, testIds: [T.k] }, KIN)).statusCode).toBe(403);
    expect((await goma.req('POST', url, { encounterId: open, testIds: [T.k] })).statusCode).toBe(404);
    const dup = await doctor.req('POST', url, { encounterId: open, testIds: [T.k, T.k] }, KIN);
    expect([dup.statusCode, dup.json().error.details[0].field]).toEqual([400, 'testIds/1']);
  });

  it('is cancelled before collection only', async () => {
    const o = await order(ctx.ids.kinPatient, [T.k]);
    const c = await doctor.req('POST', `/api/lab/orders/${o.id}/cancel`, { reason: 'Duplicate', version: o.version }, KIN);
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json<LabOrder>()).toMatchObject({ status: 'cancelled', cancelledReason: 'Duplicate' });
    const collected = await ok(await order(ctx.ids.kinPatient, [T.k]), 'collect');
    const late = await doctor.req(
      'POST',
      `/api/lab/orders/${collected.id}/cancel`,
      { reason: 'x', version: collected.version },
      KIN,
    );
    expect([late.statusCode, late.json().error.code, late.json().error.details.status]).toEqual([
      409,
      'LAB_ORDER_STATE',
      'collected',
    ]);
  });
});

describe('the worklist', () => {
  it('lists each step, stat first then oldest; collection makes one specimen per type with an accession number', async () => {
    const routine = await order(ctx.ids.kinPatient, [T.panel, T.hgb, T.mal]);
    const stat = await order(ctx.ids.kinPatient, [T.k], { priority: 'stat' });
    const since = await lastAuditId(ctx.sql);
    const list = await tech.req('GET', '/api/lab/worklist?step=collect', undefined, KIN);
    expect(list.statusCode, list.body).toBe(200);
    const ids = list.json<LabOrderList>().data.map((o) => o.id);
    expect(ids.indexOf(stat.id)).toBeLessThan(ids.indexOf(routine.id));
    expect(ids.indexOf(stat.id)).toBeGreaterThanOrEqual(0);
    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'lab.worklist.read');
    expect(JSON.stringify(rows)).toContain(routine.id);

    const collected = await ok(routine, 'collect');
    expect(collected.status).toBe('collected');
    // serum (the panel) and whole blood (haemoglobin and the malaria test): two tubes
    expect(collected.specimens.map((s) => s.specimenType).sort()).toEqual(['serum', 'whole_blood']);
    for (const s of collected.specimens) expect(s.accessionNumber).toMatch(/^\d{6,}$/);
    expect(new Set(collected.specimens.map((s) => s.accessionNumber)).size).toBe(2);
    const labels = await tech.req('GET', `/api/lab/orders/${routine.id}/labels.pdf`, undefined, KIN);
    expect(labels.statusCode).toBe(200);
    const { text } = await pdfText(labels.rawPayload);
    for (const s of collected.specimens) expect(text).toContain(s.accessionNumber);

    const q = await tech.req(
      'GET',
      `/api/lab/worklist?step=receive&q=${collected.specimens[0]!.accessionNumber}`,
      undefined,
      KIN,
    );
    expect(q.json<LabOrderList>().data.map((o) => o.id)).toEqual([routine.id]);
    const received = await ok(collected, 'receive');
    expect(received.status).toBe('received');
    const enterList = await tech.req('GET', '/api/lab/worklist?step=enter', undefined, KIN);
    expect(enterList.json<LabOrderList>().data.map((o) => o.id)).toContain(routine.id);
    expect((await doctor.req('GET', '/api/lab/worklist', undefined, KIN)).statusCode).toBe(403);
  });

  it("counts each step's orders in one call, as its list has them, and the urgent ones; audited; not for a doctor", async () => {
    const counts = async (q = '') => {
      const res = await tech.req('GET', `/api/lab/worklist/counts${q ? `?q=${q}` : ''}`, undefined, KIN);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<WorklistCounts>();
    };
    const stat = await order(ctx.ids.kinPatient, [T.k], { priority: 'stat' });
    expect(await counts(stat.number)).toEqual({ counts: { collect: 1, receive: 0, enter: 0, verify: 0, release: 0 }, urgent: 1 });
    await ok(stat, 'collect');
    expect((await counts(stat.number)).counts).toMatchObject({ collect: 0, receive: 1 });
    // without a search: each count is its list's length (the lists hold fewer than 200 here)
    const all = await counts();
    for (const step of ['collect', 'receive', 'enter', 'verify', 'release'] as const) {
      const list = await tech.req('GET', `/api/lab/worklist?step=${step}&limit=200`, undefined, KIN);
      expect(all.counts[step], step).toBe(list.json<LabOrderList>().data.length);
    }
    const since = await lastAuditId(ctx.sql);
    await counts('Mbuyi');
    expect((await auditSince(ctx.sql, since)).filter((r) => r.action === 'lab.worklist.count')).toHaveLength(1);
    expect((await doctor.req('GET', '/api/lab/worklist/counts', undefined, KIN)).statusCode).toBe(403);
  });
});

describe('results', () => {
  it('are checked against their test: a number, one of its codes, a text; UCUM units convert (mg/dL → mmol/L)', async () => {
    const o = await atBench(ctx.ids.kinPatient, [T.panel, T.mal, T.note]);
    const word = await enter(o, [{ testId: T.k, valueCode: 'high' }]);
    expect([word.statusCode, word.json().error.code, word.json().error.details[0].field]).toEqual([
      400,
      'LAB_RESULT_VALUE',
      'results/0/valueNumeric',
    ]);
    const code = await enter(o, [{ testId: T.mal, valueCode: 'maybe' }]);
    expect([code.json().error.code, code.json().error.details[0].field]).toEqual(['LAB_RESULT_VALUE', 'results/0/valueCode']);
    const unit = await enter(o, [{ testId: T.k, valueNumeric: 4, unit: 'furlongs' }]);
    expect([unit.statusCode, unit.json().error.code, unit.json().error.details[0].field]).toEqual([
      400,
      'LAB_UNIT_INVALID',
      'results/0/unit',
    ]);
    const wrong = await enter(o, [{ testId: T.k, valueNumeric: 4, unit: 'g' }]);
    expect(wrong.json().error.code).toBe('LAB_UNIT_INVALID');
    const good = await enter(o, [
      { testId: T.glu, valueNumeric: 90, unit: 'mg/dL' },
      { testId: T.k, valueNumeric: 4.2 },
      { testId: T.mal, valueCode: 'POSITIVE' },
      { testId: T.note, valueText: 'Trophozoites seen' },
    ]);
    expect(good.statusCode, good.body).toBe(200);
    const after = good.json<LabOrder>();
    expect(after.status).toBe('in_progress');
    expect(result(after, T.glu)).toMatchObject({
      valueNumeric: 4.99567,
      unit: 'mmol/L',
      flag: null,
      status: 'entered',
      rangeText: '3.9–5.5',
    });
    expect(result(after, T.mal)).toMatchObject({ valueCode: 'positive', flag: 'A' });
    expect(result(after, T.note)).toMatchObject({ valueText: 'Trophozoites seen', flag: null });
    // all or nothing: one bad value writes none
    const o2 = await atBench(ctx.ids.kinPatient, [T.k, T.glu]);
    const bad = await enter(o2, [
      { testId: T.k, valueNumeric: 4 },
      { testId: T.glu, valueText: 'x' },
    ]);
    expect(bad.statusCode).toBe(400);
    expect((await ctx.sql.query('SELECT 1 FROM lab_results WHERE order_id = $1', [o2.id])).rowCount).toBe(0);
  });

  it('are flagged from the range of the patient’s sex and age on the collection day (band edges)', async () => {
    const year = 365;
    // born so that the collection day is exactly 18 × 365 days after birth: the adult band starts there
    const today = new Date();
    const birth = (days: number) =>
      new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - days * 86_400_000)
        .toISOString()
        .slice(0, 10);
    const cases: [string, 'female' | 'male', number, number, string | null][] = [
      ['child the day before 18 years', 'female', 18 * year - 1, 14.8, 'H'],
      ['woman on her 18 × 365th day', 'female', 18 * year, 14.8, null],
      ['man on his 18 × 365th day', 'male', 18 * year, 12.8, 'L'],
      ['woman', 'female', 30 * year, 12.8, null],
      ['woman, critical', 'female', 30 * year, 7, 'LL'],
    ];
    for (const [label, sex, days, value, flag] of cases) {
      const id = await patient(sex, birth(days));
      const o = await atBench(id, [T.hgb]);
      const res = await enter(o, [{ testId: T.hgb, valueNumeric: value }]);
      expect(res.statusCode, res.body).toBe(200);
      expect(result(res.json<LabOrder>(), T.hgb).flag, label).toBe(flag);
    }
    const o = await atBench(ctx.ids.kinPatient, [T.k]);
    const flags: [number, string | null][] = [
      [3.5, null],
      [3.49, 'L'],
      [5.2, 'H'],
      [2.5, 'LL'],
      [6.5, 'HH'],
    ];
    let cur = o;
    for (const [v, f] of flags) {
      const res = await enter(cur, [{ testId: T.k, valueNumeric: v }]);
      expect(res.statusCode, res.body).toBe(200);
      cur = res.json<LabOrder>();
      // each replaces the one before (not released)
      expect(cur.items[0]!.results).toHaveLength(1);
      expect(result(cur, T.k).flag, String(v)).toBe(f);
    }
  });

  it('need a second person to verify where the test says so; verifying releases; release refuses them', async () => {
    const o = await atBench(ctx.ids.kinPatient, [T.hgb, T.k]);
    const entered = (
      await enter(o, [
        { testId: T.hgb, valueNumeric: 13.5 },
        { testId: T.k, valueNumeric: 4.0 },
      ])
    ).json<LabOrder>();
    const hgb = result(entered, T.hgb);
    const k = result(entered, T.k);
    // the doctor sees no result before release
    const before = (await doctor.req('GET', `/api/lab/orders/${o.id}`, undefined, KIN)).json<LabOrder>();
    expect(before.items.flatMap((i) => i.results)).toEqual([]);
    const needs = await step(entered, 'release', { resultIds: [hgb.id] });
    expect([needs.statusCode, needs.json().error.code]).toEqual([409, 'LAB_ORDER_STATE']);
    const self = await step(entered, 'verify', { resultIds: [hgb.id] });
    expect([self.statusCode, self.json().error.code]).toEqual([409, 'LAB_SELF_VERIFICATION']);
    const verified = await ok(entered, 'verify', { resultIds: [hgb.id] }, chief);
    expect(result(verified, T.hgb)).toMatchObject({
      status: 'released',
      verifiedBy: { id: chief.userId },
      releasedBy: { id: chief.userId },
    });
    expect(verified.status).toBe('in_progress');
    const again = await step(verified, 'verify', { resultIds: [hgb.id] }, chief);
    expect(again.json().error.code).toBe('LAB_ORDER_STATE');
    const done = await ok(verified, 'release', { resultIds: [k.id] });
    expect(done.status).toBe('completed');
    const seen = (await doctor.req('GET', `/api/lab/orders/${o.id}`, undefined, KIN)).json<LabOrder>();
    expect(seen.items.flatMap((i) => i.results.map((r) => r.id)).sort()).toEqual([hgb.id, k.id].sort());
    // a released result is not replaced by hand
    const late = await enter(done, [{ testId: T.k, valueNumeric: 4.1 }]);
    expect(late.statusCode).toBe(409);
  });

  it('a stale version is refused', async () => {
    const o = await order(ctx.ids.kinPatient, [T.k]);
    const res = await tech.req('POST', `/api/lab/orders/${o.id}/collect`, { version: o.version + 5 }, KIN);
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'STALE_VERSION']);
  });
});

describe('critical values and the portal', () => {
  it('a released critical potassium raises an alert to the orderer, held from the portal until acknowledged', async () => {
    const o = await atBench(ctx.ids.ownPatient, [T.k, T.glu]);
    const entered = (
      await enter(o, [
        { testId: T.k, valueNumeric: 6.9 },
        { testId: T.glu, valueNumeric: 5 },
      ])
    ).json<LabOrder>();
    const since = await lastAuditId(ctx.sql);
    const released = await ok(entered, 'release', { resultIds: [result(entered, T.k).id, result(entered, T.glu).id] });
    expect(result(released, T.k)).toMatchObject({ flag: 'HH', critical: true });
    const alerts = (await doctor.req('GET', '/api/lab/alerts?status=open&mine=true', undefined, KIN)).json<{
      data: LabCriticalAlert[];
    }>();
    const alert = alerts.data.find((a) => a.orderId === o.id)!;
    expect(alert).toMatchObject({
      status: 'open',
      level: 0,
      result: { value: '6.9', flag: 'HH' },
      orderedBy: { id: doctor.userId },
    });
    expect((await auditSince(ctx.sql, since)).map((r) => r.action)).toContain('lab_alert.raise');
    const jobs = await ctx.sql.query(`SELECT 1 FROM pgboss.job WHERE name = 'lab.critical.escalate' AND data->>'alertId' = $1`, [
      alert.id,
    ]);
    expect(jobs.rowCount).toBe(1);

    const portal = async () =>
      (await patientSession.req('GET', '/api/portal/lab-results')).json<PortalLabResultList>().data.map((r) => r.id);
    expect(await portal()).toContain(result(released, T.glu).id);
    expect(await portal()).not.toContain(result(released, T.k).id);
    const ack = await doctor.req('POST', `/api/lab/alerts/${alert.id}/acknowledge`, { note: 'Patient called back' }, KIN);
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json<LabCriticalAlert>()).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: doctor.userId } });
    const twice = await doctor.req('POST', `/api/lab/alerts/${alert.id}/acknowledge`, {}, KIN);
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'LAB_ALERT_ACKNOWLEDGED']);
    expect(await portal()).toContain(result(released, T.k).id);

    // the doctor holds the glucose back from the portal, then lets it through
    const glu = result(released, T.glu);
    const hold = await doctor.req('POST', `/api/lab/results/${glu.id}/portal-hold`, { hold: true, version: glu.version }, KIN);
    expect(hold.statusCode, hold.body).toBe(200);
    expect(await portal()).not.toContain(glu.id);
    const free = await doctor.req(
      'POST',
      `/api/lab/results/${glu.id}/portal-hold`,
      { hold: false, version: glu.version + 1 },
      KIN,
    );
    expect(free.statusCode).toBe(200);
    expect(await portal()).toContain(glu.id);
  });
});

describe('a patient’s results', () => {
  it('the table (tests × days, newest first), the trend with today’s range and the report are audited reads', async () => {
    const id = await patient('female', '1970-05-05');
    for (const [daysAgo, value] of [
      [40, 4.0],
      [10, 5.4],
    ] as const) {
      const o = await order(id, [T.k]);
      // written that day (a collection is never before its order)
      await ctx.sql.query(`UPDATE lab_orders SET ordered_at = now() - make_interval(days => $2) WHERE id = $1`, [
        o.id,
        daysAgo + 1,
      ]);
      const c = await ok(o, 'collect', { collectedAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString() });
      const r = await ok(c, 'receive');
      const e = (await enter(r, [{ testId: T.k, valueNumeric: value }])).json<LabOrder>();
      await ok(e, 'release', { resultIds: [result(e, T.k).id] });
    }
    const since = await lastAuditId(ctx.sql);
    const table = await doctor.req('GET', `/api/patients/${id}/lab-results/table`, undefined, KIN);
    expect(table.statusCode, table.body).toBe(200);
    const t = table.json<ResultsTable>();
    expect(t.columns).toHaveLength(2);
    expect(t.columns[0]! > t.columns[1]!).toBe(true);
    expect(t.rows.find((r) => r.testId === T.k)!.cells.map((c) => c?.value)).toEqual(['5.4', '4.0']);
    // the latest days only: the history is not read beyond the columns asked for
    const one = (await doctor.req('GET', `/api/patients/${id}/lab-results/table?columns=1`, undefined, KIN)).json<ResultsTable>();
    expect(one.columns).toEqual([t.columns[0]]);
    expect(one.rows.find((r) => r.testId === T.k)!.cells.map((c) => c?.value)).toEqual(['5.4']);
    const trend = (await doctor.req('GET', `/api/patients/${id}/lab-results/trend?testId=${T.k}`, undefined, KIN)).json<Trend>();
    expect(trend.points.map((p) => [p.value, p.flag])).toEqual([
      [4, null],
      [5.4, 'H'],
    ]);
    expect(trend.range).toMatchObject({ low: 3.5, high: 5.1 });
    const orders = (await doctor.req('GET', `/api/patients/${id}/lab-orders`, undefined, KIN)).json<LabOrderList>();
    const report = await doctor.req('GET', `/api/lab/orders/${orders.data[0]!.id}/report.pdf`, undefined, KIN);
    expect(report.statusCode).toBe(200);
    const { text } = await pdfText(report.rawPayload);
    expect(text).toContain('LABORATORY REPORT');
    expect(text).toContain('5.4');
    const actions = (await auditSince(ctx.sql, since)).filter((r) => r.patient_id === id).map((r) => r.action);
    expect(actions).toEqual([
      'lab_results.table',
      'lab_results.table',
      'lab_results.trend',
      'lab_order.list',
      'lab_order.report',
    ]);
    expect((await goma.req('GET', `/api/patients/${id}/lab-results/table`)).statusCode).toBe(404);
  });
});

describe('results from outside (the HL7 interface’s calls)', () => {
  it('match by placer, filler and MRN; record released results; a replay replaces rather than duplicates', async () => {
    const lab = (ctx.app as unknown as { services: { lab: LabService } }).services.lab;
    const o = await ok(await order(ctx.ids.kinPatient, [T.k, T.glu]), 'collect');
    const mrn = (await ctx.sql.query<{ mrn: string }>('SELECT mrn FROM patients WHERE id = $1', [ctx.ids.kinPatient])).rows[0]!
      .mrn;
    const db = ctx.database.db;
    expect(await lab.matchExternal(db, { placerOrderNumber: o.number })).toEqual({
      orderId: o.id,
      patientId: ctx.ids.kinPatient,
      clinicId: ctx.ids.kin,
    });
    expect(await lab.matchExternal(db, { fillerOrderNumber: o.specimens[0]!.accessionNumber })).toMatchObject({ orderId: o.id });
    expect(await lab.matchExternal(db, { placerOrderNumber: 'LAB-XXX-1', mrn })).toEqual({
      patientId: ctx.ids.kinPatient,
      clinicId: ctx.ids.kin,
    });
    expect(await lab.matchExternal(db, { mrn: 'NOPE' })).toBeNull();

    const messageId = crypto.randomUUID();
    const record = () =>
      db.transaction((tx) =>
        lab.recordExternalResults(tx, {
          orderId: o.id,
          patientId: ctx.ids.kinPatient,
          clinicId: ctx.ids.kin,
          messageId,
          observations: [
            { testId: T.k, valueNumeric: 2.1, unit: 'mmol/L' },
            { testId: T.glu, valueNumeric: 99, unit: 'mg/dL', abnormalFlag: 'N' },
          ],
        }),
      );
    const first = await record();
    await first.announce();
    const second = await record();
    expect(second.resultIds.sort()).toEqual(first.resultIds.sort());
    const seen = (await doctor.req('GET', `/api/lab/orders/${o.id}`, undefined, KIN)).json<LabOrder>();
    expect(seen.status).toBe('completed');
    expect(result(seen, T.k)).toMatchObject({ source: 'hl7', status: 'released', flag: 'LL', critical: true });
    expect(result(seen, T.glu).valueNumeric).toBeCloseTo(5.495, 2);
    const alerts = await ctx.sql.query('SELECT 1 FROM lab_critical_alerts WHERE order_id = $1', [o.id]);
    expect(alerts.rowCount).toBe(1);

    // with no order: one is created for the patient, with no orderer ("outside laboratory")
    const fresh = await db.transaction((tx) =>
      lab.recordExternalResults(tx, {
        patientId: ctx.ids.kinPatient,
        clinicId: ctx.ids.kin,
        placerOrderNumber: 'EXT-77',
        messageId: crypto.randomUUID(),
        observations: [{ testId: T.mal, valueCode: 'positive', abnormalFlag: 'A' }],
      }),
    );
    // the same outside order again (a correction): the order made the first time, its result replaced
    const again = await db.transaction((tx) =>
      lab.recordExternalResults(tx, {
        patientId: ctx.ids.kinPatient,
        clinicId: ctx.ids.kin,
        placerOrderNumber: 'EXT-77',
        messageId: crypto.randomUUID(),
        observations: [{ testId: T.mal, valueCode: 'positive', abnormalFlag: 'A' }],
      }),
    );
    expect(again).toMatchObject({ orderId: fresh.orderId, resultIds: fresh.resultIds });
    const outside = (await doctor.req('GET', `/api/lab/orders/${fresh.orderId}`, undefined, KIN)).json<LabOrder>();
    expect(outside).toMatchObject({ orderedBy: null, encounterId: null, status: 'completed' });
    expect(result(outside, T.mal)).toMatchObject({ valueCode: 'positive', flag: 'A' });
  });
});

describe('the demo', () => {
  it('the lab technician finds work at every step; the doctor a critical potassium; Marie her history and portal results', async () => {
    for (const s of ['collect', 'receive', 'enter', 'verify', 'release']) {
      const res = await tech.req('GET', `/api/lab/worklist?step=${s}`, undefined, KIN);
      const seeded = res
        .json<LabOrderList>()
        .data.filter((o) => o.number.startsWith('LAB-KIN-') && !o.patient.name.startsWith('Lab '));
      expect(seeded.length, s).toBeGreaterThan(0);
      if (s === 'verify')
        // entered by the second technician: the demo technician may verify it
        expect(
          seeded.flatMap((o) => o.items.flatMap((i) => i.results)).some((r) => r.enteredBy && r.enteredBy.id !== tech.userId),
        ).toBe(true);
    }
    const alerts = (await doctor.req('GET', '/api/lab/alerts?status=open&mine=true', undefined, KIN)).json<{
      data: LabCriticalAlert[];
    }>();
    expect(alerts.data.some((a) => a.result.flag === 'HH' && /potassium/i.test(a.result.name))).toBe(true);
    const hba1c = (await ctx.sql.query<{ id: string }>(`SELECT id FROM lab_tests WHERE code = 'HBA1C'`)).rows[0]!.id;
    const trend = (
      await doctor.req('GET', `/api/patients/${ctx.ids.ownPatient}/lab-results/trend?testId=${hba1c}`, undefined, KIN)
    ).json<Trend>();
    expect(trend.points.length).toBeGreaterThanOrEqual(5);
    const portal = (await patientSession.req('GET', '/api/portal/lab-results')).json<PortalLabResultList>();
    expect(portal.data.filter((r) => /hba1c|haemoglobin a1c|hemoglobin a1c/i.test(r.name)).length).toBeGreaterThanOrEqual(5);
  });
});

describe('names and ranges in the reader’s language', () => {
  it('orders and results carry the test’s French name; the portal reads a coded range by its answers’ labels', async () => {
    await ctx.sql.query(`UPDATE lab_tests SET name_fr = 'Paludisme, test rapide' WHERE id = $1`, [T.mal]);
    const o = await atBench(ctx.ids.ownPatient, [T.mal]);
    expect(itemOf(o, T.mal)).toMatchObject({ nameFr: 'Paludisme, test rapide' });
    expect(itemOf(o, T.mal).expected[0]).toMatchObject({ nameFr: 'Paludisme, test rapide' });
    const entered = (await enter(o, [{ testId: T.mal, valueCode: 'negative' }])).json<LabOrder>();
    const released = await ok(entered, 'release', { resultIds: [result(entered, T.mal).id] });
    expect(result(released, T.mal)).toMatchObject({ nameFr: 'Paludisme, test rapide', rangeText: 'negative' });
    const mine = (await patientSession.req('GET', '/api/portal/lab-results')).json<PortalLabResultList>();
    // the code is for the machine; the patient reads the answer
    expect(mine.data.find((r) => r.id === result(released, T.mal).id)).toMatchObject({
      nameFr: 'Paludisme, test rapide',
      value: 'Negative',
      rangeText: 'Negative',
    });
  });
});

describe('what the lab announces, links and prints', () => {
  it('events go to the lab, the chart and the orderer; an outside report links; the report’s code verifies', async () => {
    const events: { name: string; payload: unknown; rooms: string[] }[] = [];
    const stop = (
      ctx.app as unknown as {
        services: { events: { subscribe(l: (e: { name: string; payload: unknown; rooms: string[] }) => void): () => void } };
      }
    ).services.events.subscribe((e) => events.push(e));
    const o = await atBench(ctx.ids.kinPatient, [T.k]);
    const e = (await enter(o, [{ testId: T.k, valueNumeric: 7.5 }])).json<LabOrder>();
    await ok(e, 'release', { resultIds: [result(e, T.k).id] });
    stop();
    const rooms = (name: string) => events.filter((x) => x.name === name).flatMap((x) => x.rooms);
    expect(rooms('lab.order.changed')).toEqual(expect.arrayContaining([`lab:${ctx.ids.kin}`, `chart:${ctx.ids.kin}`]));
    expect(rooms('lab.results.released')).toContain(`user:${doctor.userId}`);
    expect(rooms('lab.critical.raised')).toEqual(expect.arrayContaining([`user:${doctor.userId}`, `chart:${ctx.ids.kin}`]));
    // events carry identifiers only
    expect(JSON.stringify(events.map((x) => x.payload))).not.toMatch(/"mrn"|"name"/);

    // an uploaded outside report of the patient (category lab_report) is linked; another category is refused
    const doc = async (category: string) =>
      (
        await ctx.sql.query<{ id: string }>(
          `INSERT INTO patient_documents (id, patient_id, clinic_id, category, title, filename, content_type, size_bytes, sha256,
             uploaded_by, source, storage_key, wrapped_key, iv, auth_tag)
           VALUES (gen_random_uuid(), $1, $2, $3, 'Outside report', 'r.pdf', 'application/pdf', 1, 'x', $4, 'staff',
             gen_random_uuid()::text, 'k', '\\x00', '\\x00') RETURNING id`,
          [ctx.ids.kinPatient, ctx.ids.kin, category, doctor.userId],
        )
      ).rows[0]!.id;
    const wrong = await doctor.req('POST', `/api/lab/orders/${o.id}/documents`, { documentId: await doc('imaging') }, KIN);
    expect([wrong.statusCode, wrong.json().error.details[0].field]).toEqual([400, 'documentId']);
    const report = await doc('lab_report');
    const linked = await doctor.req('POST', `/api/lab/orders/${o.id}/documents`, { documentId: report }, KIN);
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json<LabOrder>().documentIds).toEqual([report]);

    const code = (await ctx.sql.query<{ c: string }>('SELECT verification_code AS c FROM lab_orders WHERE id = $1', [o.id]))
      .rows[0]!.c;
    const check = await ctx.app.inject({ method: 'GET', url: `/api/verify/${code}` });
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json()).toMatchObject({ status: 'genuine', kind: 'lab_report' });
    expect(check.body).not.toMatch(/Patient|mrn/);
  });

  it('an outside order’s critical value (no orderer) is announced to the chart room and alerts the clinic', async () => {
    const lab = (ctx.app as unknown as { services: { lab: LabService } }).services.lab;
    const db = ctx.database.db;
    const r = await db.transaction((tx) =>
      lab.recordExternalResults(tx, {
        patientId: ctx.ids.kinPatient,
        clinicId: ctx.ids.kin,
        messageId: crypto.randomUUID(),
        observations: [{ testId: T.k, valueNumeric: 1.9, unit: 'mmol/L' }],
      }),
    );
    await r.announce();
    const alerts = (await doctor.req('GET', '/api/lab/alerts?status=open', undefined, KIN)).json<{ data: LabCriticalAlert[] }>();
    expect(alerts.data.find((a) => a.orderId === r.orderId)).toMatchObject({ orderedBy: null, result: { flag: 'LL' } });
  });
});
