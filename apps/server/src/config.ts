import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import os from 'node:os';
import path from 'node:path';

const Bool = Type.Union([Type.Literal('true'), Type.Literal('false'), Type.Literal('1'), Type.Literal('0')]);

const EnvSchema = Type.Object({
  PORT: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  HOST: Type.Optional(Type.String({ minLength: 1 })),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_APP_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  DATABASE_POOL_SIZE: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  SANITA_DATA_DIR: Type.Optional(Type.String({ minLength: 1 })),
  DOCUMENTS_DIR: Type.Optional(Type.String({ minLength: 1 })),
  DOCUMENT_MAX_BYTES: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  SANITA_MASTER_KEY: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/=_-]{43,88}$' })),
  SANITA_DEMO_PASSWORD: Type.Optional(Type.String({ minLength: 8, maxLength: 128 })),
  SANITA_SEED: Type.Optional(Type.Union([Type.Literal('demo'), Type.Literal('none')])),
  SANITA_DEMO_PATIENTS: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  MAIL_FROM: Type.Optional(Type.String({ minLength: 3 })),
  CORS_ORIGINS: Type.Optional(Type.String()),
  LOG_LEVEL: Type.Optional(
    Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
  ),
  AUTH_RATE_LIMIT_PER_MINUTE: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  LOCKOUT_THRESHOLD: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  LOCKOUT_MINUTES: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  ACCESS_TOKEN_TTL_SECONDS: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  REFRESH_TOKEN_TTL_DAYS: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  ARGON2_MEMORY_KIB: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  AUDIT_SEAL_INTERVAL_MS: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  JOBS_POLL_SECONDS: Type.Optional(Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$' })),
  JOBS_RETRY_DELAY_SECONDS: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  SMS_PROVIDER: Type.Optional(Type.Union([Type.Literal('log'), Type.Literal('http')])),
  SMS_HTTP_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  SMS_HTTP_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  SMS_HTTP_TIMEOUT_MS: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  REALTIME_RECOVERY_SECONDS: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  SERVE_WEB: Type.Optional(Bool),
  TRUST_PROXY: Type.Optional(Bool),
  HL7_MLLP_PORT: Type.Optional(Type.String({ pattern: '^([0-9]+|off)$' })),
  HL7_MLLP_HOST: Type.Optional(Type.String({ minLength: 1 })),
  HL7_MLLP_TLS_CERT: Type.Optional(Type.String({ minLength: 1 })),
  HL7_MLLP_TLS_KEY: Type.Optional(Type.String({ minLength: 1 })),
  HL7_MAX_MESSAGE_BYTES: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  HL7_ADT_CLINIC: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  HL7_LIS_HOST: Type.Optional(Type.String({ minLength: 1 })),
  HL7_LIS_PORT: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
});

