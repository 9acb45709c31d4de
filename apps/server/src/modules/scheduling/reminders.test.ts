import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { buildApp } from '../../app.ts';
import { openDatabase } from '../../platform/db/database.ts';
import { RemindersService } from './reminders.service.ts';
import { createTestContext, type Session, type TestContext } from '../../../test/helpers.ts';
import { startSmtp } from '../../../test/smtp.ts';
import { ownPractitioner } from '../../seed/test-practitioners.ts';

let ctx: TestContext;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let desk: Session;
let drAmani: string;
let consultation: string;
const EMAIL = 'reminder.patient@example.test';
const PHONE = '243810000111';

const one = async <T = Record<string, unknown>>(q: string, p: unknown[] = []) => (await ctx.sql.query(q, p)).rows[0] as T;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cursor = 0;
async function book(session = desk, app = ctx.app, patientId = ctx.ids.kinPatient) {
  const from = DateTime.now().setZone('Africa/Kinshasa').plus({ days: 3 }).toISODate()!;
  const to = DateTime.now().setZone('Africa/Kinshasa').plus({ days: 9 }).toISODate()!;
  const slots = await session.req(
    'GET',
    `/api/practitioners/${drAmani}/slots?clinicId=${ctx.ids.kin}&visitTypeId=${consultation}&from=${from}&to=${to}`,
  );
  const startsAt = slots.json<{ data: { startsAt: string }[] }>().data[cursor++]!.startsAt;
  const res = await app.inject({
    method: 'POST',
    url: '/api/appointments',
    headers: { authorization: `Bearer ${session.token}` },
    payload: { patientId, practitionerId: drAmani, visitTypeId: consultation, startsAt },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; startsAt: string }>();
}

async function reminderIds(appointmentId: string, channel = 'email') {
  const { rows } = await ctx.sql.query<{ id: string }>(
    `SELECT id FROM appointment_reminders WHERE appointment_id = $1 AND channel = $2 ORDER BY lead_minutes DESC`,
    [appointmentId, channel],
  );
  return rows.map((r) => r.id);
}

/** Makes the queued reminder jobs of an appointment due now, as if its day had come. */
async function makeDue(appointmentId: string): Promise<number> {
  const ids = await reminderIds(appointmentId, 'email');
  ids.push(...(await reminderIds(appointmentId, 'sms')));
  const res = await ctx.sql.query(
    `UPDATE pgboss.job SET start_after = now() WHERE name = 'appointment.reminder' AND state = 'created' AND data->>'reminderId' = ANY($1)`,
    [ids],
  );
  return res.rowCount ?? 0;
}

/** The text messages sent to this test's patient (other modules' reminders, e.g. a payment plan's, go to other people). */
function smsFiles(dataDir: string): string[] {
  const dir = path.join(dataDir, 'outbox', 'sms');
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
        .filter((text) => text.includes(`To: ${PHONE}`))
    : [];
}

beforeAll(async () => {
  smtp = await startSmtp();
  ctx = await createTestContext({ smtpUrl: smtp.url });
  desk = await ctx.login('receptionist@sanita.test');
  // the demo doctor's hours with an empty diary (the demo doctor has a full day today)
  drAmani = (await ownPractitioner(ctx.sql, 'Dr Amani Mukendi', { displayName: 'Dr Ada Mukendi' })).id;
  consultation = (await one<{ id: string }>(`SELECT id FROM visit_types WHERE code = 'consultation'`)).id;
  await ctx.sql.query(`UPDATE patients SET email = $2, phones = $3, preferred_language = 'fr' WHERE id = $1`, [
    ctx.ids.kinPatient,
    EMAIL,
    [PHONE],
  ]);
});
afterAll(async () => {
  await ctx?.close();
  await smtp?.close();
});

describe('appointment reminders', () => {
  it('queues one durable job per reminder and delivers the email in the patient’s language and the clinic’s time', async () => {
    const a = await book();
    const jobs = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM pgboss.job j JOIN appointment_reminders r ON r.id::text = j.data->>'reminderId'
        WHERE j.name = 'appointment.reminder' AND r.appointment_id = $1 AND j.start_after = r.due_at`,
      [a.id],
    );
    expect(jobs.n).toBe(4);
    // the appointment shows its reminders to the front desk: what goes out, when
    const shown = async () =>
      (await desk.req('GET', `/api/appointments/${a.id}`)).json().reminders as {
        channel: string;
        status: string;
        sentAt: string | null;
      }[];
    const before = await shown();
    expect(before.map((r) => [r.channel, r.status])).toEqual(
      expect.arrayContaining([
        ['email', 'scheduled'],
        ['sms', 'scheduled'],
      ]),
    );
    expect(before).toHaveLength(4);
    expect(await makeDue(a.id)).toBe(4);
    const mail = await smtp.waitFor(EMAIL, 10_000);
    const local = DateTime.fromISO(a.startsAt).setZone('Africa/Kinshasa');
    expect(mail.text).toContain(`à ${local.toFormat('HH:mm')}`);
    expect(mail.text).toContain(local.setLocale('fr').toFormat('d LLLL yyyy'));
    expect(mail.text).toContain('Dr Ada Mukendi');
    expect(mail.text).toContain('Clinique Sanita Kinshasa');
    expect(mail.to).toEqual([EMAIL]);
    await smtp.waitFor(EMAIL, 10_000); // the second lead time
    for (let i = 0; i < 100 && smsFiles(ctx.config.dataDir).length < 2; i++) await sleep(100);
    const sms = smsFiles(ctx.config.dataDir);
    expect(sms).toHaveLength(2);
    expect(sms[0]).toContain(`To: ${PHONE}`);
    expect(sms[0]).toContain(local.toFormat('HH:mm'));
    // a message leaves inside its transaction: the row says sent once that commits
    const statuses = () => ctx.sql.query(`SELECT DISTINCT status FROM appointment_reminders WHERE appointment_id = $1`, [a.id]);
    for (let i = 0; i < 50 && (await statuses()).rows.length > 1; i++) await sleep(100);
    expect((await statuses()).rows).toEqual([{ status: 'sent' }]);
    expect((await shown()).every((r) => r.status === 'sent' && r.sentAt !== null)).toBe(true);
  });

  it('sends a reminder once even when its job runs twice at the same time', async () => {
    const a = await book();
    const [id] = await reminderIds(a.id);
    const svc = ctx.app.services.reminders;
    const outcomes = await Promise.all([svc.deliver(id!), svc.deliver(id!), svc.deliver(id!)]);
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    await smtp.waitFor(EMAIL, 5000);
    await makeDue(a.id); // the real job comes too, and finds it sent
    await sleep(2500);
    // only the other lead time's reminder arrives; the one already sent is not sent again
    expect(smtp.mails.filter((m) => m.to.includes(EMAIL))).toHaveLength(1);
    const n = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'appointment.reminder.sent' AND details->>'channel' = 'email' AND resource_id = $1`,
      [a.id],
    );
    expect(n.n).toBe(2); // the two lead times, each once
    smtp.mails.length = 0;
  });

  it('sends nothing after a cancellation', async () => {
    const a = await book();
    const res = await desk.req('POST', `/api/appointments/${a.id}/cancel`, { reason: 'patient called' });
    expect(res.statusCode).toBe(200);
    const before = smsFiles(ctx.config.dataDir).length;
    await makeDue(a.id);
    await sleep(2500);
    expect(smtp.mails.filter((m) => m.to.includes(EMAIL))).toHaveLength(0);
    expect(smsFiles(ctx.config.dataDir)).toHaveLength(before);
    const [id] = await reminderIds(a.id);
    expect(await ctx.app.services.reminders.deliver(id!)).toBe('ignored');
    const shown = (await desk.req('GET', `/api/appointments/${a.id}`)).json().reminders as { status: string }[];
    expect(shown.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
  });

  it('survives a restart: a job queued by a process that stopped is delivered by the next one, once', async () => {
    const database = openDatabase(ctx.appUrl, 4);
    const first = await buildApp({ config: { ...ctx.config, smtpUrl: undefined }, database });
    await first.ready();
    const a = await book(desk, first);
    await first.close();
    await database.close();
    // the process that booked is gone; the queued jobs are in the database
    expect(await makeDue(a.id)).toBe(4);
    const mail = await smtp.waitFor(EMAIL, 10_000);
    expect(mail.text).toContain(DateTime.fromISO(a.startsAt).setZone('Africa/Kinshasa').toFormat('HH:mm'));
    await smtp.waitFor(EMAIL, 10_000);
    await sleep(1500);
    expect(smtp.mails.filter((m) => m.to.includes(EMAIL))).toHaveLength(0);
  });

  it('marks a reminder failed, and audits it, when its last attempt cannot reach the provider', async () => {
    const a = await book();
    const [id] = await reminderIds(a.id, 'sms');
    const failing = new RemindersService(
      ctx.database.db,
      ctx.app.services.jobs,
      ctx.app.services.mailer,
      { send: () => Promise.reject(new Error(`gateway refused ${PHONE}`)) },
      'http://sanita.test',
    );
    // an attempt with retries left rolls back: the reminder stays scheduled for the next one
    await expect(failing.deliver(id!, false)).rejects.toThrow('gateway refused');
    const status = async () =>
      one<{ status: string; error: string | null }>('SELECT status, error FROM appointment_reminders WHERE id = $1', [id]);
    expect(await status()).toEqual({ status: 'scheduled', error: null });
    expect(await failing.deliver(id!, true)).toBe('failed');
    expect(await status()).toEqual({ status: 'failed', error: `gateway refused ${PHONE}` });
    const audit = await one<{ outcome: string; patient_id: string; details: { channel: string } }>(
      `SELECT outcome, patient_id, details FROM audit_log WHERE action = 'appointment.reminder.failed' AND resource_id = $1`,
      [a.id],
    );
    expect(audit).toMatchObject({ outcome: 'failure', patient_id: ctx.ids.kinPatient, details: { channel: 'sms' } });
    // a failed reminder is not sent by a later run of its job
    expect(await ctx.app.services.reminders.deliver(id!)).toBe('ignored');
  });
});

describe('who is reminded, and when not', () => {
  it('plans email reminders only with an email address, SMS only with a phone, none with neither', async () => {
    const register = async (extra: Record<string, unknown>) => {
      const res = await desk.req(
        'POST',
        '/api/patients',
        {
          givenName: 'Rappel',
          familyName: `Contact${cursor}`,
          sex: 'male',
          birthDate: '1970-01-01',
          allowDuplicate: true,
          ...extra,
        },
        { 'x-clinic-id': ctx.ids.kin },
      );
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const channels = async (patientId: string) => {
      const a = await book(desk, ctx.app, patientId);
      const { rows } = await ctx.sql.query<{ channel: string }>(
        `SELECT DISTINCT channel FROM appointment_reminders WHERE appointment_id = $1 ORDER BY 1`,
        [a.id],
      );
      return rows.map((r) => r.channel);
    };
    expect(await channels(await register({ phones: ['+243 81 555 0101'] }))).toEqual(['sms']);
    expect(await channels(await register({ email: 'only.mail@example.test' }))).toEqual(['email']);
    expect(await channels(await register({}))).toEqual([]);
  });

  it('a visit checked in, completed or cancelled shows no reminder as due, and none is sent', async () => {
    const a = await book();
    const svc = ctx.app.services.appointments;
    // a visit of today checked in: its pending reminders end
    await ctx.sql.query(
      `UPDATE appointments SET starts_at = now() + interval '30 minutes', ends_at = now() + interval '50 minutes',
         block_ends_at = now() + interval '55 minutes' WHERE id = $1`,
      [a.id],
    );
    const local = DateTime.now().setZone('Africa/Kinshasa');
    if (local.plus({ minutes: 30 }).day === local.day) {
      await ctx.database.db.transaction((tx) => svc.checkIn(tx, a.id, ctx.ids.kin));
      const view = (await desk.req('GET', `/api/appointments/${a.id}`)).json<{ reminders: { status: string }[] }>();
      expect(view.reminders.length).toBeGreaterThan(0);
      expect(view.reminders.filter((r) => r.status === 'scheduled')).toEqual([]);
      expect(await makeDue(a.id)).toBeGreaterThan(0);
      await sleep(2500);
      const sent = await ctx.sql.query(`SELECT status FROM appointment_reminders WHERE appointment_id = $1`, [a.id]);
      expect(sent.rows.map((r) => r.status)).toEqual(sent.rows.map(() => 'cancelled'));
    }
    // an older appointment already completed whose reminders were never sent: the drawer does not call them due
    const b = await book();
    await ctx.sql.query(`UPDATE appointments SET status = 'completed' WHERE id = $1`, [b.id]);
    const view = (await desk.req('GET', `/api/appointments/${b.id}`)).json<{ reminders: { status: string }[] }>();
    expect(view.reminders.map((r) => r.status)).toEqual(view.reminders.map(() => 'cancelled'));
  });
});

describe('the demo data', () => {
  // last in the file: the jobs it queues for seeded reminders already due may send while it runs
  it('seeds the reminders of upcoming booked visits, and a first start queues one job each, once', async () => {
    // seeded visits were booked days ago (the ones this file books were booked just now)
    const upcoming = `FROM appointments a WHERE a.status = 'booked' AND a.starts_at > now() + interval '25 hours'
                         AND a.created_at < now() - interval '12 hours'`;
    const counts = await one<{ appointments: number; reminders: number; scheduled: number; reachable: number }>(
      `SELECT (SELECT count(*)::int ${upcoming}) AS appointments,
              (SELECT (sum(CASE WHEN coalesce(btrim(p.email), '') <> '' THEN 2 ELSE 0 END)
                    + sum(CASE WHEN cardinality(p.phones) > 0 THEN 2 ELSE 0 END))::int
                 FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE a.id IN (SELECT a.id ${upcoming})) AS reachable,
              (SELECT count(*)::int FROM appointment_reminders r WHERE r.appointment_id IN (SELECT a.id ${upcoming})) AS reminders,
              (SELECT count(*)::int FROM appointment_reminders r WHERE r.status = 'scheduled'
                  AND r.appointment_id IN (SELECT a.id ${upcoming})) AS scheduled`,
    );
    expect(counts.appointments).toBeGreaterThan(20);
    // email and SMS, one day and two hours before (the clinic's default rules), on the channels each patient has
    expect(counts.reminders).toBe(counts.reachable);
    expect(counts.reminders).toBeGreaterThan(counts.appointments);
    expect(counts.scheduled).toBe(counts.reminders);

    const jobs = () =>
      one<{ n: number; wrong: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE j.start_after <> r.due_at)::int AS wrong
           FROM pgboss.job j JOIN appointment_reminders r ON r.id::text = j.data->>'reminderId'
          WHERE j.name = 'appointment.reminder' AND r.appointment_id IN (SELECT a.id ${upcoming})`,
      );
    expect((await jobs()).n).toBe(0);
    expect(await ctx.app.services.reminders.enqueueScheduled()).toBeGreaterThanOrEqual(counts.scheduled);
    expect(await jobs()).toEqual({ n: counts.scheduled, wrong: 0 });
    await ctx.app.services.reminders.enqueueScheduled();
    expect((await jobs()).n).toBe(counts.scheduled);
  });
});
