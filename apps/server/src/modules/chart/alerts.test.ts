import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { News2Alert, Vitals } from '@sanita/contracts/chart';
import { buildApp } from '../../app.ts';
import { openDatabase } from '../../platform/db/database.ts';
import type { PublishedEvent } from '../../platform/realtime/events.ts';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import { startSmtp } from '../../../test/smtp.ts';

let ctx: TestContext;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let nurse: Session; // KIN
let doctor: Session; // KIN
let desk: Session; // receptionist, KIN
let admin: Session; // KIN
let goma: Session; // doctor of Goma
const KIN = { 'x-clinic-id': '' };
const events: PublishedEvent[] = [];
const sockets: Socket[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** NEWS2 exactly 5, no parameter at 3: RR 22 → 2, SpO2 95 → 1, pulse 95 → 1, 38.5 °C → 1. */
const TOTAL_5 = {
  respiratoryRate: 22,
  spo2: 95,
  onOxygen: false,
  systolic: 128,
  diastolic: 82,
  heartRate: 95,
  consciousness: 'A',
  temperature: 38.5,
} as const;
/** NEWS2 4, no parameter at 3 (38.5 °C → 37.0). */
const TOTAL_4 = { ...TOTAL_5, temperature: 37.0 } as const;
/** NEWS2 3, all of it new confusion: a single parameter at 3. */
const SINGLE_3 = {
  respiratoryRate: 16,
  spo2: 97,
  onOxygen: false,
  systolic: 128,
  heartRate: 76,
  consciousness: 'C',
  temperature: 37.0,
} as const;
/** NEWS2 8 (RR 26 → 3, SpO2 95 → 1, pulse 135 → 3, 38.5 °C → 1): high. */
const HIGH = { ...TOTAL_5, respiratoryRate: 26, heartRate: 135 } as const;

let serial = 0;
async function kinshasaPatient(s = admin): Promise<string> {
  serial += 1;
  const res = await s.req(
    'POST',
    '/api/patients',
    { givenName: 'Alert', familyName: `News${serial}`, sex: 'male', birthDate: '1958-02-11', allowDuplicate: true },
    KIN,
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

const record = async (patientId: string, body: unknown, s = nurse) => {
  const res = await s.req('POST', `/api/patients/${patientId}/vitals`, body, KIN);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Vitals>();
};
const alertsOf = async (patientId: string, s = doctor) => {
  const res = await s.req('GET', `/api/patients/${patientId}/news2-alerts`, undefined, KIN);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ data: News2Alert[] }>().data;
};
const acknowledge = (id: string, s: Session, body: unknown = {}, clinic = KIN) =>
  s.req('POST', `/api/news2-alerts/${id}/acknowledge`, body, clinic);
const one = async <T>(q: string, p: unknown[] = []) => (await ctx.sql.query(q, p)).rows[0] as T;
const escalationJobs = async (alertId: string) =>
  (
    await ctx.sql.query<{ level: number; start_after: Date; state: string }>(
      `SELECT (data->>'level')::int AS level, start_after, state FROM pgboss.job
        WHERE name = 'news2.escalate' AND data->>'alertId' = $1 ORDER BY (data->>'level')::int`,
      [alertId],
    )
  ).rows;
/** Makes the queued escalation of an alert due now, as if its minutes had passed. */
const makeDue = async (alertId: string) =>
  (
    await ctx.sql.query(
      `UPDATE pgboss.job SET start_after = now() WHERE name = 'news2.escalate' AND state = 'created' AND data->>'alertId' = $1`,
      [alertId],
    )
  ).rowCount ?? 0;
async function until<T>(probe: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await sleep(100);
  }
}

beforeAll(async () => {
  smtp = await startSmtp();
  ctx = await createTestContext({ smtpUrl: smtp.url });
  KIN['x-clinic-id'] = ctx.ids.kin;
  ctx.app.services.events.subscribe((e) => events.push(e));
  [nurse, doctor, desk, admin, goma] = (await Promise.all(
    ['nurse', 'doctor', 'receptionist', 'admin', 'doctor.goma'].map((r) => ctx.login(`${r}@sanita.test`)),
  )) as [Session, Session, Session, Session, Session];
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await ctx?.close();
  await smtp?.close();
});

describe('raising', () => {
  it('a set scoring exactly 5 raises an open alert (trigger total) in the transaction of the set', async () => {
    const patientId = await kinshasaPatient();
    const v = await record(patientId, TOTAL_5);
    expect(v.news2).toMatchObject({ total: 5, risk: 'medium', alert: true });
    const [a, ...rest] = await alertsOf(patientId);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      patientId,
      clinicId: ctx.ids.kin,
      vitalsId: v.id,
      total: 5,
      risk: 'medium',
      trigger: 'total',
      status: 'open',
      acknowledgedBy: null,
      acknowledgedAt: null,
      escalationLevel: 0,
      escalatedAt: null,
    });
    expect(a!.raisedAt).toBe(v.recordedAt);
  });

  it('a single parameter at 3 raises one (trigger single_parameter, risk low–medium) though the total is 3', async () => {
    const patientId = await kinshasaPatient();
    const v = await record(patientId, SINGLE_3);
    expect(v.news2).toMatchObject({ total: 3, risk: 'low_medium' });
    expect(await alertsOf(patientId)).toEqual([
      expect.objectContaining({ vitalsId: v.id, total: 3, risk: 'low_medium', trigger: 'single_parameter', status: 'open' }),
    ]);
  });

  it('a total of 4 without a 3 raises none, nor does an incomplete set', async () => {
    const patientId = await kinshasaPatient();
    const v = await record(patientId, TOTAL_4);
    expect(v.news2).toMatchObject({ total: 4, alert: false });
    await record(patientId, { heartRate: 140, systolic: 85 });
    expect(await alertsOf(patientId)).toEqual([]);
    expect(await escalationJobs(v.id)).toEqual([]);
  });

  it('a set refused as invalid leaves no alert behind', async () => {
    const patientId = await kinshasaPatient();
    const res = await nurse.req('POST', `/api/patients/${patientId}/vitals`, { ...HIGH, weightKg: 400, heightCm: 40 }, KIN);
    expect(res.statusCode).toBe(400);
    expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM news2_alerts WHERE patient_id = $1', [patientId])).n).toBe(
      0,
    );
  });

  it('queues its escalation for raised + the clinic’s minutes (15 by default)', async () => {
    const patientId = await kinshasaPatient();
    await record(patientId, HIGH);
    const [a] = await alertsOf(patientId);
    const jobs = await escalationJobs(a!.id);
    expect(jobs).toEqual([expect.objectContaining({ level: 1, state: 'created' })]);
    expect(jobs[0]!.start_after.getTime()).toBe(Date.parse(a!.raisedAt) + 15 * 60_000);
  });
});

