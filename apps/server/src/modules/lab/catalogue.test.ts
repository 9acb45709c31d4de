import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_CATALOGUE } from '@sanita/clinical/lab/catalogue.gen';
import type { LabSettings, LabTest, LabTestList, LabTestRevisionList } from '@sanita/contracts/lab';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import { loadLabCatalogue } from './catalogue.repository.ts';
import { validUnit } from './lab.units.ts';

let ctx: TestContext;
let admin: Session;
let doctor: Session;
let nurse: Session;
let gomaDoctor: Session;
let patient: Session;
const KIN = { 'x-clinic-id': '' };
const GOM = { 'x-clinic-id': '' };

const fields = (res: { json(): unknown }) =>
  ((res.json() as { error: { details?: { field: string }[] } }).error.details ?? []).map((d) => d.field);
const codeOf = (res: { json(): unknown }) => (res.json() as { error: { code: string } }).error.code;
const idOf = async (code: string) =>
  (await ctx.sql.query<{ id: string }>('SELECT id FROM lab_tests WHERE code = $1', [code])).rows[0]!.id;
const search = async (s: Session, query: string) => {
  const res = await s.req('GET', `/api/lab/tests?${query}`, undefined, KIN);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<LabTestList>().data;
};

/** a local numeric test, valid unless `extra` breaks it */
let serial = 0;
const localTest = (extra: Record<string, unknown> = {}) => ({
  code: `LOC-${++serial}`,
  name: `Local analyte ${serial}`,
  nameFr: `Analyte local ${serial}`,
  kind: 'test',
  specimenType: 'serum',
  resultType: 'numeric',
  unit: 'mmol/L',
  decimals: 1,
  turnaroundHours: 6,
  requiresVerification: false,
  ranges: [{ sex: null, ageMinDays: 0, ageMaxDays: null, low: 1, high: 2, criticalLow: 0.5, criticalHigh: 4 }],
  ...extra,
});

beforeAll(async () => {
  ctx = await createTestContext();
  KIN['x-clinic-id'] = ctx.ids.kin;
  GOM['x-clinic-id'] = ctx.ids.gom;
  [admin, doctor, nurse, gomaDoctor, patient] = (await Promise.all(
    ['admin', 'doctor', 'nurse', 'doctor.goma', 'patient'].map((r) => ctx.login(`${r}@sanita.test`)),
  )) as [Session, Session, Session, Session, Session];
});
afterAll(async () => ctx?.close());

