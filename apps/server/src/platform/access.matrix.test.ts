import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSince, lastAuditId, type TestContext } from '../../test/helpers.ts';
import {
  actorNamed,
  actors,
  anyUuid,
  call,
  sessionOf,
  startMatrix,
  targets,
  patientIds,
  versionOf,
  type Actor,
  type AuditRow,
  type MatrixSection,
  type PlainRoute,
} from '../../test/matrix.ts';
import { modules } from '../modules/index.ts';
import { canRead, canWrite } from '../modules/patients/patients.matrix.ts';

/**
 * The authorization matrix: every role (plus a doctor of the other clinic) against every /api
 * route, and for routes about one patient against the portal user's own patient, another patient
 * of Kinshasa and a patient registered only at Goma. Each module keeps its rows next to it
 * (`modules/<name>/<name>.matrix.ts`, referenced by its manifest); this file runs them all and
 * fails when a registered route has no row. Expectations come from the seeded role → permission
 * table, so the matrix stays true when that table changes; the spot checks at the end are written
 * out by hand so that a mistake in the rules cannot hide.
 */

const sections: { name: string; section: MatrixSection }[] = await Promise.all(
  modules.map(async (m) => ({
    name: m.name,
    section: m.matrix ? ((await import(m.matrix.href)) as { default: MatrixSection }).default : {},
  })),
);
const all = <T>(pick: (s: MatrixSection) => T[] | undefined): T[] => sections.flatMap(({ section }) => pick(section) ?? []);
const targetRoutes = all((s) => s.targetRoutes);
const plainRoutes = all((s) => s.routes);
/** Routes anyone may call without a token; everything else under /api needs one. */
const PUBLIC_ROUTES = new Set(all((s) => s.publicRoutes));

let ctx: TestContext;

beforeAll(async () => {
  ctx = await startMatrix();
  // each module's fixtures, in manifest order
  for (const { section } of sections) await section.setup?.();
});
afterAll(async () => {
  await ctx.close();
});

/** The audit rows this actor wrote since `since` for `action`. */
async function auditedAs(since: number, a: Actor, action: string): Promise<AuditRow[]> {
  const userId = sessionOf(a).userId;
  return (await auditSince(ctx.sql, since)).filter((r) => r.actor_user_id === userId && r.action === action);
}

function expectRefusal(res: { statusCode: number; json(): unknown }, status: number) {
  const body = res.json() as { error?: { code: string }; mrn?: unknown };
  expect(body.error?.code).toBe(status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : body.error?.code);
  expect(body.mrn).toBeUndefined();
  // a refusal says nothing about the patient
  expect(JSON.stringify(body)).not.toMatch(/"mrn"|"patient"/);
}

const urlOf = (r: PlainRoute) => (typeof r.url === 'function' ? r.url() : r.url);
const statusFor = (r: PlainRoute, v: ReturnType<PlainRoute['verdict']>) => (v === 'ok' ? (r.ok ?? 200) : v);

// ------------------------------------------------------------------ the matrix

describe('every /api route is in this matrix', () => {
  it('the OpenAPI document lists no route the matrix does not classify', () => {
    const doc = ctx.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const registered = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const classified = new Set([
      ...targetRoutes.map((r) => r.route),
      ...plainRoutes.map((r) => r.route),
      ...PUBLIC_ROUTES,
      ...all((s) => s.covers),
    ]);
    expect(registered.length).toBeGreaterThan(30);
    expect(registered.filter((r) => r.includes(' /api/') && !classified.has(r))).toEqual([]);
    // and nothing in the matrix is stale
    expect([...classified].filter((r) => !registered.includes(r))).toEqual([]);
  });

  it('every module with routes has rows here', () => {
    expect(modules.filter((m) => m.routes && !m.matrix).map((m) => m.name)).toEqual([]);
  });
});

/** it.each with a leading name column, so that test names read without quotes */
const named = <T>(cases: T[], name: (c: T) => string): [string, T][] => cases.map((c) => [name(c), c]);

