import crypto from 'node:crypto';
import pg from 'pg';
import { JOBS_SCHEMA } from '../jobs.ts';

/**
 * Two database roles (docs/operations.md, "Database roles"):
 * - the OWNER (`DATABASE_URL`, or the embedded cluster's superuser) owns the schema: it runs the
 *   migrations, installs the job queue's schema, loads reference data and the demo, and grants;
 * - the SERVING role (`sanita_app`, or the user of `DATABASE_APP_URL`) runs every request, job,
 *   the audit sealer and the principal cache. It owns nothing, so it can neither disable a trigger
 *   nor alter a table, and it may only read and append to the audit trail: even a fully compromised
 *   server process cannot rewrite it.
 */

/** The serving role the server creates when no `DATABASE_APP_URL` is given. */
export const SERVING_ROLE = 'sanita_app';

/** The audit trail: the serving role reads and appends, never changes or removes. */
export const APPEND_ONLY_TABLES = ['audit_log', 'audit_seals', 'audit_heads'] as const;

/** The sealer's position (one row, written by the migration): read and moved forward, never inserted or deleted. */
const SEAL_STATE_TABLE = 'audit_seal_state';

/** Serialises grant refreshes of nodes starting together (advisory locks are per database). */
const GRANT_LOCK = 7263003;

/** The serving role's password, derived from the master key: every node computes the same, nothing is stored. */
export function servingRolePassword(masterKey: Buffer): string {
  return Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), 'sanita:db-serving-role:v1', 32)).toString(
    'base64url',
  );
}

/**
 * A SCRAM-SHA-256 verifier for `password` (RFC 5802/7677, PostgreSQL's stored format): the role's
 * password is set with it, so that the clear text never reaches the server or its statement log.
 */
export function scramVerifier(password: string, salt = crypto.randomBytes(16), iterations = 4096): string {
  const salted = crypto.pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const hmac = (key: Buffer, text: string) => crypto.createHmac('sha256', key).update(text).digest();
  const storedKey = crypto.createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  const serverKey = hmac(salted, 'Server Key');
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** `url` with its user and password replaced. */
export function urlWithUser(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  if (decodeURIComponent(u.username) !== user) {
    throw new Error('DATABASE_URL has no host part to attach the serving role to; set DATABASE_APP_URL instead');
  }
  return u.toString();
}

const ROLE_ATTRIBUTES = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS';

/**
 * Creates the serving role on the cluster if it is missing, repairs its attributes if someone
 * widened them, and sets its password when `servingUrl` does not already log in. The owner needs
 * CREATEROLE (a superuser, or a managed service's administrator); without it, give DATABASE_APP_URL.
 */
export async function ensureServingRole(owner: pg.Pool, role: string, password: string, servingUrl: string): Promise<void> {
  const r = pg.escapeIdentifier(role);
  const verifier = pg.escapeLiteral(scramVerifier(password));
  const existing = async () =>
    (
      await owner.query<{ ok: boolean }>(
        `SELECT (rolcanlogin AND NOT rolsuper AND NOT rolcreatedb AND NOT rolcreaterole AND NOT rolinherit
                 AND NOT rolreplication AND NOT rolbypassrls) AS ok
           FROM pg_roles WHERE rolname = $1`,
        [role],
      )
    ).rows[0];
  let row = await existing();
  if (!row) {
    try {
      await owner.query(`CREATE ROLE ${r} ${ROLE_ATTRIBUTES} PASSWORD ${verifier}`);
      return;
    } catch (err) {
      // another node created it at the same moment
      if (!['42710', '23505'].includes((err as pg.DatabaseError).code ?? '')) throw hint(err);
      row = await existing();
    }
  }
  if (!row?.ok)
    await retryConcurrent(() => owner.query(`ALTER ROLE ${r} ${ROLE_ATTRIBUTES}`)).catch((e) => Promise.reject(hint(e)));
  if (!(await canLogIn(servingUrl))) {
    await retryConcurrent(() => owner.query(`ALTER ROLE ${r} PASSWORD ${verifier}`)).catch((e) => Promise.reject(hint(e)));
  }
}

function hint(err: unknown): Error {
  const e = err as pg.DatabaseError;
  if (e.code === '42501') {
    return new Error(
      `${e.message}: the DATABASE_URL role cannot manage the serving role; grant it CREATEROLE, or create a ` +
        'serving role yourself and give it as DATABASE_APP_URL (docs/operations.md, "Database roles")',
    );
  }
  return e;
}

/** Role rows are updated in place: two nodes altering the same role at once get "tuple concurrently updated". */
async function retryConcurrent<T>(fn: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= 3 || !/concurrently/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
}

async function canLogIn(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The role `url` logs in as. */
export async function roleOf(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ role: string }>('SELECT current_user AS role')).rows[0]!.role;
  } finally {
    await client.end();
  }
}

