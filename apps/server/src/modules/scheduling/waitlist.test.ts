import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import { startSmtp } from '../../../test/smtp.ts';
import type { PublishedEvent } from '../../platform/realtime/events.ts';

let ctx: TestContext;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let desk: Session;
let portal: Session;
let drNgoy: string;
let surgery: string;
let consultation: string;
let patientA: string;
let patientB: string;
let patientX: string;
const events: PublishedEvent[] = [];
const EMAIL_A = 'waitlist.a@example.test';

const one = async <T = Record<string, unknown>>(q: string, p: unknown[] = []) => (await ctx.sql.query(q, p)).rows[0] as T;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() - start > ms) return v;
    await sleep(200);
  }
}

const entry = async (id: string) => {
  const list = (await desk.req('GET', '/api/waitlist')).json<{
    data: { id: string; status: string; offer: { appointmentId: string; startsAt: string } | null }[];
  }>().data;
  return list.find((e) => e.id === id)!;
};

beforeAll(async () => {
  smtp = await startSmtp();
  ctx = await createTestContext({ smtpUrl: smtp.url });
  ctx.app.services.events.subscribe((e) => events.push(e));
  desk = await ctx.login('receptionist@sanita.test');
  portal = await ctx.login('patient@sanita.test');
  drNgoy = (await one<{ id: string }>(`SELECT id FROM practitioners WHERE display_name = 'Dr Patrice Ngoy'`)).id;
  surgery = (await one<{ id: string }>(`SELECT id FROM specialties WHERE code = 'surgery'`)).id;
  consultation = (await one<{ id: string }>(`SELECT id FROM visit_types WHERE code = 'consultation'`)).id;
  // the demo's own waiting list would compete for the freed slots
  await ctx.sql.query(`UPDATE waitlist_entries SET status = 'cancelled' WHERE status IN ('waiting', 'offered')`);
  const { rows } = await ctx.sql.query<{ id: string }>(
    `SELECT p.id FROM patients p JOIN patient_clinics pc ON pc.patient_id = p.id AND pc.clinic_id = $1
      WHERE p.id <> $2 AND p.status = 'active' ORDER BY p.mrn LIMIT 3`,
    [ctx.ids.kin, ctx.ids.ownPatient],
  );
  [patientA, patientB, patientX] = rows.map((r) => r.id) as [string, string, string];
  await ctx.sql.query(`UPDATE patients SET email = $2, preferred_language = 'en' WHERE id = $1`, [patientA, EMAIL_A]);
  await ctx.sql.query(`UPDATE patients SET email = NULL WHERE id = $1`, [patientB]);
});
afterAll(async () => {
  await ctx?.close();
  await smtp?.close();
});