export interface Config {
  port: number;
  host: string;
  /** the owner connection: migrations, reference data, the demo seed and grants (embedded cluster without it) */
  databaseUrl: string | undefined;
  /**
   * the serving connection (requests, jobs, sealer), a least-privileged role the operator manages;
   * without it the server creates and uses the role `sanita_app` (docs/operations.md, "Database roles")
   */
  databaseAppUrl: string | undefined;
  /** connections of the pool; default twice the cores of this machine, at least 4 */
  databasePoolSize: number;
  /** shared rate-limit counters across API nodes; in-process counters without it */
  redisUrl: string | undefined;
  dataDir: string;
  /** patient documents, encrypted (undefined: <dataDir>/documents) */
  documentsDir: string | undefined;
  /** the largest document file accepted, bytes (default 20 MiB) */
  documentMaxBytes: number;
  masterKey: string | undefined;
  demoPassword: string | undefined;
  seed: 'demo' | 'none';
  demoPatients: number;
  publicUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  corsOrigins: string[];
  logLevel: string;
  authRateLimitPerMinute: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  argon2MemoryKib: number;
  auditSealIntervalMs: number;
  /** how often an idle job worker looks for due jobs (pg-boss polls; minimum 0.5) */
  jobsPollSeconds: number;
  /** delay before the first retry of a failed job; later retries back off exponentially */
  jobsRetryDelaySeconds: number;
  /** 'log' writes each text message to <dataDir>/outbox/sms; 'http' posts it to a gateway */
  smsProvider: 'log' | 'http';
  smsHttpUrl: string | undefined;
  smsHttpToken: string | undefined;
  smsHttpTimeoutMs: number;
  /** how long a dropped socket may reconnect and receive the live events it missed */
  realtimeRecoverySeconds: number;
  serveWeb: boolean;
  trustProxy: boolean;
  /**
   * The HL7 v2 MLLP listener (`npm start` opens it beside HTTP): its port (0 = any free port, null =
   * off), host, TLS files (both or neither), the largest message accepted, the clinic (code) ADT
   * registrations go to (default: the organisation's first clinic), and the LIS that receives our
   * ORM^O01 orders (no host: no outbound orders). `hl7MllpPortExplicit`: the port was configured, so
   * failing to open it stops the start (the default port in use only warns).
   */
  hl7MllpPort: number | null;
  hl7MllpPortExplicit: boolean;
  hl7MllpHost: string;
  hl7MllpTlsCert: string | undefined;
  hl7MllpTlsKey: string | undefined;
  hl7MaxMessageBytes: number;
  hl7AdtClinic: string | undefined;
  hl7LisHost: string | undefined;
  hl7LisPort: number;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * A pool of about two connections per core: more active backends than cores only adds context
 * switches and lock contention, and on a machine shared with PostgreSQL they starve the event loop
 * (bench, 2 cores: pool 20 → p50 14 ms, p99 4.9 s, PostgreSQL 71% of a core; pool 4 → 4.6 ms,
 * 93 ms, 47%). With a remote database, size it for that server's cores and the number of nodes.
 */
function defaultPoolSize(): number {
  return Math.max(4, 2 * os.availableParallelism());
}

/** Whether two connection URLs name the same user (a URL without one logs in as the OS user). */
function sameUser(a: string, b: string): boolean {
  const user = (url: string) => {
    try {
      return decodeURIComponent(new URL(url).username);
    } catch {
      return null;
    }
  };
  return user(a) === user(b);
}

/**
 * Reads and validates the environment once at start. Every problem is listed at once so that an
 * operator fixes the whole set in one go.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const known = Object.fromEntries(
    Object.keys(EnvSchema.properties)
      .filter((k) => env[k] !== undefined && env[k] !== '')
      .map((k) => [k, env[k]]),
  );
  const errors = [...Value.Errors(EnvSchema, known)].map((e) => `${e.path.slice(1)}: ${e.message}`);
  const e = known as Static<typeof EnvSchema>;
  if (e.SMS_PROVIDER === 'http' && !e.SMS_HTTP_URL) errors.push('SMS_HTTP_URL: required when SMS_PROVIDER is http');
  if (e.JOBS_POLL_SECONDS !== undefined && Number(e.JOBS_POLL_SECONDS) < 0.5)
    errors.push('JOBS_POLL_SECONDS: must be at least 0.5');
  if (e.DATABASE_APP_URL && !e.DATABASE_URL)
    errors.push('DATABASE_APP_URL: requires DATABASE_URL (the owner connection that runs the migrations)');
  if (e.DATABASE_APP_URL && e.DATABASE_URL && sameUser(e.DATABASE_APP_URL, e.DATABASE_URL))
    errors.push('DATABASE_APP_URL: must log in as another role than DATABASE_URL (a least-privileged serving role)');
  if (!!e.HL7_MLLP_TLS_CERT !== !!e.HL7_MLLP_TLS_KEY)
    errors.push('HL7_MLLP_TLS_CERT, HL7_MLLP_TLS_KEY: set both (TLS) or neither');
  if (e.HL7_MLLP_PORT && e.HL7_MLLP_PORT !== 'off' && Number(e.HL7_MLLP_PORT) > 65535)
    errors.push('HL7_MLLP_PORT: must be a port number (0 for any free port) or off');
  if (errors.length) throw new ConfigError(errors);
  const int = (v: string | undefined, d: number) => (v === undefined ? d : Number.parseInt(v, 10));
  const bool = (v: string | undefined, d: boolean) => (v === undefined ? d : v === 'true' || v === '1');
  const port = int(e.PORT, 3000);
  const cfg: Config = {
    port,
    host: e.HOST ?? '0.0.0.0',
    databaseUrl: e.DATABASE_URL,
    databaseAppUrl: e.DATABASE_APP_URL,
    databasePoolSize: int(e.DATABASE_POOL_SIZE, defaultPoolSize()),
    redisUrl: e.REDIS_URL,
    dataDir: path.resolve(e.SANITA_DATA_DIR ?? 'data'),
    documentsDir: e.DOCUMENTS_DIR === undefined ? undefined : path.resolve(e.DOCUMENTS_DIR),
    documentMaxBytes: int(e.DOCUMENT_MAX_BYTES, 20 * 1024 * 1024),
    masterKey: e.SANITA_MASTER_KEY,
    demoPassword: e.SANITA_DEMO_PASSWORD,
    seed: e.SANITA_SEED ?? 'demo',
    demoPatients: int(e.SANITA_DEMO_PATIENTS, 200),
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? 'Sanita <no-reply@sanita.local>',
    corsOrigins: (e.CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    logLevel: e.LOG_LEVEL ?? 'info',
    authRateLimitPerMinute: int(e.AUTH_RATE_LIMIT_PER_MINUTE, 30),
    lockoutThreshold: int(e.LOCKOUT_THRESHOLD, 5),
    lockoutMinutes: int(e.LOCKOUT_MINUTES, 15),
    accessTokenTtlSeconds: int(e.ACCESS_TOKEN_TTL_SECONDS, 900),
    refreshTokenTtlDays: int(e.REFRESH_TOKEN_TTL_DAYS, 7),
    argon2MemoryKib: int(e.ARGON2_MEMORY_KIB, 19456),
    auditSealIntervalMs: int(e.AUDIT_SEAL_INTERVAL_MS, 1000),
    jobsPollSeconds: e.JOBS_POLL_SECONDS === undefined ? 2 : Number.parseFloat(e.JOBS_POLL_SECONDS),
    jobsRetryDelaySeconds: int(e.JOBS_RETRY_DELAY_SECONDS, 30),
    smsProvider: e.SMS_PROVIDER ?? 'log',
    smsHttpUrl: e.SMS_HTTP_URL,
    smsHttpToken: e.SMS_HTTP_TOKEN,
    smsHttpTimeoutMs: int(e.SMS_HTTP_TIMEOUT_MS, 10_000),
    realtimeRecoverySeconds: int(e.REALTIME_RECOVERY_SECONDS, 120),
    serveWeb: bool(e.SERVE_WEB, true),
    trustProxy: bool(e.TRUST_PROXY, false),
    hl7MllpPort: e.HL7_MLLP_PORT === 'off' ? null : int(e.HL7_MLLP_PORT, 2575),
    hl7MllpPortExplicit: e.HL7_MLLP_PORT !== undefined,
    hl7MllpHost: e.HL7_MLLP_HOST ?? e.HOST ?? '0.0.0.0',
    hl7MllpTlsCert: e.HL7_MLLP_TLS_CERT,
    hl7MllpTlsKey: e.HL7_MLLP_TLS_KEY,
    hl7MaxMessageBytes: int(e.HL7_MAX_MESSAGE_BYTES, 1024 * 1024),
    hl7AdtClinic: e.HL7_ADT_CLINIC,
    hl7LisHost: e.HL7_LIS_HOST,
    hl7LisPort: int(e.HL7_LIS_PORT, 2575),
    ...overrides,
  };
  return cfg;
}