/**
 * Grants the serving role what it needs on this database, and nothing more: DML on the application
 * and job tables, SELECT and INSERT only on the audit trail, SELECT and UPDATE on the sealer's
 * position, SELECT only on `readOnlyTables` (the modules' reference data: code sets), SELECT and INSERT
 * only on `appendOnlyTables` (the modules' ledgers, e.g. the claim ledger); sequences and functions. No TRUNCATE, REFERENCES or TRIGGER, no ownership. Runs as the
 * owner after every migration, so that tables added by a migration are covered, in one transaction
 * so that a node already serving never sees the privileges missing.
 */
export async function grantServingRole(
  owner: pg.Pool,
  role: string,
  readOnlyTables: readonly string[] = [],
  appendOnlyTables: readonly string[] = [],
): Promise<void> {
  const r = pg.escapeIdentifier(role);
  const jobs = pg.escapeIdentifier(JOBS_SCHEMA);
  const client = await owner.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [GRANT_LOCK]);
    const statements = [
      // PostgreSQL before 15 lets every role create tables in public
      'REVOKE CREATE ON SCHEMA public FROM PUBLIC',
      `GRANT USAGE ON SCHEMA public, ${jobs} TO ${r}`,
      `REVOKE ALL ON ALL TABLES IN SCHEMA public, ${jobs} FROM ${r}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public, ${jobs} TO ${r}`,
      `REVOKE UPDATE, DELETE ON ${[...APPEND_ONLY_TABLES, ...appendOnlyTables.map((t) => pg.escapeIdentifier(t))].join(', ')} FROM ${r}`,
      `REVOKE INSERT, DELETE ON ${SEAL_STATE_TABLE} FROM ${r}`,
      ...(readOnlyTables.length
        ? [`REVOKE INSERT, UPDATE, DELETE ON ${readOnlyTables.map((t) => pg.escapeIdentifier(t)).join(', ')} FROM ${r}`]
        : []),
      `REVOKE ALL ON ALL SEQUENCES IN SCHEMA public, ${jobs} FROM ${r}`,
      `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public, ${jobs} TO ${r}`,
      `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public, ${jobs} TO ${r}`,
      // the job queue's partitions, created later by pgboss.create_queue (which runs as the owner)
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${jobs} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
    ];
    for (const s of statements) await client.query(s);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Checks, connected as the serving role, that it is really least-privileged; the server refuses to
 * start otherwise (a DATABASE_APP_URL naming the owner, a role someone made superuser, …).
 * Returns the problems found, empty when none.
 */
export async function servingRoleProblems(serving: pg.Pool): Promise<string[]> {
  // every role it may act as: itself and any role it is a member of (even without INHERIT, it may
  // SET ROLE); a superuser is reported alone, since it reaches every role
  const { rows } = await serving.query<{ problem: string }>(
    `WITH reach AS (SELECT r.* FROM pg_roles r WHERE pg_has_role(current_user, r.oid, 'MEMBER')
                     AND NOT EXISTS (SELECT 1 FROM pg_roles s WHERE s.rolname = current_user AND s.rolsuper)
                     UNION ALL SELECT * FROM pg_roles WHERE rolname = current_user AND rolsuper)
     SELECT rolname || ' is a superuser' AS problem FROM reach WHERE rolsuper
     UNION ALL SELECT rolname || ' bypasses row-level security' FROM reach WHERE rolbypassrls AND NOT rolsuper
     UNION ALL SELECT rolname || ' may create roles or databases' FROM reach WHERE (rolcreaterole OR rolcreatedb) AND NOT rolsuper
     UNION ALL SELECT reach.rolname || ' owns ' || count(*) || ' relations, e.g. ' || min(n.nspname || '.' || c.relname)
       FROM pg_class c JOIN reach ON c.relowner = reach.oid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('public', $2) AND NOT reach.rolsuper GROUP BY reach.rolname
     UNION ALL SELECT reach.rolname || ' may ' || string_agg(p || ' ' || t, ', ')
       FROM reach, unnest($1::text[]) t, unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER']) p
      WHERE has_table_privilege(reach.oid, 'public.' || t, p) AND NOT reach.rolsuper GROUP BY reach.rolname`,
    [APPEND_ONLY_TABLES, JOBS_SCHEMA],
  );
  return rows.map((r) => r.problem);
}
