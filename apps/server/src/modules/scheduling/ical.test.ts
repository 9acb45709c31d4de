import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import { ownPractitioner } from '../../seed/test-practitioners.ts';

let ctx: TestContext;
let doctor: Session;
let nurse: Session;
let admin: Session;
let practitionerId: string;
let mrn: string;
let patientName: string;

beforeAll(async () => {
  ctx = await createTestContext();
  // the demo doctor has a full diary: the feed here is of a doctor with only the four visits below
  practitionerId = (
    await ownPractitioner(ctx.sql, 'Dr Amani Mukendi', { displayName: 'Dr Ada Mukendi', email: 'ada@sanita.test' })
  ).id;
  [doctor, nurse, admin] = await Promise.all([
    ctx.login('ada@sanita.test'),
    ctx.login('nurse@sanita.test'),
    ctx.login('admin@sanita.test'),
  ]);
  const p = (await ctx.sql.query('SELECT mrn, family_name FROM patients WHERE id = $1', [ctx.ids.kinPatient])).rows[0];
  mrn = p.mrn;
  patientName = p.family_name;
  const vt = (await ctx.sql.query(`SELECT id FROM visit_types WHERE code = 'consultation'`)).rows[0].id;
  const insert = (start: DateTime, status: string) =>
    ctx.sql.query(
      `INSERT INTO appointments (clinic_id, practitioner_id, patient_id, visit_type_id, starts_at, ends_at, block_ends_at, status, source)
       VALUES ($1, $2, $3, $4, $5, $6, $6, $7, 'staff')`,
      [ctx.ids.kin, practitionerId, ctx.ids.kinPatient, vt, start.toJSDate(), start.plus({ minutes: 20 }).toJSDate(), status],
    );
  const base = DateTime.now().setZone('Africa/Kinshasa').startOf('day').set({ hour: 9 });
  await insert(base.plus({ days: 3 }), 'booked');
  await insert(base.plus({ days: 4 }), 'cancelled');
  await insert(base.plus({ days: 200 }), 'booked');
  await insert(base.minus({ days: 10 }), 'completed');
});
afterAll(async () => {
  await ctx.close();
});

const feed = (url: string) => ctx.app.inject({ method: 'GET', url: new URL(url).pathname });

describe('the iCalendar feed', () => {
  let url: string;

  it('the practitioner gets a secret URL; only its SHA-256 is stored', async () => {
    const res = await doctor.req('POST', `/api/practitioners/${practitionerId}/ical-token`);
    expect(res.statusCode, res.body).toBe(200);
    url = res.json().url;
    expect(url).toMatch(/^http:\/\/sanita\.test\/api\/ical\/[A-Za-z0-9_-]{43}\.ics$/);
    const token = url.split('/').pop()!.replace('.ics', '');
    const { rows } = await ctx.sql.query('SELECT ical_token_hash FROM practitioners WHERE id = $1', [practitionerId]);
    expect(rows[0].ical_token_hash).toBe(crypto.createHash('sha256').update(token).digest('hex'));
  });

  it('serves a calendar of appointments holding time, 30 days back to 180 ahead, with MRN and visit type but no name', async () => {
    const since = await lastAuditId(ctx.sql);
    const res = await feed(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/calendar');
    const body = res.body;
    expect(body.startsWith('BEGIN:VCALENDAR')).toBe(true);
    expect(body.trim().endsWith('END:VCALENDAR')).toBe(true);
    const events = body.split('BEGIN:VEVENT').slice(1);
    // the cancelled one and the one 200 days ahead are left out
    expect(events).toHaveLength(2);
    expect(body).toContain(`SUMMARY:Consultation — ${mrn}`);
    expect(body).not.toContain(patientName);
    expect(body).toMatch(/DTSTART:\d{8}T\d{6}Z/);
    const rows = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'appointment.ical_feed');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.details).toMatchObject({ appointments: 2, patientIds: [ctx.ids.kinPatient] });
  });

  it('a wrong token → 404; a malformed one → 400', async () => {
    const wrong = await ctx.app.inject({ method: 'GET', url: `/api/ical/${crypto.randomBytes(32).toString('base64url')}.ics` });
    expect(wrong.statusCode).toBe(404);
    const bad = await ctx.app.inject({ method: 'GET', url: '/api/ical/short.ics' });
    expect(bad.statusCode).toBe(400);
  });

  it('rotating the token invalidates the old URL', async () => {
    const res = await doctor.req('POST', `/api/practitioners/${practitionerId}/ical-token`);
    const fresh = res.json().url as string;
    expect(fresh).not.toBe(url);
    expect((await feed(url)).statusCode).toBe(404);
    expect((await feed(fresh)).statusCode).toBe(200);
  });

  it('someone else needs settings:write: a nurse gets 403, an admin may', async () => {
    expect((await nurse.req('POST', `/api/practitioners/${practitionerId}/ical-token`)).statusCode).toBe(403);
    expect(
      (await admin.req('POST', `/api/practitioners/${practitionerId}/ical-token`, undefined, { 'x-clinic-id': ctx.ids.kin }))
        .statusCode,
    ).toBe(200);
  });
});
