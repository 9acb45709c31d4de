import { expect } from 'vitest';
import { has, matrixContext, oneId, type Actor, type MatrixSection } from '../../../test/matrix.ts';

/**
 * The portal user's own data: their record and its access log, their appointments (a Kinshasa
 * practitioner's, inserted in setup, far from the staff rows' dates) and a waiting-list entry of
 * theirs on which nothing is offered (accept/decline answer 409 INVALID_STATUS).
 */
const own = { slots: [] as string[], appointments: [] as string[], entry: '', practitioner: '', consultation: '' };
const portalSelf = (a: Actor) => (has(a, 'portal:self') ? 'ok' : 403);
/** My chart: my signed visits (the encounters), and a signed visit of another patient's, read in setup. */
const chart = { mine: [] as string[], others: [] as string[] };
const signedVisitsOf = async (patientId: string, own: boolean) =>
  (
    await matrixContext().sql.query<{ id: string }>(
      `SELECT e.id FROM encounters e JOIN notes n ON n.encounter_id = e.id AND n.signed_at IS NOT NULL
        WHERE ${own ? 'e.patient_id = $1' : 'e.patient_id <> $1'} ORDER BY e.started_at DESC, e.id DESC`,
      [patientId],
    )
  ).rows.map((r) => r.id);
/** A portal read of my own chart: it names me in its audit row and returns only my data. */
const mine = (action: string, check?: (body: Record<string, unknown>) => void) => ({
  method: 'GET',
  verdict: portalSelf,
  action,
  auditRefusals: true,
  check: (res: { json: () => Record<string, unknown> }, rows: { patient_id: string | null }[]) => {
    expect(rows.map((r) => r.patient_id)).toEqual(rows.map(() => matrixContext().ids.ownPatient));
    check?.(res.json());
  },
});

