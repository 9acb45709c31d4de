import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import { ownPractitioner } from '../../seed/test-practitioners.ts';
import type { PublishedEvent } from '../../platform/realtime/events.ts';
import { estimateWait } from './queue.service.ts';

let ctx: TestContext;
let desk: Session; // receptionist, KIN
let nurse: Session; // KIN
let admin: Session; // KIN
let goma: Session; // doctor at GOM
const events: PublishedEvent[] = [];
const KIN = () => ({ 'x-clinic-id': ctx.ids.kin });

interface Ticket {
  id: string;
  code: string;
  number: number;
  status: string;
  priority: string;
  servicePointId: string;
  visitId: string;
  transferredFromId: string | null;
  transferredToId: string | null;
  estimatedWaitMinutes: number | null;
  patient: { id: string; mrn: string; name: string; sex: string; age: number | null };
}

let spCounter = 0;
/** A fresh service point of Kinshasa (its own queue and numbering), created through the API. */
async function servicePoint(prefix: string, extra: Record<string, unknown> = {}): Promise<string> {
  spCounter += 1;
  const res = await admin.req(
    'POST',
    '/api/service-points',
    {
      code: `T${spCounter}`,
      name: `Test point ${spCounter}`,
      kind: 'consultation',
      ticketPrefix: prefix,
      room: `Room ${spCounter}`,
      ...extra,
    },
    KIN(),
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

let patientCounter = 0;
/** A fresh patient registered at Kinshasa. */
async function patient(birthDate = '1980-06-15', sex = 'female'): Promise<string> {
  patientCounter += 1;
  const res = await admin.req(
    'POST',
    '/api/patients',
    { givenName: 'Queue', familyName: `Patient${patientCounter}`, sex, birthDate, allowDuplicate: true },
    KIN(),
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

async function walkIn(servicePointId: string, priority = 'normal', patientId?: string, s: Session = desk) {
  const res = await s.req(
    'POST',
    '/api/visits/walk-in',
    { patientId: patientId ?? (await patient()), servicePointId, priority },
    KIN(),
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ visit: { id: string; kind: string; status: string }; ticket: Ticket }>();
}

async function queueOf(servicePointId: string, s: Session = nurse) {
  const res = await s.req('GET', `/api/queue?servicePointId=${servicePointId}`, undefined, KIN());
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{
    data: Ticket[];
    stats: { waiting: number; called: number; inService: number; done: number; meanServiceMinutes: number | null };
  }>();
}

const act = (id: string, action: string, body: unknown = {}, s: Session = nurse) =>
  s.req('POST', `/api/queue/tickets/${id}/${action}`, body, KIN());

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.app.services.events.subscribe((e) => events.push(e));
  [desk, nurse, admin, goma] = await Promise.all([
    ctx.login('receptionist@sanita.test'),
    ctx.login('nurse@sanita.test'),
    ctx.login('admin@sanita.test'),
    ctx.login('doctor.goma@sanita.test'),
  ]);
});
afterAll(() => ctx?.close());

describe('service points', () => {
  it('are created, listed, changed, and refuse a used code or a bad prefix naming the field', async () => {
    const id = await servicePoint('Q');
    const dup = await admin.req(
      'POST',
      '/api/service-points',
      { code: `T${spCounter}`, name: 'Again', kind: 'lab', ticketPrefix: 'R' },
      KIN(),
    );
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ error: { code: 'CODE_TAKEN', details: { field: 'code' } } });
    const bad = await admin.req('POST', '/api/service-points', { code: 'X1', name: 'X', kind: 'lab', ticketPrefix: 'ab' }, KIN());
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('ticketPrefix');
    const tooLong = await admin.req(
      'POST',
      '/api/service-points',
      { code: 'X2', name: 'X', kind: 'lab', ticketPrefix: 'ABCD' },
      KIN(),
    );
    expect(tooLong.statusCode).toBe(400);

    const patched = await admin.req('PATCH', `/api/service-points/${id}`, { room: 'Salle 9', ticketPrefix: 'QA' }, KIN());
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ room: 'Salle 9', ticketPrefix: 'QA' });

    // a cashier (queue:read) lists them; a nurse cannot create one (settings:write)
    const cashier = await ctx.login('cashier@sanita.test');
    const list = await cashier.req('GET', '/api/service-points', undefined, KIN());
    expect(list.statusCode).toBe(200);
    expect(list.json<{ data: { id: string }[] }>().data.map((s) => s.id)).toContain(id);
    const refused = await nurse.req(
      'POST',
      '/api/service-points',
      { code: 'N1', name: 'N', kind: 'lab', ticketPrefix: 'N' },
      KIN(),
    );
    expect(refused.statusCode).toBe(403);

    // Goma's admin view does not reach a Kinshasa service point
    const gomaList = await goma.req('GET', '/api/service-points', undefined, { 'x-clinic-id': ctx.ids.gom });
    expect(gomaList.json<{ data: { id: string }[] }>().data.map((s) => s.id)).not.toContain(id);
  });
});

