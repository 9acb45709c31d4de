import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { createTestContext, type Session, type TestContext } from '../../../test/helpers.ts';
import type { PublishedEvent } from '../../platform/realtime/events.ts';
import { ownPractitioner } from '../../seed/test-practitioners.ts';

let ctx: TestContext;
let doctor: Session;
let receptionist: Session;
let nurse: Session;
let gomaReceptionist: Session;
let admin: Session;
const ids = { doctor: '', goma: '', nurse: '', kabamba: '', consultation: '', procedure: '', vaccination: '' };
const events: PublishedEvent[] = [];

const KIN_TZ = 'Africa/Kinshasa';
/** the next Monday at least 2 days ahead, in Kinshasa */
const nextMonday = () => {
  const today = DateTime.now().setZone(KIN_TZ).startOf('day').plus({ days: 2 });
  return today.plus({ days: (8 - today.weekday) % 7 });
};

beforeAll(async () => {
  ctx = await createTestContext();
  // the demo doctor and nurse have a full day: this file's doctor and nurse have the same hours and an empty diary
  ids.doctor = (
    await ownPractitioner(ctx.sql, 'Dr Amani Mukendi', { displayName: 'Dr Ada Mukendi', email: 'ada@sanita.test' })
  ).id;
  ids.nurse = (await ownPractitioner(ctx.sql, 'Grâce Nsimba', { displayName: 'Rose Nsimba', email: 'rose@sanita.test' })).id;
  [doctor, receptionist, nurse, gomaReceptionist, admin] = await Promise.all([
    ctx.login('ada@sanita.test'),
    ctx.login('receptionist@sanita.test'),
    ctx.login('rose@sanita.test'),
    ctx.login('receptionist.goma@sanita.test'),
    ctx.login('admin@sanita.test'),
  ]);
  const q = async (text: string, params: unknown[] = []) => (await ctx.sql.query(text, params)).rows[0].id as string;
  ids.goma = await q('SELECT id FROM practitioners WHERE user_id = $1', [ctx.ids.users['doctor.goma@sanita.test']]);
  ids.kabamba = await q(`SELECT id FROM practitioners WHERE display_name = 'Dr Joseph Kabamba'`);
  ids.consultation = await q(`SELECT id FROM visit_types WHERE code = 'consultation'`);
  ids.procedure = await q(`SELECT id FROM visit_types WHERE code = 'procedure'`);
  ids.vaccination = await q(`SELECT id FROM visit_types WHERE code = 'vaccination'`);
  ctx.app.services.events.subscribe((e) => events.push(e));
});
afterAll(async () => {
  await ctx.close();
});

const week = (practitionerId: string, clinicId: string, from = nextMonday()) =>
  `/api/practitioners/${practitionerId}/slots?clinicId=${clinicId}&visitTypeId=${ids.consultation}&from=${from.toISODate()}&to=${from.plus({ days: 6 }).toISODate()}`;

const templatesOf = async (practitionerId: string) =>
  (
    await ctx.sql.query(
      'SELECT weekday, start_time::text, end_time::text FROM availability_templates WHERE practitioner_id = $1 ORDER BY 1, 2',
      [practitionerId],
    )
  ).rows;