describe.each(actors.map((a) => [a.label, a] as const))('%s', (_label, actor) => {
  const targetCases = targetRoutes.flatMap((r) => targets.map((target) => ({ ...r, target, status: r.verdict(actor, target) })));
  it.each(
    named(
      targetCases,
      (c) => `${c.route} on the ${c.target} patient → ${c.status}${c.status === 403 && c.forbiddenUnaudited ? '' : ', audited'}`,
    ),
  )('%s', async (_n, c) => {
    const id = patientIds()[c.target];
    const body = c.body ? await c.body(id) : undefined;
    const since = await lastAuditId(ctx.sql);
    const res = await call(actor, c.method, c.url(id, c.target), body);
    expect(res.statusCode, res.body).toBe(c.status);
    if (c.status !== 200) expectRefusal(res, c.status);
    else if (c.returnsTarget) expect(res.json().id).toBe(id);
    if (c.status === 403 && c.forbiddenUnaudited) return;
    const rows = await auditedAs(since, actor, c.action);
    const row = expect.objectContaining({ patient_id: id, outcome: c.status === 200 ? 'success' : 'denied' });
    if (c.auditOnce) expect(rows).toEqual([row]);
    else expect(rows).toContainEqual(row);
  });

  const plainCases = plainRoutes.map((r) => ({ ...r, status: statusFor(r, r.verdict(actor)) }));
  it.each(
    named(plainCases, (c) => `${c.route} → ${c.status}${c.action && (c.auditRefusals || c.status < 300) ? ', audited' : ''}`),
  )('%s', async (_n, c) => {
    const since = c.action ? await lastAuditId(ctx.sql) : 0;
    const res = await call(actor, c.method, urlOf(c), c.body?.());
    expect(res.statusCode, res.body).toBe(c.status);
    if (c.status === 403) expect(res.json().error.code).toBe('FORBIDDEN');
    if (c.status >= 400) expect(JSON.stringify(res.json())).not.toMatch(/"mrn"|"patient"/);
    if (!c.action) return;
    const rows = await auditedAs(since, actor, c.action);
    if (c.auditRefusals) {
      // patient data: every attempt is audited, refusals as denied
      expect(rows.length, `${c.action} audited`).toBeGreaterThan(0);
      if (c.status >= 400) {
        expectRefusal(res, c.status);
        expect(rows.every((r) => r.outcome === 'denied')).toBe(true);
        return;
      }
      expect(rows.every((r) => r.outcome === 'success')).toBe(true);
    } else {
      if (c.status >= 300) return;
      expect(rows, `${c.action} audited`).toHaveLength(1);
      expect(rows[0]!.outcome).toBe('success');
      // one patient's data: the row names them; lists name the patients shown in details
      if (!c.listAudit) expect(rows[0]!.patient_id).toBeTruthy();
    }
    c.check?.(res, rows);
  });

  for (const { section } of sections) section.tests?.(actor);
});

// ------------------------------------------------------------------ hand-written spot checks

