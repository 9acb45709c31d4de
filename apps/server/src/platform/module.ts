import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyPluginOptions,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type client from 'prom-client';
import type pg from 'pg';
import type { Permission, RealtimeEventName, Role } from '@sanita/contracts/catalogue';
import type { TimelineSource } from './timeline.ts';
import type { VerificationSource } from './verification.ts';
import type { Config } from '../config.ts';
import type { Database, Db, Executor, Tx } from './db/database.ts';
import type { Crypto } from './crypto.ts';
import type { Mailer } from './mail.ts';
import type { KeyStore } from './auth/keys.ts';
import type { TokenService } from './auth/tokens.ts';
import type { EventBus, Room } from './realtime/events.ts';
import type { JobQueue } from './jobs.ts';
import type { SmsProvider } from './sms.ts';
import type { Principal } from './access.ts';

/**
 * A server module declares itself once, in `modules/<name>/module.ts`: what it brings (permissions
 * and their default grants, services, routes, realtime rooms and subscriptions, jobs, demo data,
 * metrics, its rows of the authorization matrix) and the services of other modules it needs.
 * `modules/index.ts` lists the manifests in dependency order; the app, the access catalogue, the
 * realtime gateway, the seed and the matrix tests iterate over that list.
 */

/**
 * Name → the services a module exposes. Each `module.ts` adds its own entry by declaration merging:
 *   declare module '../../platform/module.ts' { interface ModuleServiceMap { queue: { queue: QueueService } } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ModuleServiceMap {}
export type ModuleName = keyof ModuleServiceMap;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** The services of the named modules, merged into one object. */
export type ServicesOf<N extends ModuleName> = [N] extends [never]
  ? Record<never, never>
  : UnionToIntersection<ModuleServiceMap[N]>;
/** Every module's services. */
export type ModuleServices = ServicesOf<ModuleName>;

/** Moves a module's records from a merged duplicate patient to the surviving one, inside the merge's transaction. */
export type PatientMergeHook = (tx: Tx, fromId: string, toId: string) => Promise<void>;

/** What the platform gives every services factory. */
export interface PlatformDeps {
  config: Config;
  database: Database;
  db: Db;
  pool: pg.Pool;
  crypto: Crypto;
  keys: KeyStore;
  tokens: TokenService;
  mailer: Mailer;
  events: EventBus;
  jobs: JobQueue;
  sms: SmsProvider;
  log: FastifyBaseLogger;
  /** every module's `onPatientMerge`, read when a merge runs (the modules after patients exist by then) */
  patientMergeHooks: () => readonly PatientMergeHook[];
  /** every module's timeline source, once all services exist (the timeline module merges them) */
  timelineSources: () => readonly TimelineSource[];
  /** every module's verification source, once all services exist (the public verification route asks each) */
  verificationSources: () => readonly VerificationSource[];
}

/** The Fastify instance routes are registered on. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** A Fastify plugin and its options, registered by the app in manifest order. */
export interface RoutePlugin {
  mount(app: App): Promise<void>;
}
export function routes<O extends FastifyPluginOptions>(
  plugin: FastifyPluginAsync<O, RawServerDefault, TypeBoxTypeProvider>,
  options: O,
): RoutePlugin {
  return {
    mount: async (app) => {
      await app.register(plugin, options);
    },
  };
}

/** A client → server request to follow a room (e.g. `queue.subscribe` with `{ servicePointId }` → `sp:<id>`). */
export interface RealtimeSubscription {
  /** the event that joins; its ack is `{ ok, error? }` */
  subscribe: string;
  /** the event that leaves */
  unsubscribe: string;
  /** the body field naming what to follow */
  field: string;
  room(id: string): Room;
  /** whether this user may follow it (checked at each subscription) */
  allow(principal: Principal, id: string): Promise<boolean>;
}

/**
 * A connection that is not a user's: the handshake carries another credential (e.g. the token of a
 * waiting-room display), which resolves to the rooms the socket joins.
 */