describe('the shipped catalogue', () => {
  it('is loaded at start: every test and panel, the CBC with its 19 tests in report order', async () => {
    const { rows } = await ctx.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM lab_tests WHERE shipped');
    expect(rows[0]!.n).toBe(LAB_CATALOGUE.length);
    const cbc = await doctor.req('GET', `/api/lab/tests/${await idOf('CBC')}`, undefined, KIN);
    expect(cbc.statusCode, cbc.body).toBe(200);
    const body = cbc.json<LabTest>();
    expect(body).toMatchObject({ code: 'CBC', kind: 'panel', loinc: '57021-8', shipped: true, version: 1, price: null });
    expect(body.members.map((m) => m.code)).toEqual(LAB_CATALOGUE.find((t) => t.code === 'CBC')!.members);
    const k = await doctor.req('GET', `/api/lab/tests/${await idOf('K')}`, undefined, KIN);
    expect(k.json()).toMatchObject({
      code: 'K',
      loinc: '2823-3',
      name: 'Potassium',
      nameFr: 'Potassium (kaliémie)',
      unit: 'mmol/L',
      requiresVerification: true,
      members: [],
    });
    expect(k.json<LabTest>().ranges).toContainEqual(
      expect.objectContaining({ ageMinDays: 30, low: 3.5, high: 5, criticalLow: 2.8, criticalHigh: 6.2 }),
    );
  });

  it('every shipped unit is valid UCUM to the server too', () => {
    const units = LAB_CATALOGUE.flatMap((t) => (t.unit ? [t.unit] : []));
    expect(units.length).toBeGreaterThan(50);
    expect(units.filter((u) => !validUnit(u))).toEqual([]);
  });

  it('loading again inserts what is missing, refreshes what nobody edited and never overwrites an edit', async () => {
    // an administrator edits the sodium's French name
    const na = await idOf('NA');
    const edit = await admin.req('PATCH', `/api/lab/tests/${na}`, { version: 1, nameFr: 'Natrémie' }, KIN);
    expect(edit.statusCode, edit.body).toBe(200);
    // a shipped row lost, another changed behind the release's back, a panel's member removed
    const chol = await idOf('CHOL');
    await ctx.sql.query(`DELETE FROM lab_test_revisions WHERE test_id IN (SELECT id FROM lab_tests WHERE code = 'FOBT')`);
    await ctx.sql.query(`DELETE FROM lab_tests WHERE code = 'FOBT'`);
    await ctx.sql.query(`UPDATE lab_tests SET name = 'stale' WHERE code = 'CL'`);
    await ctx.sql.query(`DELETE FROM lab_panel_members WHERE test_id = $1`, [chol]);
    await ctx.sql.query(`UPDATE lab_tests SET name = 'edited', version = 2 WHERE code = 'MG'`);
    expect(await loadLabCatalogue(ctx.database.db)).toBe(1);
    expect(await loadLabCatalogue(ctx.database.db)).toBe(0);
    const { rows } = await ctx.sql.query<{ code: string; name: string; name_fr: string }>(
      `SELECT code, name, name_fr FROM lab_tests WHERE code IN ('NA', 'CL', 'MG', 'FOBT') ORDER BY code`,
    );
    expect(rows).toEqual([
      { code: 'CL', name: 'Chloride', name_fr: 'Chlore (chlorémie)' },
      { code: 'FOBT', name: 'Faecal occult blood', name_fr: 'Sang occulte dans les selles' },
      { code: 'MG', name: 'edited', name_fr: 'Magnésium' },
      { code: 'NA', name: 'Sodium', name_fr: 'Natrémie' },
    ]);
    const lipid = await doctor.req('GET', `/api/lab/tests/${await idOf('LIPID')}`, undefined, KIN);
    expect(lipid.json<LabTest>().members.map((m) => m.code)).toEqual(['CHOL', 'TG', 'HDL', 'LDL']);
  });
});

describe('search', () => {
  it('finds a test by name in either language (accents and a typo aside), its code or LOINC code, exact first', async () => {
    expect((await search(nurse, 'q=potassium'))[0]!.code).toBe('K');
    expect((await search(nurse, 'q=K'))[0]!.code).toBe('K');
    expect((await search(nurse, 'q=2823-3'))[0]!.code).toBe('K');
    expect((await search(nurse, 'q=kaliemie'))[0]!.code).toBe('K');
    expect((await search(doctor, 'q=glycemie')).map((t) => t.code)).toEqual(expect.arrayContaining(['GLU', 'GLU-CAP']));
    expect((await search(doctor, 'q=hemoglobin')).map((t) => t.code)).toContain('HGB');
    expect((await search(doctor, 'q=haemoglobn')).map((t) => t.code)).toContain('HGB');
    expect((await search(doctor, 'q=paludisme'))[0]!.code).toMatch(/^MAL-/);
    // another LOINC code of the same observation
    expect((await search(doctor, 'q=26464-8'))[0]!.code).toBe('WBC');
  });

  it('lists panels only when asked, and a withdrawn test only for those who ask', async () => {
    const panels = await search(doctor, 'kind=panel&limit=200');
    expect(panels.map((t) => t.code).sort()).toEqual(['BMP', 'CBC', 'CMP', 'COAG', 'ELEC', 'LFT', 'LIPID', 'TFT', 'UA']);
    const id = await idOf('AMYL');
    const withdraw = await admin.req('PATCH', `/api/lab/tests/${id}`, { version: 1, active: false }, KIN);
    expect(withdraw.statusCode, withdraw.body).toBe(200);
    expect(withdraw.json()).toMatchObject({ active: false, version: 2 });
    expect((await search(doctor, 'q=amylase')).map((t) => t.code)).not.toContain('AMYL');
    expect((await search(admin, 'q=amylase&includeInactive=true')).map((t) => t.code)).toContain('AMYL');
    // the entry still reads (orders of the past name it)
    expect((await doctor.req('GET', `/api/lab/tests/${id}`, undefined, KIN)).json()).toMatchObject({ active: false });
  });

  it('HL7 lookups find the test of a LOINC code, another code of the same observation, or a code', async () => {
    const catalogue = ctx.app.services.labCatalogue;
    await ctx.database.db.transaction(async (tx) => {
      expect((await catalogue.byLoinc(tx, '2823-3'))?.code).toBe('K');
      expect((await catalogue.byLoinc(tx, '26464-8'))?.code).toBe('WBC');
      expect((await catalogue.byLoinc(tx, '57021-8'))?.members).toHaveLength(19);
      expect(await catalogue.byLoinc(tx, '99999-9')).toBeNull();
      expect((await catalogue.byCode(tx, 'HBA1C'))?.loinc).toBe('4548-4');
      expect(await catalogue.byCode(tx, 'AMYL')).toBeNull();
    });
  });
});

