import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { news2 } from '@sanita/clinical/news2';
import type { Vitals } from '@sanita/contracts/chart';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import type { PublishedEvent } from '../../platform/realtime/events.ts';

let ctx: TestContext;
let nurse: Session; // KIN
let doctor: Session; // KIN
let desk: Session; // receptionist, KIN
let admin: Session; // KIN
let gomaNurse: Session; // a nurse of Goma only
const KIN = { 'x-clinic-id': '' };
const events: PublishedEvent[] = [];
const sockets: Socket[] = [];

/** A complete set: NEWS2 3 (RR 22 → 2, SpO2 95 → 1, the rest 0). */
const COMPLETE = {
  respiratoryRate: 22,
  spo2: 95,
  onOxygen: false,
  systolic: 128,
  diastolic: 82,
  heartRate: 76,
  consciousness: 'A',
  temperature: 37.1,
} as const;

let serial = 0;
/** A fresh patient of Kinshasa, so that each test reads only the sets it recorded. */
async function kinshasaPatient(birthDate = '1961-05-04'): Promise<string> {
  serial += 1;
  const res = await admin.req(
    'POST',
    '/api/patients',
    { givenName: 'Chart', familyName: `Vitals${serial}`, sex: 'female', birthDate, allowDuplicate: true },
    KIN,
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

const record = (s: Session, patientId: string, body: unknown) => s.req('POST', `/api/patients/${patientId}/vitals`, body, KIN);
const list = (s: Session, patientId: string, query = '') =>
  s.req('GET', `/api/patients/${patientId}/vitals${query}`, undefined, KIN);
const count = async (patientId: string) =>
  (await ctx.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM vitals WHERE patient_id = $1', [patientId])).rows[0]!.n;
const fields = (res: { json(): unknown }) =>
  ((res.json() as { error: { details?: { field: string }[] } }).error.details ?? []).map((d) => d.field);

beforeAll(async () => {
  ctx = await createTestContext();
  KIN['x-clinic-id'] = ctx.ids.kin;
  ctx.app.services.events.subscribe((e) => events.push(e));
  [nurse, doctor, desk, admin] = (await Promise.all(
    ['nurse', 'doctor', 'receptionist', 'admin'].map((r) => ctx.login(`${r}@sanita.test`)),
  )) as [Session, Session, Session, Session];
  // a nurse who works at Goma only (the demo has none)
  const { rows } = await ctx.sql.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name, email_verified_at)
     SELECT 'nurse.goma@sanita.test', password_hash, 'Neema Kavira', now() FROM users WHERE email = 'nurse@sanita.test'
     RETURNING id`,
  );
  await ctx.sql.query(`INSERT INTO memberships (user_id, clinic_id, role_id) VALUES ($1, $2, 'nurse')`, [
    rows[0]!.id,
    ctx.ids.gom,
  ]);
  gomaNurse = await ctx.login('nurse.goma@sanita.test');
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await ctx.close();
});

describe('recording vitals', () => {
  it('a complete set → 201 with the NEWS2 of @sanita/clinical, stored as computed by the server', async () => {
    const patientId = await kinshasaPatient();
    const res = await record(nurse, patientId, { ...COMPLETE, weightKg: 70, heightCm: 175, pain: 2, glucose: 5.4 });
    expect(res.statusCode, res.body).toBe(201);
    const v = res.json<Vitals>();
    const expected = news2(COMPLETE);
    expect(expected).not.toBeNull();
    expect(v.news2).toEqual(expected);
    expect(v.news2).toEqual({
      total: 3,
      scale: 1,
      scores: { respiratoryRate: 2, spo2: 1, airOrOxygen: 0, systolic: 0, heartRate: 0, consciousness: 0, temperature: 0 },
      risk: 'low',
      alert: false,
    });
    expect(v).toMatchObject({
      patientId,
      clinicId: ctx.ids.kin,
      recordedBy: { id: nurse.userId },
      ...COMPLETE,
      weightKg: 70,
      heightCm: 175,
      // 70 / 1.75² = 22.857…
      bmi: 22.9,
      pain: 2,
      glucose: 5.4,
      spo2Scale: 1,
      note: null,
    });
    expect(v.recordedBy.name).toBeTruthy();
    const { rows } = await ctx.sql.query(
      'SELECT news2_total, news2_risk, news2, bmi::float AS bmi, recorded_by FROM vitals WHERE id = $1',
      [v.id],
    );
    expect(rows[0]).toEqual({ news2_total: 3, news2_risk: 'low', news2: expected, bmi: 22.9, recorded_by: nurse.userId });
  });

  it('NEWS2 5–6 is a medium risk and 7 or more high, both alerts; a 3 in one parameter alone is low–medium', async () => {
    const patientId = await kinshasaPatient();
    // RR 22 → 2, SpO2 95 → 1, pulse 95 → 1, 38.6 °C → 1
    const medium = await record(doctor, patientId, { ...COMPLETE, heartRate: 95, temperature: 38.6 });
    expect(medium.statusCode, medium.body).toBe(201);
    expect(medium.json<Vitals>().news2).toMatchObject({ total: 5, risk: 'medium', alert: true });
    // RR 25 → 3, SpO2 93 → 2, pulse 115 → 2, 38.6 °C → 1
    const high = await record(doctor, patientId, {
      ...COMPLETE,
      respiratoryRate: 25,
      spo2: 93,
      heartRate: 115,
      temperature: 38.6,
    });
    expect(high.json<Vitals>().news2).toMatchObject({ total: 8, risk: 'high', alert: true });
    const confused = await record(doctor, patientId, { ...COMPLETE, spo2: 97, respiratoryRate: 16, consciousness: 'C' });
    expect(confused.json<Vitals>().news2).toMatchObject({ total: 3, risk: 'low_medium', alert: true });
  });

  it('the client cannot send its own NEWS2', async () => {
    const patientId = await kinshasaPatient();
    const res = await record(nurse, patientId, { ...COMPLETE, news2: { total: 0 } });
    expect(res.statusCode).toBe(400);
    expect(fields(res)).toContain('news2');
    expect(await count(patientId)).toBe(0);
  });

  it('an incomplete set is recorded without NEWS2', async () => {
    const patientId = await kinshasaPatient();
    const { consciousness: _c, ...withoutAcvpu } = COMPLETE;
    const res = await record(nurse, patientId, withoutAcvpu);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Vitals>()).toMatchObject({ news2: null, consciousness: null, bmi: null, respiratoryRate: 22 });
    const { rows } = await ctx.sql.query('SELECT news2_total, news2_risk, news2 FROM vitals WHERE patient_id = $1', [patientId]);
    expect(rows).toEqual([{ news2_total: null, news2_risk: null, news2: null }]);
  });

  it('SpO2 without saying air or oxygen is on air (and scored); without SpO2 oxygen stays unknown', async () => {
    const patientId = await kinshasaPatient();
    const { onOxygen: _o, ...rest } = COMPLETE;
    const onAir = await record(nurse, patientId, rest);
    expect(onAir.json<Vitals>()).toMatchObject({ onOxygen: false, spo2Scale: 1, news2: { total: 3 } });
    const pulseOnly = await record(nurse, patientId, { heartRate: 80 });
    expect(pulseOnly.json<Vitals>()).toMatchObject({ onOxygen: null, spo2: null, news2: null });
    // scale 2 on oxygen: 97 % is over-oxygenation (3), plus 2 for the oxygen
    const scale2 = await record(nurse, patientId, { ...COMPLETE, spo2: 97, onOxygen: true, spo2Scale: 2 });
    expect(scale2.json<Vitals>()).toMatchObject({ spo2Scale: 2, news2: { scale: 2, scores: { spo2: 3, airOrOxygen: 2 } } });
  });

  it('values are kept at the precision of the chart, and NEWS2 is scored on what is kept', async () => {
    const patientId = await kinshasaPatient();
    const res = await record(nurse, patientId, { ...COMPLETE, temperature: 38.04, weightKg: 3.456, heightCm: 50.04 });
    expect(res.json<Vitals>()).toMatchObject({ temperature: 38, weightKg: 3.46, heightCm: 50, bmi: 13.8, news2: { total: 3 } });
  });

  it('a weight and height that give an impossible BMI → 400 naming both, nothing written', async () => {
    const patientId = await kinshasaPatient();
    const res = await record(nurse, patientId, { weightKg: 400, heightCm: 30 });
    expect(res.statusCode, res.body).toBe(400);
    expect(fields(res)).toEqual(['weightKg', 'heightCm']);
    expect(await count(patientId)).toBe(0);
  });

  it('an empty body, or one with only a note and a time → 400 naming body, nothing written', async () => {
    const patientId = await kinshasaPatient();
    for (const body of [{}, { note: 'seen', takenAt: new Date().toISOString(), spo2Scale: 1, onOxygen: true }]) {
      const res = await record(nurse, patientId, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'body', code: 'required' })]);
    }
    expect(await count(patientId)).toBe(0);
  });

  it('takenAt in the future → 400 naming takenAt; a few minutes ahead (a drifting clock) is accepted', async () => {
    const patientId = await kinshasaPatient('1990-01-01');
    const ahead = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    const future = await record(nurse, patientId, { heartRate: 80, takenAt: ahead(30) });
    expect(future.statusCode, future.body).toBe(400);
    expect(future.json().error.details).toEqual([{ field: 'takenAt', code: 'invalid', message: 'cannot be in the future' }]);
    expect(future.json().error.message).toContain('takenAt');
    const beforeBirth = await record(nurse, patientId, { heartRate: 80, takenAt: '1989-12-30T10:00:00Z' });
    expect(beforeBirth.statusCode).toBe(400);
    expect(fields(beforeBirth)).toEqual(['takenAt']);
    expect(await count(patientId)).toBe(0);
    const drift = await record(nurse, patientId, { heartRate: 80, takenAt: ahead(3) });
    expect(drift.statusCode, drift.body).toBe(201);
    const earlier = await record(nurse, patientId, { heartRate: 82, takenAt: '2026-01-02T08:30:00+01:00' });
    expect(earlier.json<Vitals>().takenAt).toBe('2026-01-02T07:30:00.000Z');
  });

  it('a blank note is stored as none', async () => {
    const patientId = await kinshasaPatient();
    const res = await record(nurse, patientId, { heartRate: 70, note: '   ' });
    expect(res.json<Vitals>().note).toBeNull();
  });
});

describe('reading vitals', () => {
  it('lists the sets newest first (by when they were taken), paged with a cursor', async () => {
    const patientId = await kinshasaPatient();
    const at = ['2026-03-01T08:00:00Z', '2026-03-03T08:00:00Z', '2026-03-02T08:00:00Z', '2026-03-03T08:00:00Z'];
    const ids: string[] = [];
    for (const [i, takenAt] of at.entries()) {
      const res = await record(nurse, patientId, { heartRate: 60 + i, takenAt });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json<Vitals>().id);
    }
    // the two of 3 March (the larger id first), then 2 March, then 1 March
    const sameTime = [ids[1]!, ids[3]!].sort().reverse();
    const expected = [...sameTime, ids[2]!, ids[0]!];
    const all = await list(doctor, patientId);
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json<{ data: Vitals[] }>().data.map((v) => v.id)).toEqual(expected);
    expect(all.json().nextCursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(doctor, patientId, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.statusCode, page.body).toBe(200);
      const body = page.json<{ data: Vitals[]; nextCursor: string | null }>();
      seen.push(...body.data.map((v) => v.id));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor && pages < 5);
    expect(pages).toBe(2);
    expect(seen).toEqual(expected);
  });

  it('a cursor that is not one → 400 naming it', async () => {
    const res = await list(doctor, ctx.ids.kinPatient, '?cursor=yesterday');
    expect(res.statusCode).toBe(400);
    expect(fields(res)).toEqual(['querystring.cursor']);
  });

  it('a read is audited with the ids shown; a write with the set it recorded, in the same transaction', async () => {
    const patientId = await kinshasaPatient();
    const since = await lastAuditId(ctx.sql);
    const a = (await record(nurse, patientId, { heartRate: 70 })).json<Vitals>();
    const b = (await record(nurse, patientId, COMPLETE)).json<Vitals>();
    const res = await list(doctor, patientId);
    const shown = res.json<{ data: Vitals[] }>().data.map((v) => v.id);
    expect(shown.sort()).toEqual([a.id, b.id].sort());
    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.action.startsWith('vitals.'));
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'vitals.record',
        outcome: 'success',
        patient_id: patientId,
        actor_user_id: nurse.userId,
        details: { measures: ['heartRate'], news2: null },
      }),
      expect.objectContaining({
        action: 'vitals.record',
        outcome: 'success',
        patient_id: patientId,
        details: { measures: expect.arrayContaining(['respiratoryRate', 'consciousness']), news2: 3 },
      }),
      expect.objectContaining({
        action: 'vitals.read',
        outcome: 'success',
        patient_id: patientId,
        actor_user_id: doctor.userId,
        details: { ids: res.json<{ data: Vitals[] }>().data.map((v) => v.id) },
      }),
    ]);
    const { rows: resources } = await ctx.sql.query(
      `SELECT resource_type, resource_id FROM audit_log WHERE id > $1 AND action = 'vitals.record' ORDER BY id`,
      [since],
    );
    expect(resources).toEqual([
      { resource_type: 'vitals', resource_id: a.id },
      { resource_type: 'vitals', resource_id: b.id },
    ]);
  });
});

describe('who may', () => {
  it('a nurse of Goma gets 404 for a Kinshasa patient, audited as denied; nothing is written', async () => {
    const patientId = await kinshasaPatient();
    await record(nurse, patientId, { heartRate: 70 });
    const since = await lastAuditId(ctx.sql);
    const goma = { 'x-clinic-id': ctx.ids.gom };
    const read = await gomaNurse.req('GET', `/api/patients/${patientId}/vitals`, undefined, goma);
    const write = await gomaNurse.req('POST', `/api/patients/${patientId}/vitals`, { heartRate: 90 }, goma);
    for (const res of [read, write]) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
      expect(res.body).not.toContain('heartRate');
    }
    expect(await count(patientId)).toBe(1);
    const rows = await auditSince(ctx.sql, since);
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'vitals.read',
        outcome: 'denied',
        patient_id: patientId,
        actor_user_id: gomaNurse.userId,
      }),
      expect.objectContaining({
        action: 'vitals.record',
        outcome: 'denied',
        patient_id: patientId,
        actor_user_id: gomaNurse.userId,
      }),
    ]);
    // and she reads the chart of a Goma patient
    expect((await gomaNurse.req('GET', `/api/patients/${ctx.ids.gomPatient}/vitals`, undefined, goma)).statusCode).toBe(200);
  });

  it('a receptionist gets 403 (the chart is not the front desk’s), audited as denied', async () => {
    const patientId = await kinshasaPatient();
    const since = await lastAuditId(ctx.sql);
    expect((await list(desk, patientId)).statusCode).toBe(403);
    const write = await record(desk, patientId, { heartRate: 70 });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.code).toBe('FORBIDDEN');
    expect(await count(patientId)).toBe(0);
    const rows = await auditSince(ctx.sql, since);
    expect(rows.map((r) => [r.action, r.outcome, r.patient_id])).toEqual([
      ['vitals.read', 'denied', patientId],
      ['vitals.record', 'denied', patientId],
    ]);
  });

  it('an unknown patient is 404, audited without naming anyone', async () => {
    const unknown = crypto.randomUUID();
    const since = await lastAuditId(ctx.sql);
    expect((await list(nurse, unknown)).statusCode).toBe(404);
    expect((await record(nurse, unknown, { heartRate: 70 })).statusCode).toBe(404);
    const rows = await auditSince(ctx.sql, since);
    expect(rows.map((r) => [r.action, r.outcome, r.patient_id])).toEqual([
      ['vitals.read', 'denied', null],
      ['vitals.record', 'denied', null],
    ]);
  });

  it('a merge moves the duplicate’s vitals to the surviving record, whose chart then shows them', async () => {
    const survivor = await kinshasaPatient();
    const duplicate = await kinshasaPatient();
    const set = (await record(nurse, duplicate, { heartRate: 99 })).json<Vitals>();
    const merged = await admin.req('POST', `/api/patients/${survivor}/merge`, { duplicateId: duplicate }, KIN);
    expect(merged.statusCode, merged.body).toBe(200);
    const res = await list(nurse, survivor);
    expect(res.json<{ data: Vitals[] }>().data.map((v) => [v.id, v.patientId])).toEqual([[set.id, survivor]]);
    expect((await list(nurse, duplicate)).statusCode).toBe(404);
    expect((await record(nurse, duplicate, { heartRate: 70 })).statusCode).toBe(404);
  });
});

describe('live', () => {
  it('a new set is published after commit to the chart room of its clinic, with scores and no names', async () => {
    const patientId = await kinshasaPatient();
    const from = events.length;
    const res = await record(nurse, patientId, { ...COMPLETE, respiratoryRate: 26 });
    const v = res.json<Vitals>();
    const published = events.slice(from).filter((e) => e.name === 'vitals.recorded');
    expect(published).toEqual([
      {
        name: 'vitals.recorded',
        payload: { vitalsId: v.id, patientId, clinicId: ctx.ids.kin, news2: 4, alert: true },
        rooms: [`chart:${ctx.ids.kin}`],
      },
    ]);
    // nothing is published for a refused or invalid attempt
    const before = events.length;
    await record(desk, patientId, { heartRate: 70 });
    await record(nurse, patientId, {});
    expect(events.slice(before).filter((e) => e.name === 'vitals.recorded')).toEqual([]);
  });

  it('reaches the sockets of the clinic’s chart readers, not the front desk nor another clinic', async () => {
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    const goma = await ctx.login('doctor.goma@sanita.test');
    const listeners = [doctor, desk, goma].map((s) => {
      const socket = connect(base, { path: '/socket.io', transports: ['websocket'], auth: { token: s.token }, forceNew: true });
      sockets.push(socket);
      const got: { name: string; payload: { vitalsId?: string; practitionerId?: string } }[] = [];
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
    const patientId = await kinshasaPatient();
    const v = (await record(nurse, patientId, COMPLETE)).json<Vitals>();
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 250 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(check()).toBe(true);
    };
    const [doc, front, other] = listeners as [(typeof listeners)[0], (typeof listeners)[0], (typeof listeners)[0]];
    await until(() => doc.got.some((e) => e.name === 'vitals.recorded' && e.payload.vitalsId === v.id));
    // a marker to each user's own room arrives after anything published before it (one socket, in order)
    const marker = crypto.randomUUID();
    for (const l of [front, other])
      ctx.app.services.events.publish('availability.changed', { practitionerId: marker, clinicId: null }, [`user:${l.userId}`]);
    await until(() => [front, other].every((l) => l.got.some((e) => e.payload?.practitionerId === marker)));
    expect(front.got.filter((e) => e.name === 'vitals.recorded')).toEqual([]);
    expect(other.got.filter((e) => e.name === 'vitals.recorded')).toEqual([]);
  });
});
