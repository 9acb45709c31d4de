import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import type { PublishedEvent } from '../../platform/realtime/events.ts';
import { ownPractitioner } from '../../seed/test-practitioners.ts';

let ctx: TestContext;
let desk: Session;
let doctor: Session;
let portal: Session;
let drAmani: string; // Dr Ada Mukendi: the demo doctor's hours (KIN, 5 min buffer), an empty diary
let drIlunga: string; // requires confirmation, KIN
let drPaluku: string; // GOM only
let nurse: string; // Rose Nsimba: the demo nurse's hours (KIN, vaccination and follow-up only), an empty diary
let consultation: string;
let vaccination: string;
const events: PublishedEvent[] = [];

const one = async <T = Record<string, unknown>>(q: string, p: unknown[] = []) => (await ctx.sql.query(q, p)).rows[0] as T;

/** Free slots of a practitioner on local dates `from`..`to` at KIN, for a visit type. */
async function slots(practitionerId: string, from: string, to: string, visitTypeId = consultation) {
  const res = await desk.req(
    'GET',
    `/api/practitioners/${practitionerId}/slots?clinicId=${ctx.ids.kin}&visitTypeId=${visitTypeId}&from=${from}&to=${to}`,
  );
  expect(res.statusCode).toBe(200);
  return res.json<{ data: { startsAt: string; endsAt: string }[] }>().data;
}

/** A local date in Kinshasa `days` from today, moved off Sunday (no hours). */
function day(days: number): string {
  let d = DateTime.now().setZone('Africa/Kinshasa').plus({ days });
  if (d.weekday === 7) d = d.plus({ days: 1 });
  return d.toISODate()!;
}

/** A free slot at least `days` ahead; each call takes a later one so tests do not collide. */
let cursor = 0;
async function freeSlot(practitionerId = drAmani, days = 22, visitTypeId = consultation) {
  const list = await slots(practitionerId, day(days), day(days + 6), visitTypeId);
  const s = list[cursor++ % list.length];
  if (!s) throw new Error('no free slot');
  return s.startsAt;
}

async function kinPatients(n: number): Promise<string[]> {
  // every demo patient registered at KIN, so that fifty different patients can race for one slot
  await ctx.sql.query(
    `INSERT INTO patient_clinics (patient_id, clinic_id) SELECT id, $1 FROM patients WHERE id <> $2 ON CONFLICT DO NOTHING`,
    [ctx.ids.kin, ctx.ids.gomPatient],
  );
  const { rows } = await ctx.sql.query<{ id: string }>(
    `SELECT id FROM patients WHERE status = 'active' AND id <> $1 AND id <> $2 ORDER BY mrn LIMIT $3`,
    [ctx.ids.ownPatient, ctx.ids.gomPatient, n],
  );
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.app.services.events.subscribe((e) => events.push(e));
  desk = await ctx.login('receptionist@sanita.test');
  doctor = await ctx.login('doctor@sanita.test');
  portal = await ctx.login('patient@sanita.test');
  const pr = async (name: string) =>
    (await one<{ id: string }>(`SELECT id FROM practitioners WHERE display_name = $1`, [name])).id;
  // the demo doctor and nurse have a full day (seed): this file books into copies of their hours with empty diaries
  drAmani = (await ownPractitioner(ctx.sql, 'Dr Amani Mukendi', { displayName: 'Dr Ada Mukendi' })).id;
  drIlunga = await pr('Dr Béatrice Ilunga');
  drPaluku = await pr('Dr Kahindo Paluku');
  nurse = (await ownPractitioner(ctx.sql, 'Grâce Nsimba', { displayName: 'Rose Nsimba' })).id;
  consultation = (await one<{ id: string }>(`SELECT id FROM visit_types WHERE code = 'consultation'`)).id;
  vaccination = (await one<{ id: string }>(`SELECT id FROM visit_types WHERE code = 'vaccination'`)).id;
  // every patient here can be reached by email and SMS: four reminders per booking (reminders.test.ts covers fewer)
  await ctx.sql.query(`UPDATE patients SET email = coalesce(email, 'p' || left(id::text, 8) || '@example.test'),
    phones = CASE WHEN cardinality(phones) > 0 THEN phones ELSE ARRAY['+243810000000'] END`);
});
afterAll(() => ctx?.close());