describe('waiting list', () => {
  it('offers freed time to the oldest match, expires the hold to the next, and books on acceptance', async () => {
    const date = DateTime.now().setZone('Africa/Kinshasa').plus({ days: 16 });
    const day = (date.weekday === 7 ? date.plus({ days: 1 }) : date).toISODate()!;
    const slots = await desk.req(
      'GET',
      `/api/practitioners/${drNgoy}/slots?clinicId=${ctx.ids.kin}&visitTypeId=${consultation}&from=${day}&to=${day}`,
    );
    const startsAt = slots.json<{ data: { startsAt: string }[] }>().data[2]!.startsAt;
    const window = {
      earliest: DateTime.fromISO(day).minus({ days: 2 }).toISODate()!,
      latest: DateTime.fromISO(day).plus({ days: 2 }).toISODate()!,
    };

    const bad = await desk.req('POST', '/api/waitlist', {
      patientId: patientA,
      visitTypeId: consultation,
      earliest: window.latest,
      latest: window.earliest,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('latest');
    const other = await desk.req('POST', '/api/waitlist', {
      patientId: ctx.ids.gomPatient,
      visitTypeId: consultation,
      ...window,
    });
    expect(other.statusCode).toBe(404);

    const since = await lastAuditId(ctx.sql);
    const a = await desk.req('POST', '/api/waitlist', {
      patientId: patientA,
      specialtyId: surgery,
      visitTypeId: consultation,
      ...window,
    });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ status: 'waiting', specialty: { id: surgery }, practitioner: null });
    expect((await auditSince(ctx.sql, since)).map((r) => [r.action, r.patient_id])).toEqual([['waitlist.create', patientA]]);
    // too late a window for this slot: never offered
    const late = await desk.req('POST', '/api/waitlist', {
      patientId: patientB,
      practitionerId: drNgoy,
      visitTypeId: consultation,
      earliest: DateTime.fromISO(day).plus({ days: 3 }).toISODate(),
      latest: DateTime.fromISO(day).plus({ days: 9 }).toISODate(),
    });
    const b = await desk.req('POST', '/api/waitlist', {
      patientId: patientB,
      practitionerId: drNgoy,
      visitTypeId: consultation,
      ...window,
    });
    const own = await desk.req('POST', '/api/waitlist', {
      patientId: ctx.ids.ownPatient,
      practitionerId: drNgoy,
      visitTypeId: consultation,
      ...window,
    });
    expect([late.statusCode, b.statusCode, own.statusCode]).toEqual([201, 201, 201]);

    // a booking is cancelled: the freed time goes to A, the oldest matching entry
    const booked = await desk.req('POST', '/api/appointments', {
      patientId: patientX,
      practitionerId: drNgoy,
      visitTypeId: consultation,
      startsAt,
    });
    expect(booked.statusCode, booked.body).toBe(201);
    events.length = 0;
    const cancelled = await desk.req('POST', `/api/appointments/${booked.json().id}/cancel`, { reason: 'surgery moved' });
    expect(cancelled.statusCode).toBe(200);
    const offeredA = await entry(a.json().id);
    expect(offeredA.status).toBe('offered');
    expect(new Date(offeredA.offer!.startsAt).getTime()).toBe(new Date(startsAt).getTime());
    const held = await one<{ status: string; hold_expires_at: Date; patient_id: string }>(
      `SELECT * FROM appointments WHERE id = $1`,
      [offeredA.offer!.appointmentId],
    );
    expect(held).toMatchObject({ status: 'held', patient_id: patientA });
    expect(Math.abs(held.hold_expires_at.getTime() - Date.now() - 30 * 60_000)).toBeLessThan(60_000);
    const ev = events.find((e) => e.name === 'waitlist.offered');
    expect(ev?.rooms).toEqual([`patient:${patientA}`, `clinic:${ctx.ids.kin}`]);
    const mail = await smtp.waitFor(EMAIL_A);
    expect(mail.text).toContain(DateTime.fromISO(startsAt).setZone('Africa/Kinshasa').toFormat('HH:mm'));
    expect(mail.text).toContain('Dr Patrice Ngoy');
    // the expiry is a durable job at the end of the hold, one per held appointment
    const job = await one<{ start_after: Date; n: number }>(
      `SELECT max(start_after) AS start_after, count(*)::int AS n FROM pgboss.job WHERE name = 'waitlist.expire' AND singleton_key = $1`,
      [offeredA.offer!.appointmentId],
    );
    expect(job.n).toBe(1);
    expect(job.start_after.getTime()).toBe(held.hold_expires_at.getTime());

    // the hold runs out: the real worker releases it and the slot goes to B (C's window does not fit)
    await ctx.sql.query(`UPDATE appointments SET hold_expires_at = now() - interval '1 second' WHERE id = $1`, [
      offeredA.offer!.appointmentId,
    ]);
    await ctx.sql.query(`UPDATE pgboss.job SET start_after = now() WHERE name = 'waitlist.expire' AND singleton_key = $1`, [
      offeredA.offer!.appointmentId,
    ]);
    const offeredB = await until(
      () => entry(b.json().id),
      (e) => e.status === 'offered',
    );
    expect(offeredB.status).toBe('offered');
    expect((await entry(a.json().id)).status).toBe('waiting');
    expect((await entry(late.json().id)).status).toBe('waiting');
    expect(await one(`SELECT status, cancel_reason FROM appointments WHERE id = $1`, [offeredA.offer!.appointmentId])).toEqual({
      status: 'cancelled',
      cancel_reason: 'offer expired',
    });

    // B declines (by phone, through the desk): the slot skips A, who had it, and reaches the portal patient
    const declined = await desk.req('POST', `/api/waitlist/${b.json().id}/decline`);
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json().status).toBe('waiting');
    expect((await entry(a.json().id)).status).toBe('waiting');
    const mine = (await portal.req('GET', '/api/portal/waitlist')).json().data as {
      id: string;
      status: string;
      offer: { appointmentId: string } | null;
    }[];
    const offer = mine.find((e) => e.id === own.json().id)!;
    expect(offer.status).toBe('offered');
    expect(mine.every((e) => e.id === own.json().id || ![a.json().id, b.json().id].includes(e.id))).toBe(true);

    // someone else's entry is not mine to accept
    expect((await portal.req('POST', `/api/portal/waitlist/${a.json().id}/accept`)).statusCode).toBe(404);
    const accepted = await portal.req('POST', `/api/portal/waitlist/${own.json().id}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().status).toBe('booked');
    const appt = await one<{ status: string; patient_id: string }>(`SELECT status, patient_id FROM appointments WHERE id = $1`, [
      offer.offer!.appointmentId,
    ]);
    expect(appt).toEqual({ status: 'booked', patient_id: ctx.ids.ownPatient });
    const reminders = await one<{ n: number }>(`SELECT count(*)::int AS n FROM appointment_reminders WHERE appointment_id = $1`, [
      offer.offer!.appointmentId,
    ]);
    expect(reminders.n).toBeGreaterThan(0);
    // the expiry job of this hold finds a booking and leaves it alone
    expect(await ctx.app.services.waitlist.expire(offer.offer!.appointmentId)).toBe('ignored');
    const twice = await portal.req('POST', `/api/portal/waitlist/${own.json().id}/accept`);
    expect(twice.statusCode).toBe(409);
  });

  it('takes a patient off the list and keeps other roles out', async () => {
    const today = DateTime.now().setZone('Africa/Kinshasa');
    const e = await desk.req('POST', '/api/waitlist', {
      patientId: patientX,
      visitTypeId: consultation,
      earliest: today.toISODate(),
      latest: today.plus({ days: 5 }).toISODate(),
    });
    const res = await desk.req('POST', `/api/waitlist/${e.json().id}/cancel`);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('cancelled');
    expect((await desk.req('POST', `/api/waitlist/${e.json().id}/cancel`)).statusCode).toBe(409);
    expect((await portal.req('GET', '/api/waitlist')).statusCode).toBe(403);
    const manager = await ctx.login('manager@sanita.test');
    expect((await manager.req('GET', '/api/waitlist')).statusCode).toBe(200);
    expect((await manager.req('POST', `/api/waitlist/${e.json().id}/cancel`)).statusCode).toBe(403);
  });
});