describe('free slots', () => {
  it('the seeded week of Dr Mukendi: Mon–Fri 08–12 and 13–17, Sat 08–12, 20-minute visits with a 5-minute buffer', async () => {
    const res = await doctor.req('GET', week(ids.doctor, ctx.ids.kin));
    expect(res.statusCode, res.body).toBe(200);
    const { timezone, data } = res.json<{ timezone: string; data: { startsAt: string; endsAt: string }[] }>();
    expect(timezone).toBe(KIN_TZ);
    const monday = nextMonday().toISODate()!;
    const mondaySlots = data.filter((s) => s.startsAt.startsWith(monday));
    // with a 5-minute buffer a 20-minute visit still fits the 20-minute grid: 12 per half day
    expect(mondaySlots).toHaveLength(24);
    expect(mondaySlots[0]).toEqual({ startsAt: `${monday}T08:00:00+01:00`, endsAt: `${monday}T08:20:00+01:00` });
    expect(mondaySlots.map((s) => s.startsAt)).not.toContain(`${monday}T12:00:00+01:00`);
    expect(data).toHaveLength(24 * 5 + 12);
  });

  it('an appointment holding time removes the slots it overlaps, including the buffer before it', async () => {
    const monday = nextMonday();
    const start = monday.set({ hour: 9, minute: 0 });
    await ctx.sql.query(
      `INSERT INTO appointments (clinic_id, practitioner_id, patient_id, visit_type_id, starts_at, ends_at, block_ends_at, status, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'booked', 'staff')`,
      [
        ctx.ids.kin,
        ids.doctor,
        ctx.ids.kinPatient,
        ids.consultation,
        start.toJSDate(),
        start.plus({ minutes: 20 }).toJSDate(),
        start.plus({ minutes: 25 }).toJSDate(),
      ],
    );
    const data = (await doctor.req('GET', week(ids.doctor, ctx.ids.kin))).json().data as { startsAt: string }[];
    const starts = data.map((s) => s.startsAt);
    const d = monday.toISODate();
    expect(starts).not.toContain(`${d}T09:00:00+01:00`);
    // 08:40 + 20 min + 5 min buffer reaches 09:05: inside the held time
    expect(starts).not.toContain(`${d}T08:40:00+01:00`);
    expect(starts).toContain(`${d}T08:20:00+01:00`);
    // held until 09:25: 09:20 overlaps, 09:40 is free
    expect(starts).not.toContain(`${d}T09:20:00+01:00`);
    expect(starts).toContain(`${d}T09:40:00+01:00`);
    // the same appointment cancelled frees the time
    await ctx.sql.query(`UPDATE appointments SET status = 'cancelled' WHERE practitioner_id = $1`, [ids.doctor]);
    const again = (await doctor.req('GET', week(ids.doctor, ctx.ids.kin))).json().data as { startsAt: string }[];
    expect(again.map((s) => s.startsAt)).toContain(`${d}T09:00:00+01:00`);
  });

  it('more than 31 days → 400 naming to; to before from → 400 naming to', async () => {
    const from = nextMonday();
    const long = await doctor.req(
      'GET',
      `/api/practitioners/${ids.doctor}/slots?clinicId=${ctx.ids.kin}&visitTypeId=${ids.consultation}&from=${from.toISODate()}&to=${from.plus({ days: 31 }).toISODate()}`,
    );
    expect(long.statusCode).toBe(400);
    expect(long.json().error.details).toContainEqual(expect.objectContaining({ field: 'to' }));
    const thirtyOne = await doctor.req(
      'GET',
      `/api/practitioners/${ids.doctor}/slots?clinicId=${ctx.ids.kin}&visitTypeId=${ids.consultation}&from=${from.toISODate()}&to=${from.plus({ days: 30 }).toISODate()}`,
    );
    expect(thirtyOne.statusCode).toBe(200);
    const backwards = await doctor.req(
      'GET',
      `/api/practitioners/${ids.doctor}/slots?clinicId=${ctx.ids.kin}&visitTypeId=${ids.consultation}&from=${from.toISODate()}&to=${from.minus({ days: 1 }).toISODate()}`,
    );
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.details).toContainEqual(expect.objectContaining({ field: 'to' }));
  });

  it('a clinic the practitioner does not work at → 400 naming clinicId; an unknown practitioner → 404', async () => {
    const res = await doctor.req('GET', week(ids.doctor, ctx.ids.gom));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toContainEqual(expect.objectContaining({ field: 'clinicId' }));
    expect((await doctor.req('GET', week('00000000-0000-4000-8000-000000000000', ctx.ids.kin))).statusCode).toBe(404);
  });

  it('only the exceptions that apply at the clinic remove slots, and held time keeps its buffer after it', async () => {
    // Dr Kabamba: Kinshasa Mon–Fri 08–12 and 13–17, 20-minute grid, 10-minute buffer; Goma on Saturdays
    const tuesday = nextMonday().plus({ weeks: 5, days: 1 });
    const d = tuesday.toISODate()!;
    const at = (hhmm: string) => DateTime.fromISO(`${d}T${hhmm}`, { zone: KIN_TZ }).toJSDate();
    const exception = async (practitionerId: string | null, clinicId: string | null, from: string, to: string) =>
      (
        await ctx.sql.query(
          `INSERT INTO availability_exceptions (practitioner_id, clinic_id, kind, starts_at, ends_at)
           VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [practitionerId, clinicId, practitionerId ? 'leave' : 'closure', at(from), at(to)],
        )
      ).rows[0].id as string;
    const made = [
      await exception(ids.kabamba, ctx.ids.kin, '09:00', '10:00'), // leave at Kinshasa
      await exception(ids.kabamba, null, '11:00', '11:20'), // leave everywhere
      await exception(null, ctx.ids.kin, '16:00', '17:00'), // Kinshasa closes early
      await exception(ids.kabamba, ctx.ids.gom, '13:00', '17:00'), // leave at Goma only: not here
      await exception(null, ctx.ids.gom, '08:00', '12:00'), // Goma closed: not here
      await exception(ids.doctor, null, '08:00', '17:00'), // another practitioner's leave
    ];
    const { rows } = await ctx.sql.query(
      `INSERT INTO appointments (clinic_id, practitioner_id, patient_id, visit_type_id, starts_at, ends_at, block_ends_at, status, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'booked', 'staff') RETURNING id`,
      [ctx.ids.kin, ids.kabamba, ctx.ids.kinPatient, ids.consultation, at('14:00'), at('14:20'), at('14:30')],
    );
    try {
      const res = await doctor.req(
        'GET',
        `/api/practitioners/${ids.kabamba}/slots?clinicId=${ctx.ids.kin}&visitTypeId=${ids.consultation}&from=${d}&to=${d}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const starts = (res.json().data as { startsAt: string }[]).map((s) => s.startsAt.slice(11, 16));
      expect(starts).toEqual([
        '08:00',
        '08:20',
        '08:40', // ends as the leave starts
        '10:00',
        '10:20',
        '10:40', // ends as the one-clinic-or-all leave starts
        '11:20',
        '11:40',
        '13:00',
        '13:20', // 13:40 + 20 min + 10 min buffer would reach the visit at 14:00
        '14:40', // the visit holds until 14:30 (its buffer)
        '15:00',
        '15:20',
        '15:40',
      ]);
      // the booking check reads the same exceptions
      const svc = ctx.app.services.availability;
      const q = { practitionerId: ids.kabamba, clinicId: ctx.ids.kin, visitTypeId: ids.consultation, onGrid: false };
      for (const t of ['09:30', '11:10', '16:00'])
        await expect(svc.checkBookable(ctx.database.db, { ...q, startsAt: at(t) })).rejects.toMatchObject({
          code: 'SLOT_UNAVAILABLE',
          details: [expect.objectContaining({ reason: 'exception' })],
        });
      await expect(svc.checkBookable(ctx.database.db, { ...q, startsAt: at('13:10') })).resolves.toMatchObject({
        blockEndsAt: at('13:40'),
      });
      // on the grid (portal), held time counts too
      await expect(svc.checkBookable(ctx.database.db, { ...q, onGrid: true, startsAt: at('13:40') })).rejects.toMatchObject({
        details: [expect.objectContaining({ reason: 'not_free' })],
      });
      await expect(
        svc.checkBookable(ctx.database.db, { ...q, onGrid: true, startsAt: at('14:00'), ignoreAppointmentId: rows[0].id }),
      ).resolves.toMatchObject({ durationMinutes: 20 });
    } finally {
      await ctx.sql.query('DELETE FROM appointments WHERE id = $1', [rows[0].id]);
      await ctx.sql.query('DELETE FROM availability_exceptions WHERE id = ANY($1)', [made]);
    }
  });

  it('an inactive practitioner has no free slots; an unknown visit type or clinic → 400 naming it', async () => {
    const url = (over: Record<string, string> = {}) => {
      const from = nextMonday().toISODate()!;
      const p = new URLSearchParams({ clinicId: ctx.ids.kin, visitTypeId: ids.consultation, from, to: from, ...over });
      return `/api/practitioners/${ids.kabamba}/slots?${p.toString()}`;
    };
    expect((await doctor.req('GET', url())).json().data.length).toBeGreaterThan(0);
    await ctx.sql.query('UPDATE practitioners SET active = false WHERE id = $1', [ids.kabamba]);
    try {
      expect((await doctor.req('GET', url())).json()).toEqual({ timezone: KIN_TZ, data: [] });
    } finally {
      await ctx.sql.query('UPDATE practitioners SET active = true WHERE id = $1', [ids.kabamba]);
    }
    const unknown = '00000000-0000-4000-8000-000000000000';
    const vt = await doctor.req('GET', url({ visitTypeId: unknown }));
    expect(vt.statusCode).toBe(400);
    expect(vt.json().error.details).toEqual([{ field: 'visitTypeId', message: 'no such visit type' }]);
    const clinic = await doctor.req('GET', url({ clinicId: unknown }));
    expect(clinic.statusCode).toBe(400);
    expect(clinic.json().error.details).toEqual([{ field: 'clinicId', message: 'no such clinic' }]);
  });

  it('a template restricted to vaccination offers the nurse no consultation', async () => {
    const res = await doctor.req('GET', week(ids.nurse, ctx.ids.kin));
    expect(res.json().data).toEqual([]);
    const vacc = await doctor.req('GET', week(ids.nurse, ctx.ids.kin).replace(ids.consultation, ids.vaccination));
    expect((vacc.json().data as unknown[]).length).toBeGreaterThan(100);
  });
});

