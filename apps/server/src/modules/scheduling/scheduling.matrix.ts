import {
  actors,
  clinicOf,
  has,
  isPatient,
  matrixContext,
  next,
  oneId,
  staffWith,
  type Actor,
  type MatrixSection,
  type PlainRoute,
  type Target,
} from '../../../test/matrix.ts';

// master data, practitioners and availability; the target is a seeded Kinshasa practitioner
// without a login (so "self" never applies) and fixtures are read in setup
const sched = { specialty: '', visitType: '', practitioner: '', consultation: '', exceptions: [] as string[] };
const settingsWrite = (a: Actor) => staffWith(a, 'settings:write');
const kin = () => matrixContext().ids.kin;

const schedulingRoutes: PlainRoute[] = [
  { route: 'GET /api/specialties', method: 'GET', url: '/api/specialties', verdict: () => 'ok' },
  {
    route: 'POST /api/specialties',
    method: 'POST',
    url: '/api/specialties',
    body: () => {
      const n = next();
      return { code: `matrix-${n}`, name: `Matrix ${n}`, nameFr: `Matrice ${n}` };
    },
    verdict: settingsWrite,
    ok: 201,
  },
  {
    route: 'PATCH /api/specialties/:id',
    method: 'PATCH',
    url: () => `/api/specialties/${sched.specialty}`,
    body: () => ({ nameFr: 'Cardiologie' }),
    verdict: settingsWrite,
  },
  { route: 'GET /api/visit-types', method: 'GET', url: '/api/visit-types', verdict: () => 'ok' },
  {
    route: 'POST /api/visit-types',
    method: 'POST',
    url: '/api/visit-types',
    body: () => {
      const n = next();
      return { code: `matrix-${n}`, name: `Matrix ${n}`, nameFr: `Matrice ${n}`, durationMinutes: 15 };
    },
    verdict: settingsWrite,
    ok: 201,
  },
  {
    route: 'PATCH /api/visit-types/:id',
    method: 'PATCH',
    url: () => `/api/visit-types/${sched.visitType}`,
    body: () => ({ color: 'orange' }),
    verdict: settingsWrite,
  },
  { route: 'GET /api/practitioners', method: 'GET', url: '/api/practitioners?language=fr', verdict: () => 'ok' },
  {
    route: 'POST /api/practitioners',
    method: 'POST',
    url: '/api/practitioners',
    body: () => ({ displayName: `Dr Matrix ${next()}`, clinicIds: [kin()] }),
    verdict: settingsWrite,
    ok: 201,
  },
  {
    route: 'GET /api/practitioners/:id',
    method: 'GET',
    url: () => `/api/practitioners/${sched.practitioner}`,
    verdict: () => 'ok',
  },
  {
    route: 'PATCH /api/practitioners/:id',
    method: 'PATCH',
    url: () => `/api/practitioners/${sched.practitioner}`,
    body: () => ({ bio: 'General surgeon.' }),
    verdict: (a) => (a.clinic === 'kin' ? settingsWrite(a) : 403),
  },
  {
    route: 'POST /api/practitioners/:id/ical-token',
    method: 'POST',
    url: () => `/api/practitioners/${sched.practitioner}/ical-token`,
    verdict: (a) => (a.clinic === 'kin' ? settingsWrite(a) : 403),
  },
  {
    route: 'GET /api/practitioners/:id/availability',
    method: 'GET',
    url: () => `/api/practitioners/${sched.practitioner}/availability`,
    verdict: (a) => staffWith(a, 'appointments:read'),
  },
  {
    // a Goma actor without availability:write is refused before the relationship is looked at
    route: 'PUT /api/practitioners/:id/templates',
    method: 'PUT',
    url: () => `/api/practitioners/${sched.practitioner}/templates`,
    body: () => ({
      clinicId: kin(),
      templates: [{ weekday: 1, startTime: '08:00', endTime: '12:00', slotMinutes: 20, bufferMinutes: 5 }],
    }),
    verdict: (a) => (staffWith(a, 'availability:write') === 403 ? 403 : a.clinic === 'kin' ? 'ok' : 404),
  },
  {
    // the active clinic's closures: a Goma actor asking for Kinshasa's does not find them
    route: 'GET /api/availability/exceptions',
    method: 'GET',
    url: () => `/api/availability/exceptions?clinicId=${kin()}`,
    verdict: (a) =>
      staffWith(a, 'appointments:read') === 403 && staffWith(a, 'settings:write') === 403 ? 403 : a.clinic === 'kin' ? 'ok' : 404,
  },
  {
    route: 'POST /api/availability/exceptions',
    method: 'POST',
    url: '/api/availability/exceptions',
    body: () => ({
      practitionerId: sched.practitioner,
      kind: 'leave',
      startsAt: '2031-01-06T08:00:00Z',
      endsAt: '2031-01-06T12:00:00Z',
    }),
    verdict: (a) => (staffWith(a, 'availability:write') === 403 ? 403 : a.clinic === 'kin' ? 'ok' : 404),
    ok: 201,
  },
  {
    route: 'DELETE /api/availability/exceptions/:id',
    method: 'DELETE',
    url: () => `/api/availability/exceptions/${sched.exceptions.pop()}`,
    verdict: (a) => (staffWith(a, 'availability:write') === 403 ? 403 : a.clinic === 'kin' ? 'ok' : 404),
  },
  {
    route: 'GET /api/practitioners/:id/slots',
    method: 'GET',
    url: () =>
      `/api/practitioners/${sched.practitioner}/slots?clinicId=${kin()}&visitTypeId=${sched.consultation}&from=2031-01-06&to=2031-01-12`,
    verdict: () => 'ok',
  },
];