export interface RealtimeCredential {
  /** the key of `socket.handshake.auth` holding it */
  key: string;
  /** the rooms it opens, or null when unknown or revoked (the connection is refused) */
  resolve(credential: string): Promise<Room[] | null>;
}

/** What a module contributes to the realtime gateway. */
export interface RealtimeContribution {
  /** rooms a user's socket joins at each (re)connection, from their principal */
  rooms?: (principal: Principal) => Room[];
  credentials?: RealtimeCredential[];
  subscriptions?: RealtimeSubscription[];
  /** sockets in the rooms of these events are disconnected when one is published (e.g. a revoked display) */
  disconnectOn?: RealtimeEventName[];
}

/** What the demo seed steps share, in manifest order; each step may add to it for the next ones. */
export interface SeedContext {
  /** the deterministic random source of the whole demo (steps draw from it in manifest order) */
  rand: () => number;
  crypto: Crypto;
  passwordHash: string;
  opts: { patients: number };
  clinics: Record<'KIN' | 'GOM', { id: string; timezone: string }>;
  /** email → user id */
  users: Record<string, string>;
  /** the patient with the portal account, null without patients */
  portalPatientId: string | null;
}
export type SeedStep = (tx: Executor, ctx: SeedContext) => Promise<void>;

export interface ModuleManifest<N extends ModuleName = ModuleName, Needs extends ModuleName = never> {
  name: N;
  /** the module's permission names (its contract's `permissions`) */
  permissions?: readonly Permission[];
  /** the default grants of the module's permissions, per role (seeded on a new installation) */
  grants?: { readonly [R in Role]?: readonly Permission[] };
  /** the modules whose services this one uses; they come earlier in modules/index.ts */
  needs?: readonly Needs[];
  services(deps: PlatformDeps, needed: ServicesOf<Needs>): ModuleServiceMap[N] | Promise<ModuleServiceMap[N]>;
  routes?(services: ModuleServiceMap[N] & ServicesOf<Needs>, deps: PlatformDeps): readonly RoutePlugin[];
  realtime?(services: ModuleServiceMap[N] & ServicesOf<Needs>): RealtimeContribution;
  /** job workers and other background work, started once the services of every module exist */
  start?(services: ModuleServiceMap[N]): Promise<void>;
  /** when the app closes */
  stop?(services: ModuleServiceMap[N]): Promise<void>;
  /** the module's part of the demo organisation */
  seed?: SeedStep;
  /**
   * Reference data every installation needs (e.g. the ICD-10-CM code set): `load` runs as the owner at
   * each start after the migrations, in manifest order, idempotent and quick when already loaded; the
   * serving role may only read `tables` (nothing a request does can change a code set).
   */
  reference?: { tables: readonly string[]; load(db: Db): Promise<unknown> };
  /**
   * Tables the serving role may only SELECT and INSERT (a ledger, a log): never UPDATE or DELETE,
   * like the audit trail (platform/db/roles.ts applies them with APPEND_ONLY_TABLES).
   */
  appendOnlyTables?: readonly string[];
  metrics?(registry: client.Registry, services: ModuleServiceMap[N]): void;
  /** the patients module runs it when it merges two records */
  onPatientMerge?(services: ModuleServiceMap[N]): PatientMergeHook;
  /** its entries of a patient's timeline (the chart's chronological view), if it has any */
  timeline?(services: ModuleServiceMap[N]): TimelineSource;
  /** the documents it prints with a verification code, checked by the public verification route */
  verify?(services: ModuleServiceMap[N]): VerificationSource;
  /**
   * The file of the module's rows of the authorization matrix (`new URL('./<name>.matrix.ts',
   * import.meta.url)`; its default export is a `MatrixSection` of test/matrix.ts, which
   * platform/access.matrix.test.ts runs). A URL, not an import, so that the app never loads test code.
   */
  matrix?: URL;
}

/** Checks a manifest against its declared services and needs. */
export function defineModule<N extends ModuleName, Needs extends ModuleName = never>(
  manifest: ModuleManifest<N, Needs>,
): ModuleManifest<N, Needs> {
  return manifest;
}

/** A manifest of any module, as the registries iterate them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = ModuleManifest<ModuleName, any>;