describe('spot checks, written out by hand', () => {
  const as = (label: string) => actorNamed(label);

  it('a doctor reads a Kinshasa patient', async () => {
    const res = await call(as('doctor'), 'GET', `/api/patients/${ctx.ids.kinPatient}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(ctx.ids.kinPatient);
  });
  it('a pharmacist reads but cannot change a patient (403)', async () => {
    expect((await call(as('pharmacist'), 'GET', `/api/patients/${ctx.ids.kinPatient}`)).statusCode).toBe(200);
    const res = await call(as('pharmacist'), 'PATCH', `/api/patients/${ctx.ids.kinPatient}`, {
      version: await versionOf(ctx.ids.kinPatient),
      givenName: 'Changed',
    });
    expect(res.statusCode).toBe(403);
    const { rows } = await ctx.sql.query('SELECT given_name FROM patients WHERE id = $1', [ctx.ids.kinPatient]);
    expect(rows[0].given_name).not.toBe('Changed');
  });
  it('an insurer cannot read a patient record (403)', async () => {
    expect((await call(as('insurer'), 'GET', `/api/patients/${ctx.ids.kinPatient}`)).statusCode).toBe(403);
    expect((await call(as('insurer'), 'GET', '/api/patients?q=Mbuyi')).statusCode).toBe(403);
  });
  it('a patient cannot search (403) nor read another patient (404), but reads themself', async () => {
    expect((await call(as('patient'), 'GET', '/api/patients?q=Mbuyi')).statusCode).toBe(403);
    expect((await call(as('patient'), 'GET', `/api/patients/${ctx.ids.kinPatient}`)).statusCode).toBe(404);
    expect((await call(as('patient'), 'GET', `/api/patients/${ctx.ids.ownPatient}`)).statusCode).toBe(200);
    expect((await call(as('patient'), 'PATCH', `/api/patients/${ctx.ids.ownPatient}`, { version: 1 })).statusCode).toBe(403);
  });
  it('a Kinshasa doctor gets 404 for a Goma patient; the Goma doctor reads it', async () => {
    expect((await call(as('doctor'), 'GET', `/api/patients/${ctx.ids.gomPatient}`)).statusCode).toBe(404);
    expect((await call(as('doctor.goma'), 'GET', `/api/patients/${ctx.ids.gomPatient}`)).statusCode).toBe(200);
    expect((await call(as('doctor.goma'), 'GET', `/api/patients/${ctx.ids.kinPatient}`)).statusCode).toBe(404);
  });
  it('a receptionist registers (201); a cashier cannot (403) and nothing is created', async () => {
    const body = { givenName: 'Spot', familyName: 'Check', sex: 'male', birthDate: '1999-09-09', allowDuplicate: true };
    expect((await call(as('receptionist'), 'POST', '/api/patients', body)).statusCode).toBe(201);
    const count = async () => (await ctx.sql.query('SELECT count(*)::int AS n FROM patients')).rows[0].n as number;
    const before = await count();
    expect((await call(as('cashier'), 'POST', '/api/patients', body)).statusCode).toBe(403);
    expect(await count()).toBe(before);
  });
  it('a manager lists users but cannot invite; only admins edit the role matrix', async () => {
    expect((await call(as('manager'), 'GET', '/api/admin/users')).statusCode).toBe(200);
    expect(
      (
        await call(as('manager'), 'POST', '/api/admin/users', {
          email: 'spot.manager@sanita.test',
          displayName: 'X',
          memberships: [{ clinicId: ctx.ids.kin, role: 'nurse' }],
        })
      ).statusCode,
    ).toBe(403);
    expect((await call(as('doctor'), 'PUT', '/api/admin/roles/insurer', { permissions: [], requireMfa: false })).statusCode).toBe(
      403,
    );
  });
  it('the rules above agree with these spot checks', () => {
    expect(canRead(as('doctor'), 'other')).toBe(200);
    expect(canWrite(as('pharmacist'), 'other')).toBe(403);
    expect(canRead(as('insurer'), 'other')).toBe(403);
    expect(canRead(as('patient'), 'other')).toBe(404);
    expect(canRead(as('doctor'), 'gom')).toBe(404);
    expect(canRead(as('super_admin'), 'gom')).toBe(200);
    expect(canWrite(as('super_admin'), 'gom')).toBe(404);
  });
});

describe('the active clinic (X-Clinic-Id)', () => {
  it('refuses a clinic the user is not a member of with 403 CLINIC_FORBIDDEN', async () => {
    const doctor = sessionOf(actorNamed('doctor'));
    const since = await lastAuditId(ctx.sql);
    for (const clinic of [ctx.ids.gom, anyUuid, 'not-a-uuid']) {
      const res = await doctor.req('GET', `/api/patients/${ctx.ids.gomPatient}`, undefined, { 'x-clinic-id': clinic });
      expect(res.statusCode, clinic).toBe(403);
      expect(res.json().error.code).toBe('CLINIC_FORBIDDEN');
    }
    // each refusal is an audited access attempt; the patient was never looked at
    const { rows } = await ctx.sql.query(
      `SELECT action, outcome, actor_user_id, resource_id, patient_id, ip IS NOT NULL AS has_ip FROM audit_log WHERE id > $1 ORDER BY id`,
      [since],
    );
    expect(rows).toEqual(
      [ctx.ids.gom, anyUuid, 'not-a-uuid'].map((clinic) => ({
        action: 'access.clinic',
        outcome: 'denied',
        actor_user_id: doctor.userId,
        resource_id: clinic,
        patient_id: null,
        has_ip: true,
      })),
    );
  });

  it('lets an admin acting at Goma read the Goma patient, and not while acting at Kinshasa', async () => {
    const admin = sessionOf(actorNamed('admin'));
    const atGoma = await admin.req('GET', `/api/patients/${ctx.ids.gomPatient}`, undefined, { 'x-clinic-id': ctx.ids.gom });
    expect(atGoma.statusCode).toBe(200);
    expect(atGoma.json().id).toBe(ctx.ids.gomPatient);
    const atKin = await admin.req('GET', `/api/patients/${ctx.ids.gomPatient}`, undefined, { 'x-clinic-id': ctx.ids.kin });
    expect(atKin.statusCode).toBe(404);
    const search = await admin.req('GET', '/api/patients?q=Mbuyi', undefined, { 'x-clinic-id': ctx.ids.gom });
    expect((search.json().data as { primaryClinicId: string }[]).every((p) => p.primaryClinicId === ctx.ids.gom)).toBe(true);
  });

  it('lets a super admin read every clinic from Kinshasa but change a Goma record only while acting at Goma', async () => {
    const sa = sessionOf(actorNamed('super_admin'));
    const kin = { 'x-clinic-id': ctx.ids.kin };
    expect((await sa.req('GET', `/api/patients/${ctx.ids.gomPatient}`, undefined, kin)).statusCode).toBe(200);
    const body = async () => ({ version: await versionOf(ctx.ids.gomPatient), preferredLanguage: 'sw' });
    expect((await sa.req('PATCH', `/api/patients/${ctx.ids.gomPatient}`, await body(), kin)).statusCode).toBe(404);
    const atGoma = await sa.req('PATCH', `/api/patients/${ctx.ids.gomPatient}`, await body(), { 'x-clinic-id': ctx.ids.gom });
    expect(atGoma.statusCode).toBe(200);
    expect(atGoma.json().preferredLanguage).toBe('sw');
  });

  it('acts in the only clinic of a single-clinic user without the header', async () => {
    const doctor = sessionOf(actorNamed('doctor'));
    expect((await doctor.req('GET', `/api/patients/${ctx.ids.kinPatient}`)).statusCode).toBe(200);
    expect((await doctor.req('GET', '/api/auth/me')).json().clinicId).toBe(ctx.ids.kin);
  });
});

describe('without a token', () => {
  const operations = () => {
    const doc = ctx.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    return Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => ({ method: m.toUpperCase(), path: p, key: `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}` })),
    );
  };
  const concrete = (p: string) => p.replace('{id}', p.startsWith('/api/admin/roles') ? 'doctor' : anyUuid);

  it('every non-public /api route answers 401 and writes nothing', async () => {
    const ops = operations().filter((o) => o.path.startsWith('/api/') && !PUBLIC_ROUTES.has(o.key));
    expect(ops.length).toBeGreaterThan(25);
    const since = await lastAuditId(ctx.sql);
    for (const o of ops) {
      for (const authorization of [undefined, 'Bearer not-a-token', 'Basic YWRtaW46YWRtaW4=']) {
        const res = await ctx.app.inject({
          method: o.method as 'GET',
          url: concrete(o.path),
          headers: authorization ? { authorization } : {},
          ...(['POST', 'PUT', 'PATCH'].includes(o.method) ? { payload: {} } : {}),
        });
        expect(res.statusCode, `${o.key} ${authorization ?? 'no header'}`).toBe(401);
        expect(res.json().error.code).toBe(authorization === 'Bearer not-a-token' ? 'INVALID_TOKEN' : 'UNAUTHORIZED');
      }
    }
    const rows = await auditSince(ctx.sql, since);
    expect(rows.filter((r) => r.action.startsWith('patient.'))).toEqual([]);
  });

  it('public routes answer without a token (never "authentication required")', async () => {
    for (const key of PUBLIC_ROUTES) {
      const [method, path] = key.split(' ') as [string, string];
      const res = await ctx.app.inject({ method: method as 'GET', url: path, ...(method === 'POST' ? { payload: {} } : {}) });
      expect(res.statusCode, key).toBeLessThan(500);
      if (res.statusCode === 401) expect(res.json().error.code, key).not.toBe('UNAUTHORIZED');
    }
    const clinics = await ctx.app.inject({ method: 'GET', url: '/api/clinics' });
    expect(clinics.statusCode).toBe(200);
    expect((clinics.json().data as { code: string }[]).map((c) => c.code).sort()).toEqual(['GOM', 'KIN']);
  });

  it('a token stops working after logout, on every kind of route', async () => {
    const s = await ctx.login('nurse@sanita.test');
    const out = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${s.token}`, 'x-csrf-token': s.cookies.sanita_csrf! },
      cookies: { sanita_csrf: s.cookies.sanita_csrf!, sanita_refresh: s.cookies.sanita_refresh! },
    });
    expect(out.statusCode).toBe(200);
    for (const url of [`/api/patients/${ctx.ids.kinPatient}`, '/api/patients?q=Mbuyi', '/api/auth/me', '/api/portal/me']) {
      const res = await s.req('GET', url);
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error.code).toBe('INVALID_TOKEN');
    }
  });
});