// appointments and the waiting list: each actor acts on fixtures of its own (appointments of a
// Kinshasa practitioner inserted in setup, free slots computed once), so no case depends on
// another; a Goma actor reaches nothing at Kinshasa (404 after the permission check)
const ap = {
  byTarget: {} as Record<Target, string>,
  fresh: {} as Record<string, string[]>,
  slots: [] as string[],
  kinPatients: [] as string[],
  entries: [] as string[],
  consultation: '',
  practitioner: '',
};
const take = (kind: string) => ap.fresh[kind]!.pop()!;
const apptRead = (a: Actor) => staffWith(a, 'appointments:read');
const apptWrite = (a: Actor) => (staffWith(a, 'appointments:write') === 403 ? 403 : a.clinic === 'kin' ? 'ok' : 404);
const somePatient = () => ap.kinPatients[next() % ap.kinPatients.length];

const appointmentRoutes: PlainRoute[] = [
  {
    route: 'GET /api/appointments',
    method: 'GET',
    url: '/api/appointments?from=2031-05-01&to=2031-05-20',
    verdict: apptRead,
    action: 'appointment.list',
    listAudit: true,
  },
  {
    route: 'POST /api/appointments',
    method: 'POST',
    url: '/api/appointments',
    body: () => ({
      patientId: somePatient(),
      practitionerId: ap.practitioner,
      visitTypeId: ap.consultation,
      startsAt: ap.slots.pop(),
    }),
    verdict: apptWrite,
    ok: 201,
    action: 'appointment.create',
  },
  {
    route: 'POST /api/appointments/:id/confirm',
    method: 'POST',
    url: () => `/api/appointments/${take('requested')}/confirm`,
    verdict: apptWrite,
    action: 'appointment.confirm',
  },
  {
    route: 'POST /api/appointments/:id/cancel',
    method: 'POST',
    url: () => `/api/appointments/${take('cancel')}/cancel`,
    body: () => ({ reason: 'matrix' }),
    verdict: apptWrite,
    action: 'appointment.cancel',
  },
  {
    route: 'POST /api/appointments/:id/reschedule',
    method: 'POST',
    url: () => `/api/appointments/${take('reschedule')}/reschedule`,
    body: () => ({ startsAt: ap.slots.pop() }),
    verdict: apptWrite,
    ok: 201,
    action: 'appointment.reschedule',
  },
  {
    route: 'POST /api/appointments/:id/status',
    method: 'POST',
    url: () => `/api/appointments/${take('past')}/status`,
    body: () => ({ status: 'no_show' }),
    verdict: apptWrite,
    action: 'appointment.status',
  },
  {
    route: 'GET /api/waitlist',
    method: 'GET',
    url: '/api/waitlist',
    verdict: apptRead,
    action: 'waitlist.list',
    listAudit: true,
  },
  {
    route: 'POST /api/waitlist',
    method: 'POST',
    url: '/api/waitlist',
    body: () => ({
      patientId: somePatient(),
      visitTypeId: ap.consultation,
      earliest: '2031-06-01',
      latest: '2031-06-30',
    }),
    verdict: apptWrite,
    ok: 201,
    action: 'waitlist.create',
  },
  {
    route: 'POST /api/waitlist/:id/cancel',
    method: 'POST',
    url: () => `/api/waitlist/${ap.entries.pop()}/cancel`,
    verdict: apptWrite,
    action: 'waitlist.cancel',
  },
  // nothing is offered on these entries: staff who may act get 409 INVALID_STATUS
  ...(['accept', 'decline'] as const).map((action) => ({
    route: `POST /api/waitlist/:id/${action}`,
    method: 'POST',
    url: () => `/api/waitlist/${ap.entries[0]}/${action}`,
    verdict: (a: Actor) => (apptWrite(a) === 'ok' ? (409 as const) : apptWrite(a)),
  })),
];

async function setupMasterData(): Promise<void> {
  const ctx = matrixContext();
  sched.specialty = await oneId(`SELECT id FROM specialties WHERE code = 'cardiology'`);
  sched.visitType = await oneId(`SELECT id FROM visit_types WHERE code = 'procedure'`);
  sched.consultation = await oneId(`SELECT id FROM visit_types WHERE code = 'consultation'`);
  // not the practitioner the appointment rows book (Dr Ngoy): these rows rewrite the weekly hours
  sched.practitioner = await oneId(`SELECT id FROM practitioners WHERE display_name = 'Dr Joseph Kabamba'`);
  // one leave per actor for the DELETE route to remove
  const { rows } = await ctx.sql.query<{ id: string }>(
    `INSERT INTO availability_exceptions (practitioner_id, kind, starts_at, ends_at)
     SELECT $1, 'leave', '2031-02-03T08:00Z'::timestamptz + g * interval '1 day', '2031-02-03T12:00Z'::timestamptz + g * interval '1 day'
     FROM generate_series(1, $2::int) g RETURNING id`,
    [sched.practitioner, actors.length + 5],
  );
  sched.exceptions = rows.map((r) => r.id);
}

