import { expect } from 'vitest';
import type { Permission } from '@sanita/contracts/catalogue';
import {
  actors,
  has,
  isPatient,
  matrixContext,
  patientIds,
  staffWith,
  type Actor,
  type MatrixSection,
  type Target,
} from '../../../test/matrix.ts';

/** Patient data at the active clinic: the permission first (403), then a patient registered there (404). */
function canPatient(a: Actor, t: Target, permission: Permission): 200 | 403 | 404 {
  if (isPatient(a) || !has(a, permission)) return 403;
  return (t === 'gom') === (a.clinic === 'gom') ? 200 : 404;
}
/** A route about the own (Kinshasa) patient's prescription or encounter. */
const atKinshasa = (permission: Permission) => (a: Actor) => {
  const v = canPatient(a, 'own', permission);
  return v === 200 ? ('ok' as const) : v;
};

const DOCTOR = `(SELECT id FROM users WHERE email = 'doctor@sanita.test')`;
const SNAPSHOT = JSON.stringify({
  patient: { name: 'M', birthDate: '1990-01-01', sex: 'female', mrn: 'KIN-0000001-Q', weightKg: null },
  clinic: { name: 'K', address: null, phone: null, timezone: 'Africa/Kinshasa' },
  organisation: 'S',
  prescriber: { name: 'D', licenceNumber: null, specialties: [] },
});
const FAVOURITE = JSON.stringify({
  formularyItemId: null,
  name: 'Paracetamol',
  route: 'oral',
  dose: { amount: 500, unit: 'mg' },
  frequency: { kind: 'times_per_day', times: 3, asNeeded: false },
  durationDays: 5,
  quantity: 15,
  quantityUnit: 'tablet',
  refills: 0,
  instructions: null,
  substitutionAllowed: true,
});
const PARACETAMOL_ITEM = `'Paracetamol', '{paracetamol}', 'oral', 500, 'mg', '{"kind":"times_per_day","times":3,"asNeeded":false}', 5, 15, 'tablet'`;

async function one(q: string, params: unknown[] = []): Promise<string> {
  return (await matrixContext().sql.query<{ id: string }>(q, params)).rows[0]!.id;
}
/** An encounter in progress of the own (Kinshasa) patient. */
const openEncounter = () =>
  one(
    `INSERT INTO encounters (clinic_id, patient_id, type, status, started_by) VALUES ($1, $2, 'outpatient', 'in_progress', ${DOCTOR}) RETURNING id`,
    [matrixContext().ids.kin, patientIds().own],
  );
/** A prescription of the own patient at Kinshasa with one paracetamol item: a draft, or signed (active). */
async function prescription(signed: boolean): Promise<string> {
  const id = await one(
    `INSERT INTO prescriptions (patient_id, clinic_id, prescriber_id, language, status, signed_at, expires_at, verification_code, snapshot)
     VALUES ($1, $2, ${DOCTOR}, 'en', $3, $4, $5, $6, $7) RETURNING id`,
    [
      patientIds().own,
      matrixContext().ids.kin,
      signed ? 'active' : 'draft',
      signed ? new Date() : null,
      signed ? new Date(Date.now() + 30 * 86_400_000) : null,
      signed ? Math.random().toString(36).slice(2, 14).toUpperCase().padEnd(12, '0') : null,
      signed ? SNAPSHOT : null,
    ],
  );
  await matrixContext().sql.query(
    `INSERT INTO prescription_items (prescription_id, position, name, ingredients, route, dose_amount, dose_unit, frequency, duration_days, quantity, quantity_unit)
     VALUES ($1, 0, ${PARACETAMOL_ITEM})`,
    [id],
  );
  return id;
}
const refillRequest = async () =>
  one(
    `INSERT INTO refill_requests (prescription_id, patient_id, clinic_id, requested_by) VALUES ($1, $2, $3, ${DOCTOR}) RETURNING id`,
    [await prescription(true), patientIds().own, matrixContext().ids.kin],
  );
const reported = () =>
  one(
    `INSERT INTO reported_medications (patient_id, clinic_id, name, recorded_by) VALUES ($1, $2, 'Vitamin C', ${DOCTOR}) RETURNING id`,
    [patientIds().own, matrixContext().ids.kin],
  );