describe('live', () => {
  it('is published to the clinic’s chart room with ids, total and risk only', async () => {
    const patientId = await kinshasaPatient();
    const from = events.length;
    const v = await record(patientId, HIGH);
    const [a] = await alertsOf(patientId);
    const published = events.slice(from).filter((e) => e.name.startsWith('news2.'));
    expect(published).toEqual([
      {
        name: 'news2.alert.raised',
        payload: { alertId: a!.id, patientId, clinicId: ctx.ids.kin, vitalsId: v.id, total: 8, risk: 'high' },
        rooms: [`chart:${ctx.ids.kin}`],
      },
    ]);
  });

  it('reaches a Kinshasa doctor’s socket, not a Kinshasa receptionist’s nor a Goma doctor’s', async () => {
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    const listeners = [doctor, desk, goma].map((s) => {
      const socket = connect(base, { path: '/socket.io', transports: ['websocket'], auth: { token: s.token }, forceNew: true });
      sockets.push(socket);
      const got: { name: string; payload: { alertId?: string; practitionerId?: string } }[] = [];
      socket.onAny((name: string, payload) => got.push({ name, payload }));
      return { socket, got, userId: s.userId };
    });
    await Promise.all(
      listeners.map(
        (l) =>
          new Promise<void>((resolve, reject) => {
            if (l.socket.connected) resolve();
            l.socket.once('connect', () => resolve());
            l.socket.once('connect_error', reject);
          }),
      ),
    );
    const [doc, front, other] = listeners as [(typeof listeners)[0], (typeof listeners)[0], (typeof listeners)[0]];
    const patientId = await kinshasaPatient();
    await record(patientId, TOTAL_5);
    const [a] = await alertsOf(patientId);
    const raised = await until(async () => doc.got.find((e) => e.name === 'news2.alert.raised' && e.payload.alertId === a!.id));
    // ids and the score only: no name, no MRN
    expect(Object.keys(raised.payload).sort()).toEqual(['alertId', 'clinicId', 'patientId', 'risk', 'total', 'vitalsId']);
    // a marker to each user's own room arrives after anything published before it (one socket, in order)
    const marker = crypto.randomUUID();
    for (const l of [front, other])
      ctx.app.services.events.publish('availability.changed', { practitionerId: marker, clinicId: null }, [`user:${l.userId}`]);
    await until(async () => [front, other].every((l) => l.got.some((e) => e.payload?.practitionerId === marker)));
    expect(front.got.filter((e) => e.name.startsWith('news2.'))).toEqual([]);
    expect(other.got.filter((e) => e.name.startsWith('news2.'))).toEqual([]);
  });
});