describe('administrators edit the catalogue', () => {
  it('add a local test; a unit that is not UCUM is 400 LAB_UNIT_INVALID naming unit; a taken code is 409', async () => {
    const since = await lastAuditId(ctx.sql);
    const created = await admin.req('POST', '/api/lab/tests', localTest({ code: 'ZN', name: 'Zinc', unit: 'umol/L' }), KIN);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ code: 'ZN', shipped: false, version: 1, unit: 'umol/L', active: true });
    expect((await search(doctor, 'q=zinc'))[0]!.code).toBe('ZN');
    expect((await auditSince(ctx.sql, since)).map((r) => r.action)).toContain('lab.test.create');

    const bad = await admin.req('POST', '/api/lab/tests', localTest({ unit: 'mmol/litre' }), KIN);
    expect(bad.statusCode, bad.body).toBe(400);
    expect([codeOf(bad), fields(bad)]).toEqual(['LAB_UNIT_INVALID', ['unit']]);
    const none = await admin.req('POST', '/api/lab/tests', localTest({ unit: null }), KIN);
    expect([none.statusCode, fields(none)]).toEqual([400, ['unit']]);
    const taken = await admin.req('POST', '/api/lab/tests', localTest({ code: 'k' }), KIN);
    expect([taken.statusCode, codeOf(taken)]).toEqual([409, 'CODE_TAKEN']);
  });

  it('refuse ranges that cannot be used, naming the range and field', async () => {
    const r = { sex: null, ageMinDays: 0, ageMaxDays: null, low: 1, high: 2, criticalLow: null, criticalHigh: null };
    const cases: [unknown[], string[]][] = [
      [[{ ...r, low: 3 }], ['ranges.0.high']],
      [[{ ...r, criticalLow: 1 }], ['ranges.0.criticalLow']],
      [[{ ...r, criticalHigh: 1.5 }], ['ranges.0.criticalHigh']],
      [[{ ...r, ageMinDays: 365, ageMaxDays: 30 }], ['ranges.0.ageMaxDays']],
      [
        [
          { ...r, ageMaxDays: 400 },
          { ...r, ageMinDays: 365 },
        ],
        ['ranges.1.ageMinDays'],
      ],
    ];
    for (const [ranges, expected] of cases) {
      const res = await admin.req('POST', '/api/lab/tests', localTest({ ranges }), KIN);
      expect([res.statusCode, fields(res)], JSON.stringify(ranges)).toEqual([400, expected]);
    }
    // a band for men and one for either may overlap; bands that touch do not
    const ok = await admin.req(
      'POST',
      '/api/lab/tests',
      localTest({
        ranges: [
          { ...r, ageMaxDays: 365 },
          { ...r, ageMinDays: 365 },
          { ...r, sex: 'male', low: 1.5 },
        ],
      }),
      KIN,
    );
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('a coded test needs answers and names normal codes among them', async () => {
    const coded = {
      resultType: 'coded',
      unit: null,
      answers: [
        { code: 'NEG', en: 'Negative', fr: 'Négatif' },
        { code: 'POS', en: 'Positive', fr: 'Positif' },
      ],
      ranges: [
        {
          sex: null,
          ageMinDays: 0,
          ageMaxDays: null,
          low: null,
          high: null,
          criticalLow: null,
          criticalHigh: null,
          normalCodes: ['NEG'],
        },
      ],
    };
    const ok = await admin.req(
      'POST',
      '/api/lab/tests',
      localTest({ ...coded, code: 'DENGUE-NS1', name: 'Dengue NS1 antigen' }),
      KIN,
    );
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<LabTest>().answers.map((a) => a.fr)).toEqual(['Négatif', 'Positif']);
    const noAnswers = await admin.req('POST', '/api/lab/tests', localTest({ ...coded, answers: [] }), KIN);
    expect(fields(noAnswers)).toContain('answers');
    const wrongNormal = await admin.req(
      'POST',
      '/api/lab/tests',
      localTest({ ...coded, ranges: [{ ...coded.ranges[0], normalCodes: ['NEGATIVE'] }] }),
      KIN,
    );
    expect([wrongNormal.statusCode, fields(wrongNormal)]).toEqual([400, ['ranges.0.normalCodes.0']]);
  });

  it('a panel lists existing tests, not panels', async () => {
    const [k, glu, bmp] = await Promise.all([idOf('K'), idOf('GLU'), idOf('BMP')]);
    const panel = { kind: 'panel', unit: null, ranges: [], resultType: 'numeric' };
    const ok = await admin.req(
      'POST',
      '/api/lab/tests',
      localTest({ ...panel, code: 'KGLU', name: 'K and glucose', memberIds: [glu, k] }),
      KIN,
    );
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<LabTest>().members.map((m) => m.code)).toEqual(['GLU', 'K']);
    const nested = await admin.req('POST', '/api/lab/tests', localTest({ ...panel, memberIds: [k, bmp] }), KIN);
    expect([nested.statusCode, fields(nested)]).toEqual([400, ['memberIds.1']]);
    const missing = await admin.req(
      'POST',
      '/api/lab/tests',
      localTest({ ...panel, memberIds: ['00000000-0000-4000-8000-000000000000'] }),
      KIN,
    );
    expect([missing.statusCode, fields(missing)]).toEqual([400, ['memberIds.0']]);
    const empty = await admin.req('POST', '/api/lab/tests', localTest({ ...panel, memberIds: [] }), KIN);
    expect([empty.statusCode, fields(empty)]).toEqual([400, ['memberIds']]);
    const testWithMembers = await admin.req('POST', '/api/lab/tests', localTest({ memberIds: [k] }), KIN);
    expect([testWithMembers.statusCode, fields(testWithMembers)]).toEqual([400, ['memberIds']]);
  });

  it('edit with the version read: each change a revision with before and after; a stale version is 409', async () => {
    const id = await idOf('GLU');
    const before = (await doctor.req('GET', `/api/lab/tests/${id}`, undefined, KIN)).json<LabTest>();
    const ranges = before.ranges.map((r) => (r.ageMinDays === 30 ? { ...r, high: 5.5 } : r));
    const edit = await admin.req('PATCH', `/api/lab/tests/${id}`, { version: 1, ranges, turnaroundHours: 2 }, KIN);
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({ version: 2, turnaroundHours: 2 });
    const stale = await admin.req('PATCH', `/api/lab/tests/${id}`, { version: 1, turnaroundHours: 3 }, KIN);
    expect([stale.statusCode, codeOf(stale)]).toEqual([409, 'STALE_VERSION']);
    const history = await admin.req('GET', `/api/lab/tests/${id}/revisions`, undefined, KIN);
    expect(history.statusCode, history.body).toBe(200);
    const [rev] = history.json<LabTestRevisionList>().data;
    expect(rev).toMatchObject({ version: 2, by: { id: admin.userId } });
    expect(rev!.changes.turnaroundHours).toEqual({ before: 4, after: 2 });
    expect(rev!.changes.ranges).toEqual({ before: before.ranges, after: ranges });
    expect(Object.keys(rev!.changes).sort()).toEqual(['ranges', 'turnaroundHours']);
    // a shipped test keeps its code; a unit that is not UCUM is refused on edit too
    const code = await admin.req('PATCH', `/api/lab/tests/${id}`, { version: 2, code: 'GLUC' }, KIN);
    expect([code.statusCode, fields(code)]).toEqual([400, ['code']]);
    const unit = await admin.req('PATCH', `/api/lab/tests/${id}`, { version: 2, unit: 'mg/decilitre' }, KIN);
    expect([unit.statusCode, codeOf(unit)]).toEqual([400, 'LAB_UNIT_INVALID']);
    // nothing changed: no new version
    const same = await admin.req('PATCH', `/api/lab/tests/${id}`, { version: 2, turnaroundHours: 2 }, KIN);
    expect(same.json()).toMatchObject({ version: 2 });
  });

  it('a local test created has its first revision', async () => {
    const created = await admin.req('POST', '/api/lab/tests', localTest({ code: 'SE', name: 'Selenium', unit: 'umol/L' }), KIN);
    const history = await admin.req('GET', `/api/lab/tests/${created.json<LabTest>().id}/revisions`, undefined, KIN);
    const [rev] = history.json<LabTestRevisionList>().data;
    expect(rev).toMatchObject({ version: 1 });
    expect(rev!.changes.code).toEqual({ before: null, after: 'SE' });
  });
});