async function setupAppointments(): Promise<void> {
  const ctx = matrixContext();
  const kinId = ctx.ids.kin;
  const n = actors.length;
  ap.consultation = await oneId(`SELECT id FROM visit_types WHERE code = 'consultation'`);
  ap.practitioner = await oneId(`SELECT id FROM practitioners WHERE display_name = 'Dr Patrice Ngoy'`);
  const ilunga = await oneId(`SELECT id FROM practitioners WHERE display_name = 'Dr Béatrice Ilunga'`);
  const kavira = await oneId(`SELECT id FROM practitioners WHERE display_name = 'Dr Esther Kavira'`);
  ap.kinPatients = (
    await ctx.sql.query<{ id: string }>(
      `SELECT p.id FROM patients p JOIN patient_clinics pc ON pc.patient_id = p.id AND pc.clinic_id = $1
        WHERE p.status = 'active' AND p.id <> $2 ORDER BY p.mrn DESC LIMIT 40`,
      [kinId, ctx.ids.ownPatient],
    )
  ).rows.map((r) => r.id);
  // every other slot: a 20-minute visit and Dr Ngoy's 5-minute buffer overlap the next start
  ap.slots = (
    await ctx.app.services.availability.freeSlots({
      practitionerId: ap.practitioner,
      clinicId: kinId,
      visitTypeId: ap.consultation,
      from: '2031-03-03',
      to: '2031-03-31',
    })
  ).data
    .filter((_s, i) => i % 2 === 0)
    .map((s) => s.startsAt);
  let k = 0;
  const insert = async (practitionerId: string, clinicId: string, patientId: string, status: string, past = false) => {
    k += 1;
    // long past or far ahead: clear of the demo's appointments of these patients
    const start = `'${past ? '2020-05-01' : '2031-05-01'}T00:00Z'::timestamptz + interval '${k * 30} minutes'`;
    return oneId(
      `INSERT INTO appointments (clinic_id, practitioner_id, patient_id, visit_type_id, starts_at, ends_at, block_ends_at, status, source)
       VALUES ($1, $2, $3, $4, ${start}, ${start} + interval '20 minutes', ${start} + interval '20 minutes', $5, 'staff') RETURNING id`,
      [clinicId, practitionerId, patientId, ap.consultation, status],
    );
  };
  ap.byTarget = {
    own: await insert(ap.practitioner, kinId, ctx.ids.ownPatient, 'booked'),
    other: await insert(ap.practitioner, kinId, ctx.ids.kinPatient, 'booked'),
    gom: await insert(kavira, ctx.ids.gom, ctx.ids.gomPatient, 'booked'),
  };
  ap.fresh.requested = [];
  for (let i = 0; i < n; i++) ap.fresh.requested.push(await insert(ilunga, kinId, ap.kinPatients[i % 40]!, 'requested'));
  for (const kind of ['cancel', 'reschedule']) {
    ap.fresh[kind] = [];
    for (let i = 0; i < n; i++) ap.fresh[kind].push(await insert(ap.practitioner, kinId, ap.kinPatients[i % 40]!, 'booked'));
  }
  ap.fresh.past = [];
  for (let i = 0; i < n; i++) ap.fresh.past.push(await insert(ap.practitioner, kinId, ap.kinPatients[i % 40]!, 'booked', true));
  ap.entries = await Promise.all(
    Array.from({ length: n }, (_x, i) =>
      oneId(
        `INSERT INTO waitlist_entries (clinic_id, patient_id, visit_type_id, earliest, latest, status)
         VALUES ($1, $2, $3, '2031-07-01', '2031-07-31', 'waiting') RETURNING id`,
        [kinId, ap.kinPatients[i % 40], ap.consultation],
      ),
    ),
  );
  ap.entries.push(ap.entries[0]!); // accept/decline read entries[0]; the cancel route pops from the end
}

const section: MatrixSection = {
  async setup() {
    await setupMasterData();
    await setupAppointments();
  },
  targetRoutes: [
    {
      // the appointment of each target patient: the clinic is the relationship
      route: 'GET /api/appointments/:id',
      method: 'GET',
      url: (_patientId, target) => `/api/appointments/${ap.byTarget[target]}`,
      verdict: (a, t) => (isPatient(a) || !has(a, 'appointments:read') ? 403 : clinicOf[t] === a.clinic ? 200 : 404),
      action: 'appointment.read',
      forbiddenUnaudited: true,
      auditOnce: true,
    },
  ],
  routes: [...schedulingRoutes, ...appointmentRoutes],
  publicRoutes: ['GET /api/ical/:token.ics'],
};
export default section;
