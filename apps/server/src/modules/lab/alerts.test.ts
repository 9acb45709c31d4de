import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabCriticalAlert, LabOrder } from '@sanita/contracts/lab';
import { buildApp } from '../../app.ts';
import { openDatabase } from '../../platform/db/database.ts';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import { startSmtp } from '../../../test/smtp.ts';
import { encounter, labTests, type LabFixtureTests } from './lab.fixtures.ts';

let ctx: TestContext;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let doctor: Session;
let tech: Session;
let T: LabFixtureTests;
const KIN = { 'x-clinic-id': '' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const jobs = async (alertId: string) =>
  (
    await ctx.sql.query<{ level: number; state: string }>(
      `SELECT (data->>'level')::int AS level, state FROM pgboss.job
        WHERE name = 'lab.critical.escalate' AND data->>'alertId' = $1 ORDER BY (data->>'level')::int`,
      [alertId],
    )
  ).rows;
/** Makes the queued escalation of an alert due now, as if its minutes had passed. */
const makeDue = async (alertId: string) =>
  (
    await ctx.sql.query(
      `UPDATE pgboss.job SET start_after = now() WHERE name = 'lab.critical.escalate' AND state = 'created' AND data->>'alertId' = $1`,
      [alertId],
    )
  ).rowCount ?? 0;
const levelOf = async (alertId: string) =>
  (await ctx.sql.query<{ level: number }>('SELECT level FROM lab_critical_alerts WHERE id = $1', [alertId])).rows[0]!.level;
async function until<T>(probe: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await sleep(100);
  }
}

/** A critical potassium released for a Kinshasa patient, through the API of the app `app` (the test's by default). */
async function critical(
  inject = (m: string, url: string, body: unknown, s: Session) => s.req(m, url, body, KIN),
): Promise<string> {
  const enc = await encounter(ctx.sql, ctx.ids.kinPatient, ctx.ids.kin);
  let res = await inject('POST', `/api/patients/${ctx.ids.kinPatient}/lab-orders`, { encounterId: enc, testIds: [T.k] }, doctor);
  expect(res.statusCode, res.body).toBe(201);
  let o = res.json<LabOrder>();
  for (const path of ['collect', 'receive']) {
    res = await inject('POST', `/api/lab/orders/${o.id}/${path}`, { version: o.version }, tech);
    expect(res.statusCode, res.body).toBe(200);
    o = res.json<LabOrder>();
  }
  res = await inject(
    'POST',
    `/api/lab/orders/${o.id}/results`,
    { version: o.version, results: [{ orderItemId: o.items[0]!.id, testId: T.k, valueNumeric: 7.2 }] },
    tech,
  );
  o = res.json<LabOrder>();
  res = await inject(
    'POST',
    `/api/lab/orders/${o.id}/release`,
    { version: o.version, resultIds: [o.items[0]!.results[0]!.id] },
    tech,
  );
  expect(res.statusCode, res.body).toBe(200);
  const a = await ctx.sql.query<{ id: string }>('SELECT id FROM lab_critical_alerts WHERE order_id = $1', [o.id]);
  return a.rows[0]!.id;
}

beforeAll(async () => {
  smtp = await startSmtp();
  ctx = await createTestContext({ smtpUrl: smtp.url });
  KIN['x-clinic-id'] = ctx.ids.kin;
  [doctor, tech] = await Promise.all([ctx.login('doctor@sanita.test'), ctx.login('lab_technician@sanita.test')]);
  T = await labTests(ctx.sql);
});
afterAll(async () => {
  await ctx?.close();
  await smtp?.close();
});

describe('critical alerts', () => {
  it('e-mail the ordering doctor when raised, escalate to the doctors on duty while open, up to the last level; audited', async () => {
    const since = await lastAuditId(ctx.sql);
    const alertId = await critical();
    const mail = await smtp.waitFor('doctor@sanita.test', 10_000);
    expect(mail.raw).toMatch(/critical laboratory value|valeur critique/);
    // no patient data in e-mail
    expect(JSON.stringify(mail)).not.toMatch(/KIN-\d{7}/);
    expect(await jobs(alertId)).toEqual([expect.objectContaining({ level: 1, state: 'created' })]);
    expect(await makeDue(alertId)).toBe(1);
    await until(async () => (await levelOf(alertId)) === 1);
    await until(async () => (await jobs(alertId)).some((j) => j.level === 2));
    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.action.startsWith('lab_alert.'));
    expect(rows.map((r) => r.action)).toEqual(['lab_alert.raise', 'lab_alert.escalate']);
    expect(rows.every((r) => r.patient_id === ctx.ids.kinPatient)).toBe(true);

    // acknowledged: the next escalation does nothing
    const ack = await doctor.req('POST', `/api/lab/alerts/${alertId}/acknowledge`, { note: 'Seen' }, KIN);
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json<LabCriticalAlert>()).toMatchObject({ status: 'acknowledged', level: 1, note: 'Seen' });
    await makeDue(alertId);
    await until(async () => (await jobs(alertId)).every((j) => j.state !== 'created'));
    expect(await levelOf(alertId)).toBe(1);
    const list = (await doctor.req('GET', '/api/lab/alerts?status=acknowledged&mine=true', undefined, KIN)).json<{
      data: LabCriticalAlert[];
    }>();
    expect(list.data.map((a) => a.id)).toContain(alertId);
  });

  it('survive a restart: the job queued by a process that stopped escalates on the next one', async () => {
    const database = openDatabase(ctx.appUrl, 4);
    const first = await buildApp({ config: { ...ctx.config, smtpUrl: undefined }, database });
    await first.ready();
    const alertId = await critical((method, url, payload, s) =>
      first.inject({
        method: method as 'POST',
        url,
        headers: { authorization: `Bearer ${s.token}`, 'x-clinic-id': ctx.ids.kin },
        payload: payload as object,
      }),
    );
    await first.close();
    await database.close();
    // the process that raised it is gone; its job is in the database, and the test's app works it
    expect(await jobs(alertId)).toEqual([expect.objectContaining({ level: 1, state: 'created' })]);
    expect(await makeDue(alertId)).toBe(1);
    await until(async () => (await levelOf(alertId)) === 1);
  });

  it('seeded or lost jobs are queued again at start', async () => {
    const alertId = await critical();
    await ctx.sql.query(`DELETE FROM pgboss.job WHERE name = 'lab.critical.escalate' AND data->>'alertId' = $1`, [alertId]);
    const alerts = (ctx.app as unknown as { services: { labAlerts: { enqueuePending(): Promise<number> } } }).services.labAlerts;
    expect(await alerts.enqueuePending()).toBeGreaterThan(0);
    expect(await jobs(alertId)).toEqual([expect.objectContaining({ level: 1 })]);
  });
});