describe('the clinic’s list and acknowledging', () => {
  it('lists the clinic’s open alerts with the patients’ names and MRNs, audited as one read naming them', async () => {
    const patientId = await kinshasaPatient();
    await record(patientId, HIGH);
    const since = await lastAuditId(ctx.sql);
    const res = await nurse.req('GET', '/api/news2-alerts?status=open', undefined, KIN);
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json<{ data: News2Alert[] }>().data;
    const mine = data.find((a) => a.patientId === patientId);
    expect(mine).toMatchObject({
      status: 'open',
      total: 8,
      patient: { id: patientId, name: expect.stringMatching(/^Alert News/) },
    });
    expect(mine!.patient!.mrn).toMatch(/^KIN/);
    expect(data.every((a) => a.status === 'open' && a.clinicId === ctx.ids.kin)).toBe(true);
    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'news2_alert.list');
    expect(rows).toEqual([expect.objectContaining({ outcome: 'success', actor_user_id: nurse.userId })]);
    const { details } = await one<{ details: { patientIds: string[]; alertIds: string[] } }>(
      `SELECT details FROM audit_log WHERE action = 'news2_alert.list' ORDER BY id DESC LIMIT 1`,
    );
    expect(details.patientIds).toContain(patientId);
    expect(details.alertIds).toEqual(data.map((a) => a.id));
    // Goma's list does not show Kinshasa's; the front desk may not read it
    const gomaList = (await goma.req('GET', '/api/news2-alerts')).json<{ data: News2Alert[] }>().data;
    expect(gomaList.some((a) => a.patientId === patientId)).toBe(false);
    expect((await desk.req('GET', '/api/news2-alerts', undefined, KIN)).statusCode).toBe(403);
  });

  it('acknowledging records who and when; a second time is 409; the alert leaves the open list', async () => {
    const patientId = await kinshasaPatient();
    await record(patientId, HIGH);
    const [a] = await alertsOf(patientId);
    const before = Date.now();
    const res = await acknowledge(a!.id, doctor, { note: 'Seen, antibiotics started' });
    expect(res.statusCode, res.body).toBe(200);
    const acked = res.json<News2Alert>();
    expect(acked).toMatchObject({
      id: a!.id,
      status: 'acknowledged',
      acknowledgedBy: { id: doctor.userId, name: 'Dr Amani Mukendi' },
      note: 'Seen, antibiotics started',
    });
    expect(Date.parse(acked.acknowledgedAt!)).toBeGreaterThanOrEqual(before - 1000);
    expect((await alertsOf(patientId))[0]).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: doctor.userId } });
    const again = await acknowledge(a!.id, nurse);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALERT_ALREADY_ACKNOWLEDGED');
    const open = (await nurse.req('GET', '/api/news2-alerts', undefined, KIN)).json<{ data: News2Alert[] }>().data;
    expect(open.some((x) => x.id === a!.id)).toBe(false);
    const audit = await one<{ actor_user_id: string; patient_id: string; outcome: string }>(
      `SELECT actor_user_id, patient_id, outcome FROM audit_log WHERE action = 'news2_alert.acknowledge' AND resource_id = $1`,
      [a!.id],
    );
    expect(audit).toEqual({ actor_user_id: doctor.userId, patient_id: patientId, outcome: 'success' });
    // an acknowledged alert no longer escalates
    expect(await makeDue(a!.id)).toBe(1);
    await until(async () => (await escalationJobs(a!.id)).every((j) => j.state === 'completed'));
    expect((await alertsOf(patientId))[0]!.escalationLevel).toBe(0);
  });

  it('two acknowledgements at once: one 200, one 409', async () => {
    const patientId = await kinshasaPatient();
    await record(patientId, HIGH);
    const [a] = await alertsOf(patientId);
    const codes = (await Promise.all([acknowledge(a!.id, doctor), acknowledge(a!.id, nurse)])).map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409]);
  });

  it('the front desk is refused (403), another clinic sees no such alert (404), both audited as denied', async () => {
    const patientId = await kinshasaPatient();
    await record(patientId, HIGH);
    const [a] = await alertsOf(patientId);
    const since = await lastAuditId(ctx.sql);
    expect((await acknowledge(a!.id, desk)).statusCode).toBe(403);
    const other = await acknowledge(a!.id, goma, {}, { 'x-clinic-id': ctx.ids.gom });
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain(patientId);
    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'news2_alert.acknowledge');
    expect(rows.map((r) => [r.outcome, r.patient_id])).toEqual([
      ['denied', null],
      ['denied', null],
    ]);
    expect((await alertsOf(patientId))[0]!.status).toBe('open');
  });
});