const section: MatrixSection = {
  async setup() {
    const ctx = matrixContext();
    own.consultation = await oneId(`SELECT id FROM visit_types WHERE code = 'consultation'`);
    own.practitioner = await oneId(`SELECT id FROM practitioners WHERE display_name = 'Dr Patrice Ngoy'`);
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    // every other slot: a 20-minute visit and Dr Ngoy's 5-minute buffer overlap the next start
    own.slots = (
      await ctx.app.services.availability.freeSlots({
        practitionerId: own.practitioner,
        clinicId: ctx.ids.kin,
        visitTypeId: own.consultation,
        from: day(25),
        to: day(45),
      })
    ).data
      .filter((_s, i) => i % 2 === 0)
      .map((s) => s.startsAt);
    const { rows } = await ctx.sql.query<{ id: string }>(
      `INSERT INTO appointments (clinic_id, practitioner_id, patient_id, visit_type_id, starts_at, ends_at, block_ends_at, status, source)
       SELECT $1, $2, $3, $4, s, s + interval '20 minutes', s + interval '20 minutes', 'booked', 'staff'
       FROM generate_series(1, $5::int) g, LATERAL (SELECT '2032-05-01T00:00Z'::timestamptz + g * interval '30 minutes' AS s) t
       RETURNING id`,
      [ctx.ids.kin, own.practitioner, ctx.ids.ownPatient, own.consultation, 40],
    );
    own.appointments = rows.map((r) => r.id);
    chart.mine = await signedVisitsOf(ctx.ids.ownPatient, true);
    chart.others = await signedVisitsOf(ctx.ids.ownPatient, false);
    own.entry = await oneId(
      `INSERT INTO waitlist_entries (clinic_id, patient_id, visit_type_id, earliest, latest, status)
       VALUES ($1, $2, $3, '2031-07-01', '2031-07-31', 'waiting') RETURNING id`,
      [ctx.ids.kin, ctx.ids.ownPatient, own.consultation],
    );
  },
  routes: [
    {
      route: 'GET /api/portal/me',
      method: 'GET',
      url: '/api/portal/me',
      verdict: portalSelf,
      action: 'patient.read',
      auditRefusals: true,
      check: (res, rows) => {
        expect(res.json().id).toBe(matrixContext().ids.ownPatient);
        expect(rows[0]!.patient_id).toBe(matrixContext().ids.ownPatient);
      },
    },
    {
      route: 'GET /api/portal/access-log',
      method: 'GET',
      url: '/api/portal/access-log',
      verdict: portalSelf,
      action: 'patient.access_log.read',
      auditRefusals: true,
    },
    {
      route: 'GET /api/portal/appointments',
      method: 'GET',
      url: '/api/portal/appointments',
      verdict: portalSelf,
      action: 'appointment.list',
    },
    {
      route: 'POST /api/portal/appointments',
      method: 'POST',
      url: '/api/portal/appointments',
      body: () => ({
        clinicId: matrixContext().ids.kin,
        practitionerId: own.practitioner,
        visitTypeId: own.consultation,
        startsAt: own.slots.pop(),
      }),
      verdict: portalSelf,
      ok: 201,
      action: 'appointment.create',
    },
    {
      route: 'POST /api/portal/appointments/:id/cancel',
      method: 'POST',
      url: () => `/api/portal/appointments/${own.appointments.pop()}/cancel`,
      verdict: portalSelf,
      action: 'appointment.cancel',
    },
    {
      route: 'POST /api/portal/appointments/:id/reschedule',
      method: 'POST',
      url: () => `/api/portal/appointments/${own.appointments.pop()}/reschedule`,
      body: () => ({ startsAt: own.slots.pop() }),
      verdict: portalSelf,
      ok: 201,
      action: 'appointment.reschedule',
    },
    {
      route: 'GET /api/portal/waitlist',
      method: 'GET',
      url: '/api/portal/waitlist',
      verdict: portalSelf,
      action: 'waitlist.list',
    },
    {
      // the visit summary of my signed visit, as a PDF (issued at the first download)
      route: 'GET /api/portal/visits/:encounterId/summary.pdf',
      method: 'GET',
      url: () => `/api/portal/visits/${chart.mine[0]}/summary.pdf`,
      verdict: portalSelf,
      action: 'visit_summary.read',
      auditRefusals: true,
      check: (res, rows) => {
        expect(res.headers['content-type']).toBe('application/pdf');
        expect(rows.map((r) => r.patient_id)).toEqual([matrixContext().ids.ownPatient]);
      },
    },
    {
      // the visit summary of another patient's signed visit: as if it did not exist (404), audited as denied
      route: 'GET /api/portal/visits/:encounterId/summary.pdf',
      method: 'GET',
      url: () => `/api/portal/visits/${chart.others[0]}/summary.pdf`,
      verdict: (a: Actor) => (has(a, 'portal:self') ? (404 as const) : (403 as const)),
      action: 'visit_summary.read',
      auditRefusals: true,
    },
    {
      route: 'GET /api/portal/visits',
      url: '/api/portal/visits?limit=50',
      ...mine('notes.read', (body) => {
        // my signed visits (others' sections sign more of mine during the run), never another patient's
        const ids = (body.data as { encounterId: string }[]).map((v) => v.encounterId);
        expect(chart.mine.length).toBeGreaterThan(0);
        expect(ids).toEqual(expect.arrayContaining(chart.mine));
        expect(ids.filter((id) => chart.others.includes(id))).toEqual([]);
        expect(JSON.stringify(body)).not.toMatch(/"sections"|"subjective"|"assessment"|"addenda"/);
      }),
    },
    {
      route: 'GET /api/portal/visits/:encounterId',
      url: () => `/api/portal/visits/${chart.mine[0]}`,
      ...mine('note.read', (body) => expect(body.encounterId).toBe(chart.mine[0])),
    },
    {
      // another patient's signed visit: as if it did not exist (404), audited as denied
      route: 'GET /api/portal/visits/:encounterId',
      method: 'GET',
      url: () => `/api/portal/visits/${chart.others[0]}`,
      verdict: (a: Actor) => (has(a, 'portal:self') ? (404 as const) : (403 as const)),
      action: 'note.read',
      auditRefusals: true,
    },
    { route: 'GET /api/portal/problems', url: '/api/portal/problems', ...mine('problems.read') },
    { route: 'GET /api/portal/allergies', url: '/api/portal/allergies', ...mine('allergies.read') },
    {
      route: 'GET /api/portal/vitals',
      url: '/api/portal/vitals',
      ...mine('vitals.read', (body) => {
        const sets = body.data as { patientId: string }[];
        expect(sets.length).toBeGreaterThan(0);
        expect(new Set(sets.map((v) => v.patientId))).toEqual(new Set([matrixContext().ids.ownPatient]));
      }),
    },
    {
      route: 'GET /api/portal/immunizations',
      url: '/api/portal/immunizations',
      ...mine('immunizations.read', (body) => expect((body.data as unknown[]).length).toBeGreaterThan(0)),
    },
    ...(['accept', 'decline'] as const).map((action) => ({
      route: `POST /api/portal/waitlist/:id/${action}`,
      method: 'POST',
      url: () => `/api/portal/waitlist/${own.entry}/${action}`,
      verdict: (a: Actor) => (has(a, 'portal:self') ? (409 as const) : (403 as const)),
    })),
  ],
};
export default section;
