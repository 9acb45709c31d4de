import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from 'helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Redis } from 'ioredis';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.ts';
import type { Database } from './platform/db/database.ts';
import { Crypto, loadMasterKey } from './platform/crypto.ts';
import { createMailer, type Mailer } from './platform/mail.ts';
import { KeyStore } from './platform/auth/keys.ts';
import { TokenService } from './platform/auth/tokens.ts';
import { installAuthentication, type PrincipalLoader } from './platform/auth/plugin.ts';
import { clientErrorHandler, frameworkErrors, installErrorHandler, installNotFound } from './platform/http/errors.ts';
import { installHealth } from './platform/http/health.ts';
import { loggerOptions } from './platform/log.ts';
import type { DestinationStream } from 'pino';
import { installValidation } from './platform/http/validation.ts';
import { installMetrics } from './platform/metrics.ts';
import { sealAudit } from './platform/audit/chain.ts';
import { EventBus } from './platform/realtime/events.ts';
import { PgJobQueue, type JobQueue } from './platform/jobs.ts';
import { createSmsProvider, type SmsProvider } from './platform/sms.ts';
import { installRealtimeGateway } from './platform/realtime/gateway.ts';
import type { AnyModule, ModuleServices, PatientMergeHook, PlatformDeps, RealtimeContribution } from './platform/module.ts';
import type { TimelineSource } from './platform/timeline.ts';
import type { VerificationSource } from './platform/verification.ts';
import { modules as allModules } from './modules/index.ts';

export const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export interface AppDeps {
  config: Config;
  database: Database;
  mailer?: Mailer;
  /** where the log lines go (default: standard output); tests read them */
  logStream?: DestinationStream;
  /** the modules to run, in dependency order (default: every module of modules/index.ts) */
  modules?: readonly AnyModule[];
}

/** The platform's services and every module's, by name. */
export type Services = {
  keys: KeyStore;
  crypto: Crypto;
  mailer: Mailer;
  events: EventBus;
  jobs: JobQueue;
  sms: SmsProvider;
} & ModuleServices;

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