describe('settings', () => {
  it('15 minutes by default; a clinic admin changes them, a nurse may not; bounds are checked', async () => {
    expect((await nurse.req('GET', '/api/news2-alerts/settings', undefined, KIN)).json()).toEqual({ escalationMinutes: 15 });
    expect((await nurse.req('PUT', '/api/news2-alerts/settings', { escalationMinutes: 5 }, KIN)).statusCode).toBe(403);
    const bad = await admin.req('PUT', '/api/news2-alerts/settings', { escalationMinutes: 0 }, KIN);
    expect(bad.statusCode).toBe(400);
    const ok = await admin.req('PUT', '/api/news2-alerts/settings', { escalationMinutes: 30 }, KIN);
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await doctor.req('GET', '/api/news2-alerts/settings', undefined, KIN)).json()).toEqual({ escalationMinutes: 30 });
    // Goma keeps its own
    expect((await goma.req('GET', '/api/news2-alerts/settings')).json()).toEqual({ escalationMinutes: 15 });
    const patientId = await kinshasaPatient();
    await record(patientId, HIGH);
    const [a] = await alertsOf(patientId);
    expect((await escalationJobs(a!.id))[0]!.start_after.getTime()).toBe(Date.parse(a!.raisedAt) + 30 * 60_000);
    await admin.req('PUT', '/api/news2-alerts/settings', { escalationMinutes: 15 }, KIN);
  });
});

