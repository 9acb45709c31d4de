import crypto from 'node:crypto';
import { authenticator } from 'otplib';
import { expect, it } from 'vitest';
import { anyUuid, call, type MatrixSection } from '../../../test/matrix.ts';

/** Every signed-in user manages their own account: sessions, password, 2FA. */
const section: MatrixSection = {
  routes: [
    { route: 'GET /api/auth/me', method: 'GET', url: '/api/auth/me', verdict: () => 'ok' },
    { route: 'GET /api/auth/sessions', method: 'GET', url: '/api/auth/sessions', verdict: () => 'ok' },
    { route: 'DELETE /api/auth/sessions', method: 'DELETE', url: '/api/auth/sessions', verdict: () => 'ok' },
    // someone else's (here: nobody's) session is not mine to revoke
    { route: 'DELETE /api/auth/sessions/:id', method: 'DELETE', url: `/api/auth/sessions/${anyUuid}`, verdict: () => 404 },
    { route: 'GET /api/auth/2fa', method: 'GET', url: '/api/auth/2fa', verdict: () => 'ok' },
    {
      route: 'POST /api/auth/password',
      method: 'POST',
      url: '/api/auth/password',
      body: () => ({ currentPassword: 'not-my-password-1', newPassword: 'Another-long-pass-77' }),
      verdict: () => 400,
    },
    { route: 'POST /api/auth/2fa/setup', method: 'POST', url: '/api/auth/2fa/setup', verdict: () => 'ok' },
    {
      route: 'POST /api/auth/2fa/disable',
      method: 'POST',
      url: '/api/auth/2fa/disable',
      body: () => ({ password: 'not-my-password-1', code: '123456' }),
      verdict: () => 409,
    },
  ],
  publicRoutes: [
    'POST /api/auth/login',
    'POST /api/auth/refresh',
    'POST /api/auth/logout',
    'POST /api/auth/password/forgot',
    'POST /api/auth/password/reset',
    'POST /api/auth/register',
    'POST /api/auth/verify-email',
    'POST /api/auth/invitations/accept',
  ],
  // it needs a setup step first
  covers: ['POST /api/auth/2fa/enable'],
  tests: (actor) => {
    it('POST /api/auth/2fa/enable → 400 for a wrong code after setup (the route is open to every role)', async () => {
      const setup = await call(actor, 'POST', '/api/auth/2fa/setup');
      expect(setup.statusCode).toBe(200);
      const secret = setup.json().secret as string;
      const near = new Set(
        [-2, -1, 0, 1, 2].map((k) => authenticator.clone({ epoch: Date.now() + k * 30_000 }).generate(secret)),
      );
      let wrong = '000000';
      while (near.has(wrong)) wrong = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
      const res = await call(actor, 'POST', '/api/auth/2fa/enable', { code: wrong });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details).toContainEqual(expect.objectContaining({ field: 'code' }));
    });
  },
};
export default section;