describe('prices and settings', () => {
  it("a clinic's price, exact, in the clinic's currency; another clinic sees none; null removes it", async () => {
    const id = await idOf('CBC');
    const set = await admin.req('PUT', `/api/lab/tests/${id}/price`, { price: '1500.5' }, KIN);
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ price: '1500.50', currency: 'USD' });
    expect((await search(doctor, 'q=CBC'))[0]).toMatchObject({ code: 'CBC', price: '1500.50', currency: 'USD' });
    const goma = await gomaDoctor.req('GET', `/api/lab/tests/${id}`, undefined, GOM);
    expect(goma.json()).toMatchObject({ price: null, currency: null });
    const bad = await admin.req('PUT', `/api/lab/tests/${id}/price`, { price: '12.345' }, KIN);
    expect([bad.statusCode, [...new Set(fields(bad))]]).toEqual([400, ['price']]);
    const removed = await admin.req('PUT', `/api/lab/tests/${id}/price`, { price: null }, KIN);
    expect(removed.json()).toMatchObject({ price: null, currency: null });
    const nurseSets = await nurse.req('PUT', `/api/lab/tests/${id}/price`, { price: '1' }, KIN);
    expect(nurseSets.statusCode).toBe(403);
  });

  it('the escalation minutes of a critical value: the default, then the clinic’s own', async () => {
    const get = async (s: Session, h: Record<string, string>) =>
      (await s.req('GET', '/api/lab/settings', undefined, h)).json<LabSettings>();
    expect(await get(doctor, KIN)).toEqual({ criticalEscalationMinutes: 15 });
    const put = await admin.req('PUT', '/api/lab/settings', { criticalEscalationMinutes: 30 }, KIN);
    expect(put.statusCode, put.body).toBe(200);
    expect(await get(nurse, KIN)).toEqual({ criticalEscalationMinutes: 30 });
    expect(await get(gomaDoctor, GOM)).toEqual({ criticalEscalationMinutes: 15 });
    const nursePuts = await nurse.req('PUT', '/api/lab/settings', { criticalEscalationMinutes: 5 }, KIN);
    expect(nursePuts.statusCode).toBe(403);
    const zero = await admin.req('PUT', '/api/lab/settings', { criticalEscalationMinutes: 0 }, KIN);
    expect([zero.statusCode, fields(zero)]).toEqual([400, ['criticalEscalationMinutes']]);
  });
});

describe('who may', () => {
  it('clinical staff read the catalogue; only administrators edit it or read its history; a patient reads none', async () => {
    const id = await idOf('K');
    expect((await nurse.req('GET', `/api/lab/tests/${id}`, undefined, KIN)).statusCode).toBe(200);
    expect((await doctor.req('POST', '/api/lab/tests', localTest(), KIN)).statusCode).toBe(403);
    expect((await doctor.req('PATCH', `/api/lab/tests/${id}`, { version: 1, name: 'x' }, KIN)).statusCode).toBe(403);
    expect((await doctor.req('GET', `/api/lab/tests/${id}/revisions`, undefined, KIN)).statusCode).toBe(403);
    expect((await patient.req('GET', '/api/lab/tests')).statusCode).toBe(403);
    expect((await patient.req('GET', `/api/lab/tests/${id}`)).statusCode).toBe(403);
    expect((await admin.req('GET', '/api/lab/tests/00000000-0000-4000-8000-000000000000', undefined, KIN)).statusCode).toBe(404);
  });
});