describe('staff booking', () => {
  it('books a patient of the clinic with its end, risk, reminders, audit row and event', async () => {
    const startsAt = await freeSlot();
    const since = await lastAuditId(ctx.sql);
    events.length = 0;
    const res = await desk.req('POST', '/api/appointments', {
      patientId: ctx.ids.kinPatient,
      practitionerId: drAmani,
      visitTypeId: consultation,
      startsAt,
      reason: 'cough for two weeks',
    });
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({ status: 'booked', practitioner: { displayName: 'Dr Ada Mukendi' }, source: 'staff' });
    expect(new Date(a.endsAt).getTime() - new Date(a.startsAt).getTime()).toBe(20 * 60_000);
    expect(a.visitType).toMatchObject({ code: 'consultation', durationMinutes: 20 });
    expect(a.patient.id).toBe(ctx.ids.kinPatient);
    expect(a.patient.mrn).toMatch(/\S/);
    expect(a.noShowRisk).toBeGreaterThan(0);
    expect(a.noShowRisk).toBeLessThan(1);
    expect(a.noShowFactors.map((f: { code: string }) => f.code).sort()).toEqual(
      ['hour_of_day', 'lead_time', 'past_no_shows', 'weekday'].sort(),
    );
    // the 5-minute buffer of Dr Ada's hours is kept after the visit
    const row = await one<{ block_ends_at: Date; ends_at: Date }>(`SELECT * FROM appointments WHERE id = $1`, [a.id]);
    expect(row.block_ends_at.getTime() - row.ends_at.getTime()).toBe(5 * 60_000);
    const reminders = await ctx.sql.query(
      `SELECT channel, lead_minutes, status FROM appointment_reminders WHERE appointment_id = $1`,
      [a.id],
    );
    expect(reminders.rows).toHaveLength(4);
    const audit = await auditSince(ctx.sql, since);
    expect(audit.filter((r) => r.action === 'appointment.create')).toEqual([
      expect.objectContaining({ outcome: 'success', patient_id: ctx.ids.kinPatient }),
    ]);
    const ev = events.find((e) => e.name === 'appointment.changed');
    expect(ev?.rooms).toEqual([`clinic:${ctx.ids.kin}`, `patient:${ctx.ids.kinPatient}`]);
    expect(JSON.stringify(ev?.payload)).not.toContain('cough');
  });

  it('lets exactly one of fifty simultaneous bookings of one slot through', async () => {
    const startsAt = await freeSlot();
    const patients = await kinPatients(50);
    expect(patients).toHaveLength(50);
    const results = await Promise.all(
      patients.map((patientId) =>
        desk.req('POST', '/api/appointments', { patientId, practitionerId: drAmani, visitTypeId: consultation, startsAt }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    for (const r of results.filter((x) => x.statusCode === 409)) {
      expect(r.json().error.code).toBe('SLOT_TAKEN');
      expect(r.json().error.message).toContain('Dr Ada Mukendi');
    }
    const { n } = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM appointments WHERE practitioner_id = $1 AND starts_at = $2`,
      [drAmani, startsAt],
    );
    expect(n).toBe(1);
  });

  it('refuses a patient who is busy elsewhere at that time (PATIENT_BUSY)', async () => {
    const startsAt = await freeSlot(drAmani, 23);
    const [patientId] = await kinPatients(1);
    const a = await desk.req('POST', '/api/appointments', {
      patientId,
      practitionerId: drAmani,
      visitTypeId: consultation,
      startsAt,
    });
    expect(a.statusCode).toBe(201);
    const b = await desk.req('POST', '/api/appointments', {
      patientId,
      practitionerId: nurse,
      visitTypeId: vaccination,
      startsAt,
    });
    expect(b.statusCode).toBe(409);
    expect(b.json().error.code).toBe('PATIENT_BUSY');
  });

  it('hides patients of another clinic (404, audited) and names a practitioner who works elsewhere', async () => {
    const startsAt = await freeSlot();
    const since = await lastAuditId(ctx.sql);
    const res = await desk.req('POST', '/api/appointments', {
      patientId: ctx.ids.gomPatient,
      practitionerId: drAmani,
      visitTypeId: consultation,
      startsAt,
    });
    expect(res.statusCode).toBe(404);
    expect((await auditSince(ctx.sql, since)).map((r) => [r.action, r.outcome])).toEqual([['appointment.create', 'denied']]);
    const elsewhere = await desk.req('POST', '/api/appointments', {
      patientId: ctx.ids.kinPatient,
      practitionerId: drPaluku,
      visitTypeId: consultation,
      startsAt,
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().error.details[0].field).toBe('practitionerId');
    // outside hours: 03:00 local
    const night = DateTime.fromISO(startsAt).setZone('Africa/Kinshasa').set({ hour: 3, minute: 0 }).toISO()!;
    const off = await desk.req('POST', '/api/appointments', {
      patientId: ctx.ids.kinPatient,
      practitionerId: drAmani,
      visitTypeId: consultation,
      startsAt: night,
    });
    expect(off.statusCode).toBe(409);
    expect(off.json().error.code).toBe('SLOT_UNAVAILABLE');
  });

  it('lists a range with patient summaries and one audit row naming the patients shown', async () => {
    const since = await lastAuditId(ctx.sql);
    const res = await desk.req('GET', `/api/appointments?from=${day(20)}&to=${day(30)}&practitionerId=${drAmani}`);
    expect(res.statusCode).toBe(200);
    const data = res.json().data as { patient: { id: string; name: string }; practitioner: { id: string } }[];
    expect(data.length).toBeGreaterThan(1);
    expect(data.every((d) => d.practitioner.id === drAmani && d.patient.name.length > 0)).toBe(true);
    const audit = await auditSince(ctx.sql, since);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.action).toBe('appointment.list');
    expect((audit[0]!.details as { patientIds: string[] }).patientIds.sort()).toEqual(
      [...new Set(data.map((d) => d.patient.id))].sort(),
    );
    const tooLong = await desk.req('GET', `/api/appointments?from=${day(0)}&to=${day(40)}`);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.details[0].field).toBe('to');
  });

  it('books "requested" for a practitioner who confirms, and the confirmation books it and plans reminders', async () => {
    const startsAt = await freeSlot(drIlunga);
    const res = await desk.req('POST', '/api/appointments', {
      patientId: ctx.ids.kinPatient,
      practitionerId: drIlunga,
      visitTypeId: consultation,
      startsAt,
    });
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json();
    expect(a.status).toBe('requested');
    const before = await one<{ n: number }>(`SELECT count(*)::int AS n FROM appointment_reminders WHERE appointment_id = $1`, [
      a.id,
    ]);
    expect(before.n).toBe(0);
    const stale = await desk.req('POST', `/api/appointments/${a.id}/confirm`, { version: a.version + 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
    const ok = await desk.req('POST', `/api/appointments/${a.id}/confirm`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('booked');
    const after = await one<{ n: number }>(`SELECT count(*)::int AS n FROM appointment_reminders WHERE appointment_id = $1`, [
      a.id,
    ]);
    expect(after.n).toBe(4);
    // the web app confirms without a body
    const again = await desk.req('POST', `/api/appointments/${a.id}/confirm`);
    expect(again.statusCode).toBe(409);
  });

  it('cancels with a reason, cancels its reminders and frees the time', async () => {
    const startsAt = await freeSlot();
    const a = (
      await desk.req('POST', '/api/appointments', {
        patientId: ctx.ids.kinPatient,
        practitionerId: drAmani,
        visitTypeId: consultation,
        startsAt,
      })
    ).json();
    const blank = await desk.req('POST', `/api/appointments/${a.id}/cancel`, { reason: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.details[0].field).toBe('reason');
    const missing = await desk.req('POST', `/api/appointments/${a.id}/cancel`, {});
    expect(missing.statusCode).toBe(400);
    const res = await desk.req('POST', `/api/appointments/${a.id}/cancel`, { reason: 'patient travelling' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'cancelled', cancelReason: 'patient travelling' });
    const statuses = await ctx.sql.query(`SELECT DISTINCT status FROM appointment_reminders WHERE appointment_id = $1`, [a.id]);
    expect(statuses.rows).toEqual([{ status: 'cancelled' }]);
    const free = await slots(drAmani, DateTime.fromISO(startsAt).setZone('Africa/Kinshasa').toISODate()!, day(40));
    expect(free.some((s) => new Date(s.startsAt).getTime() === new Date(startsAt).getTime())).toBe(true);
    const twice = await desk.req('POST', `/api/appointments/${a.id}/cancel`, { reason: 'again' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('INVALID_STATUS');
  });

  it('reschedules into a new appointment that may overlap the old time, in one step', async () => {
    const startsAt = await freeSlot(drAmani, 26);
    const a = (
      await desk.req('POST', '/api/appointments', {
        patientId: ctx.ids.kinPatient,
        practitionerId: drAmani,
        visitTypeId: consultation,
        startsAt,
      })
    ).json();
    // ten minutes later overlaps the old booking: only possible because the old one is released first
    const later = new Date(new Date(startsAt).getTime() + 10 * 60_000).toISOString();
    const res = await desk.req('POST', `/api/appointments/${a.id}/reschedule`, { startsAt: later });
    expect(res.statusCode, res.body).toBe(201);
    const b = res.json();
    expect(b).toMatchObject({ rescheduledFromId: a.id, status: 'booked' });
    expect(new Date(b.startsAt).getTime()).toBe(new Date(later).getTime());
    const old = (await desk.req('GET', `/api/appointments/${a.id}`)).json();
    expect(old).toMatchObject({ status: 'cancelled', cancelReason: 'rescheduled' });
    // a failed reschedule leaves the original untouched
    const night = DateTime.fromISO(later).setZone('Africa/Kinshasa').set({ hour: 2 }).toISO()!;
    const bad = await desk.req('POST', `/api/appointments/${b.id}/reschedule`, { startsAt: night });
    expect(bad.statusCode).toBe(409);
    expect((await desk.req('GET', `/api/appointments/${b.id}`)).json().status).toBe('booked');
  });

  it('moves through check-in, start and completion, and marks absence only after the start', async () => {
    const startsAt = await freeSlot();
    const a = (
      await desk.req('POST', '/api/appointments', {
        patientId: ctx.ids.kinPatient,
        practitionerId: drAmani,
        visitTypeId: consultation,
        startsAt,
      })
    ).json();
    const early = await desk.req('POST', `/api/appointments/${a.id}/status`, { status: 'no_show' });
    expect(early.statusCode).toBe(409);
    const skip = await desk.req('POST', `/api/appointments/${a.id}/status`, { status: 'completed' });
    expect(skip.statusCode).toBe(409);
    expect(skip.json().error.code).toBe('INVALID_STATUS');
    // checking in is only for today's appointments
    const svc = ctx.app.services.appointments;
    await expect(ctx.database.db.transaction((tx) => svc.checkIn(tx, a.id, ctx.ids.kin))).rejects.toMatchObject({
      code: 'INVALID_STATUS',
    });

    // an appointment of an hour ago (written directly: booking in the past is refused)
    const [patientId] = await kinPatients(1);
    const past = await one<{ id: string }>(
      `INSERT INTO appointments (clinic_id, practitioner_id, patient_id, visit_type_id, starts_at, ends_at, block_ends_at, status, source)
       VALUES ($1, $2, $3, $4, now() - interval '1 hour', now() - interval '40 minutes', now() - interval '40 minutes', 'booked', 'staff') RETURNING id`,
      [ctx.ids.kin, nurse, patientId, vaccination],
    );
    const absent = await desk.req('POST', `/api/appointments/${past.id}/status`, { status: 'no_show' });
    expect(absent.statusCode, absent.body).toBe(200);
    expect(absent.json().status).toBe('no_show');

    const today = await one<{ id: string }>(
      `INSERT INTO appointments (clinic_id, practitioner_id, patient_id, visit_type_id, starts_at, ends_at, block_ends_at, status, source)
       VALUES ($1, $2, $3, $4, now() + interval '1 minute', now() + interval '11 minutes', now() + interval '11 minutes', 'booked', 'staff') RETURNING id`,
      [ctx.ids.kin, nurse, patientId, vaccination],
    );
    const local = DateTime.now().setZone('Africa/Kinshasa');
    if (local.plus({ minutes: 1 }).day === local.day) {
      const checked = await ctx.database.db.transaction((tx) => svc.checkIn(tx, today.id, ctx.ids.kin));
      expect(checked.status).toBe('checked_in');
      await expect(ctx.database.db.transaction((tx) => svc.checkIn(tx, today.id, ctx.ids.gom))).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      // checked in but not yet started: completing it is refused, saying why
      const early = await doctor.req('POST', `/api/appointments/${today.id}/status`, { status: 'completed' });
      expect(early.statusCode).toBe(409);
      expect(early.json().error.message).toContain('cannot be completed before it starts');
      expect((await one<{ status: string }>(`SELECT status FROM appointments WHERE id = $1`, [today.id])).status).toBe(
        'checked_in',
      );
      expect((await doctor.req('POST', `/api/appointments/${today.id}/status`, { status: 'in_progress' })).statusCode).toBe(200);
      const done = await doctor.req('POST', `/api/appointments/${today.id}/status`, { status: 'completed' });
      expect(done.json()).toMatchObject({ status: 'completed' });
      expect(done.json().completedAt).not.toBeNull();
    }
  });

  it('keeps a patient user and read-only staff out', async () => {
    const startsAt = await freeSlot();
    const body = { patientId: ctx.ids.ownPatient, practitionerId: drAmani, visitTypeId: consultation, startsAt };
    expect((await portal.req('POST', '/api/appointments', body)).statusCode).toBe(403);
    expect((await portal.req('GET', `/api/appointments?from=${day(1)}&to=${day(2)}`)).statusCode).toBe(403);
    const manager = await ctx.login('manager@sanita.test');
    expect((await manager.req('POST', '/api/appointments', body)).statusCode).toBe(403);
    expect((await manager.req('GET', `/api/appointments?from=${day(1)}&to=${day(2)}`)).statusCode).toBe(200);
  });
});

describe('staff booking: one read, one write', () => {
  const AUDIT_COLUMNS = `actor_user_id, actor_role, clinic_id, patient_id, action, resource_type, resource_id, outcome, ip,
    user_agent, request_id, details`;

  it('writes the appointment, its reminders, their jobs and its audit row as before, and answers like GET', async () => {
    const startsAt = await freeSlot(drAmani, 27);
    const since = await lastAuditId(ctx.sql);
    const res = await desk.req('POST', '/api/appointments', {
      patientId: ctx.ids.kinPatient,
      practitionerId: drAmani,
      visitTypeId: consultation,
      startsAt,
      notes: '  bring the x-ray  ',
    });
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json();
    const [audit] = (await ctx.sql.query(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id`, [since])).rows;
    const read = await desk.req('GET', `/api/appointments/${a.id}`);
    const { reminders, ...appointment } = read.json();
    expect(appointment).toEqual(a);
    expect(reminders.length).toBeGreaterThan(0);
    expect(a).toMatchObject({ notes: 'bring the x-ray', reason: null, version: 1, rescheduledFromId: null });
    // the row writeAudit wrote for the read, by the same user: the booking's row matches it column for column
    const [reference] = (
      await ctx.sql.query(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE action = 'appointment.read' AND resource_id = $1`, [a.id])
    ).rows;
    expect(audit).toEqual({
      ...reference,
      action: 'appointment.create',
      outcome: 'success',
      request_id: expect.any(String),
      details: { practitionerId: drAmani, startsAt: new Date(startsAt).toISOString(), status: 'booked' },
    });
    expect(audit.request_id).not.toBe(reference.request_id);
    expect(reference).toMatchObject({ actor_user_id: desk.userId, clinic_id: ctx.ids.kin, patient_id: ctx.ids.kinPatient });
    // one job per reminder, keyed by the reminder, due with it
    const jobs = await ctx.sql.query(
      `SELECT r.id, j.singleton_key, j.start_after = r.due_at AS on_time
         FROM appointment_reminders r JOIN pgboss.job j ON j.name = 'appointment.reminder' AND j.data->>'reminderId' = r.id::text
        WHERE r.appointment_id = $1`,
      [a.id],
    );
    expect(jobs.rows).toHaveLength(4);
    expect(jobs.rows.every((j) => j.singleton_key === j.id && j.on_time)).toBe(true);
  });

  it('a booking that loses its slot, or whose patient is busy, writes nothing: no row, reminder, audit row or job', async () => {
    const startsAt = await freeSlot(drAmani, 28);
    const [first, second] = await kinPatients(2);
    const body = { practitionerId: drAmani, visitTypeId: consultation, startsAt };
    expect((await desk.req('POST', '/api/appointments', { ...body, patientId: first })).statusCode).toBe(201);
    const counts = async () =>
      one<{ appointments: number; reminders: number; jobs: number }>(
        `SELECT (SELECT count(*)::int FROM appointments) AS appointments,
                (SELECT count(*)::int FROM appointment_reminders) AS reminders,
                (SELECT count(*)::int FROM pgboss.job WHERE name = 'appointment.reminder') AS jobs`,
      );
    const before = await counts();
    const since = await lastAuditId(ctx.sql);
    const taken = await desk.req('POST', '/api/appointments', { ...body, patientId: second });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('SLOT_TAKEN');
    const busy = await desk.req('POST', '/api/appointments', {
      patientId: first,
      practitionerId: nurse,
      visitTypeId: vaccination,
      startsAt,
    });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.code).toBe('PATIENT_BUSY');
    expect(await auditSince(ctx.sql, since)).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it('refuses from the one read with the errors of before, writing nothing', async () => {
    const startsAt = await freeSlot(drAmani, 29);
    const local = DateTime.fromISO(startsAt).setZone('Africa/Kinshasa');
    const post = (over: Record<string, unknown>) =>
      desk.req('POST', '/api/appointments', {
        patientId: ctx.ids.kinPatient,
        practitionerId: drAmani,
        visitTypeId: consultation,
        startsAt,
        ...over,
      });
    const field = async (over: Record<string, unknown>) => {
      const res = await post(over);
      expect(res.statusCode, res.body).toBe(400);
      return res.json().error.details[0] as { field: string; message: string };
    };
    const reason = async (over: Record<string, unknown>) => {
      const res = await post(over);
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error.code).toBe('SLOT_UNAVAILABLE');
      return [res.json().error.details[0].reason, res.json().error.message] as [string, string];
    };
    const { n: before } = await one<{ n: number }>(`SELECT count(*)::int AS n FROM appointments`);
    const since = await lastAuditId(ctx.sql);
    const { id: retired } = await one<{ id: string }>(
      `INSERT INTO visit_types (code, name, name_fr, duration_minutes, active) VALUES ('retired-visit', 'Retired', 'Retiré', 20, false)
       RETURNING id`,
    );
    const [dead] = await kinPatients(1);
    await ctx.sql.query(`UPDATE patients SET status = 'deceased', deceased_at = now() WHERE id = $1`, [dead]);
    const { id: leave } = await one<{ id: string }>(
      `INSERT INTO availability_exceptions (practitioner_id, clinic_id, kind, starts_at, ends_at)
       VALUES ($1, $2, 'leave', $3, $4) RETURNING id`,
      [drAmani, ctx.ids.kin, local.toJSDate(), local.plus({ hours: 1 }).toJSDate()],
    );
    try {
      expect(await field({ practitionerId: '00000000-0000-4000-8000-000000000000' })).toEqual({
        field: 'practitionerId',
        message: 'no such practitioner',
      });
      expect(await field({ practitionerId: drPaluku })).toMatchObject({ field: 'practitionerId' });
      expect(await field({ visitTypeId: retired })).toEqual({ field: 'visitTypeId', message: 'no such visit type' });
      expect(await field({ visitTypeId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ field: 'visitTypeId' });
      expect(await field({ patientId: dead })).toEqual({ field: 'patientId', message: "the patient's record is deceased" });
      expect(await reason({})).toEqual(['exception', 'Dr Ada Mukendi is unavailable at this time (leave, holiday or closure)']);
      expect((await reason({ startsAt: local.set({ hour: 3, minute: 0 }).toISO() }))[0]).toBe('outside_hours');
      // the nurse's hours take vaccinations and follow-ups only
      expect(await reason({ practitionerId: nurse })).toEqual([
        'outside_hours',
        'Rose Nsimba does not see Consultation patients at this time',
      ]);
      // every day with slots has hours until 12:00: a 45-minute procedure at 11:40 overruns them
      const procedure = (await one<{ id: string }>(`SELECT id FROM visit_types WHERE code = 'procedure'`)).id;
      expect(await reason({ startsAt: local.set({ hour: 11, minute: 40 }).toISO(), visitTypeId: procedure })).toEqual([
        'too_long',
        "A Procedure (45 min) does not fit before Dr Ada Mukendi's hours end",
      ]);
      expect((await reason({ startsAt: DateTime.now().minus({ days: 1 }).toISO() }))[0]).toBe('past');
      await ctx.sql.query(`UPDATE practitioners SET active = false WHERE id = $1`, [drAmani]);
      expect(await reason({})).toEqual(['inactive', 'Dr Ada Mukendi no longer takes appointments']);
    } finally {
      await ctx.sql.query(`UPDATE practitioners SET active = true WHERE id = $1`, [drAmani]);
      await ctx.sql.query(`UPDATE patients SET status = 'active', deceased_at = NULL WHERE id = $1`, [dead]);
      await ctx.sql.query(`DELETE FROM availability_exceptions WHERE id = $1`, [leave]);
    }
    expect(await auditSince(ctx.sql, since)).toEqual([]);
    expect((await one<{ n: number }>(`SELECT count(*)::int AS n FROM appointments`)).n).toBe(before);
    // the leave lifted, the same request books
    expect((await post({})).statusCode).toBe(201);
  });
});

describe('patient merge', () => {
  it('moves the duplicate’s appointments to the surviving record', async () => {
    const make = async (familyName: string) =>
      (
        await desk.req('POST', '/api/patients', {
          givenName: 'Double',
          familyName,
          sex: 'female',
          birthDate: '1990-04-05',
          allowDuplicate: true,
        })
      ).json<{ id: string }>().id;
    const keep = await make('Fusion');
    const dup = await make('Fusionn');
    const a = await desk.req('POST', '/api/appointments', {
      patientId: dup,
      practitionerId: drAmani,
      visitTypeId: consultation,
      startsAt: await freeSlot(drAmani, 24),
    });
    expect(a.statusCode, a.body).toBe(201);
    const merged = await desk.req('POST', `/api/patients/${keep}/merge`, { duplicateId: dup });
    expect(merged.statusCode, merged.body).toBe(200);
    expect((await desk.req('GET', `/api/appointments/${a.json().id}`)).json().patient.id).toBe(keep);
  });
});

describe('portal', () => {
  it('books a free slot for myself and lists it; refuses times off the grid and beyond the horizon', async () => {
    const startsAt = await freeSlot(drAmani, 10);
    const res = await portal.req('POST', '/api/portal/appointments', {
      clinicId: ctx.ids.kin,
      practitionerId: drAmani,
      visitTypeId: consultation,
      startsAt,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'booked', source: 'portal', canChange: true });
    expect(res.json()).not.toHaveProperty('noShowRisk');
    const offGrid = new Date(new Date(await freeSlot(drAmani, 11)).getTime() + 7 * 60_000).toISOString();
    const bad = await portal.req('POST', '/api/portal/appointments', {
      clinicId: ctx.ids.kin,
      practitionerId: drAmani,
      visitTypeId: consultation,
      startsAt: offGrid,
    });
    expect(bad.statusCode).toBe(409);
    expect(bad.json().error.code).toBe('SLOT_UNAVAILABLE');
    const far = await portal.req('POST', '/api/portal/appointments', {
      clinicId: ctx.ids.kin,
      practitionerId: drAmani,
      visitTypeId: consultation,
      startsAt: await freeSlot(drAmani, 90),
    });
    expect(far.statusCode).toBe(400);
    expect(far.json().error.details[0].field).toBe('startsAt');
    const mine = (await portal.req('GET', '/api/portal/appointments')).json().data as { id: string }[];
    expect(mine.map((m) => m.id)).toContain(res.json().id);
  });

  it('cancels and reschedules only with enough notice, and never another patient’s appointment', async () => {
    const startsAt = await freeSlot(drAmani, 12);
    const a = (
      await portal.req('POST', '/api/portal/appointments', {
        clinicId: ctx.ids.kin,
        practitionerId: drAmani,
        visitTypeId: consultation,
        startsAt,
      })
    ).json();
    const moved = await portal.req('POST', `/api/portal/appointments/${a.id}/reschedule`, {
      startsAt: await freeSlot(drAmani, 13),
    });
    expect(moved.statusCode, moved.body).toBe(201);
    const b = moved.json();
    expect(b.rescheduledFromId).toBe(a.id);
    // the clinic asks for 20 days' notice: 13 days ahead is too late to change online
    await ctx.sql.query(
      `INSERT INTO clinic_scheduling_settings (clinic_id, patient_cancel_notice_hours) VALUES ($1, 480)
       ON CONFLICT (clinic_id) DO UPDATE SET patient_cancel_notice_hours = 480`,
      [ctx.ids.kin],
    );
    try {
      const late = await portal.req('POST', `/api/portal/appointments/${b.id}/cancel`);
      expect(late.statusCode).toBe(409);
      expect(late.json().error.code).toBe('NOTICE_TOO_SHORT');
      expect(
        (await portal.req('GET', '/api/portal/appointments')).json().data.find((x: { id: string }) => x.id === b.id),
      ).toMatchObject({
        status: 'booked',
        canChange: false,
      });
    } finally {
      await ctx.sql.query(`DELETE FROM clinic_scheduling_settings WHERE clinic_id = $1`, [ctx.ids.kin]);
    }
    const ok = await portal.req('POST', `/api/portal/appointments/${b.id}/cancel`, { reason: 'feeling better' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'cancelled', cancelReason: 'feeling better' });

    const other = (
      await desk.req('POST', '/api/appointments', {
        patientId: ctx.ids.kinPatient,
        practitionerId: drAmani,
        visitTypeId: consultation,
        startsAt: await freeSlot(drAmani, 14),
      })
    ).json();
    const since = await lastAuditId(ctx.sql);
    const theirs = await portal.req('POST', `/api/portal/appointments/${other.id}/cancel`, {});
    expect(theirs.statusCode).toBe(404);
    expect((await auditSince(ctx.sql, since)).map((r) => r.outcome)).toEqual(['denied']);
    expect((await desk.req('GET', `/api/appointments/${other.id}`)).json().status).toBe('booked');
  });
});

describe('demo data', () => {
  it('has two weeks of history and two weeks ahead with realistic statuses, and a waiting list', async () => {
    const { rows } = await ctx.sql.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM appointments
        WHERE starts_at BETWEEN now() - interval '15 days' AND now() + interval '15 days' AND source <> 'waitlist'
        GROUP BY status`,
    );
    const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    expect(by.completed).toBeGreaterThan(50);
    expect(by.no_show).toBeGreaterThan(0);
    expect(by.cancelled).toBeGreaterThan(0);
    expect(by.booked).toBeGreaterThan(50);
    expect(by.requested).toBeGreaterThan(0);
    // the portal demo patient has a past visit and an upcoming one (seeded rows have no booking user)
    const own = await ctx.sql.query<{ status: string }>(
      `SELECT status FROM appointments WHERE patient_id = $1 AND booked_by IS NULL ORDER BY starts_at`,
      [ctx.ids.ownPatient],
    );
    expect(own.rows.map((r) => r.status)).toEqual(['completed', 'booked']);
    expect(own.rows.length).toBeGreaterThanOrEqual(2);
    const waiting = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM waitlist_entries WHERE notes = 'would like an earlier appointment'`,
    );
    expect(waiting.n).toBe(3);
  });
});