describe('walk-in and numbering', () => {
  it('numbers tickets per service point and per clinic-local day, and restarts on a new day', async () => {
    const a = await servicePoint('A');
    const b = await servicePoint('B');
    // yesterday's counter of the same service point must not carry over
    await ctx.sql.query(
      `INSERT INTO queue_counters (service_point_id, service_date, last_number)
       VALUES ($1, (now() AT TIME ZONE 'Africa/Kinshasa')::date - 1, 41)`,
      [a],
    );
    const since = await lastAuditId(ctx.sql);
    const firstPatient = await patient();
    const first = await walkIn(a, 'normal', firstPatient);
    expect(first.visit).toMatchObject({ kind: 'walk_in', status: 'open' });
    expect(first.ticket).toMatchObject({ code: 'A-001', number: 1, status: 'waiting' });
    expect((await walkIn(a)).ticket.code).toBe('A-002');
    expect((await walkIn(b)).ticket.code).toBe('B-001');
    const today = (await ctx.sql.query<{ d: string }>(`SELECT (now() AT TIME ZONE 'Africa/Kinshasa')::date::text AS d`)).rows[0]!
      .d;
    expect(first.ticket).toMatchObject({ serviceDate: today });

    const audit = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'visit.walk_in');
    expect(audit).toHaveLength(3);
    expect(audit[0]!.patient_id).toBe(firstPatient);
    expect(audit[0]!.details).toMatchObject({ ticketId: first.ticket.id, code: 'A-001' });
    expect(audit.every((r) => r.patient_id && r.outcome === 'success')).toBe(true);

    // move today's tickets and counter to yesterday: the next ticket is number one again
    await ctx.sql.query(`UPDATE queue_tickets SET service_date = service_date - 1 WHERE service_point_id = $1`, [a]);
    await ctx.sql.query(
      `DELETE FROM queue_counters WHERE service_point_id = $1 AND service_date < (now() AT TIME ZONE 'Africa/Kinshasa')::date`,
      [a],
    );
    await ctx.sql.query(`UPDATE queue_counters SET service_date = service_date - 1 WHERE service_point_id = $1`, [a]);
    expect((await walkIn(a)).ticket.code).toBe('A-001');
  });

  it('gives concurrent walk-ins distinct consecutive numbers', async () => {
    const sp = await servicePoint('W');
    const patients = await Promise.all([patient(), patient(), patient(), patient(), patient()]);
    const results = await Promise.all(
      patients.map((patientId) =>
        desk.req('POST', '/api/visits/walk-in', { patientId, servicePointId: sp, priority: 'normal' }, KIN()),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    const codes = results.map((r) => r.json<{ ticket: Ticket }>().ticket.code).sort();
    expect(codes).toEqual(['W-001', 'W-002', 'W-003', 'W-004', 'W-005']);
  });

  it('refuses a second open ticket at the same service point (ALREADY_QUEUED) but not elsewhere or after the first ends', async () => {
    const sp = await servicePoint('D');
    const other = await servicePoint('E');
    const p = await patient();
    const first = await walkIn(sp, 'normal', p);
    const visits = Number((await ctx.sql.query(`SELECT count(*) AS n FROM visits WHERE patient_id = $1`, [p])).rows[0].n);
    const again = await desk.req('POST', '/api/visits/walk-in', { patientId: p, servicePointId: sp, priority: 'normal' }, KIN());
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_QUEUED');
    // nothing half-written: no second visit
    expect(Number((await ctx.sql.query(`SELECT count(*) AS n FROM visits WHERE patient_id = $1`, [p])).rows[0].n)).toBe(visits);
    await walkIn(other, 'normal', p);
    expect((await act(first.ticket.id, 'skip')).statusCode).toBe(200);
    await walkIn(sp, 'normal', p);
  });

  it('lets only one of two simultaneous walk-ins of the same patient at a service point through', async () => {
    const sp = await servicePoint('F');
    const p = await patient();
    const body = { patientId: p, servicePointId: sp, priority: 'normal' };
    const results = await Promise.all([
      desk.req('POST', '/api/visits/walk-in', body, KIN()),
      nurse.req('POST', '/api/visits/walk-in', body, KIN()),
      admin.req('POST', '/api/visits/walk-in', body, KIN()),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    const rows = await ctx.sql.query(`SELECT count(*)::int AS n FROM queue_tickets WHERE patient_id = $1`, [p]);
    expect(rows.rows[0].n).toBe(1);
    // the refused ones gave back their numbers: the next patient is F-002
    expect((await walkIn(sp)).ticket.code).toBe('F-002');
  });

  it('finds neither a patient nor a service point of another clinic (404), and validates the body naming the field', async () => {
    const sp = await servicePoint('G');
    const since = await lastAuditId(ctx.sql);
    const gomPatient = await desk.req(
      'POST',
      '/api/visits/walk-in',
      { patientId: ctx.ids.gomPatient, servicePointId: sp, priority: 'normal' },
      KIN(),
    );
    expect(gomPatient.statusCode).toBe(404);
    // the refused attempt on a patient is audited, like every refusal of the patient-access path
    expect((await auditSince(ctx.sql, since)).filter((r) => r.action === 'visit.walk_in')).toEqual([
      expect.objectContaining({ outcome: 'denied', patient_id: ctx.ids.gomPatient }),
    ]);
    // a Goma session does not see the Kinshasa service point
    const crossClinic = await goma.req(
      'POST',
      '/api/visits/walk-in',
      { patientId: ctx.ids.gomPatient, servicePointId: sp, priority: 'normal' },
      { 'x-clinic-id': ctx.ids.gom },
    );
    expect(crossClinic.statusCode).toBe(404);
    const crossQueue = await goma.req('GET', `/api/queue?servicePointId=${sp}`, undefined, { 'x-clinic-id': ctx.ids.gom });
    expect(crossQueue.statusCode).toBe(404);
    const bad = await desk.req(
      'POST',
      '/api/visits/walk-in',
      { patientId: await patient(), servicePointId: sp, priority: 'urgent' },
      KIN(),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('priority');
    const closed = await servicePoint('H', { active: false });
    const toClosed = await desk.req(
      'POST',
      '/api/visits/walk-in',
      { patientId: await patient(), servicePointId: closed, priority: 'normal' },
      KIN(),
    );
    expect(toClosed.statusCode).toBe(400);
    expect(toClosed.body).toContain('servicePointId');
    const count = await ctx.sql.query(`SELECT count(*)::int AS n FROM queue_tickets WHERE service_point_id = ANY($1::uuid[])`, [
      [sp, closed],
    ]);
    expect(count.rows[0].n).toBe(0);
  });
});

describe('the queue', () => {
  it('lists waiting tickets by priority then arrival, with estimated waits, stats, patient summaries and one audit row', async () => {
    const sp = await servicePoint('O');
    const normal1 = await walkIn(sp, 'normal', await patient('1990-01-01'));
    const elderlyPatient = await patient('1940-03-02');
    const elderly = await walkIn(sp, 'elderly', elderlyPatient);
    const normal2 = await walkIn(sp, 'normal');
    const emergency = await walkIn(sp, 'emergency');
    const pregnant = await walkIn(sp, 'pregnant');

    const since = await lastAuditId(ctx.sql);
    const q = await queueOf(sp);
    expect(q.data.map((t) => t.code)).toEqual([
      emergency.ticket.code,
      elderly.ticket.code,
      pregnant.ticket.code,
      normal1.ticket.code,
      normal2.ticket.code,
    ]);
    // no history at this service point: 10 minutes each, one person serving
    expect(q.data.map((t) => t.estimatedWaitMinutes)).toEqual([0, 10, 20, 30, 40]);
    expect(q.stats).toEqual({ waiting: 5, called: 0, inService: 0, done: 0, meanServiceMinutes: null });
    const elderlyRow = q.data.find((t) => t.id === elderly.ticket.id)!;
    expect(elderlyRow.patient).toMatchObject({ id: elderlyPatient, sex: 'female' });
    expect(elderlyRow.patient.mrn).toMatch(/\S/);
    expect(elderlyRow.patient.name).toMatch(/^Queue Patient\d+$/);
    expect(elderlyRow.patient.age).toBeGreaterThanOrEqual(84);

    const audit = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'queue.list');
    expect(audit).toHaveLength(1);
    expect((audit[0]!.details as { patientIds: string[] }).patientIds.sort()).toEqual(q.data.map((t) => t.patient.id).sort());

    // call, serve and finish two; the one being served moves below the waiting ones, done ones last
    const c1 = await nurse.req('POST', '/api/queue/call-next', { servicePointId: sp }, KIN());
    expect(c1.statusCode, c1.body).toBe(200);
    expect(c1.json<Ticket>().code).toBe(emergency.ticket.code);
    await act(emergency.ticket.id, 'start');
    await act(emergency.ticket.id, 'done');
    const c2 = await nurse.req('POST', '/api/queue/call-next', { servicePointId: sp, room: 'Box 2' }, KIN());
    expect(c2.json<Ticket>()).toMatchObject({ code: elderly.ticket.code, room: 'Box 2', status: 'called' });
    // the finished one took 6 minutes: pretend so in the database
    await ctx.sql.query(`UPDATE queue_tickets SET service_started_at = finished_at - interval '6 minutes' WHERE id = $1`, [
      emergency.ticket.id,
    ]);
    const after = await queueOf(sp);
    expect(after.data.map((t) => t.status)).toEqual(['waiting', 'waiting', 'waiting', 'called', 'done']);
    expect(after.stats).toEqual({ waiting: 3, called: 1, inService: 0, done: 1, meanServiceMinutes: 6 });
    // one nurse called in the last hour: 0, 6, 12
    expect(after.data.slice(0, 3).map((t) => t.estimatedWaitMinutes)).toEqual([0, 6, 12]);

    // two people serving there halve the wait
    await ctx.sql.query(`UPDATE queue_tickets SET called_by = $2 WHERE id = $1`, [
      elderly.ticket.id,
      ctx.ids.users['doctor@sanita.test'],
    ]);
    const two = await queueOf(sp);
    expect(two.data.slice(0, 3).map((t) => t.estimatedWaitMinutes)).toEqual([0, 3, 6]);
  });

  it('estimates wait from tickets ahead, mean service time and staff', () => {
    expect(estimateWait(0, null, 0)).toBe(0);
    expect(estimateWait(3, null, 1)).toBe(30);
    expect(estimateWait(3, 8, 2)).toBe(12);
    expect(estimateWait(1, 7, 3)).toBe(2);
  });

  it('answers call-next on an empty queue with 409 QUEUE_EMPTY', async () => {
    const sp = await servicePoint('Z');
    const res = await nurse.req('POST', '/api/queue/call-next', { servicePointId: sp }, KIN());
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('QUEUE_EMPTY');
  });

  it('calls two different patients when two nurses click call-next at once', async () => {
    const sp = await servicePoint('C');
    for (let i = 0; i < 4; i++) await walkIn(sp);
    const other = await ctx.login('doctor@sanita.test');
    for (let round = 0; round < 2; round++) {
      const [x, y] = await Promise.all([
        nurse.req('POST', '/api/queue/call-next', { servicePointId: sp }, KIN()),
        other.req('POST', '/api/queue/call-next', { servicePointId: sp }, KIN()),
      ]);
      expect([x.statusCode, y.statusCode]).toEqual([200, 200]);
      expect(x.json<Ticket>().id).not.toBe(y.json<Ticket>().id);
    }
    const q = await queueOf(sp);
    expect(q.data.filter((t) => t.status === 'called')).toHaveLength(4);
  });
});

describe('transitions', () => {
  it('allows waiting → called → in_service → done, re-calls, requeue and skip, and refuses the rest with INVALID_TRANSITION', async () => {
    const sp = await servicePoint('M');
    const t = (await walkIn(sp)).ticket;
    const since = await lastAuditId(ctx.sql);
    events.length = 0;

    for (const illegal of ['start', 'done', 'requeue']) {
      const res = await act(t.id, illegal);
      expect(res.statusCode, illegal).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'INVALID_TRANSITION', details: { from: 'waiting' } });
    }
    expect((await act(t.id, 'call', { room: 'Room 4' })).json()).toMatchObject({ status: 'called', room: 'Room 4' });
    expect((await act(t.id, 'call')).json().status).toBe('called'); // chime again
    expect((await act(t.id, 'requeue')).json()).toMatchObject({ status: 'waiting', calledAt: null });
    await act(t.id, 'call');
    expect((await act(t.id, 'done')).json().error).toMatchObject({
      code: 'INVALID_TRANSITION',
      details: { from: 'called', to: 'done' },
    });
    expect((await act(t.id, 'start')).json().status).toBe('in_service');
    for (const illegal of ['call', 'skip', 'requeue', 'start']) expect((await act(t.id, illegal)).statusCode, illegal).toBe(409);
    const done = await act(t.id, 'done');
    expect(done.json()).toMatchObject({ status: 'done' });
    expect(done.json().finishedAt).not.toBeNull();
    for (const illegal of ['call', 'start', 'done', 'skip', 'requeue'])
      expect((await act(t.id, illegal)).statusCode, illegal).toBe(409);
    expect((await act(t.id, 'transfer', { servicePointId: await servicePoint('N') })).statusCode).toBe(409);

    const s1 = (await walkIn(sp)).ticket;
    expect((await act(s1.id, 'skip')).json().status).toBe('skipped');
    expect((await act(s1.id, 'call')).statusCode).toBe(409);
    const s2 = (await walkIn(sp)).ticket;
    await act(s2.id, 'call');
    expect((await act(s2.id, 'skip')).json().status).toBe('skipped');

    // every move is audited with the patient, and published without patient data
    const audit = (await auditSince(ctx.sql, since)).filter(
      (r) => r.action.startsWith('queue.ticket.') && r.outcome === 'success',
    );
    expect(audit.map((r) => r.action)).toEqual([
      'queue.ticket.call',
      'queue.ticket.call',
      'queue.ticket.requeue',
      'queue.ticket.call',
      'queue.ticket.start',
      'queue.ticket.done',
      'queue.ticket.skip',
      'queue.ticket.call',
      'queue.ticket.skip',
    ]);
    expect(audit.every((r) => r.patient_id)).toBe(true);
    const called = events.filter(
      (e) => e.name === 'queue.ticket.called' && (e.payload as { ticket: { id: string } }).ticket.id === t.id,
    );
    expect(called).toHaveLength(3);
    expect(called[0]!.rooms).toEqual([`display:${ctx.ids.kin}`, `sp:${sp}`]);
    expect(called[0]!.payload).toMatchObject({ ticket: { code: t.code, room: 'Room 4', status: 'called' } });
    const changed = events.filter((e) => e.name === 'queue.ticket.changed');
    expect(changed[0]!.rooms).toEqual([`clinic:${ctx.ids.kin}`, `sp:${sp}`, `display:${ctx.ids.kin}`]);
    expect(JSON.stringify(events)).not.toMatch(/Queue Patient|mrn|patientId/);
  });

  it('refuses moves by a role without queue:write (403) and on a ticket of another clinic (404)', async () => {
    const sp = await servicePoint('R');
    const t = (await walkIn(sp)).ticket;
    const manager = await ctx.login('manager@sanita.test');
    expect((await act(t.id, 'call', {}, manager)).statusCode).toBe(403);
    expect((await goma.req('POST', `/api/queue/tickets/${t.id}/call`, {}, { 'x-clinic-id': ctx.ids.gom })).statusCode).toBe(404);
    expect((await act(t.id, 'call', { nope: 1 })).statusCode).toBe(400);
    const fresh = await ctx.sql.query(`SELECT status FROM queue_tickets WHERE id = $1`, [t.id]);
    expect(fresh.rows[0].status).toBe('waiting');
  });

  it('transfers to another service point with a new number there, linked both ways, on the same visit', async () => {
    const triage = await servicePoint('TR');
    const lab = await servicePoint('L');
    await walkIn(lab); // L-001 taken
    const first = await walkIn(triage, 'elderly', await patient('1950-01-01'));
    await act(first.ticket.id, 'call');
    await act(first.ticket.id, 'start');
    events.length = 0;
    const res = await act(first.ticket.id, 'transfer', {
      servicePointId: lab,
      note: '  T 38.9, cough for 3 days: malaria test  ',
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<Ticket & { transferredTo: Ticket & { note: string | null } }>();
    // the note travels with the ticket: the lab sees it in its queue (trimmed)
    expect(body.transferredTo.note).toBe('T 38.9, cough for 3 days: malaria test');
    expect((await queueOf(lab)).data.find((t) => t.id === body.transferredTo.id)).toMatchObject({
      note: 'T 38.9, cough for 3 days: malaria test',
    });
    expect(body).toMatchObject({ status: 'transferred', transferredToId: body.transferredTo.id });
    expect(body.transferredTo).toMatchObject({
      code: 'L-002',
      status: 'waiting',
      priority: 'elderly',
      servicePointId: lab,
      visitId: first.visit.id,
      transferredFromId: first.ticket.id,
    });
    expect((await queueOf(lab)).data.map((t) => t.code)).toEqual(['L-002', 'L-001']);
    expect(events.map((e) => `${e.name}:${(e.payload as { change?: string }).change}`)).toEqual([
      'queue.ticket.changed:transferred',
      'queue.ticket.changed:created',
    ]);

    // a transfer with an explicit priority; to the same point, to a closed or foreign one, refused
    const second = await walkIn(triage);
    const tooLong = await act(second.ticket.id, 'transfer', { servicePointId: lab, note: 'x'.repeat(1001) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('note');
    const same = await act(second.ticket.id, 'transfer', { servicePointId: triage });
    expect(same.statusCode).toBe(400);
    expect(same.body).toContain('servicePointId');
    const gomSp = await ctx.sql.query(
      `INSERT INTO service_points (clinic_id, code, name, kind, ticket_prefix) VALUES ($1, 'GX', 'Goma X', 'lab', 'X') RETURNING id`,
      [ctx.ids.gom],
    );
    expect((await act(second.ticket.id, 'transfer', { servicePointId: gomSp.rows[0].id })).statusCode).toBe(404);
    const urgent = await act(second.ticket.id, 'transfer', { servicePointId: lab, priority: 'emergency' });
    expect(urgent.json<{ transferredTo: Ticket }>().transferredTo).toMatchObject({ code: 'L-003', priority: 'emergency' });
    expect((await queueOf(lab)).data[0]!.code).toBe('L-003');
    // the patient already waits at the lab: a second transfer there is ALREADY_QUEUED
    const third = await walkIn(triage, 'normal', (await queueOf(lab)).data[0]!.patient.id);
    const twice = await act(third.ticket.id, 'transfer', { servicePointId: lab });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('ALREADY_QUEUED');
    expect((await ctx.sql.query(`SELECT status FROM queue_tickets WHERE id = $1`, [third.ticket.id])).rows[0].status).toBe(
      'waiting',
    );
  });
});

describe('priorities checked against the patient', () => {
  it('refuses elderly under 60, pregnant for a man or a child, naming priority, writing nothing; emergency for anyone', async () => {
    const sp = await servicePoint('PR');
    const refused = async (priority: string, patientId: string, says: string) => {
      const res = await desk.req('POST', '/api/visits/walk-in', { patientId, servicePointId: sp, priority }, KIN());
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'priority' })]);
      expect(res.body).toContain(says);
      const n = await ctx.sql.query(`SELECT count(*)::int AS n FROM visits WHERE patient_id = $1`, [patientId]);
      expect(n.rows[0].n).toBe(0);
    };
    const year = new Date().getFullYear();
    await refused('elderly', await patient(`${year - 45}-01-01`), 'aged 60 or over (this patient is 4');
    await refused('pregnant', await patient('1990-01-01', 'male'), 'female patients');
    await refused('pregnant', await patient(`${year - 8}-01-01`), 'aged 10 to 60');
    await refused('pregnant', await patient(`${year - 70}-01-01`), 'aged 10 to 60');
    expect((await walkIn(sp, 'elderly', await patient(`${year - 70}-01-01`, 'male'))).ticket.priority).toBe('elderly');
    expect((await walkIn(sp, 'pregnant', await patient(`${year - 25}-01-01`))).ticket.priority).toBe('pregnant');
    expect((await walkIn(sp, 'emergency', await patient(`${year - 3}-01-01`, 'male'))).ticket.priority).toBe('emergency');
    // a transfer that raises the priority is checked too
    const t = await walkIn(sp, 'normal', await patient('1990-01-01', 'male'));
    const other = await servicePoint('PS');
    const res = await act(t.ticket.id, 'transfer', { servicePointId: other, priority: 'pregnant' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('priority');
    expect((await ctx.sql.query(`SELECT status FROM queue_tickets WHERE id = $1`, [t.ticket.id])).rows[0].status).toBe('waiting');
  });
});

describe('check-in from an appointment', () => {
  it('checks in today’s booked appointment: visit, ticket, appointment checked_in, audit; and refuses a second time', async () => {
    const sp = await servicePoint('CK');
    const p = await patient();
    // the demo practitioners have a full day: a practitioner of this test's own is free now
    const ids = {
      pr: (await ownPractitioner(ctx.sql, 'Dr Amani Mukendi', { displayName: 'Dr Ada Mukendi' })).id,
      vt: (await ctx.sql.query<{ id: string }>(`SELECT id FROM visit_types LIMIT 1`)).rows[0]!.id,
    };
    const appt = await ctx.sql.query<{ id: string }>(
      `INSERT INTO appointments (clinic_id, practitioner_id, patient_id, visit_type_id, starts_at, ends_at, block_ends_at, status, source)
       VALUES ($1, $2, $3, $4, now(), now() + interval '1 minute', now() + interval '1 minute', 'booked', 'staff') RETURNING id`,
      [ctx.ids.kin, ids.pr, p, ids.vt],
    );
    const id = appt.rows[0]!.id;
    const since = await lastAuditId(ctx.sql);
    events.length = 0;
    const res = await desk.req('POST', `/api/appointments/${id}/check-in`, { servicePointId: sp, priority: 'pregnant' }, KIN());
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ visit: { kind: string; appointmentId: string; patientId: string }; ticket: Ticket }>();
    expect(body.visit).toMatchObject({ kind: 'appointment', appointmentId: id, patientId: p });
    expect(body.ticket).toMatchObject({ code: 'CK-001', priority: 'pregnant', status: 'waiting' });
    expect((await ctx.sql.query(`SELECT status FROM appointments WHERE id = $1`, [id])).rows[0].status).toBe('checked_in');
    const audit = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'appointment.check_in');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.patient_id).toBe(p);
    expect(events.map((e) => e.name).sort()).toEqual(['appointment.changed', 'queue.ticket.changed']);

    const again = await desk.req('POST', `/api/appointments/${id}/check-in`, { servicePointId: sp, priority: 'normal' }, KIN());
    expect(again.statusCode).toBe(409);
    const tickets = await ctx.sql.query(`SELECT count(*)::int AS n FROM queue_tickets WHERE patient_id = $1`, [p]);
    expect(tickets.rows[0].n).toBe(1);
    const missing = await desk.req(
      'POST',
      '/api/appointments/00000000-0000-4000-8000-000000000000/check-in',
      { servicePointId: sp, priority: 'normal' },
      KIN(),
    );
    expect(missing.statusCode).toBe(404);

    // the appointment follows its visit: in progress when service starts, completed when the consultation ends
    const status = async () => (await ctx.sql.query(`SELECT status FROM appointments WHERE id = $1`, [id])).rows[0].status;
    expect((await act(body.ticket.id, 'call')).statusCode).toBe(200);
    events.length = 0;
    expect((await act(body.ticket.id, 'start')).statusCode).toBe(200);
    expect(await status()).toBe('in_progress');
    expect(events.find((e) => e.name === 'appointment.changed')?.payload).toMatchObject({
      appointment: { id, status: 'in_progress' },
    });
    expect((await act(body.ticket.id, 'done')).statusCode).toBe(200);
    expect(await status()).toBe('completed');
    const moves = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'appointment.status');
    expect(moves.map((r) => (r.details as { to: string }).to)).toEqual(['in_progress', 'completed']);
  });
});

