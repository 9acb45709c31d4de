import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Encounter, TodayView } from '@sanita/contracts/encounters';
import { createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import type { PublishedEvent } from '../../platform/realtime/events.ts';

let ctx: TestContext;
let doctor: Session; // a practitioner of this test's own, with an empty diary (KIN and the demo doctor's clinics)
let nurse: Session; // KIN, no practitioner record
let desk: Session; // receptionist, KIN
let admin: Session; // KIN
let goma: Session; // doctor at GOM
let practitionerId: string;
let visitTypeId: string;
let sp: string; // a consultation room of this test's own at Kinshasa
const events: PublishedEvent[] = [];
const KIN = () => ({ 'x-clinic-id': ctx.ids.kin });

let serial = 0;
/** A fresh patient of Kinshasa. */
async function patient(): Promise<string> {
  serial += 1;
  const res = await admin.req(
    'POST',
    '/api/patients',
    { givenName: 'Consult', familyName: `Patient${serial}`, sex: 'male', birthDate: '1975-03-02', allowDuplicate: true },
    KIN(),
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

/** A walk-in at the test's consultation room, called by the doctor: the ticket. */
async function calledTicket(patientId?: string): Promise<{ id: string; visitId: string; patientId: string }> {
  const pid = patientId ?? (await patient());
  const walk = await desk.req('POST', '/api/visits/walk-in', { patientId: pid, servicePointId: sp, priority: 'normal' }, KIN());
  expect(walk.statusCode, walk.body).toBe(201);
  const ticket = walk.json<{ ticket: { id: string; visitId: string } }>().ticket;
  const call = await doctor.req('POST', `/api/queue/tickets/${ticket.id}/call`, {}, KIN());
  expect(call.statusCode, call.body).toBe(200);
  return { id: ticket.id, visitId: ticket.visitId, patientId: pid };
}

/**
 * An appointment of the test's doctor at Kinshasa today, booked, in slot `slot` of 20 minutes from
 * 07:00 local time (a distinct slot per call: the diary refuses overlaps; any time of today may be
 * checked in).
 */
async function appointment(slot: number, patientId?: string): Promise<{ id: string; patientId: string }> {
  const pid = patientId ?? (await patient());
  const { rows } = await ctx.sql.query<{ id: string }>(
    `INSERT INTO appointments (clinic_id, practitioner_id, patient_id, visit_type_id, starts_at, ends_at, block_ends_at, status, source)
     SELECT c.id, $2, $3, $4, s.at, s.at + interval '15 minutes', s.at + interval '15 minutes', 'booked', 'staff'
     FROM clinics c,
       LATERAL (SELECT (date_trunc('day', now() AT TIME ZONE c.timezone) + interval '7 hours' + make_interval(mins => $5 * 20))
                       AT TIME ZONE c.timezone AS at) s
     WHERE c.id = $1 RETURNING id`,
    [ctx.ids.kin, practitionerId, pid, visitTypeId, slot],
  );
  return { id: rows[0]!.id, patientId: pid };
}

async function checkIn(appointmentId: string): Promise<{ visitId: string; ticketId: string }> {
  const res = await desk.req(
    'POST',
    `/api/appointments/${appointmentId}/check-in`,
    { servicePointId: sp, priority: 'normal' },
    KIN(),
  );
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json<{ visit: { id: string }; ticket: { id: string } }>();
  return { visitId: body.visit.id, ticketId: body.ticket.id };
}

const start = (s: Session, body: unknown) => s.req('POST', '/api/encounters', body, KIN());
const finish = (s: Session, id: string, version: number) => s.req('POST', `/api/encounters/${id}/finish`, { version }, KIN());
const status = async (table: string, id: string) =>
  (await ctx.sql.query<{ status: string }>(`SELECT status FROM ${table} WHERE id = $1`, [id])).rows[0]!.status;
/** Audit rows written since `id`, with their resource. */
const auditSince = async (_sql: unknown, id: number) =>
  (
    await ctx.sql.query<{ action: string; outcome: string; patient_id: string | null; resource_id: string | null }>(
      'SELECT action, outcome, patient_id, resource_id FROM audit_log WHERE id > $1 ORDER BY id',
      [id],
    )
  ).rows;
const fields = (res: { json(): unknown }) =>
  ((res.json() as { error: { details?: { field: string }[] } }).error.details ?? []).map((d) => d.field);

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.app.services.events.subscribe((e) => events.push(e));
  // a doctor of this test's own (the demo doctor has a full day): a user, a doctor at Kinshasa, a practitioner
  const user = await ctx.sql.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name, email_verified_at)
     SELECT 'ada.kalala@sanita.test', password_hash, 'Ada Kalala', now() FROM users WHERE email = 'doctor@sanita.test'
     RETURNING id`,
  );
  await ctx.sql.query(`INSERT INTO memberships (user_id, clinic_id, role_id) VALUES ($1, $2, 'doctor')`, [
    user.rows[0]!.id,
    ctx.ids.kin,
  ]);
  practitionerId = (
    await ctx.sql.query<{ id: string }>(
      `INSERT INTO practitioners (user_id, display_name) VALUES ($1, 'Dr Ada Kalala') RETURNING id`,
      [user.rows[0]!.id],
    )
  ).rows[0]!.id;
  await ctx.sql.query(`INSERT INTO practitioner_clinics (practitioner_id, clinic_id) VALUES ($1, $2)`, [
    practitionerId,
    ctx.ids.kin,
  ]);
  visitTypeId = (await ctx.sql.query<{ id: string }>(`SELECT id FROM visit_types LIMIT 1`)).rows[0]!.id;
  [doctor, nurse, desk, admin, goma] = await Promise.all([
    ctx.login('ada.kalala@sanita.test'),
    ctx.login('nurse@sanita.test'),
    ctx.login('receptionist@sanita.test'),
    ctx.login('admin@sanita.test'),
    ctx.login('doctor.goma@sanita.test'),
  ]);
  const res = await admin.req(
    'POST',
    '/api/service-points',
    { code: 'ENC1', name: 'Encounter room', kind: 'consultation', ticketPrefix: 'E', room: '9' },
    KIN(),
  );
  expect(res.statusCode, res.body).toBe(201);
  sp = res.json<{ id: string }>().id;
});
afterAll(() => ctx?.close());

describe('starting a consultation', () => {
  it('from a called ticket: 201, the ticket goes in service, the practitioner is the user’s own, audited, announced', async () => {
    const t = await calledTicket();
    const since = await lastAuditId(ctx.sql);
    events.length = 0;
    const res = await start(doctor, { ticketId: t.id, reason: '  Fever for two days ' });
    expect(res.statusCode, res.body).toBe(201);
    const e = res.json<Encounter>();
    expect(e).toMatchObject({
      clinicId: ctx.ids.kin,
      patientId: t.patientId,
      visitId: t.visitId,
      ticketId: t.id,
      appointmentId: null,
      practitioner: { id: practitionerId, name: 'Dr Ada Kalala' },
      type: 'outpatient',
      status: 'in_progress',
      reason: 'Fever for two days',
      startedBy: { id: doctor.userId },
      endedAt: null,
      endedBy: null,
      version: 1,
    });
    expect(await status('queue_tickets', t.id)).toBe('in_service');
    const audit = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'encounter.start');
    expect(audit).toEqual([expect.objectContaining({ patient_id: t.patientId, resource_id: e.id, outcome: 'success' })]);
    const started = events.find((x) => x.name === 'encounter.started');
    expect(started).toMatchObject({ rooms: [`chart:${ctx.ids.kin}`], payload: { encounterId: e.id, patientId: t.patientId } });
    // ids only: no names in what goes out
    expect(JSON.stringify(started)).not.toMatch(/Consult|Kalala/);
    expect(events.map((x) => x.name)).toContain('queue.ticket.changed');
  });

  it('twice for the same visit: 200 with the same encounter in progress, nothing added', async () => {
    const t = await calledTicket();
    const first = await start(doctor, { ticketId: t.id });
    expect(first.statusCode, first.body).toBe(201);
    const again = await start(nurse, { ticketId: t.id });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<Encounter>().id).toBe(first.json<Encounter>().id);
    // two at once: one encounter still
    const t2 = await calledTicket();
    const both = await Promise.all([start(doctor, { ticketId: t2.id }), start(doctor, { ticketId: t2.id })]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(new Set(both.map((r) => r.json<Encounter>().id)).size).toBe(1);
    const n = await ctx.sql.query(`SELECT count(*)::int AS n FROM encounters WHERE visit_id = ANY($1)`, [
      [t.visitId, t2.visitId],
    ]);
    expect(n.rows[0].n).toBe(2);
  });

  it('from a checked-in appointment: its visit, its ticket served, the appointment in progress', async () => {
    const a = await appointment(1);
    const { visitId, ticketId } = await checkIn(a.id);
    const res = await start(doctor, { appointmentId: a.id });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Encounter>()).toMatchObject({ appointmentId: a.id, visitId, ticketId, patientId: a.patientId });
    expect(await status('appointments', a.id)).toBe('in_progress');
    expect(await status('queue_tickets', ticketId)).toBe('in_service');
  });

  it('from an appointment that is not checked in: 409 NOT_CHECKED_IN, nothing written', async () => {
    const a = await appointment(2);
    const res = await start(doctor, { appointmentId: a.id });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('NOT_CHECKED_IN');
    const n = await ctx.sql.query(`SELECT count(*)::int AS n FROM encounters WHERE appointment_id = $1`, [a.id]);
    expect(n.rows[0].n).toBe(0);
  });

  it('from a ticket still waiting: 409 TICKET_NOT_CALLED', async () => {
    const walk = await desk.req(
      'POST',
      '/api/visits/walk-in',
      { patientId: await patient(), servicePointId: sp, priority: 'normal' },
      KIN(),
    );
    const res = await start(doctor, { ticketId: walk.json<{ ticket: { id: string } }>().ticket.id });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('TICKET_NOT_CALLED');
  });

  it('a walk-in without the queue (patientId): no visit; an emergency type; twice → the same one', async () => {
    const pid = await patient();
    const res = await start(nurse, { patientId: pid, type: 'emergency' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Encounter>()).toMatchObject({
      patientId: pid,
      visitId: null,
      ticketId: null,
      type: 'emergency',
      startedBy: { id: nurse.userId },
    });
    const again = await start(doctor, { patientId: pid });
    expect(again.statusCode).toBe(200);
    expect(again.json<Encounter>().id).toBe(res.json<Encounter>().id);
  });

  it('bad input: 400 naming the field, nothing written', async () => {
    const pid = await patient();
    const none = await start(doctor, { reason: 'x' });
    expect(none.statusCode).toBe(400);
    expect(fields(none)).toEqual(['body']);
    const two = await start(doctor, { patientId: pid, appointmentId: pid });
    expect(two.statusCode).toBe(400);
    expect(fields(two)).toEqual(['patientId']);
    const type = await start(doctor, { patientId: pid, type: 'surgery' });
    expect(type.statusCode).toBe(400);
    expect(fields(type)).toContain('type');
    const id = await start(doctor, { patientId: 'nope' });
    expect(id.statusCode).toBe(400);
    expect(fields(id)).toContain('patientId');
    const long = await start(doctor, { patientId: pid, reason: 'x'.repeat(501) });
    expect(long.statusCode).toBe(400);
    expect(fields(long)).toContain('reason');
    const n = await ctx.sql.query(`SELECT count(*)::int AS n FROM encounters WHERE patient_id = $1`, [pid]);
    expect(n.rows[0].n).toBe(0);
  });
});

describe('finishing', () => {
  it('completes the appointment, finishes the ticket and closes the visit in one go; a second finish is 409', async () => {
    const a = await appointment(3);
    const { visitId, ticketId } = await checkIn(a.id);
    const e = (await start(doctor, { appointmentId: a.id })).json<Encounter>();
    const since = await lastAuditId(ctx.sql);
    events.length = 0;
    const stale = await finish(doctor, e.id, e.version + 1);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
    const res = await finish(doctor, e.id, e.version);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Encounter>()).toMatchObject({ status: 'finished', endedBy: { id: doctor.userId }, version: e.version + 1 });
    expect(res.json<Encounter>().endedAt).toBeTruthy();
    expect(await status('appointments', a.id)).toBe('completed');
    expect(await status('queue_tickets', ticketId)).toBe('done');
    expect(await status('visits', visitId)).toBe('closed');
    const audit = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'encounter.finish');
    expect(audit).toEqual([expect.objectContaining({ resource_id: e.id, outcome: 'success', patient_id: a.patientId })]);
    expect(events.map((x) => x.name)).toEqual(
      expect.arrayContaining(['encounter.finished', 'appointment.changed', 'queue.ticket.changed']),
    );

    const twice = await finish(doctor, e.id, e.version + 1);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('ENCOUNTER_CLOSED');
    // a new start of the same appointment finds nothing to start
    const restart = await start(doctor, { appointmentId: a.id });
    expect(restart.statusCode).toBe(409);
  });

  it('from a walk-in ticket: the ticket is done and the visit closed, unless the patient waits elsewhere', async () => {
    const t = await calledTicket();
    const e = (await start(doctor, { ticketId: t.id })).json<Encounter>();
    // sent on to the lab before the end of the consultation
    const lab = await admin.req(
      'POST',
      '/api/service-points',
      { code: 'ENCLAB', name: 'Lab', kind: 'lab', ticketPrefix: 'EL' },
      KIN(),
    );
    const transfer = await doctor.req(
      'POST',
      `/api/queue/tickets/${t.id}/transfer`,
      { servicePointId: lab.json<{ id: string }>().id },
      KIN(),
    );
    expect(transfer.statusCode, transfer.body).toBe(200);
    const res = await finish(doctor, e.id, e.version);
    expect(res.statusCode, res.body).toBe(200);
    expect(await status('visits', t.visitId)).toBe('open');

    const t2 = await calledTicket();
    const e2 = (await start(doctor, { ticketId: t2.id })).json<Encounter>();
    expect((await finish(doctor, e2.id, e2.version)).statusCode).toBe(200);
    expect(await status('queue_tickets', t2.id)).toBe('done');
    expect(await status('visits', t2.visitId)).toBe('closed');
  });

  it('cancel: an encounter started in error ends cancelled; the ticket stays in service', async () => {
    const t = await calledTicket();
    const e = (await start(doctor, { ticketId: t.id })).json<Encounter>();
    const res = await doctor.req('POST', `/api/encounters/${e.id}/cancel`, { version: e.version }, KIN());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Encounter>().status).toBe('cancelled');
    expect(await status('queue_tickets', t.id)).toBe('in_service');
    // the visit can be started again
    const again = await start(doctor, { ticketId: t.id });
    expect(again.statusCode).toBe(201);
  });

  it('bad input: no version → 400 naming it', async () => {
    const res = await doctor.req('POST', `/api/encounters/${crypto.randomUUID()}/finish`, {}, KIN());
    expect(res.statusCode).toBe(400);
    expect(fields(res)).toContain('version');
  });
});

describe('access', () => {
  it('another clinic’s staff: 404 on a Kinshasa encounter and ticket, audited as denied; a receptionist: 403', async () => {
    const t = await calledTicket();
    const e = (await start(doctor, { ticketId: t.id })).json<Encounter>();
    const since = await lastAuditId(ctx.sql);
    const GOM = { 'x-clinic-id': ctx.ids.gom };
    const read = await goma.req('GET', `/api/encounters/${e.id}`, undefined, GOM);
    expect(read.statusCode).toBe(404);
    const fin = await goma.req('POST', `/api/encounters/${e.id}/finish`, { version: 1 }, GOM);
    expect(fin.statusCode).toBe(404);
    const other = await calledTicket();
    const fromTicket = await goma.req('POST', '/api/encounters', { ticketId: other.id }, GOM);
    expect(fromTicket.statusCode).toBe(404);
    expect(await status('queue_tickets', other.id)).toBe('called');
    const desk403 = await desk.req('GET', `/api/encounters/${e.id}`, undefined, KIN());
    expect(desk403.statusCode).toBe(403);
    const deskList = await desk.req('GET', `/api/patients/${t.patientId}/encounters`, undefined, KIN());
    expect(deskList.statusCode).toBe(403);
    const denied = (await auditSince(ctx.sql, since)).filter((r) => r.outcome === 'denied');
    expect(denied.map((r) => r.action)).toEqual(expect.arrayContaining(['encounter.read', 'encounter.finish', 'encounter.read']));
    expect(await status('encounters', e.id)).toBe('in_progress');
  });
});

describe('reading', () => {
  it('a patient’s encounters newest first, paged by cursor, each read audited with the ids shown', async () => {
    const pid = await patient();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const e = (await start(doctor, { patientId: pid })).json<Encounter>();
      expect((await finish(doctor, e.id, e.version)).statusCode).toBe(200);
      ids.push(e.id);
    }
    const since = await lastAuditId(ctx.sql);
    const page1 = await nurse.req('GET', `/api/patients/${pid}/encounters?limit=2`, undefined, KIN());
    expect(page1.statusCode, page1.body).toBe(200);
    const b1 = page1.json<{ data: Encounter[]; nextCursor: string | null }>();
    expect(b1.data.map((e) => e.id)).toEqual([ids[2], ids[1]]);
    expect(b1.nextCursor).toBe(ids[1]);
    const page2 = await nurse.req('GET', `/api/patients/${pid}/encounters?limit=2&cursor=${b1.nextCursor}`, undefined, KIN());
    expect(page2.json<{ data: Encounter[]; nextCursor: string | null }>()).toMatchObject({ nextCursor: null });
    expect(page2.json<{ data: Encounter[] }>().data.map((e) => e.id)).toEqual([ids[0]]);
    const audit = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'encounter.read');
    expect(audit[0]).toMatchObject({ patient_id: pid, outcome: 'success' });
    const bad = await nurse.req('GET', `/api/patients/${pid}/encounters?cursor=zzz`, undefined, KIN());
    expect(bad.statusCode).toBe(400);
    expect(fields(bad)).toEqual(['querystring.cursor']);
    const one = await nurse.req('GET', `/api/encounters/${ids[0]}`, undefined, KIN());
    expect(one.statusCode).toBe(200);
    expect(one.json<Encounter>()).toMatchObject({ id: ids[0], status: 'finished', startedBy: { id: doctor.userId } });
  });

  it('the doctor’s day: booked, waiting, in consultation and done, in time order, each with what to act on', async () => {
    const booked = await appointment(10);
    const waiting = await appointment(8);
    await checkIn(waiting.id);
    const seen = await appointment(6);
    await checkIn(seen.id);
    const inConsult = (await start(doctor, { appointmentId: seen.id })).json<Encounter>();
    const done = await appointment(4);
    await checkIn(done.id);
    const doneE = (await start(doctor, { appointmentId: done.id })).json<Encounter>();
    await finish(doctor, doneE.id, doneE.version);
    const walkIn = await calledTicket();
    // seen without a check-in (no visit), as the demo's history is: one line, done
    const noVisit = await appointment(2 + 10);
    await ctx.sql.query(`UPDATE appointments SET status = 'completed' WHERE id = $1`, [noVisit.id]);
    await ctx.sql.query(
      `INSERT INTO encounters (clinic_id, patient_id, appointment_id, practitioner_id, type, status, reason, started_by, ended_at)
       VALUES ($1, $2, $3, $4, 'outpatient', 'finished', 'Diabetes review', $5, now())`,
      [ctx.ids.kin, noVisit.patientId, noVisit.id, practitionerId, doctor.userId],
    );

    const res = await doctor.req('GET', '/api/encounters/today', undefined, KIN());
    expect(res.statusCode, res.body).toBe(200);
    const day = res.json<TodayView>();
    expect(day.practitioner).toEqual({ id: practitionerId, name: 'Dr Ada Kalala' });
    const byPatient = new Map(day.data.map((i) => [i.patient.id, i]));
    expect(byPatient.get(booked.patientId)).toMatchObject({
      state: 'booked',
      kind: 'appointment',
      appointmentId: booked.id,
      encounterId: null,
    });
    expect(byPatient.get(waiting.patientId)).toMatchObject({ state: 'waiting', ticketStatus: 'waiting' });
    expect(byPatient.get(seen.patientId)).toMatchObject({ state: 'in_consultation', encounterId: inConsult.id });
    expect(byPatient.get(done.patientId)).toMatchObject({ state: 'done', encounterId: doneE.id });
    expect(byPatient.get(walkIn.patientId)).toMatchObject({
      kind: 'walk_in',
      state: 'waiting',
      ticketId: walkIn.id,
      ticketStatus: 'called',
    });
    expect(byPatient.get(walkIn.patientId)!.patient.mrn).toBeTruthy();
    expect(day.data.filter((i) => i.patient.id === noVisit.patientId)).toEqual([
      expect.objectContaining({ kind: 'appointment', state: 'done', reason: 'Diabetes review' }),
    ]);
    const times = day.data.map((i) => i.time);
    expect([...times].sort()).toEqual(times);
    // the day shows names: its read is audited with whose
    const audit = await ctx.sql.query(
      `SELECT details FROM audit_log WHERE action = 'encounter.today' AND actor_user_id = $1 ORDER BY id DESC LIMIT 1`,
      [doctor.userId],
    );
    expect(audit.rows[0].details.patientIds).toEqual(expect.arrayContaining([booked.patientId, walkIn.patientId]));
    // a receptionist has no day of consultations
    expect((await desk.req('GET', '/api/encounters/today', undefined, KIN())).statusCode).toBe(403);
  });
});
