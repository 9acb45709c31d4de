import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, principalOf, type Principal } from '../../platform/access.ts';
import { randomToken } from '../../platform/crypto.ts';
import { Forbidden, NotFound, Unauthorized } from '../../platform/errors.ts';
import { errors, IdParams, Ok } from '@sanita/contracts/common';
import type { ClinicsService } from '../clinics/clinics.service.ts';
import type { AuthService, IssuedSession } from './auth.service.ts';
import * as S from '@sanita/contracts/auth';

const REFRESH_COOKIE = 'sanita_refresh';
const CSRF_COOKIE = 'sanita_csrf';

export interface AuthRoutesOptions {
  auth: AuthService;
  clinics: ClinicsService;
  refreshTtlDays: number;
  authRateLimitPerMinute: number;
}

export const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (app, opts) => {
  const { auth, clinics } = opts;
  const rateLimit = { max: opts.authRateLimitPerMinute, timeWindow: '1 minute' };
  const publicRoute = { auth: 'public' as const, rateLimit };

  async function me(p: Principal) {
    const clinicIds = [...new Set(p.memberships.map((m) => m.clinicId))];
    return {
      id: p.userId,
      email: p.email,
      displayName: p.displayName,
      locale: p.locale,
      patientId: p.patientId,
      mfaEnrolled: p.mfaEnrolled,
      mfaEnrollmentRequired: p.mfaEnrollmentRequired,
      clinicId: p.clinicId,
      roles: p.roles,
      permissions: [...p.permissions].sort(),
      memberships: p.memberships,
      clinics: (await clinics.list(clinicIds)).map(({ address: _a, ...c }) => c),
    };
  }

  function setSessionCookies(reply: FastifyReply, issued: IssuedSession) {
    const maxAge = opts.refreshTtlDays * 86_400;
    reply.setCookie(REFRESH_COOKIE, issued.refreshToken, {
      path: '/api/auth',
      httpOnly: true,
      secure: true,
      sameSite: 'strict',
      maxAge,
    });
    reply.setCookie(CSRF_COOKIE, randomToken(16), { path: '/', httpOnly: false, secure: true, sameSite: 'strict', maxAge });
  }

  function clearSessionCookies(reply: FastifyReply) {
    reply.clearCookie(REFRESH_COOKIE, { path: '/api/auth' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
  }

  /** Double-submit: the header must repeat the CSRF cookie, which another site cannot read. */
  function checkCsrf(req: FastifyRequest) {
    const cookie = req.cookies[CSRF_COOKIE];
    const header = req.headers['x-csrf-token'];
    if (!cookie || typeof header !== 'string' || header !== cookie)
      throw new Forbidden('Missing or wrong X-CSRF-Token header', 'CSRF_FAILED');
  }

  async function issuedResponse(req: FastifyRequest, reply: FastifyReply, issued: IssuedSession) {
    setSessionCookies(reply, issued);
    const clinic = req.headers['x-clinic-id'];
    const p = await auth
      .loadPrincipal(issued.sessionId, issued.userId, typeof clinic === 'string' && clinic ? clinic : undefined)
      .catch(() => auth.loadPrincipal(issued.sessionId, issued.userId, undefined));
    if (!p) throw new Unauthorized();
    return { accessToken: issued.accessToken, expiresIn: issued.expiresIn, user: await me(p) };
  }

  app.post(
    '/api/auth/login',
    {
      config: publicRoute,
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email, password and, when enrolled, a TOTP or recovery code',
        body: S.LoginBody,
        response: { 200: S.TokenResponse, ...errors(400, 401, 403, 429) },
      },
    },
    async (req, reply) => issuedResponse(req, reply, await auth.login(req.body, actorOf(req))),
  );

  app.post(
    '/api/auth/refresh',
    {
      config: publicRoute,
      schema: {
        tags: ['auth'],
        summary: 'Rotate the refresh cookie and get a new access token (needs X-CSRF-Token)',
        response: { 200: S.TokenResponse, ...errors(401, 403, 429) },
      },
    },
    async (req, reply) => {
      checkCsrf(req);
      const token = req.cookies[REFRESH_COOKIE];
      if (!token) throw new Unauthorized('No session', 'SESSION_ENDED');
      try {
        return await issuedResponse(req, reply, await auth.refresh(token, actorOf(req)));
      } catch (err) {
        clearSessionCookies(reply);
        throw err;
      }
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { auth: 'public' },
      schema: { tags: ['auth'], summary: 'End this session (needs X-CSRF-Token)', response: { 200: Ok, ...errors(403) } },
    },
    async (req, reply) => {
      checkCsrf(req);
      await auth.logout(req.cookies[REFRESH_COOKIE], req.principal, actorOf(req));
      clearSessionCookies(reply);
      return { ok: true };
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { allowWithoutMfa: true },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, their clinics and permissions',
        response: { 200: S.MeView, ...errors(401) },
      },
    },
    async (req) => me(principalOf(req)),
  );

  app.get(
    '/api/auth/sessions',
    {
      config: { allowWithoutMfa: true },
      schema: {
        tags: ['auth'],
        summary: 'My active sessions',
        response: { 200: S.SessionList },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const rows = await auth.listSessions(p);
      return {
        data: rows.map((s) => ({
          ...s,
          createdAt: s.createdAt.toISOString(),
          lastSeenAt: s.lastSeenAt.toISOString(),
          current: s.id === p.sessionId,
        })),
      };
    },
  );

  app.delete(
    '/api/auth/sessions/:id',
    {
      config: { allowWithoutMfa: true },
      schema: { tags: ['auth'], summary: 'Revoke one of my sessions', params: IdParams, response: { 200: Ok, ...errors(404) } },
    },
    async (req) => {
      if (!(await auth.revokeSession(principalOf(req), req.params.id, actorOf(req))))
        throw new NotFound('No such active session');
      return { ok: true };
    },
  );

  app.delete(
    '/api/auth/sessions',
    {
      config: { allowWithoutMfa: true },
      schema: {
        tags: ['auth'],
        summary: 'Revoke all my other sessions',
        response: { 200: S.RevokedSessions },
      },
    },
    async (req) => ({ revoked: await auth.revokeOtherSessions(principalOf(req), actorOf(req)) }),
  );

  app.post(
    '/api/auth/password',
    {
      config: { allowWithoutMfa: true, rateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Change my password (signs out my other sessions)',
        body: S.ChangePasswordBody,
        response: { 200: Ok, ...errors(400, 401) },
      },
    },
    async (req) => {
      await auth.changePassword(principalOf(req), req.body.currentPassword, req.body.newPassword, actorOf(req));
      return { ok: true };
    },
  );

  app.post(
    '/api/auth/password/forgot',
    {
      config: publicRoute,
      schema: {
        tags: ['auth'],
        summary: 'Email a password reset link (same answer whether or not the account exists)',
        body: S.ForgotBody,
        response: { 202: Ok, ...errors(400, 429) },
      },
    },
    async (req, reply) => {
      await auth.requestPasswordReset(req.body.email, actorOf(req));
      return reply.status(202).send({ ok: true });
    },
  );

  app.post(
    '/api/auth/password/reset',
    {
      config: publicRoute,
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with an emailed token',
        body: S.ResetBody,
        response: { 200: Ok, ...errors(400, 429) },
      },
    },
    async (req) => {
      await auth.resetPassword(req.body.token, req.body.password, actorOf(req));
      return { ok: true };
    },
  );

  app.post(
    '/api/auth/2fa/setup',
    {
      config: { allowWithoutMfa: true },
      schema: {
        tags: ['auth'],
        summary: 'Start TOTP enrollment: secret and QR code',
        response: { 200: S.TotpSetup, ...errors(409) },
      },
    },
    async (req) => auth.startTotpEnrollment(principalOf(req), actorOf(req)),
  );

  app.post(
    '/api/auth/2fa/enable',
    {
      config: { allowWithoutMfa: true, rateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Confirm TOTP enrollment with a code; returns one-time recovery codes',
        body: S.TotpCodeBody,
        response: { 200: S.RecoveryCodes, ...errors(400, 409) },
      },
    },
    async (req) => auth.confirmTotpEnrollment(principalOf(req), req.body.code, actorOf(req)),
  );

  app.post(
    '/api/auth/2fa/disable',
    {
      config: { rateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Turn TOTP off (password and code)',
        body: S.DisableTotpBody,
        response: { 200: Ok, ...errors(400, 403, 409) },
      },
    },
    async (req) => {
      await auth.disableTotp(principalOf(req), req.body.password, req.body.code, actorOf(req));
      return { ok: true };
    },
  );

  app.get(
    '/api/auth/2fa',
    {
      config: { allowWithoutMfa: true },
      schema: {
        tags: ['auth'],
        summary: 'My 2FA state',
        response: { 200: S.TwoFactorStatus },
      },
    },
    async (req) => {
      const p = principalOf(req);
      return {
        enabled: p.mfaEnrolled,
        recoveryCodesLeft: p.mfaEnrolled ? await auth.recoveryCodesLeft(p) : 0,
        required: p.memberships.some((m) => m.requireMfa),
      };
    },
  );

  app.post(
    '/api/auth/register',
    {
      config: publicRoute,
      schema: {
        tags: ['auth'],
        summary: 'Patient self-registration; a verification link is emailed',
        body: S.RegisterBody,
        response: { 202: Ok, ...errors(400, 429) },
      },
    },
    async (req, reply) => {
      await auth.registerPatient({ ...req.body, locale: req.body.locale ?? 'en' }, actorOf(req));
      return reply.status(202).send({ ok: true });
    },
  );

  app.post(
    '/api/auth/verify-email',
    {
      config: publicRoute,
      schema: { tags: ['auth'], summary: 'Confirm an email address', body: S.TokenBody, response: { 200: Ok, ...errors(400) } },
    },
    async (req) => {
      await auth.verifyEmail(req.body.token, actorOf(req));
      return { ok: true };
    },
  );

  app.post(
    '/api/auth/invitations/accept',
    {
      config: publicRoute,
      schema: {
        tags: ['auth'],
        summary: 'Accept a staff invitation by choosing a password',
        body: S.AcceptInvitationBody,
        response: { 200: Ok, ...errors(400) },
      },
    },
    async (req) => {
      await auth.acceptInvitation(req.body.token, req.body.password, actorOf(req));
      return { ok: true };
    },
  );
};