describe('waiting-room displays', () => {
  it('creates a token shown once, opens the board with it, never shows patient data, and stops after revocation', async () => {
    const sp = await servicePoint('V', { room: 'Salle 3' });
    const hidden = await servicePoint('U');
    const t1 = await walkIn(sp);
    await walkIn(sp);
    await walkIn(hidden);
    await act(t1.ticket.id, 'call');

    const created = await admin.req('POST', '/api/display-tokens', { name: 'Hall TV', servicePointIds: [sp] }, KIN());
    expect(created.statusCode, created.body).toBe(201);
    const { id, token, url } = created.json<{ id: string; token: string; url: string }>();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url).toBe(`http://sanita.test/display?token=${token}`);
    const stored = await ctx.sql.query(`SELECT token_hash FROM display_tokens WHERE id = $1`, [id]);
    expect(stored.rows[0].token_hash).not.toContain(token);
    const list = await admin.req('GET', '/api/display-tokens', undefined, KIN());
    expect(list.json<{ data: { id: string }[] }>().data.map((d) => d.id)).toContain(id);
    expect(list.body).not.toContain(token);

    const board = await ctx.app.inject({ method: 'GET', url: '/api/display/board', headers: { 'x-display-token': token } });
    expect(board.statusCode, board.body).toBe(200);
    const b = board.json<{
      clinic: { name: string; timezone: string };
      servicePoints: { id: string }[];
      called: { code: string; room: string }[];
      waiting: Record<string, number>;
    }>();
    expect(b.clinic.timezone).toBe('Africa/Kinshasa');
    expect(b.servicePoints.map((s) => s.id)).toEqual([sp]);
    expect(b.called).toEqual([expect.objectContaining({ code: t1.ticket.code, room: 'Salle 3', status: 'called' })]);
    expect(b.waiting).toEqual({ [sp]: 1 });
    expect(board.body).not.toMatch(/Queue Patient|patient|mrn|birth/i);
    const seen = await ctx.sql.query(`SELECT last_seen_at FROM display_tokens WHERE id = $1`, [id]);
    expect(seen.rows[0].last_seen_at).not.toBeNull();

    // the gateway's checks
    expect(await ctx.app.services.queue.resolveDisplayToken(token)).toEqual({ id, clinicId: ctx.ids.kin, servicePointIds: [sp] });
    expect(await ctx.app.services.queue.resolveDisplayToken('nope')).toBeNull();

    const none = await ctx.app.inject({ method: 'GET', url: '/api/display/board' });
    expect(none.statusCode).toBe(401);
    const wrong = await ctx.app.inject({ method: 'GET', url: '/api/display/board', headers: { 'x-display-token': `${token}x` } });
    expect(wrong.statusCode).toBe(401);

    expect((await nurse.req('POST', `/api/display-tokens/${id}/revoke`, {}, KIN())).statusCode).toBe(403);
    const revoked = await admin.req('POST', `/api/display-tokens/${id}/revoke`, {}, KIN());
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    const after = await ctx.app.inject({ method: 'GET', url: '/api/display/board', headers: { 'x-display-token': token } });
    expect(after.statusCode).toBe(401);
    expect(await ctx.app.services.queue.resolveDisplayToken(token)).toBeNull();
  });

  it('shows every active service point when the token lists none, and refuses a service point of another clinic', async () => {
    const res = await admin.req('POST', '/api/display-tokens', { name: 'Whole clinic', servicePointIds: [] }, KIN());
    const { token } = res.json<{ token: string }>();
    const board = await ctx.app.inject({ method: 'GET', url: '/api/display/board', headers: { 'x-display-token': token } });
    const ids = board.json<{ servicePoints: { id: string }[] }>().servicePoints.map((s) => s.id);
    const active = await ctx.sql.query(`SELECT count(*)::int AS n FROM service_points WHERE clinic_id = $1 AND active`, [
      ctx.ids.kin,
    ]);
    expect(ids).toHaveLength(active.rows[0].n);

    const gomSp = await ctx.sql.query<{ id: string }>(`SELECT id FROM service_points WHERE clinic_id = $1 LIMIT 1`, [
      ctx.ids.gom,
    ]);
    expect(gomSp.rows[0]).toBeDefined();
    const bad = await admin.req('POST', '/api/display-tokens', { name: 'Bad', servicePointIds: [gomSp.rows[0]!.id] }, KIN());
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('servicePointIds');
  });

  it('lets staff follow a service point of a clinic where they hold queue:read, and no other', async () => {
    const sp = await servicePoint('S');
    const kinNurse = {
      clinicId: ctx.ids.kin,
      permissions: new Set(['queue:read']),
      memberships: [{ clinicId: ctx.ids.kin, role: 'nurse', requireMfa: false, permissions: ['queue:read'] }],
    };
    const gomDoctor = {
      clinicId: ctx.ids.gom,
      permissions: new Set(['queue:read']),
      memberships: [{ clinicId: ctx.ids.gom, role: 'doctor', requireMfa: false, permissions: ['queue:read'] }],
    };
    const accountant = {
      clinicId: ctx.ids.kin,
      permissions: new Set(['patients:read']),
      memberships: [{ clinicId: ctx.ids.kin, role: 'accountant', requireMfa: false, permissions: ['patients:read'] }],
    };
    const q = ctx.app.services.queue;
    type P = Parameters<typeof q.canSubscribeServicePoint>[0];
    expect(await q.canSubscribeServicePoint(kinNurse as unknown as P, sp)).toBe(true);
    expect(await q.canSubscribeServicePoint(gomDoctor as unknown as P, sp)).toBe(false);
    expect(await q.canSubscribeServicePoint(accountant as unknown as P, sp)).toBe(false);
    expect(await q.canSubscribeServicePoint(kinNurse as unknown as P, '00000000-0000-4000-8000-000000000000')).toBe(false);
    expect(await q.canSubscribeServicePoint(kinNurse as unknown as P, 'not-a-uuid')).toBe(false);
  });
});

