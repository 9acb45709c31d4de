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
import { createPasswordHasher } from './platform/auth/passwords.ts';
import { installAuthentication, type PrincipalLoader } from './platform/auth/plugin.ts';
import { installErrorHandler, installNotFound } from './platform/http/errors.ts';
import { installValidation } from './platform/http/validation.ts';
import { installMetrics } from './platform/metrics.ts';
import { sealAudit } from './platform/audit/chain.ts';
import { AuthService } from './modules/auth/auth.service.ts';
import { PrincipalCache } from './modules/auth/principal-cache.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { ClinicsService } from './modules/clinics/clinics.service.ts';
import { clinicsRoutes } from './modules/clinics/clinics.routes.ts';
import { PatientsService } from './modules/patients/patients.service.ts';
import { patientsRoutes } from './modules/patients/patients.routes.ts';
import { portalRoutes } from './modules/portal/portal.routes.ts';
import { AdminService } from './modules/admin/admin.service.ts';
import { adminRoutes } from './modules/admin/admin.routes.ts';
import { EventBus } from './platform/realtime/events.ts';
import { PgJobQueue, type JobQueue } from './platform/jobs.ts';
import { createSmsProvider, type SmsProvider } from './platform/sms.ts';
import { installRealtimeGateway } from './platform/realtime/gateway.ts';
import { MasterDataService } from './modules/scheduling/masterdata.service.ts';
import { masterDataRoutes } from './modules/scheduling/masterdata.routes.ts';
import { AvailabilityService } from './modules/scheduling/availability.service.ts';
import { availabilityRoutes } from './modules/scheduling/availability.routes.ts';
import { PractitionersService } from './modules/scheduling/practitioners.service.ts';
import { practitionersRoutes } from './modules/scheduling/practitioners.routes.ts';
import { IcalService } from './modules/scheduling/ical.service.ts';
import { icalRoutes } from './modules/scheduling/ical.routes.ts';
import { RemindersService } from './modules/scheduling/reminders.service.ts';
import { AppointmentsService } from './modules/scheduling/appointments.service.ts';
import { appointmentsRoutes } from './modules/scheduling/appointments.routes.ts';
import { WaitlistService } from './modules/scheduling/waitlist.service.ts';
import { waitlistRoutes } from './modules/scheduling/waitlist.routes.ts';
import { QueueService } from './modules/queue/queue.service.ts';
import { queueRoutes } from './modules/queue/queue.routes.ts';

export const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export interface AppDeps {
  config: Config;
  database: Database;
  mailer?: Mailer;
}

export interface Services {
  keys: KeyStore;
  crypto: Crypto;
  auth: AuthService;
  patients: PatientsService;
  admin: AdminService;
  clinics: ClinicsService;
  mailer: Mailer;
  events: EventBus;
  jobs: JobQueue;
  sms: SmsProvider;
  masterData: MasterDataService;
  availability: AvailabilityService;
  practitioners: PractitionersService;
  ical: IcalService;
  reminders: RemindersService;
  appointments: AppointmentsService;
  waitlist: WaitlistService;
  queue: QueueService;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

/** Builds the HTTP application. Loads signing keys (database I/O) but listens on nothing. */
export async function buildApp({ config, database, mailer: givenMailer }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // URLs can carry patient names in query strings: log the route pattern, never the raw URL
      serializers: {
        req: (req: { method: string; routeOptions?: { url?: string }; id: string }) => ({
          method: req.method,
          route: req.routeOptions?.url,
          id: req.id,
        }),
      },
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    },
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
  const clinics = new ClinicsService(database.db);
  const patients = new PatientsService(database.db, database.pool, cryptoSvc);
  const principals = new PrincipalCache(database.pool, { log: app.log });
  await principals.start();
  const auth = new AuthService({
    db: database.db,
    pool: database.pool,
    config,
    hasher: createPasswordHasher(config.argon2MemoryKib),
    tokens,
    crypto: cryptoSvc,
    mailer,
    log: app.log,
    registerPatient: patients.registerSelf,
    principals,
  });
  const admin = new AdminService(database.db, database.pool, auth, keys);
  const events = new EventBus();
  const jobs = new PgJobQueue({
    pool: database.pool,
    pollingIntervalSeconds: config.jobsPollSeconds,
    retryDelaySeconds: config.jobsRetryDelaySeconds,
    log: app.log,
  });
  // started before any service registers a worker, so that a failure to start stops the boot
  await jobs.start();
  const sms = createSmsProvider({
    provider: config.smsProvider,
    dataDir: config.dataDir,
    httpUrl: config.smsHttpUrl,
    httpToken: config.smsHttpToken,
    httpTimeoutMs: config.smsHttpTimeoutMs,
  });
  const masterData = new MasterDataService(database.db);
  const availability = new AvailabilityService(database.db, events);
  const practitioners = new PractitionersService(database.db, availability, events, config.publicUrl);
  const ical = new IcalService(database.db);
  const reminders = new RemindersService(database.db, jobs, mailer, sms, config.publicUrl);
  const appointments = new AppointmentsService(database.db, availability, reminders, events, app.log);
  await reminders.start();
  patients.onMerge(appointments.mergePatients);
  const waitlist = new WaitlistService(
    database.db,
    availability,
    appointments,
    reminders,
    jobs,
    mailer,
    events,
    config.publicUrl,
    app.log,
  );
  await waitlist.start();
  const queue = new QueueService(database.db, events, config.publicUrl);
  queue.useAppointments(appointments);
  app.decorate('services', {
    keys,
    crypto: cryptoSvc,
    auth,
    patients,
    admin,
    clinics,
    mailer,
    events,
    jobs,
    sms,
    masterData,
    availability,
    practitioners,
    ical,
    reminders,
    appointments,
    waitlist,
    queue,
  });

  // helmet's middleware, built once (the Fastify wrapper rebuilt it, and re-parsed the CSP, on every request)
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
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
  installRealtimeGateway(app, {
    tokens,
    loadPrincipal,
    events,
    resolveDisplayToken: (token) => queue.resolveDisplayToken(token),
    canSubscribeServicePoint: (principal, servicePointId) => queue.canSubscribeServicePoint(principal, servicePointId),
    redisUrl: config.redisUrl,
    recoverySeconds: config.realtimeRecoverySeconds,
    corsOrigins: config.corsOrigins,
    metrics,
  });

  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await database.pool.query('SELECT 1');
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'unavailable' });
    }
  });
  app.get('/.well-known/jwks.json', { schema: { hide: true } }, async () => keys.jwks());

  await app.register(authRoutes, {
    auth,
    clinics,
    refreshTtlDays: config.refreshTokenTtlDays,
    authRateLimitPerMinute: config.authRateLimitPerMinute,
  });
  await app.register(clinicsRoutes, { clinics });
  await app.register(patientsRoutes, { patients });
  await app.register(portalRoutes, { patients });
  await app.register(adminRoutes, { admin });
  await app.register(masterDataRoutes, { masterData });
  await app.register(practitionersRoutes, { practitioners });
  await app.register(availabilityRoutes, { availability });
  await app.register(icalRoutes, { ical });
  await app.register(appointmentsRoutes, { appointments });
  await app.register(waitlistRoutes, { waitlist });
  await app.register(queueRoutes, { queue });

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
    await principals.close();
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
