import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticator } from 'otplib';
import { auditSince, cookiesOf, createTestContext, lastAuditId, TEST_PASSWORD, type TestContext } from '../../../test/helpers.ts';
import { startSmtp, tokenFrom } from '../../../test/smtp.ts';

let ctx: TestContext;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  smtp = await startSmtp();
  ctx = await createTestContext({ smtpUrl: smtp.url, lockoutThreshold: 5 });
});
afterAll(async () => {
  await ctx.close();
  await smtp.close();
});

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url, payload: payload as object, headers });

function refreshWith(cookies: Record<string, string>, csrf = cookies.sanita_csrf) {
  return ctx.app.inject({
    method: 'POST',
    url: '/api/auth/refresh',
    cookies: { sanita_refresh: cookies.sanita_refresh!, sanita_csrf: cookies.sanita_csrf! },
    headers: csrf ? { 'x-csrf-token': csrf } : {},
  });
}

describe('login', () => {
  it('returns an access token, the user with permissions, and HttpOnly Secure refresh cookie scoped to /api/auth', async () => {
    const res = await post('/api/auth/login', { email: 'doctor@sanita.test', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user.email).toBe('doctor@sanita.test');
    expect(body.user.permissions).toContain('patients:read');
    expect(body.user.clinics.map((c: { code: string }) => c.code)).toEqual(['KIN']);
    const refresh = res.cookies.find((c) => c.name === 'sanita_refresh')!;
    expect(refresh.httpOnly).toBe(true);
    expect(refresh.secure).toBe(true);
    expect(refresh.sameSite).toBe('Strict');
    expect(refresh.path).toBe('/api/auth');
    const me = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${body.accessToken}` },
    });
    expect(me.json().roles).toEqual(['doctor']);
  });

  it('puts a multi-site user in the first clinic by default, and in another with X-Clinic-Id', async () => {
    const admin = await ctx.login('admin@sanita.test');
    expect((await admin.req('GET', '/api/auth/me')).json().clinicId).toBe(ctx.ids.kin);
    expect((await admin.req('GET', `/api/patients/${ctx.ids.kinPatient}`)).statusCode).toBe(200);
    const atGoma = await admin.req('GET', '/api/auth/me', undefined, { 'x-clinic-id': ctx.ids.gom });
    expect(atGoma.json().clinicId).toBe(ctx.ids.gom);
  });

  it('answers unknown users and wrong passwords identically (no enumeration), and audits both', async () => {
    const since = await lastAuditId(ctx.sql);
    const a = await post('/api/auth/login', { email: 'nobody@sanita.test', password: 'whatever-123' });
    const b = await post('/api/auth/login', { email: 'nurse@sanita.test', password: 'wrong-password-1' });
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json()).toEqual(b.json());
    const rows = await auditSince(ctx.sql, since);
    expect(rows.filter((r) => r.action === 'auth.login' && r.outcome === 'failure')).toHaveLength(2);
  });

  it('locks the account after 5 failures, even for the right password, and audits the lockout', async () => {
    const since = await lastAuditId(ctx.sql);
    for (let i = 0; i < 5; i++)
      expect((await post('/api/auth/login', { email: 'optician@sanita.test', password: `bad-password-${i}` })).statusCode).toBe(
        401,
      );
    const res = await post('/api/auth/login', { email: 'optician@sanita.test', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(401);
    const actions = (await auditSince(ctx.sql, since)).map((r) => `${r.action}:${r.outcome}`);
    expect(actions).toContain('auth.lockout:denied');
    expect(actions.at(-1)).toBe('auth.login:denied');
    // an administrator lifts the lockout
    const admin = await ctx.login('admin@sanita.test');
    expect((await admin.req('POST', `/api/admin/users/${ctx.ids.users['optician@sanita.test']}/unlock`)).statusCode).toBe(200);
    expect((await post('/api/auth/login', { email: 'optician@sanita.test', password: TEST_PASSWORD })).statusCode).toBe(200);
  });
});

describe('refresh tokens', () => {
  it('rotates on every use, needs the CSRF header, and revokes the whole session when a spent token is replayed', async () => {
    const login = await post('/api/auth/login', { email: 'nurse@sanita.test', password: TEST_PASSWORD });
    const first = cookiesOf(login);
    expect((await refreshWith(first, '')).statusCode).toBe(403);
    expect((await refreshWith(first, 'wrong')).json().error.code).toBe('CSRF_FAILED');

    const r1 = await refreshWith(first);
    expect(r1.statusCode).toBe(200);
    const second = { ...first, ...cookiesOf(r1) };
    expect(second.sanita_refresh).not.toBe(first.sanita_refresh);
    const access = r1.json().accessToken as string;

    // the first token again: an attacker's copy. The family dies, including the fresh token.
    const replay = await refreshWith(first);
    expect(replay.statusCode).toBe(401);
    expect((await refreshWith(second)).statusCode).toBe(401);
    const me = await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${access}` } });
    expect(me.statusCode).toBe(401);
    const { rows } = await ctx.sql.query(`SELECT 1 FROM audit_log WHERE action = 'auth.refresh_reuse'`);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('logout ends the session at once: the access token stops working on the next request', async () => {
    const s = await ctx.login('cashier@sanita.test');
    expect((await s.req('GET', '/api/auth/me')).statusCode).toBe(200);
    const out = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${s.token}`, 'x-csrf-token': s.cookies.sanita_csrf! },
      cookies: { sanita_csrf: s.cookies.sanita_csrf!, sanita_refresh: s.cookies.sanita_refresh! },
    });
    expect(out.statusCode).toBe(200);
    expect((await s.req('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await refreshWith(s.cookies)).statusCode).toBe(401);
  });
});

describe('sessions', () => {
  it('lists my sessions with the current one marked, and revokes one or all others', async () => {
    const a = await ctx.login('pharmacist@sanita.test');
    const b = await ctx.login('pharmacist@sanita.test');
    const list = (await a.req('GET', '/api/auth/sessions')).json().data as { id: string; current: boolean }[];
    expect(list.length).toBeGreaterThanOrEqual(2);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    const other = list.find((s) => !s.current)!;
    expect((await a.req('DELETE', `/api/auth/sessions/${other.id}`)).statusCode).toBe(200);
    expect((await b.req('GET', '/api/auth/me')).statusCode).toBe(401);
    const c = await ctx.login('pharmacist@sanita.test');
    expect((await a.req('DELETE', '/api/auth/sessions')).json().revoked).toBeGreaterThanOrEqual(1);
    expect((await c.req('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await a.req('GET', '/api/auth/me')).statusCode).toBe(200);
    // someone else's session id is not mine to revoke
    const d = await ctx.login('nurse@sanita.test');
    const dSession = ((await d.req('GET', '/api/auth/sessions')).json().data as { id: string; current: boolean }[]).find(
      (s) => s.current,
    )!;
    expect((await a.req('DELETE', `/api/auth/sessions/${dSession.id}`)).statusCode).toBe(404);
    expect((await d.req('GET', '/api/auth/me')).statusCode).toBe(200);
  });

  it('applies deactivation and role changes on the very next request', async () => {
    const admin = await ctx.login('admin@sanita.test');
    const sec = await ctx.login('secretary@sanita.test');
    expect((await sec.req('GET', `/api/patients/${ctx.ids.kinPatient}`)).statusCode).toBe(200);
    // remove patients:read from the secretary role
    const roles = (await admin.req('GET', '/api/admin/roles')).json().roles as { id: string; permissions: string[] }[];
    const secretary = roles.find((r) => r.id === 'secretary')!;
    const put = await admin.req('PUT', '/api/admin/roles/secretary', {
      permissions: secretary.permissions.filter((p) => p !== 'patients:read'),
      requireMfa: false,
    });
    expect(put.statusCode).toBe(200);
    expect((await sec.req('GET', `/api/patients/${ctx.ids.kinPatient}`)).statusCode).toBe(403);
    await admin.req('PUT', '/api/admin/roles/secretary', { permissions: secretary.permissions, requireMfa: false });
    expect((await sec.req('GET', `/api/patients/${ctx.ids.kinPatient}`)).statusCode).toBe(200);
    const deact = await admin.req('PATCH', `/api/admin/users/${sec.userId}`, { active: false });
    expect(deact.statusCode).toBe(200);
    expect((await sec.req('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await post('/api/auth/login', { email: 'secretary@sanita.test', password: TEST_PASSWORD })).statusCode).toBe(401);
  });
});

describe('cached principals', () => {
  const me = (u: { req: (m: string, url: string) => Promise<{ statusCode: number }> }) => u.req('GET', '/api/auth/me');

  it('drop a session revoked, a user deactivated or a role changed by another node (plain SQL here) once it commits', async () => {
    const nurse = await ctx.login('nurse@sanita.test');
    expect((await me(nurse)).statusCode).toBe(200); // now cached
    await ctx.sql.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1`, [nurse.userId]);
    await ctx.app.services.auth.syncPrincipals();
    expect((await me(nurse)).statusCode).toBe(401);

    const pharmacist = await ctx.login('pharmacist@sanita.test');
    const read = () => pharmacist.req('GET', `/api/patients/${ctx.ids.kinPatient}`);
    expect((await read()).statusCode).toBe(200);
    await ctx.sql.query(`DELETE FROM role_permissions WHERE role_id = 'pharmacist' AND permission_id = 'patients:read'`);
    await ctx.app.services.auth.syncPrincipals();
    expect((await read()).statusCode).toBe(403);
    await ctx.sql.query(`INSERT INTO role_permissions (role_id, permission_id) VALUES ('pharmacist', 'patients:read')`);
    await ctx.app.services.auth.syncPrincipals();
    expect((await read()).statusCode).toBe(200);

    await ctx.sql.query(`UPDATE users SET active = false WHERE id = $1`, [pharmacist.userId]);
    await ctx.app.services.auth.syncPrincipals();
    expect((await me(pharmacist)).statusCode).toBe(401);
    await ctx.sql.query(`UPDATE users SET active = true WHERE id = $1`, [pharmacist.userId]);
  });

  it('follow a membership moved to another clinic with plain SQL', async () => {
    const cashier = await ctx.login('cashier@sanita.test');
    expect((await cashier.req('GET', '/api/auth/me')).json().clinicId).toBe(ctx.ids.kin);
    await ctx.sql.query(`UPDATE memberships SET clinic_id = $1 WHERE user_id = $2`, [ctx.ids.gom, cashier.userId]);
    await ctx.app.services.auth.syncPrincipals();
    expect((await cashier.req('GET', '/api/auth/me')).json().clinicId).toBe(ctx.ids.gom);
    await ctx.sql.query(`UPDATE memberships SET clinic_id = $1 WHERE user_id = $2`, [ctx.ids.kin, cashier.userId]);
  });

  it('are bypassed while the listening connection is down, and used again once it is back', async () => {
    const lab = await ctx.login('lab_technician@sanita.test');
    expect((await me(lab)).statusCode).toBe(200);
    // the listener's backend is killed: changes can no longer be heard, so nothing may be served from memory
    await ctx.sql.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN sanita_auth'`,
    );
    await expect.poll(() => ctx.app.services.auth.principalCacheSize(), { timeout: 5000 }).toBe(-1);
    // a revocation during the outage applies on the next request, with no notification at all
    await ctx.sql.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1`, [lab.userId]);
    expect((await me(lab)).statusCode).toBe(401);
    await expect.poll(() => ctx.app.services.auth.principalCacheSize(), { timeout: 10_000 }).toBeGreaterThanOrEqual(0);
    const again = await ctx.login('lab_technician@sanita.test');
    expect((await me(again)).statusCode).toBe(200);
    expect(ctx.app.services.auth.principalCacheSize()).toBeGreaterThan(0);
  });
});

describe('two-factor authentication', () => {
  it('enrolls with a QR code, then needs a code at login; a code works once; recovery codes work once', async () => {
    const s = await ctx.login('lab_technician@sanita.test');
    const setup = await s.req('POST', '/api/auth/2fa/setup');
    expect(setup.statusCode).toBe(200);
    const { secret, qrDataUrl, otpauthUrl } = setup.json();
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(otpauthUrl).toContain('otpauth://totp/Sanita');
    expect((await s.req('POST', '/api/auth/2fa/enable', { code: '000000' })).statusCode).toBe(400);
    const enable = await s.req('POST', '/api/auth/2fa/enable', { code: authenticator.generate(secret) });
    expect(enable.statusCode).toBe(200);
    const recovery = enable.json().recoveryCodes as string[];
    expect(recovery).toHaveLength(10);

    const noCode = await post('/api/auth/login', { email: 'lab_technician@sanita.test', password: TEST_PASSWORD });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().error.code).toBe('MFA_REQUIRED');
    // the enrollment code's time step was spent: the same code is refused (replay)
    const replay = await post('/api/auth/login', {
      email: 'lab_technician@sanita.test',
      password: TEST_PASSWORD,
      totp: authenticator.generate(secret),
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('INVALID_MFA_CODE');

    const withRecovery = await post('/api/auth/login', {
      email: 'lab_technician@sanita.test',
      password: TEST_PASSWORD,
      recoveryCode: recovery[0]!.toLowerCase(),
    });
    expect(withRecovery.statusCode).toBe(200);
    const again = await post('/api/auth/login', {
      email: 'lab_technician@sanita.test',
      password: TEST_PASSWORD,
      recoveryCode: recovery[0],
    });
    expect(again.statusCode).toBe(401);
    const { rows } = await ctx.sql.query(`SELECT action FROM audit_log WHERE actor_user_id = $1 AND action LIKE 'auth.%'`, [
      s.userId,
    ]);
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['auth.2fa_enable', 'auth.recovery_code_used']));
  });

  it('a role that requires 2FA blocks everything but enrollment until the user enrolls', async () => {
    const admin = await ctx.login('admin@sanita.test');
    const roles = (await admin.req('GET', '/api/admin/roles')).json().roles as { id: string; permissions: string[] }[];
    const acc = roles.find((r) => r.id === 'accountant')!;
    await admin.req('PUT', '/api/admin/roles/accountant', { permissions: acc.permissions, requireMfa: true });
    const s = await ctx.login('accountant@sanita.test');
    expect((await s.req('GET', '/api/auth/me')).json().mfaEnrollmentRequired).toBe(true);
    const blocked = await s.req('GET', `/api/patients?q=mbuyi`);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('MFA_ENROLLMENT_REQUIRED');
    const { secret } = (await s.req('POST', '/api/auth/2fa/setup')).json();
    expect((await s.req('POST', '/api/auth/2fa/enable', { code: authenticator.generate(secret) })).statusCode).toBe(200);
    expect((await s.req('GET', `/api/patients?q=mbuyi`)).statusCode).toBe(200);
  });
});

describe('password reset, invitations and self-registration by real email', () => {
  it('emails a single-use reset link; the new password works and old sessions end', async () => {
    const old = await ctx.login('manager@sanita.test');
    const ask = await post('/api/auth/password/forgot', { email: 'manager@sanita.test' });
    const askUnknown = await post('/api/auth/password/forgot', { email: 'ghost@sanita.test' });
    expect(ask.statusCode).toBe(202);
    expect(askUnknown.statusCode).toBe(202);
    expect(askUnknown.body).toBe(ask.body);
    const mail = await smtp.waitFor('manager@sanita.test');
    const token = tokenFrom(mail, '/reset-password');
    expect((await post('/api/auth/password/reset', { token, password: 'password' })).json().error.details[0].field).toBe(
      'password',
    );
    expect((await post('/api/auth/password/reset', { token, password: 'A-much-better-pass-42' })).statusCode).toBe(200);
    expect((await post('/api/auth/password/reset', { token, password: 'Another-good-pass-43' })).statusCode).toBe(400);
    expect((await old.req('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await post('/api/auth/login', { email: 'manager@sanita.test', password: 'A-much-better-pass-42' })).statusCode).toBe(
      200,
    );
  });

  it('invites a staff member who chooses a password from the emailed link and then signs in', async () => {
    const admin = await ctx.login('admin@sanita.test');
    const res = await admin.req('POST', '/api/admin/users', {
      email: 'new.doctor@sanita.test',
      displayName: 'Dr Nouvelle Arrivée',
      locale: 'fr',
      memberships: [{ clinicId: ctx.ids.kin, role: 'doctor' }],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().invitationPending).toBe(true);
    const mail = await smtp.waitFor('new.doctor@sanita.test');
    expect(mail.text).toContain('Un administrateur vous a créé un compte Sanita');
    const token = tokenFrom(mail, '/accept-invitation');
    expect((await post('/api/auth/invitations/accept', { token, password: 'Bienvenue-2026-Kin' })).statusCode).toBe(200);
    const login = await post('/api/auth/login', { email: 'new.doctor@sanita.test', password: 'Bienvenue-2026-Kin' });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.roles).toEqual(['doctor']);
  });

  it('lets a patient self-register, requires email verification, and hides whether an email is taken', async () => {
    const body = {
      email: 'self.reg@example.cd',
      password: 'Ma-sante-2026',
      givenName: 'Aimée',
      familyName: 'Kapinga',
      birthDate: '1992-04-03',
      sex: 'female',
      clinicId: ctx.ids.kin,
      locale: 'fr',
    };
    expect((await post('/api/auth/register', body)).statusCode).toBe(202);
    const dup = await post('/api/auth/register', { ...body, password: 'Autre-mot-2026' });
    expect(dup.statusCode).toBe(202);
    expect((await post('/api/auth/register', { ...body, email: 'x@example.cd', password: '12345678' })).statusCode).toBe(400);
    const denied = await post('/api/auth/login', { email: body.email, password: body.password });
    expect(denied.json().error.code).toBe('EMAIL_NOT_VERIFIED');
    const first = await smtp.waitFor('self.reg@example.cd');
    const second = await smtp.waitFor('self.reg@example.cd');
    const verifyMail = [first, second].find((m) => m.text.includes('/verify-email'))!;
    expect([first, second].some((m) => m.text.includes('déjà'))).toBe(true);
    expect((await post('/api/auth/verify-email', { token: tokenFrom(verifyMail, '/verify-email') })).statusCode).toBe(200);
    const ok = await post('/api/auth/login', { email: body.email, password: body.password });
    expect(ok.statusCode).toBe(200);
    const me = await ctx.app.inject({
      method: 'GET',
      url: '/api/portal/me',
      headers: { authorization: `Bearer ${ok.json().accessToken}` },
    });
    expect(me.json()).toMatchObject({ givenName: 'Aimée', familyName: 'Kapinga', mrn: expect.stringMatching(/^KIN-/) });
  });

  it('rejects common passwords at every place a password is chosen', async () => {
    const s = await ctx.login('insurer@sanita.test');
    const res = await s.req('POST', '/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'qwertyuiop' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ field: 'newPassword' });
  });
});

describe('rate limits', () => {
  const stores: [string, string | undefined][] = [['in-process counters', undefined]];
  if (process.env.REDIS_URL) stores.push(['Redis counters shared by API nodes', process.env.REDIS_URL]);

  it.each(stores)('limits auth routes per IP (%s)', async (_label, redisUrl) => {
    const limited = await createTestContext({ authRateLimitPerMinute: 3, redisUrl });
    // a second node on the same Redis shares the counters
    const ip = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        codes.push(
          (
            await limited.app.inject({
              method: 'POST',
              url: '/api/auth/password/forgot',
              payload: { email: 'a@b.cd' },
              remoteAddress: ip,
            })
          ).statusCode,
        );
      }
      expect(codes).toEqual([202, 202, 202, 429, 429]);
      // each auth route has its own budget per IP: login attempts are limited too
      const logins: number[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await limited.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'a@b.cd', password: 'x' },
          remoteAddress: ip,
        });
        logins.push(r.statusCode);
        if (r.statusCode === 429) expect(r.json().error.code).toBe('RATE_LIMITED');
      }
      expect(logins).toEqual([401, 401, 401, 429]);
      const other = await limited.app.inject({
        method: 'POST',
        url: '/api/auth/password/forgot',
        payload: { email: 'a@b.cd' },
        remoteAddress: `${ip}9`.slice(0, 15),
      });
      expect(other.statusCode).toBe(202);
    } finally {
      await limited.close();
    }
  });
});