describe('templates', () => {
  const body = (over: Record<string, unknown> = {}) => ({
    clinicId: ctx.ids.kin,
    templates: [
      { weekday: 1, startTime: '09:00', endTime: '11:00', slotMinutes: 30, bufferMinutes: 0 },
      { weekday: 3, startTime: '14:00', endTime: '16:00', slotMinutes: 15, visitTypeIds: [] },
    ],
    ...over,
  });

  it('a doctor replaces their own templates; the slots follow and availability.changed goes to the clinic room', async () => {
    events.length = 0;
    const res = await doctor.req('PUT', `/api/practitioners/${ids.doctor}/templates`, body());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toHaveLength(2);
    expect(res.json().data[0]).toMatchObject({ weekday: 1, startTime: '09:00', endTime: '11:00', slotMinutes: 30 });
    expect(events).toContainEqual({
      name: 'availability.changed',
      payload: { practitionerId: ids.doctor, clinicId: ctx.ids.kin },
      rooms: [`clinic:${ctx.ids.kin}`],
    });
    const data = (await doctor.req('GET', week(ids.doctor, ctx.ids.kin))).json().data as { startsAt: string }[];
    const d = nextMonday().toISODate();
    expect(data.filter((s) => s.startsAt.startsWith(d!)).map((s) => s.startsAt)).toEqual([
      `${d}T09:00:00+01:00`,
      `${d}T09:30:00+01:00`,
      `${d}T10:00:00+01:00`,
      `${d}T10:30:00+01:00`,
    ]);
    const avail = await doctor.req('GET', `/api/practitioners/${ids.doctor}/availability?clinicId=${ctx.ids.kin}`);
    expect(avail.json().templates).toHaveLength(2);
  });

  it('a doctor cannot edit another practitioner’s templates (403, no availability:write), and nothing changes', async () => {
    const before = await templatesOf(ids.nurse);
    const res = await doctor.req('PUT', `/api/practitioners/${ids.nurse}/templates`, body());
    expect(res.statusCode).toBe(403);
    expect(await templatesOf(ids.nurse)).toEqual(before);
  });

  it('a Kinshasa receptionist edits a Kinshasa practitioner, but a Goma practitioner is out of reach (404)', async () => {
    expect((await receptionist.req('PUT', `/api/practitioners/${ids.nurse}/templates`, body())).statusCode).toBe(200);
    const before = await templatesOf(ids.goma);
    const res = await receptionist.req('PUT', `/api/practitioners/${ids.goma}/templates`, body({ clinicId: ctx.ids.gom }));
    expect(res.statusCode).toBe(404);
    expect(await templatesOf(ids.goma)).toEqual(before);
    // the Goma receptionist may
    const ok = await gomaReceptionist.req('PUT', `/api/practitioners/${ids.goma}/templates`, body({ clinicId: ctx.ids.gom }));
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('a practitioner of both clinics: the Kinshasa receptionist cannot change their Goma hours (403 CLINIC_FORBIDDEN)', async () => {
    const res = await receptionist.req('PUT', `/api/practitioners/${ids.kabamba}/templates`, body({ clinicId: ctx.ids.gom }));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CLINIC_FORBIDDEN');
  });

  it('bad templates → 400 naming the field, nothing replaced', async () => {
    const before = await templatesOf(ids.doctor);
    const cases: [Record<string, unknown>, string][] = [
      [{ weekday: 8, startTime: '09:00', endTime: '10:00', slotMinutes: 20 }, 'templates.1.weekday'],
      [{ weekday: 2, startTime: '10:00', endTime: '09:00', slotMinutes: 20 }, 'templates.1.endTime'],
      [{ weekday: 2, startTime: '9:00', endTime: '10:00', slotMinutes: 20 }, 'templates.1.startTime'],
      [{ weekday: 2, startTime: '09:00', endTime: '10:00', slotMinutes: 4 }, 'templates.1.slotMinutes'],
      [{ weekday: 2, startTime: '09:00', endTime: '10:00', slotMinutes: 20, bufferMinutes: 241 }, 'templates.1.bufferMinutes'],
      [{ weekday: 1, startTime: '10:30', endTime: '12:00', slotMinutes: 20 }, 'templates.1.startTime'],
      [
        {
          weekday: 2,
          startTime: '09:00',
          endTime: '10:00',
          slotMinutes: 20,
          visitTypeIds: ['00000000-0000-4000-8000-000000000000'],
        },
        'templates.1.visitTypeIds.0',
      ],
      [
        { weekday: 2, startTime: '09:00', endTime: '10:00', slotMinutes: 20, validFrom: '2030-02-01', validTo: '2030-01-01' },
        'templates.1.validTo',
      ],
    ];
    for (const [second, field] of cases) {
      const res = await doctor.req('PUT', `/api/practitioners/${ids.doctor}/templates`, {
        clinicId: ctx.ids.kin,
        templates: [{ weekday: 1, startTime: '09:00', endTime: '11:00', slotMinutes: 30 }, second],
      });
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.details, field).toContainEqual(expect.objectContaining({ field }));
    }
    const elsewhere = await doctor.req('PUT', `/api/practitioners/${ids.doctor}/templates`, body({ clinicId: ctx.ids.gom }));
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().error.details).toContainEqual(expect.objectContaining({ field: 'clinicId' }));
    expect(await templatesOf(ids.doctor)).toEqual(before);
  });

  it('templates of one weekday may share hours when valid in separate periods', async () => {
    const res = await doctor.req('PUT', `/api/practitioners/${ids.doctor}/templates`, {
      clinicId: ctx.ids.kin,
      templates: [
        { weekday: 1, startTime: '08:00', endTime: '12:00', slotMinutes: 20, validTo: '2030-01-31' },
        { weekday: 1, startTime: '09:00', endTime: '13:00', slotMinutes: 20, validFrom: '2030-02-01' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('a patient cannot read or change availability (403)', async () => {
    const patient = await ctx.login('patient@sanita.test');
    expect((await patient.req('GET', `/api/practitioners/${ids.doctor}/availability`)).statusCode).toBe(403);
    expect((await patient.req('PUT', `/api/practitioners/${ids.doctor}/templates`, body())).statusCode).toBe(403);
  });
});

describe('exceptions', () => {
  it('a doctor takes leave; the slots of those days vanish; deleting it brings them back', async () => {
    await doctor.req('PUT', `/api/practitioners/${ids.doctor}/templates`, {
      clinicId: ctx.ids.kin,
      templates: [{ weekday: 1, startTime: '09:00', endTime: '11:00', slotMinutes: 30 }],
    });
    const monday = nextMonday();
    events.length = 0;
    const res = await doctor.req('POST', '/api/availability/exceptions', {
      practitionerId: ids.doctor,
      kind: 'leave',
      startsAt: monday.toISO(),
      endsAt: monday.plus({ days: 1 }).toISO(),
      reason: 'Training',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ practitionerId: ids.doctor, clinicId: null, kind: 'leave' });
    expect(events.map((e) => e.rooms)).toContainEqual([`clinic:${ctx.ids.kin}`]);
    const slots = (await doctor.req('GET', week(ids.doctor, ctx.ids.kin))).json().data as { startsAt: string }[];
    expect(slots.filter((s) => s.startsAt.startsWith(monday.toISODate()!))).toEqual([]);
    const avail = await doctor.req('GET', `/api/practitioners/${ids.doctor}/availability`);
    expect(avail.json().exceptions.map((e: { id: string }) => e.id)).toContain(res.json().id);
    const del = await doctor.req('DELETE', `/api/availability/exceptions/${res.json().id}`);
    expect(del.statusCode).toBe(200);
    const back = (await doctor.req('GET', week(ids.doctor, ctx.ids.kin))).json().data as { startsAt: string }[];
    expect(back.filter((s) => s.startsAt.startsWith(monday.toISODate()!))).toHaveLength(4);
  });

  it('ends before it starts → 400 naming endsAt, nothing written', async () => {
    const n = async () => (await ctx.sql.query('SELECT count(*)::int AS n FROM availability_exceptions')).rows[0].n as number;
    const before = await n();
    const res = await doctor.req('POST', '/api/availability/exceptions', {
      practitionerId: ids.doctor,
      kind: 'leave',
      startsAt: '2030-01-02T10:00:00Z',
      endsAt: '2030-01-02T09:00:00Z',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toContainEqual(expect.objectContaining({ field: 'endsAt' }));
    expect(await n()).toBe(before);
  });

  it('a clinic-wide closure needs settings:write: a receptionist gets 403, an admin closes the clinic for everyone', async () => {
    const monday = nextMonday();
    const closure = {
      practitionerId: null,
      kind: 'closure',
      startsAt: monday.toISO(),
      endsAt: monday.plus({ days: 1 }).toISO(),
      reason: 'Water outage',
    };
    expect((await receptionist.req('POST', '/api/availability/exceptions', closure)).statusCode).toBe(403);
    events.length = 0;
    const res = await admin.req('POST', '/api/availability/exceptions', closure, { 'x-clinic-id': ctx.ids.kin });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().clinicId).toBe(ctx.ids.kin);
    // every practitioner of the clinic hears about it
    expect(new Set(events.map((e) => (e.payload as { practitionerId: string }).practitionerId))).toEqual(
      new Set([ids.doctor, ids.nurse, ids.kabamba, ...(await otherKinPractitioners())]),
    );
    const slots = (await doctor.req('GET', week(ids.doctor, ctx.ids.kin))).json().data as { startsAt: string }[];
    expect(slots.filter((s) => s.startsAt.startsWith(monday.toISODate()!))).toEqual([]);
    // the clinic's list of closures shows it to the front desk (not to Goma, not a practitioner's leave)
    const listed = async () =>
      (
        (await receptionist.req('GET', `/api/availability/exceptions?clinicId=${ctx.ids.kin}`)).json().data as { id: string }[]
      ).map((x) => x.id);
    expect(await listed()).toContain(res.json().id);
    const leave = await doctor.req('POST', '/api/availability/exceptions', {
      practitionerId: ids.doctor,
      kind: 'leave',
      startsAt: monday.plus({ days: 7 }).toISO(),
      endsAt: monday.plus({ days: 8 }).toISO(),
    });
    expect(leave.statusCode).toBe(201);
    expect(await listed()).not.toContain(leave.json().id);
    const goma = await receptionist.req('GET', `/api/availability/exceptions?clinicId=${ctx.ids.gom}`);
    expect(goma.statusCode).toBe(404);
    const missing = await receptionist.req('GET', '/api/availability/exceptions');
    expect(missing.statusCode, missing.body).toBe(400);
    expect(missing.json().error.details).toContainEqual(expect.objectContaining({ field: 'querystring.clinicId' }));
    // a receptionist cannot lift it either
    expect((await receptionist.req('DELETE', `/api/availability/exceptions/${res.json().id}`)).statusCode).toBe(403);
    expect(
      (await admin.req('DELETE', `/api/availability/exceptions/${res.json().id}`, undefined, { 'x-clinic-id': ctx.ids.kin }))
        .statusCode,
    ).toBe(200);
    expect(await listed()).not.toContain(res.json().id);
  });

  it('a nurse cannot put the doctor on leave (403); the receptionist can', async () => {
    const body = { practitionerId: ids.doctor, kind: 'leave', startsAt: '2030-03-01T08:00:00Z', endsAt: '2030-03-02T08:00:00Z' };
    expect((await nurse.req('POST', '/api/availability/exceptions', body)).statusCode).toBe(403);
    expect((await receptionist.req('POST', '/api/availability/exceptions', body)).statusCode).toBe(201);
    expect(
      (await receptionist.req('POST', '/api/availability/exceptions', { ...body, practitionerId: ids.goma })).statusCode,
    ).toBe(404);
  });
});

describe('reading availability stays within the clinic, like changing it', () => {
  it('a Goma doctor cannot read a Kinshasa practitioner’s availability (404), so never sees their leave reasons', async () => {
    const leave = await doctor.req('POST', '/api/availability/exceptions', {
      practitionerId: ids.doctor,
      kind: 'leave',
      startsAt: '2030-04-01T08:00:00Z',
      endsAt: '2030-04-02T08:00:00Z',
      reason: 'Medical appointment',
    });
    expect(leave.statusCode, leave.body).toBe(201);
    const gomaDoctor = await ctx.login('doctor.goma@sanita.test');
    for (const url of [
      `/api/practitioners/${ids.doctor}/availability`,
      `/api/practitioners/${ids.doctor}/availability?clinicId=${ctx.ids.kin}`,
    ]) {
      const res = await gomaDoctor.req('GET', url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toContain('Medical appointment');
    }
    // the Kinshasa front desk, and the doctor themself, still see it
    const kin = await receptionist.req('GET', `/api/practitioners/${ids.doctor}/availability?clinicId=${ctx.ids.kin}`);
    expect(kin.statusCode).toBe(200);
    expect(kin.json().exceptions).toContainEqual(expect.objectContaining({ id: leave.json().id, reason: 'Medical appointment' }));
    const own = await doctor.req('GET', `/api/practitioners/${ids.doctor}/availability`);
    expect(own.json().exceptions).toContainEqual(expect.objectContaining({ id: leave.json().id }));
  });

  it('a practitioner of both clinics: Kinshasa staff see neither their Goma hours nor their Goma leave', async () => {
    const gomaLeave = await gomaReceptionist.req(
      'POST',
      '/api/availability/exceptions',
      {
        practitionerId: ids.kabamba,
        clinicId: ctx.ids.gom,
        kind: 'leave',
        startsAt: '2030-05-01T08:00:00Z',
        endsAt: '2030-05-02T08:00:00Z',
        reason: 'Family matters',
      },
      { 'x-clinic-id': ctx.ids.gom },
    );
    expect(gomaLeave.statusCode, gomaLeave.body).toBe(201);
    const goma = await receptionist.req('GET', `/api/practitioners/${ids.kabamba}/availability?clinicId=${ctx.ids.gom}`);
    expect(goma.statusCode).toBe(403);
    expect(goma.json().error.code).toBe('CLINIC_FORBIDDEN');
    const all = await receptionist.req('GET', `/api/practitioners/${ids.kabamba}/availability`);
    expect(all.statusCode).toBe(200);
    expect(all.body).not.toContain('Family matters');
    const body = all.json<{ templates: { clinicId: string }[]; exceptions: { clinicId: string | null }[] }>();
    expect(body.templates.every((t) => t.clinicId === ctx.ids.kin)).toBe(true);
    expect(body.exceptions.every((e) => e.clinicId === null || e.clinicId === ctx.ids.kin)).toBe(true);
    // Goma's front desk reads it there
    const there = await gomaReceptionist.req(
      'GET',
      `/api/practitioners/${ids.kabamba}/availability?clinicId=${ctx.ids.gom}`,
      undefined,
      { 'x-clinic-id': ctx.ids.gom },
    );
    expect(there.json().exceptions).toContainEqual(expect.objectContaining({ reason: 'Family matters' }));
  });
});

async function otherKinPractitioners(): Promise<string[]> {
  const { rows } = await ctx.sql.query<{ id: string }>(
    'SELECT practitioner_id AS id FROM practitioner_clinics WHERE clinic_id = $1 AND practitioner_id <> ALL($2)',
    [ctx.ids.kin, [ids.doctor, ids.nurse, ids.kabamba]],
  );
  return rows.map((r) => r.id);
}

describe('checkBookable (used by appointments)', () => {
  it('accepts a time inside the hours, refuses outside, off-grid only for portal bookings', async () => {
    await doctor.req('PUT', `/api/practitioners/${ids.doctor}/templates`, {
      clinicId: ctx.ids.kin,
      templates: [{ weekday: 2, startTime: '09:00', endTime: '11:00', slotMinutes: 30, bufferMinutes: 10 }],
    });
    const tuesday = nextMonday().plus({ days: 1 });
    const svc = ctx.app.services.availability;
    const q = { practitionerId: ids.doctor, clinicId: ctx.ids.kin, visitTypeId: ids.consultation, onGrid: false };
    const ok = await svc.checkBookable(ctx.database.db, { ...q, startsAt: tuesday.set({ hour: 9, minute: 10 }).toJSDate() });
    expect(ok.endsAt.toISOString()).toBe(tuesday.set({ hour: 9, minute: 30 }).toUTC().toISO());
    expect(ok.blockEndsAt.toISOString()).toBe(tuesday.set({ hour: 9, minute: 40 }).toUTC().toISO());
    expect(ok.durationMinutes).toBe(20);
    await expect(
      svc.checkBookable(ctx.database.db, { ...q, onGrid: true, startsAt: tuesday.set({ hour: 9, minute: 10 }).toJSDate() }),
    ).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE', status: 409 });
    await expect(
      svc.checkBookable(ctx.database.db, { ...q, onGrid: true, startsAt: tuesday.set({ hour: 9, minute: 30 }).toJSDate() }),
    ).resolves.toMatchObject({ durationMinutes: 20 });
    await expect(
      svc.checkBookable(ctx.database.db, { ...q, startsAt: tuesday.set({ hour: 10, minute: 50 }).toJSDate() }),
    ).rejects.toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    await expect(
      svc.checkBookable(ctx.database.db, {
        ...q,
        visitTypeId: ids.procedure,
        startsAt: tuesday.set({ hour: 10, minute: 30 }).toJSDate(),
      }),
    ).rejects.toThrow(/does not fit/);
    await expect(
      svc.checkBookable(ctx.database.db, { ...q, clinicId: ctx.ids.gom, startsAt: tuesday.set({ hour: 9 }).toJSDate() }),
    ).rejects.toThrow(/does not work at this clinic/);
  });
});
