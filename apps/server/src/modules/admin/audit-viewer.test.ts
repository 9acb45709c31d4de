import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type Session, type TestContext } from '../../../test/helpers.ts';

let ctx: TestContext;
let admin: Session;
let doctor: Session;

interface Row {
  action: string;
  actorName: string | null;
  patientId: string | null;
  patientName: string | null;
  patientMrn: string | null;
}

const page = async (query: string) => {
  const res = await admin.req('GET', `/api/admin/audit?limit=200${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ data: Row[] }>().data;
};

beforeAll(async () => {
  ctx = await createTestContext();
  [admin, doctor] = await Promise.all([ctx.login('admin@sanita.test'), ctx.login('doctor@sanita.test')]);
  // the doctor's browser renews its session a few times, and reads a patient
  for (let i = 0; i < 3; i++) {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      cookies: { sanita_refresh: doctor.cookies.sanita_refresh!, sanita_csrf: doctor.cookies.sanita_csrf! },
      headers: { 'x-csrf-token': doctor.cookies.sanita_csrf! },
    });
    expect(res.statusCode, res.body).toBe(200);
    doctor.cookies.sanita_refresh = res.cookies.find((c) => c.name === 'sanita_refresh')?.value ?? doctor.cookies.sanita_refresh!;
  }
  expect((await doctor.req('GET', `/api/patients/${ctx.ids.kinPatient}`)).statusCode).toBe(200);
});
afterAll(() => ctx?.close());

describe('the audit viewer', () => {
  it('hides session renewals by default, shows them on request or when asked for by action', async () => {
    expect((await page('')).some((r) => r.action === 'auth.refresh')).toBe(false);
    expect((await page('&sessionRenewals=show')).filter((r) => r.action === 'auth.refresh').length).toBeGreaterThanOrEqual(3);
    const only = await page('&action=auth.refresh');
    expect(only.length).toBeGreaterThanOrEqual(3);
    expect(only.every((r) => r.action === 'auth.refresh')).toBe(true);
    const bad = await admin.req('GET', '/api/admin/audit?sessionRenewals=sometimes');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('sessionRenewals');
  });

  it("names each row's patient (name and MRN) and finds a patient by MRN or name, a user by name", async () => {
    const p = (
      await ctx.sql.query<{ mrn: string; given_name: string; family_name: string }>(
        'SELECT mrn, given_name, family_name FROM patients WHERE id = $1',
        [ctx.ids.kinPatient],
      )
    ).rows[0]!;
    const byMrn = await page(`&patient=${encodeURIComponent(p.mrn)}`);
    expect(byMrn.length).toBeGreaterThan(0);
    expect(byMrn.every((r) => r.patientId === ctx.ids.kinPatient)).toBe(true);
    expect(byMrn[0]).toMatchObject({ patientMrn: p.mrn, patientName: expect.stringContaining(p.family_name) });
    const byName = await page(`&patient=${encodeURIComponent(`${p.family_name.toUpperCase()} ${p.given_name}`)}`);
    expect(byName.map((r) => r.patientId)).toContain(ctx.ids.kinPatient);
    const read = byName.find((r) => r.action === 'patient.read' && r.actorName === 'Dr Amani Mukendi');
    expect(read).toBeDefined();
    const byUser = await page('&actor=mukendi');
    expect(byUser.length).toBeGreaterThan(0);
    expect(byUser.every((r) => r.actorName === 'Dr Amani Mukendi')).toBe(true);
    expect(await page('&patient=nobody-by-this-name')).toEqual([]);
  });
});
