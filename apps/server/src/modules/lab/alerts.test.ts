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

  it('escalate to the doctors on duty (a weekly availability now, no closure), else to every doctor of the clinic', async () => {
    const alerts = (ctx.app as unknown as { services: { labAlerts: { escalate(id: string, level: number): Promise<string> } } })
      .services.labAlerts;
    const doctorId = ctx.ids.users['doctor@sanita.test']!;
    const practitioner =
      (await ctx.sql.query<{ id: string }>('SELECT id FROM practitioners WHERE user_id = $1', [doctorId])).rows[0]?.id ??
      (
        await ctx.sql.query<{ id: string }>(
          `INSERT INTO practitioners (user_id, display_name) VALUES ($1, 'Dr On Duty') RETURNING id`,
          [doctorId],
        )
      ).rows[0]!.id;
    // on duty all of today, in the clinic's time
    await ctx.sql.query(
      `INSERT INTO availability_templates (practitioner_id, clinic_id, weekday, start_time, end_time, slot_minutes)
       SELECT $1, c.id, extract(isodow FROM now() AT TIME ZONE c.timezone), '00:00', '23:59:59', 20 FROM clinics c WHERE c.id = $2`,
      [practitioner, ctx.ids.kin],
    );
    const notified = async (alertId: string) =>
      (
        await ctx.sql.query<{ details: { onDuty: boolean; doctorsNotified: string[] } }>(
          `SELECT details FROM audit_log WHERE action = 'lab_alert.escalate' AND resource_id = $1`,
          [alertId],
        )
      ).rows[0]!.details;
    const onDuty = await critical();
    expect(await alerts.escalate(onDuty, 1)).toBe('escalated');
    expect(await notified(onDuty)).toMatchObject({ onDuty: true, doctorsNotified: expect.arrayContaining([doctorId]) });

    // the clinic closed now: nobody is on duty, every doctor of the clinic is told
    await ctx.sql.query(
      `INSERT INTO availability_exceptions (clinic_id, kind, starts_at, ends_at, reason)
       VALUES ($1, 'closure', now() - interval '1 hour', now() + interval '1 hour', 'Test')`,
      [ctx.ids.kin],
    );
    const closed = await critical();
    expect(await alerts.escalate(closed, 1)).toBe('escalated');
    const all = (
      await ctx.sql.query<{ id: string }>(
        `SELECT DISTINCT u.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.clinic_id = $1 AND m.role_id = 'doctor' AND u.active`,
        [ctx.ids.kin],
      )
    ).rows.map((r) => r.id);
    const told = await notified(closed);
    expect(told.onDuty).toBe(false);
    expect([...told.doctorsNotified].sort()).toEqual(all.sort());
    // a level already reached is not escalated twice
    expect(await alerts.escalate(closed, 1)).toBe('ignored');
  });
});