describe('demo seed', () => {
  it('gives each clinic its service points and Kinshasa a few patients waiting at triage today', async () => {
    const sps = await ctx.sql.query<{ clinic_id: string; n: number }>(
      `SELECT clinic_id, count(*)::int AS n FROM service_points WHERE code IN ('TRIAGE','CONSULT1','CONSULT2','LAB','PHARMACY','CASHIER') GROUP BY clinic_id`,
    );
    expect(Object.fromEntries(sps.rows.map((r) => [r.clinic_id, r.n]))).toEqual({ [ctx.ids.kin]: 6, [ctx.ids.gom]: 6 });
    const triage = await ctx.sql.query<{ id: string }>(`SELECT id FROM service_points WHERE clinic_id = $1 AND code = 'TRIAGE'`, [
      ctx.ids.kin,
    ]);
    const q = await queueOf(triage.rows[0]!.id);
    expect(q.data.map((t) => t.code)).toEqual(['T-002', 'T-004', 'T-001', 'T-003', 'T-005']);
    expect(q.data.map((t) => t.estimatedWaitMinutes)).toEqual([0, 10, 20, 30, 40]);
    // the counter continues after the seeded tickets
    expect((await walkIn(triage.rows[0]!.id)).ticket.code).toBe('T-006');
  });
});
