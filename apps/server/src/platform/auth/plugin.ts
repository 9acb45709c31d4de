import type { FastifyInstance } from 'fastify';
import { Forbidden, Unauthorized } from '../errors.ts';
import type { Principal } from '../access.ts';
import type { TokenService } from './tokens.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'public' routes need no token; every other /api route does */
    auth?: 'public' | 'user';
    /** reachable by a user whose role requires 2FA before they have enrolled */
    allowWithoutMfa?: boolean;
  }
}

/** Where a request comes from, for the audit row of a refused clinic switch. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export type PrincipalLoader = (
  sessionId: string,
  userId: string,
  clinicId: string | undefined,
  origin?: RequestOrigin,
) => Promise<Principal | null>;

/**
 * Authenticates every /api request: verifies the bearer token, then re-reads the session, the
 * user and their permissions, so that logout, deactivation and role changes apply at once.
 */
export function installAuthentication(app: FastifyInstance, tokens: TokenService, loadPrincipal: PrincipalLoader): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/') || req.url.startsWith('/api/docs')) return;
    const config = req.routeOptions.config;
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (token) {
      const claims = await tokens.verify(token);
      const clinic = req.headers['x-clinic-id'];
      if (claims) {
        req.principal = await loadPrincipal(claims.sid, claims.sub, typeof clinic === 'string' && clinic ? clinic : undefined, {
          ip: req.ip,
          userAgent: req.headers['user-agent'] ?? null,
          requestId: req.id,
        });
      }
    }
    if (config.auth === 'public') return;
    if (!req.principal)
      throw new Unauthorized(
        token ? 'Your session has ended; sign in again' : 'Authentication required',
        token ? 'INVALID_TOKEN' : 'UNAUTHORIZED',
      );
    if (req.principal.mfaEnrollmentRequired && !config.allowWithoutMfa)
      throw new Forbidden('Your role requires two-factor authentication: set it up under My account', 'MFA_ENROLLMENT_REQUIRED');
  });
}
