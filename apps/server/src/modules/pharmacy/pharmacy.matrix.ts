import { expect, it } from 'vitest';
import { auditSince, lastAuditId } from '../../../test/helpers.ts';
import {
  call,
  clinicOf,
  has,
  isPatient,
  matrixContext,
  patientIds,
  sessionOf,
  staffWith,
  targets,
  type Actor,
  type MatrixSection,
  type Target,
} from '../../../test/matrix.ts';
import { signedPrescription, stockedLot } from './pharmacy.fixtures.ts';

/**
 * Only pharmacists (and the super admin) dispense, at the active clinic, prescriptions written
 * there for patients registered there: the permission first (403, unaudited), then the
 * prescription's clinic and patient (404, audited as denied). A portal user reaches none of it.
 */
function can(a: Actor, t: Target): 200 | 403 | 404 {
  if (isPatient(a) || !has(a, 'pharmacy:dispense')) return 403;
  return clinicOf[t] === a.clinic ? 200 : 404;
}

const PARACETAMOL = 'who-eml:paracetamol-500mg-tablet';
/** per target patient: an active prescription (one item, plenty to dispense) and a dispense of it */
const fx = {} as Record<Target, { rx: string; item: string; dispense: string }>;
let stockItem = '';

const DISPENSE = 'POST /api/pharmacy/prescriptions/:prescriptionId/dispenses';

const section: MatrixSection = {
  async setup() {
    const { sql, ids } = matrixContext();
    const admin = ids.users['admin@sanita.test']!;
    stockItem = (
      await stockedLot(sql, {
        clinicId: ids.kin,
        userId: admin,
        code: PARACETAMOL,
        itemName: 'Matrix paracetamol',
        lotNumber: 'MATRIX-RX',
        quantity: 100_000,
        expiresInDays: 400,
      })
    ).itemId;
    for (const t of targets) {
      const patientId = patientIds()[t];
      const clinicId = clinicOf[t] === 'kin' ? ids.kin : ids.gom;
      const prescriber = ids.users[clinicOf[t] === 'kin' ? 'doctor@sanita.test' : 'doctor.goma@sanita.test']!;
      const { id, itemIds } = await signedPrescription(sql, {
        patientId,
        clinicId,
        prescriberId: prescriber,
        items: [{ code: PARACETAMOL, quantity: 10_000 }],
      });
      const d = await sql.query<{ id: string }>(
        `INSERT INTO dispenses (prescription_id, patient_id, clinic_id, dispensed_by) VALUES ($1, $2, $3, $4) RETURNING id`,
        [id, patientId, clinicId, admin],
      );
      fx[t] = { rx: id, item: itemIds[0]!, dispense: d.rows[0]!.id };
    }
  },
  routes: [
    {
      route: 'GET /api/pharmacy/worklist',
      method: 'GET',
      url: '/api/pharmacy/worklist',
      verdict: (a) => staffWith(a, 'pharmacy:dispense'),
      action: 'pharmacy.worklist.read',
      listAudit: true,
    },
  ],
  targetRoutes: [
    {
      route: 'GET /api/pharmacy/prescriptions/:prescriptionId',
      method: 'GET',
      url: (_id, t) => `/api/pharmacy/prescriptions/${fx[t].rx}`,
      verdict: can,
      action: 'prescription.read',
      forbiddenUnaudited: true,
      auditOnce: true,
    },
    {
      route: 'GET /api/pharmacy/prescriptions/:prescriptionId/dispenses',
      method: 'GET',
      url: (_id, t) => `/api/pharmacy/prescriptions/${fx[t].rx}/dispenses`,
      verdict: can,
      action: 'prescription.dispenses.read',
      forbiddenUnaudited: true,
      auditOnce: true,
    },
    {
      route: 'GET /api/pharmacy/dispenses/:id/label.pdf',
      method: 'GET',
      url: (_id, t) => `/api/pharmacy/dispenses/${fx[t].dispense}/label.pdf`,
      verdict: can,
      action: 'dispense.label',
      forbiddenUnaudited: true,
      auditOnce: true,
    },
  ],
  // a dispense answers 201 and moves stock: checked below, with what was written
  covers: [DISPENSE],
  tests: (actor) => {
    it.each(targets.map((t) => [t, can(actor, t)] as const))(
      `${DISPENSE} for the %s patient → %s (201 when allowed), audited`,
      async (t, verdict) => {
        const { sql } = matrixContext();
        const since = await lastAuditId(sql);
        const before = (await sql.query('SELECT 1 FROM dispenses WHERE prescription_id = $1', [fx[t].rx])).rowCount!;
        const res = await call(actor, 'POST', `/api/pharmacy/prescriptions/${fx[t].rx}/dispenses`, {
          items: [{ prescriptionItemId: fx[t].item, quantity: 1, inventoryItemId: stockItem }],
        });
        expect(res.statusCode, res.body).toBe(verdict === 200 ? 201 : verdict);
        const after = (await sql.query('SELECT 1 FROM dispenses WHERE prescription_id = $1', [fx[t].rx])).rowCount!;
        expect(after).toBe(before + (verdict === 200 ? 1 : 0));
        if (verdict !== 200) expect(res.body).not.toMatch(/"mrn"|"patient"/);
        if (verdict === 403) return;
        const rows = (await auditSince(sql, since)).filter(
          (r) => r.actor_user_id === sessionOf(actor).userId && r.action === 'prescription.dispense',
        );
        expect(rows).toEqual([
          expect.objectContaining({ patient_id: patientIds()[t], outcome: verdict === 200 ? 'success' : 'denied' }),
        ]);
      },
    );
  },
};
export default section;