const localItem = () =>
  one(
    `INSERT INTO formulary_items (code, source, name, generic_name, ingredients, search_text)
     VALUES ('local:' || gen_random_uuid(), 'local', 'Matrix syrup', 'Matrix', '{matrix}', 'matrix syrup') RETURNING id`,
  );

const perActor = () => [] as string[];
const fd = {
  signed: '',
  portalSigned: '',
  favourite: '',
  favouriteGone: '',
  item: '',
  /** reconciled again and again by each actor allowed (marking again records the new reviewer) */
  reconcileEncounter: '',
  encounters: perActor(),
  repeatEncounters: perActor(),
  drafts: perActor(),
  signDrafts: perActor(),
  cancelDrafts: perActor(),
  reported: perActor(),
  approve: perActor(),
  decline: perActor(),
  items: perActor(),
};

const ITEM = {
  name: 'Paracetamol',
  dose: { amount: 500, unit: 'mg' },
  frequency: { kind: 'times_per_day', times: 3, asNeeded: false },
  durationDays: 5,
  quantity: 15,
  quantityUnit: 'tablet',
};
const prescriber = atKinshasa('prescriptions:write');
const portalSelf = (a: Actor) => (isPatient(a) && has(a, 'portal:self') ? ('ok' as const) : (403 as const));
const reader = atKinshasa('prescriptions:read');
const reconciler = atKinshasa('medications:reconcile');
/** The favourite belongs to the demo doctor: other prescribers do not see it (404). */
const favouriteOwner = (a: Actor) => {
  const v = staffWith(a, 'prescriptions:write');
  return v === 'ok' && a.email !== 'doctor@sanita.test' ? (404 as const) : v;
};

