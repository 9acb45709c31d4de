import {
  actors,
  has,
  isPatient,
  matrixContext,
  next,
  type Actor,
  type MatrixSection,
  type Verdict,
} from '../../../test/matrix.ts';

/**
 * The lab catalogue's rows of the authorization matrix (included by lab.matrix.ts): no patient data,
 * so nothing audited as a read. Staff with lab:read (or lab:manage) search and read it and the clinic's
 * lab settings; lab:manage edits it, its prices and the settings and reads its history.
 */
const reader = (a: Actor): Verdict => (!isPatient(a) && (has(a, 'lab:read') || has(a, 'lab:manage')) ? 'ok' : 403);
const manager = (a: Actor): Verdict => (!isPatient(a) && has(a, 'lab:manage') ? 'ok' : 403);

const fx = { test: '', editable: [] as string[] };

const RANGE = { sex: null, ageMinDays: 0, ageMaxDays: null, low: 1, high: 2, criticalLow: null, criticalHigh: null };

export const catalogueSection: MatrixSection = {
  async setup() {
    const { sql } = matrixContext();
    fx.test = (await sql.query<{ id: string }>(`SELECT id FROM lab_tests WHERE code = 'K'`)).rows[0]!.id;
    // one local test per actor to edit at version 1
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO lab_tests (code, name, kind, specimen_type, result_type, unit, turnaround_hours, search_text)
       SELECT 'MX-EDIT-' || n, 'Matrix analyte ' || n, 'test', 'serum', 'numeric', 'mmol/L', 4, 'matrix analyte'
         FROM generate_series(1, $1::int) AS n RETURNING id`,
      [actors.length],
    );
    fx.editable = rows.map((r) => r.id);
  },
  routes: [
    { route: 'GET /api/lab/tests', method: 'GET', url: '/api/lab/tests?q=potassium', verdict: reader },
    { route: 'GET /api/lab/tests/:testId', method: 'GET', url: () => `/api/lab/tests/${fx.test}`, verdict: reader },
    {
      route: 'GET /api/lab/tests/:testId/revisions',
      method: 'GET',
      url: () => `/api/lab/tests/${fx.test}/revisions`,
      verdict: manager,
    },
    {
      route: 'POST /api/lab/tests',
      method: 'POST',
      url: '/api/lab/tests',
      body: () => ({
        code: `MX-NEW-${next()}`,
        name: 'Matrix local test',
        kind: 'test',
        specimenType: 'serum',
        resultType: 'numeric',
        unit: 'umol/L',
        turnaroundHours: 4,
        requiresVerification: false,
        ranges: [RANGE],
      }),
      verdict: manager,
      ok: 201,
    },
    {
      route: 'PATCH /api/lab/tests/:testId',
      method: 'PATCH',
      url: () => `/api/lab/tests/${fx.editable.pop()}`,
      body: () => ({ version: 1, turnaroundHours: 6 }),
      verdict: manager,
    },
    {
      route: 'PUT /api/lab/tests/:testId/price',
      method: 'PUT',
      url: () => `/api/lab/tests/${fx.test}/price`,
      body: () => ({ price: '12.50' }),
      verdict: manager,
    },
    { route: 'GET /api/lab/settings', method: 'GET', url: '/api/lab/settings', verdict: reader },
    {
      route: 'PUT /api/lab/settings',
      method: 'PUT',
      url: '/api/lab/settings',
      body: () => ({ criticalEscalationMinutes: 15 }),
      verdict: manager,
    },
  ],
};