/** Builds the HTTP application. Loads signing keys (database I/O) but listens on nothing. */
export async function buildApp({
  config,
  database,
  mailer: givenMailer,
  modules = allModules,
  logStream,
}: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // requests by route pattern, never the raw URL; errors without query parameters or values
    logger: loggerOptions(config.logLevel, logStream),
    // bad URLs and over-long path parameters, refused before routing: answered in the API's format
    frameworkErrors,
    clientErrorHandler,
    genReqId: () => crypto.randomUUID(),
    bodyLimit: 256 * 1024,
    trustProxy: config.trustProxy,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installValidation(app);
  installErrorHandler(app);

  const cryptoSvc = new Crypto(loadMasterKey(config.masterKey, config.dataDir));
  const keys = new KeyStore(database.pool, cryptoSvc);
  await keys.init();
  const tokens = new TokenService(keys, config.publicUrl, config.accessTokenTtlSeconds);
  const mailer = givenMailer ?? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir });
  const events = new EventBus();
  const jobs = new PgJobQueue({
    pool: database.pool,
    pollingIntervalSeconds: config.jobsPollSeconds,
    retryDelaySeconds: config.jobsRetryDelaySeconds,
    log: app.log,
  });
  // started before any module registers a worker, so that a failure to start stops the boot
  await jobs.start();
  const sms = createSmsProvider({
    provider: config.smsProvider,
    dataDir: config.dataDir,
    httpUrl: config.smsHttpUrl,
    httpToken: config.smsHttpToken,
    httpTimeoutMs: config.smsHttpTimeoutMs,
  });
  const mergeHooks: PatientMergeHook[] = [];
  const timelineSources: TimelineSource[] = [];
  const verificationSources: VerificationSource[] = [];
  const platform: PlatformDeps = {
    config,
    database,
    db: database.db,
    pool: database.pool,
    crypto: cryptoSvc,
    keys,
    tokens,
    mailer,
    events,
    jobs,
    sms,
    log: app.log,
    patientMergeHooks: () => mergeHooks,
    timelineSources: () => timelineSources,
    verificationSources: () => verificationSources,
  };

  // each module's services, in dependency order: a module receives the services of those it needs
  const built = new Map<string, Record<string, unknown>>();
  const all: Record<string, unknown> = {};
  for (const m of modules) {
    const needed: Record<string, unknown> = {};
    for (const need of m.needs ?? []) {
      const services = built.get(need);
      if (!services) throw new Error(`module ${m.name} needs ${need}, which must come before it in modules/index.ts`);
      Object.assign(needed, services);
    }
    const own = (await m.services(platform, needed)) as Record<string, unknown>;
    built.set(m.name, own);
    Object.assign(all, own);
    if (m.onPatientMerge) mergeHooks.push(m.onPatientMerge(own));
    if (m.timeline) timelineSources.push(m.timeline(own));
    if (m.verify) verificationSources.push(m.verify(own));
  }
  /** a module's own services and those of the modules it needs */
  const reach = (m: AnyModule) =>
    Object.assign({}, ...(m.needs ?? []).map((n: string) => built.get(n)), built.get(m.name)) as never;
  const services = { keys, crypto: cryptoSvc, mailer, events, jobs, sms, ...all } as unknown as Services;
  app.decorate('services', services);
  const { auth } = services;
  // job workers and background work, once every module's services exist
  for (const m of modules) await m.start?.(built.get(m.name) as never);

  // helmet's middleware, built once (the Fastify wrapper rebuilt it, and re-parsed the CSP, on every request)
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // blob: a patient document (PDF, image) previewed from the bytes the app fetched with its token
        imgSrc: ["'self'", 'data:', 'blob:'],
        frameSrc: ["'self'", 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        // the live-updates websocket: older browsers (Safari before 15.4) do not match ws(s): with 'self'
        connectSrc: ["'self'", websocketOrigin(config.publicUrl)],
        upgradeInsecureRequests: null,
      },
    },
    hsts: false,
  });
  app.addHook('onRequest', (req, reply, done) =>
    securityHeaders(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)),
  );
  await app.register(cors, { origin: config.corsOrigins.length ? config.corsOrigins : false, credentials: true });
  await app.register(cookie);
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false }) : null;
  // with several API nodes the counters must be shared, or each node would allow the full limit
  await app.register(rateLimit, { global: false, ...(redis ? { redis, nameSpace: 'sanita-rl:' } : {}) });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Sanita API',
        version: '0.1.0',
        description:
          'Clinic and hospital management. Errors are `{"error":{"code","message","details"}}`; 400 details name the fields.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  const loadPrincipal: PrincipalLoader = (sid, sub, clinic, origin) => auth.loadPrincipal(sid, sub, clinic, origin);
  installAuthentication(app, tokens, loadPrincipal);
  const metrics = installMetrics(app, database.pool);
  for (const m of modules) m.metrics?.(metrics, built.get(m.name) as never);
  const realtime: RealtimeContribution[] = modules.flatMap((m) => (m.realtime ? [m.realtime(reach(m))] : []));
  installRealtimeGateway(app, {
    tokens,
    loadPrincipal,
    events,
    contributions: realtime,
    redisUrl: config.redisUrl,
    recoverySeconds: config.realtimeRecoverySeconds,
    corsOrigins: config.corsOrigins,
    metrics,
  });

  installHealth(app, database.pool);
  app.get('/.well-known/jwks.json', { schema: { hide: true } }, async () => keys.jwks());

  for (const m of modules) for (const r of m.routes?.(reach(m), platform) ?? []) await r.mount(app);

  const serveWeb = config.serveWeb && fs.existsSync(path.join(webDist, 'index.html'));
  if (serveWeb) await app.register(fastifyStatic, { root: webDist, wildcard: false, index: ['index.html'] });
  installNotFound(app, serveWeb ? fs.readFileSync(path.join(webDist, 'index.html')) : null);

  // seal the audit trail into its hash chain shortly after rows commit; one node at a time. Every
  // 30th run also looks back for rows whose transactions committed late.
  let sealing = false;
  let sealRuns = 0;
  const sealer = setInterval(() => {
    if (sealing) return;
    sealing = true;
    sealAudit(database.pool, (m) => keys.sign(m), undefined, sealRuns++ % 30 === 0)
      .catch((err: unknown) => app.log.error({ err: { message: (err as Error).message } }, 'audit sealing failed'))
      .finally(() => {
        sealing = false;
      });
  }, config.auditSealIntervalMs);
  sealer.unref();
  const rotation = setInterval(() => {
    keys.init().catch((err: unknown) => app.log.error({ err: { message: (err as Error).message } }, 'key rotation failed'));
  }, 3600_000);
  rotation.unref();
  app.addHook('onClose', async () => {
    clearInterval(sealer);
    clearInterval(rotation);
    for (const m of [...modules].reverse()) await m.stop?.(built.get(m.name) as never);
    await sealAudit(database.pool, (m) => keys.sign(m)).catch(() => {});
    if (!givenMailer) mailer.close();
    redis?.disconnect();
    await jobs.stop();
  });

  return app;
}

/** ws(s)://host of the public URL, for the Content-Security-Policy. */
function websocketOrigin(publicUrl: string): string {
  const u = new URL(publicUrl);
  return `${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}`;
}