const section: MatrixSection = {
  async setup() {
    fd.signed = await prescription(true);
    fd.portalSigned = await prescription(true);
    fd.item = await localItem();
    fd.reconcileEncounter = await openEncounter();
    fd.favourite = await one(
      `INSERT INTO prescription_favourites (user_id, label, item) VALUES (${DOCTOR}, 'Matrix', $1) RETURNING id`,
      [FAVOURITE],
    );
    fd.favouriteGone = await one(
      `INSERT INTO prescription_favourites (user_id, label, item) VALUES (${DOCTOR}, 'Matrix 2', $1) RETURNING id`,
      [FAVOURITE],
    );
    for (let i = 0; i < actors.length; i++) {
      fd.encounters.push(await openEncounter());
      fd.repeatEncounters.push(await openEncounter());
      fd.drafts.push(await prescription(false));
      fd.signDrafts.push(await prescription(false));
      fd.cancelDrafts.push(await prescription(false));
      fd.reported.push(await reported());
      fd.approve.push(await refillRequest());
      fd.decline.push(await refillRequest());
      fd.items.push(await localItem());
    }
  },
  targetRoutes: [
    {
      route: 'GET /api/patients/:patientId/prescriptions',
      method: 'GET',
      url: (id) => `/api/patients/${id}/prescriptions`,
      verdict: (a, t) => canPatient(a, t, 'prescriptions:read'),
      action: 'prescriptions.read',
      auditOnce: true,
    },
    {
      route: 'GET /api/patients/:patientId/current-medications',
      method: 'GET',
      url: (id) => `/api/patients/${id}/current-medications`,
      verdict: (a, t) => canPatient(a, t, 'prescriptions:read'),
      action: 'medications.current.read',
      auditOnce: true,
    },
    {
      route: 'POST /api/patients/:patientId/medication-checks',
      method: 'POST',
      url: (id) => `/api/patients/${id}/medication-checks`,
      body: async () => ({ items: [ITEM] }),
      verdict: (a, t) => canPatient(a, t, 'prescriptions:read'),
      action: 'medications.check',
      auditOnce: true,
    },
    {
      route: 'GET /api/patients/:patientId/reported-medications',
      method: 'GET',
      url: (id) => `/api/patients/${id}/reported-medications`,
      verdict: (a, t) => canPatient(a, t, 'prescriptions:read'),
      action: 'reported_medications.read',
      auditOnce: true,
    },
  ],
  routes: [
    // formulary: no patient data
    {
      route: 'GET /api/formulary',
      method: 'GET',
      url: '/api/formulary?q=amoxicilin',
      verdict: (a) => staffWith(a, 'formulary:read'),
    },
    {
      route: 'GET /api/formulary/:id',
      method: 'GET',
      url: () => `/api/formulary/${fd.item}`,
      verdict: (a) => staffWith(a, 'formulary:read'),
    },
    {
      route: 'GET /api/formulary/:id/revisions',
      method: 'GET',
      url: () => `/api/formulary/${fd.item}/revisions`,
      verdict: (a) => staffWith(a, 'formulary:read'),
    },
    {
      route: 'POST /api/formulary',
      method: 'POST',
      url: '/api/formulary',
      body: () => ({ name: 'Matrix tablet 5mg', genericName: 'Matrixol', strength: '5mg', form: 'tablet', route: 'oral' }),
      verdict: (a) => staffWith(a, 'formulary:manage'),
      ok: 201,
    },
    {
      route: 'PATCH /api/formulary/:id',
      method: 'PATCH',
      url: () => `/api/formulary/${fd.items.pop()}`,
      body: () => ({ version: 1, strength: '10mg', reason: 'matrix' }),
      verdict: (a) => staffWith(a, 'formulary:manage'),
    },
    {
      route: 'PUT /api/formulary/:id/clinic',
      method: 'PUT',
      url: () => `/api/formulary/${fd.item}/clinic`,
      body: () => ({ brandNames: ['Matrixa'], price: '1500.00', currency: 'CDF', inStockList: true }),
      verdict: (a) => staffWith(a, 'formulary:manage'),
    },
    // prescriptions of the own (Kinshasa) patient
    {
      route: 'POST /api/encounters/:id/prescriptions',
      method: 'POST',
      url: () => `/api/encounters/${fd.encounters.pop()}/prescriptions`,
      body: () => ({ items: [ITEM] }),
      verdict: prescriber,
      ok: 201,
      action: 'prescription.create',
      auditRefusals: true,
    },
    {
      route: 'POST /api/encounters/:id/prescriptions/repeat-last',
      method: 'POST',
      url: () => `/api/encounters/${fd.repeatEncounters.pop()}/prescriptions/repeat-last`,
      verdict: prescriber,
      ok: 201,
      action: 'prescription.repeat',
      auditRefusals: true,
    },
    {
      route: 'GET /api/prescriptions/:id',
      method: 'GET',
      url: () => `/api/prescriptions/${fd.signed}`,
      verdict: reader,
      action: 'prescription.read',
      auditRefusals: true,
    },
    {
      route: 'GET /api/prescriptions/:id/pdf',
      method: 'GET',
      url: () => `/api/prescriptions/${fd.signed}/pdf`,
      verdict: reader,
      action: 'prescription.read',
      auditRefusals: true,
    },
    {
      route: 'PUT /api/prescriptions/:id',
      method: 'PUT',
      url: () => `/api/prescriptions/${fd.drafts.pop()}`,
      body: () => ({ version: 1, items: [ITEM, { ...ITEM, name: 'Vitamin B complex' }] }),
      verdict: prescriber,
      action: 'prescription.update',
      auditRefusals: true,
    },
    {
      route: 'POST /api/prescriptions/:id/sign',
      method: 'POST',
      url: () => `/api/prescriptions/${fd.signDrafts.pop()}/sign`,
      body: () => ({ version: 1 }),
      verdict: prescriber,
      action: 'prescription.sign',
      auditRefusals: true,
    },
    {
      route: 'POST /api/prescriptions/:id/cancel',
      method: 'POST',
      url: () => `/api/prescriptions/${fd.cancelDrafts.pop()}/cancel`,
      body: () => ({ version: 1, reason: 'matrix' }),
      verdict: prescriber,
      action: 'prescription.cancel',
      auditRefusals: true,
    },
    {
      route: 'POST /api/patients/:patientId/reported-medications',
      method: 'POST',
      url: () => `/api/patients/${patientIds().own}/reported-medications`,
      body: () => ({ name: 'Vitamin D', doseText: '1 a day' }),
      verdict: reconciler,
      ok: 201,
      action: 'reported_medication.record',
      auditRefusals: true,
    },
    {
      route: 'POST /api/patients/:patientId/reported-medications/:id/stop',
      method: 'POST',
      url: () => `/api/patients/${patientIds().own}/reported-medications/${fd.reported.pop()}/stop`,
      body: () => ({ reason: 'matrix' }),
      verdict: reconciler,
      action: 'reported_medication.stop',
      auditRefusals: true,
    },
    // the encounter's medication reconciliation
    {
      route: 'GET /api/encounters/:id/medication-reconciliation',
      method: 'GET',
      url: () => `/api/encounters/${fd.reconcileEncounter}/medication-reconciliation`,
      verdict: reader,
      action: 'medications.reconciliation.read',
      auditRefusals: true,
    },
    {
      route: 'PUT /api/encounters/:id/medication-reconciliation',
      method: 'PUT',
      url: () => `/api/encounters/${fd.reconcileEncounter}/medication-reconciliation`,
      body: () => ({ note: 'matrix' }),
      verdict: reconciler,
      action: 'medications.reconcile',
      auditRefusals: true,
    },
    // a prescriber's own favourites: no patient data
    {
      route: 'GET /api/prescription-favourites',
      method: 'GET',
      url: '/api/prescription-favourites',
      verdict: (a) => staffWith(a, 'prescriptions:write'),
    },
    {
      route: 'POST /api/prescription-favourites',
      method: 'POST',
      url: '/api/prescription-favourites',
      body: () => ({ label: 'Paracetamol 500', item: ITEM }),
      verdict: (a) => staffWith(a, 'prescriptions:write'),
      ok: 201,
    },
    {
      route: 'PATCH /api/prescription-favourites/:id',
      method: 'PATCH',
      url: () => `/api/prescription-favourites/${fd.favourite}`,
      body: () => ({ label: 'Renamed' }),
      verdict: favouriteOwner,
    },
    {
      route: 'DELETE /api/prescription-favourites/:id',
      method: 'DELETE',
      url: () => `/api/prescription-favourites/${fd.favouriteGone}`,
      verdict: favouriteOwner,
      ok: 204,
    },
    // the portal: my prescriptions and my refill requests (the portal module's routes, through these services)
    {
      route: 'GET /api/portal/prescriptions',
      method: 'GET',
      url: '/api/portal/prescriptions',
      verdict: portalSelf,
      action: 'prescriptions.read',
      auditRefusals: true,
      check: (res, rows) => {
        expect(res.json<{ data: { id: string }[] }>().data.map((p) => p.id)).toContain(fd.portalSigned);
        expect(res.body).not.toMatch(/"overrides"/);
        expect(rows.map((r) => r.patient_id)).toEqual(rows.map(() => patientIds().own));
      },
    },
    {
      route: 'POST /api/portal/prescriptions/:id/refill-requests',
      method: 'POST',
      url: () => `/api/portal/prescriptions/${fd.portalSigned}/refill-requests`,
      body: () => ({ note: 'Running out' }),
      verdict: portalSelf,
      ok: 201,
      action: 'refill_request.create',
      auditRefusals: true,
    },
    // refill requests, decided by the prescribing clinic's prescribers
    {
      route: 'GET /api/refill-requests',
      method: 'GET',
      url: '/api/refill-requests',
      verdict: (a) => staffWith(a, 'prescriptions:write'),
      action: 'refill_requests.read',
      listAudit: true,
    },
    {
      route: 'POST /api/refill-requests/:id/approve',
      method: 'POST',
      url: () => `/api/refill-requests/${fd.approve.pop()}/approve`,
      body: () => ({}),
      verdict: prescriber,
      action: 'refill_request.approve',
      auditRefusals: true,
    },
    {
      route: 'POST /api/refill-requests/:id/decline',
      method: 'POST',
      url: () => `/api/refill-requests/${fd.decline.pop()}/decline`,
      body: () => ({ note: 'See the doctor first' }),
      verdict: prescriber,
      action: 'refill_request.decline',
      auditRefusals: true,
    },
  ],
};
export default section;
