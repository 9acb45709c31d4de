// the routes set and read cookies (the app registers @fastify/cookie): its typings, wherever this module is loaded
import type {} from '@fastify/cookie';
import { defineModule, routes } from '../../platform/module.ts';
import { createPasswordHasher } from '../../platform/auth/passwords.ts';
import { seedUsers } from '../../seed/users.ts';
import { AuthService } from './auth.service.ts';
import { PrincipalCache } from './principal-cache.ts';
import { authRoutes } from './auth.routes.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    auth: { auth: AuthService; principals: PrincipalCache };
  }
}

/** Accounts and sessions: sign-in, tokens, 2FA, password reset, invitations, patient self-registration. */
export const authModule = defineModule({
  name: 'auth',
  needs: ['patients', 'clinics'],
  services: async ({ db, pool, config, tokens, crypto, mailer, log }, { patients }) => {
    const principals = new PrincipalCache(pool, { log });
    await principals.start();
    const auth = new AuthService({
      db,
      pool,
      config,
      hasher: createPasswordHasher(config.argon2MemoryKib),
      tokens,
      crypto,
      mailer,
      log,
      patients,
      principals,
    });
    return { auth, principals };
  },
  routes: ({ auth, clinics }, { config }) => [
    routes(authRoutes, {
      auth,
      clinics,
      refreshTtlDays: config.refreshTokenTtlDays,
      authRateLimitPerMinute: config.authRateLimitPerMinute,
    }),
  ],
  stop: ({ principals }) => principals.close(),
  seed: seedUsers,
  matrix: new URL('./auth.matrix.ts', import.meta.url),
});