describe('escalation', () => {
  it('an alert still open when its time comes rises a level, tells the room, e-mails the clinic’s doctors (no patient data), and queues the next', async () => {
    const patientId = await kinshasaPatient();
    await record(patientId, HIGH);
    const [a] = await alertsOf(patientId);
    const from = events.length;
    expect(await makeDue(a!.id)).toBe(1);
    const mail = await smtp.waitFor('doctor@sanita.test', 10_000);
    expect(mail.text).toContain('Kinshasa');
    expect(mail.text).toContain('http://sanita.test/');
    const patient = await one<{ mrn: string; given_name: string; family_name: string }>(
      'SELECT mrn, given_name, family_name FROM patients WHERE id = $1',
      [patientId],
    );
    for (const secret of [patient.mrn, patient.family_name, patientId]) expect(mail.raw).not.toContain(secret);
    // doctors of Goma are not e-mailed about Kinshasa
    expect(smtp.mails.some((m) => m.to.includes('doctor.goma@sanita.test'))).toBe(false);
    const escalated = await until(
      async () => (await alertsOf(patientId))[0]!.escalationLevel === 1 && (await alertsOf(patientId))[0],
    );
    expect(escalated.status).toBe('open');
    const jobs = await until(async () => {
      const j = await escalationJobs(a!.id);
      return j.length === 2 && j;
    });
    expect(jobs[1]!).toMatchObject({ level: 2, state: 'created' });
    expect(jobs[1]!.start_after.getTime()).toBe(Date.parse(escalated.escalatedAt!) + 15 * 60_000);
    const published = events.slice(from).filter((e) => e.name === 'news2.alert.escalated');
    expect(published).toEqual([
      {
        name: 'news2.alert.escalated',
        payload: { alertId: a!.id, patientId, clinicId: ctx.ids.kin, level: 1, total: 8, risk: 'high' },
        rooms: [`chart:${ctx.ids.kin}`],
      },
    ]);
    // running the same level again changes nothing and mails nobody
    expect(await ctx.app.services.news2Alerts.escalate(a!.id, 1)).toBe('ignored');
    await sleep(500);
    expect(smtp.mails.filter((m) => m.to.includes('doctor@sanita.test'))).toEqual([]);
    const audit = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'news2_alert.escalate' AND resource_id = $1 AND patient_id = $2`,
      [a!.id, patientId],
    );
    expect(audit.n).toBe(1);
  });

  it('survives a restart: the job queued by a process that stopped escalates on the next one', async () => {
    const database = openDatabase(ctx.appUrl, 4);
    const first = await buildApp({ config: { ...ctx.config, smtpUrl: undefined }, database });
    await first.ready();
    const patientId = await kinshasaPatient();
    const res = await first.inject({
      method: 'POST',
      url: `/api/patients/${patientId}/vitals`,
      headers: { authorization: `Bearer ${nurse.token}`, 'x-clinic-id': ctx.ids.kin },
      payload: HIGH,
    });
    expect(res.statusCode, res.body).toBe(201);
    await first.close();
    await database.close();
    // the process that raised it is gone; its job is in the database
    const [a] = await alertsOf(patientId);
    expect(await escalationJobs(a!.id)).toEqual([expect.objectContaining({ level: 1, state: 'created' })]);
    expect(await makeDue(a!.id)).toBe(1);
    await smtp.waitFor('doctor@sanita.test', 10_000);
    await until(async () => (await alertsOf(patientId))[0]!.escalationLevel === 1);
  });
});

describe('a patient’s alerts', () => {
  it('needs chart:read at the patient’s clinic; the read and the refusals are audited', async () => {
    const patientId = await kinshasaPatient();
    await record(patientId, SINGLE_3);
    const since = await lastAuditId(ctx.sql);
    expect(await alertsOf(patientId, nurse)).toHaveLength(1);
    expect((await desk.req('GET', `/api/patients/${patientId}/news2-alerts`, undefined, KIN)).statusCode).toBe(403);
    expect((await goma.req('GET', `/api/patients/${patientId}/news2-alerts`)).statusCode).toBe(404);
    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'news2_alert.read');
    expect(rows.map((r) => [r.outcome, r.patient_id])).toEqual([
      ['success', patientId],
      ['denied', patientId],
      ['denied', patientId],
    ]);
  });
});
