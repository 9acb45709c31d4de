import { afterAll, beforeAll, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/helpers.ts';

let ctx: TestContext;
beforeAll(async () => { ctx = await createTestContext(); });
afterAll(async () => { await ctx.close(); });

it('explore', async () => {
  console.log(ctx.app.printRoutes({ commonPrefix: false }));
  const { rows } = await ctx.sql.query(`SELECT p.mrn, p.given_name, p.middle_name, p.family_name, p.birth_date, p.phones, p.national_id_enc IS NOT NULL nid, array_agg(c.code) clinics FROM patients p JOIN patient_clinics pc ON pc.patient_id=p.id JOIN clinics c ON c.id=pc.clinic_id GROUP BY p.id ORDER BY p.mrn`);
  console.table(rows);
  const r = await ctx.sql.query(`SELECT * FROM role_permissions ORDER BY 1,2`);
  console.log(r.rows.length);
  const a = await ctx.login('admin@sanita.test');
  for (const [m, u, b, h] of [
    ['POST', '/api/patients', '{"a":', { 'content-type': 'application/json' }],
    ['POST', '/api/patients', 'hello', { 'content-type': 'text/plain' }],
    ['POST', '/api/patients', JSON.stringify({ x: 'a'.repeat(300000) }), { 'content-type': 'application/json' }],
    ['POST', '/api/patients', { givenName: 1, foo: 2 }, {}],
    ['GET', '/api/patients/abc', undefined, {}],
    ['GET', '/api/patients?foo=1', undefined, {}],
    ['GET', '/api/patients?limit=abc', undefined, {}],
    ['POST', '/api/auth/2fa/setup', undefined, {}],
    ['POST', '/api/admin/audit/verify', '', {'content-type': 'application/json'}],
    ['POST', '/api/admin/users/00000000-0000-0000-0000-000000000000/unlock', '{"a":', {'content-type': 'application/json'}],
    ['DELETE', '/api/auth/sessions', '{"a":', {'content-type': 'application/json'}],
    ['GET', '/api/patients/duplicates?givenName=a', undefined, {}],
    ['PUT', '/api/admin/roles/NOPE', {permissions: [], requireMfa: false}, {}],
  ] as const) {
    const res = await ctx.app.inject({ method: m as 'GET', url: u, headers: { authorization: `Bearer ${a.token}`, ...h }, ...(b !== undefined ? { payload: b as string } : {}) });
    console.log(m, u.slice(0, 60), res.statusCode, res.body.slice(0, 400));
  }
});
