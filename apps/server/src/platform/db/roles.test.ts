import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createTestContext, type Session, type TestContext } from '../../../test/helpers.ts';
import { bootDatabase } from '../boot.ts';
import { ConfigError, loadConfig } from '../../config.ts';
import { referenceTables } from '../../seed/bootstrap.ts';
import { APPEND_ONLY_TABLES, SERVING_ROLE, servingRoleProblems, urlWithUser } from './roles.ts';

let ctx: TestContext;
/** one connection as the role the app serves with */
let serving: pg.Pool;

beforeAll(async () => {
  ctx = await createTestContext();
  serving = new pg.Pool({ connectionString: ctx.appUrl, max: 1 });
});
afterAll(async () => {
  await serving?.end();
  await ctx?.close();
});

const denied = { code: '42501', message: expect.stringMatching(/permission denied|must be owner|must be superuser/) };

/** What the serving role may not do to the audit trail; each is refused by a privilege check, not a trigger. */
async function expectCannotTamper(pool: pg.Pool) {
  for (const table of APPEND_ONLY_TABLES) {
    await expect(
      pool.query(`UPDATE ${table} SET ${table === 'audit_log' ? 'action' : 'hash'} = 'x'`),
      `UPDATE ${table}`,
    ).rejects.toMatchObject(denied);
    await expect(pool.query(`DELETE FROM ${table}`), `DELETE ${table}`).rejects.toMatchObject(denied);
    // audit_heads has no TRUNCATE trigger: only the missing privilege stops this one
    await expect(pool.query(`TRUNCATE ${table}`), `TRUNCATE ${table}`).rejects.toMatchObject(denied);
    await expect(pool.query(`ALTER TABLE ${table} DISABLE TRIGGER ALL`), `DISABLE TRIGGER ${table}`).rejects.toMatchObject(
      denied,
    );
  }
  await expect(pool.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only')).rejects.toMatchObject(denied);
  await expect(pool.query('DROP TRIGGER audit_log_append_only ON audit_log')).rejects.toMatchObject(denied);
  await expect(
    pool.query(
      'CREATE OR REPLACE FUNCTION sanita_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$',
    ),
  ).rejects.toMatchObject(denied);
  // replica mode would skip the append-only triggers
  await expect(pool.query('SET session_replication_role = replica')).rejects.toMatchObject(denied);
  await expect(pool.query('DELETE FROM audit_seal_state')).rejects.toMatchObject(denied);
  await expect(pool.query('ALTER ROLE CURRENT_USER SUPERUSER')).rejects.toMatchObject(denied);
}

describe('the serving database role', () => {
  it('is the role the app runs as: not a superuser, owning nothing', async () => {
    const who = await ctx.database.pool.query<{ user: string; superuser: string }>(
      `SELECT current_user AS user, current_setting('is_superuser') AS superuser`,
    );
    expect(who.rows[0]).toEqual({ user: SERVING_ROLE, superuser: 'off' });
    const owned = await serving.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)`,
    );
    expect(owned.rows[0]!.n).toBe(0);
    const role = await serving.query(
      `SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolinherit FROM pg_roles WHERE rolname = current_user`,
    );
    expect(role.rows[0]).toEqual({
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolbypassrls: false,
      rolinherit: false,
    });
    expect(await servingRoleProblems(serving)).toEqual([]);
  });

  it('cannot change, remove or truncate the audit trail, nor switch off its triggers', async () => {
    await expectCannotTamper(serving);
    // the rows are still all there, and the owner still sees the triggers enabled
    const { rows } = await ctx.sql.query<{ tgname: string; tgenabled: string }>(
      `SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal ORDER BY tgname`,
    );
    expect(rows).toEqual([
      { tgname: 'audit_log_append_only', tgenabled: 'O' },
      { tgname: 'audit_log_no_truncate', tgenabled: 'O' },
    ]);
  });

  it('reads the code sets (ICD-10-CM, CVX) but cannot change them', async () => {
    const { rows } = await serving.query<{ code: string }>(`SELECT code FROM icd10_codes WHERE code = 'J45.909'`);
    expect(rows).toEqual([{ code: 'J45.909' }]);
    for (const table of referenceTables()) {
      await expect(serving.query(`DELETE FROM ${table}`), `DELETE ${table}`).rejects.toMatchObject(denied);
    }
    await expect(serving.query(`UPDATE icd10_codes SET description = 'x' WHERE code = 'J45.909'`)).rejects.toMatchObject(denied);
    await expect(serving.query(`UPDATE cvx_codes SET short_description = 'x'`)).rejects.toMatchObject(denied);
    await expect(serving.query(`INSERT INTO icd10_words (word) VALUES ('zzzz')`)).rejects.toMatchObject(denied);
    expect(referenceTables()).toEqual(
      expect.arrayContaining(['icd10_codes', 'icd10_words', 'cvx_codes', 'terminology_releases']),
    );
  });

  it('appends to the audit trail, and the sealer moves its position', async () => {
    const { rows } = await serving.query<{ id: string }>(
      `INSERT INTO audit_log (action, outcome) VALUES ('test.serving_role', 'success') RETURNING id`,
    );
    const admin = await ctx.login('admin@sanita.test');
    const res = await admin.req('POST', '/api/admin/audit/verify');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ok: true });
    const sealed = await ctx.sql.query('SELECT 1 FROM audit_seals WHERE audit_id = $1', [rows[0]!.id]);
    expect(sealed.rowCount).toBe(1);
  });

  it('serves a registration, a name search and a booking (triggers and queued reminders run as this role)', async () => {
    const desk: Session = await ctx.login('receptionist@sanita.test');
    const family = `Rolesu${crypto.randomBytes(3).toString('hex').replace(/\d/g, 'x')}`;
    const reg = await desk.req('POST', '/api/patients', {
      givenName: 'Aimée',
      familyName: family,
      sex: 'female',
      birthDate: '1990-05-17',
      phones: ['+243811111111'],
      allowDuplicate: true,
    });
    expect(reg.statusCode, reg.body).toBe(201);
    const patientId = reg.json<{ id: string }>().id;
    const found = await desk.req('GET', `/api/patients?q=${encodeURIComponent(`aimee ${family}`)}`);
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json<{ data: { id: string }[] }>().data.map((p) => p.id)).toContain(patientId);

    const one = async (q: string, p: unknown[] = []) => (await ctx.sql.query<{ id: string }>(q, p)).rows[0]!.id;
    const practitionerId = await one(`SELECT id FROM practitioners WHERE display_name = 'Dr Amani Mukendi'`);
    const visitTypeId = await one(`SELECT id FROM visit_types WHERE code = 'consultation'`);
    const from = new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 16 * 86_400_000).toISOString().slice(0, 10);
    const slots = await desk.req(
      'GET',
      `/api/practitioners/${practitionerId}/slots?clinicId=${ctx.ids.kin}&visitTypeId=${visitTypeId}&from=${from}&to=${to}`,
    );
    expect(slots.statusCode, slots.body).toBe(200);
    const startsAt = slots.json<{ data: { startsAt: string }[] }>().data[0]!.startsAt;
    const booked = await desk.req('POST', '/api/appointments', { patientId, practitionerId, visitTypeId, startsAt });
    expect(booked.statusCode, booked.body).toBe(201);
    // the booking queued its reminder in the pgboss schema, as the serving role
    const jobs = await ctx.sql.query(
      `SELECT 1 FROM pgboss.job WHERE name = 'appointment.reminder' AND data->>'reminderId' IN
      (SELECT id::text FROM appointment_reminders WHERE appointment_id = $1)`,
      [booked.json<{ id: string }>().id],
    );
    expect(jobs.rowCount).toBeGreaterThan(0);
  });
});

describe('boot', () => {
  const roles: string[] = [];
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: inject('serverUrl') });
    await admin.connect();
    try {
      for (const r of roles) {
        // its grants live in this file's database only
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, [r]);
        const db = new pg.Client({ connectionString: ctx.dbUrl });
        await db.connect();
        await db.query(`DROP OWNED BY ${pg.escapeIdentifier(r)}`).finally(() => db.end());
        await admin.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(r)}`);
      }
    } finally {
      await admin.end();
    }
  });

  async function createRole(attributes: string): Promise<string> {
    const name = `sanita_test_${crypto.randomBytes(4).toString('hex')}`;
    roles.push(name);
    await ctx.sql.query(`CREATE ROLE ${name} LOGIN PASSWORD 'Role-pass-2026' ${attributes}`);
    return urlWithUser(ctx.dbUrl, name, 'Role-pass-2026');
  }

  it('connects the server as the serving role when DATABASE_URL is the superuser', async () => {
    // someone widened the role: the next start narrows it again
    await ctx.sql.query(`ALTER ROLE ${SERVING_ROLE} CREATEDB`);
    const boot = await bootDatabase({ ...ctx.config, databaseUrl: ctx.dbUrl, databaseAppUrl: undefined }, () => {}, {
      seed: false,
    });
    try {
      const who = await boot.database.pool.query<{ user: string }>('SELECT current_user AS user');
      expect(who.rows[0]!.user).toBe(SERVING_ROLE);
      const role = await ctx.sql.query(`SELECT rolcreatedb FROM pg_roles WHERE rolname = $1`, [SERVING_ROLE]);
      expect(role.rows[0]).toEqual({ rolcreatedb: false });
      await expectCannotTamper(boot.database.pool);
    } finally {
      await boot.database.close();
    }
  });

  it('serves with DATABASE_APP_URL, granting that role what it needs and no more', async () => {
    const appUrl = await createRole('');
    const boot = await bootDatabase({ ...ctx.config, databaseUrl: ctx.dbUrl, databaseAppUrl: appUrl }, () => {}, {
      seed: false,
    });
    try {
      const { rows } = await boot.database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM patients');
      expect(rows[0]!.n).toBeGreaterThan(0);
      await expectCannotTamper(boot.database.pool);
    } finally {
      await boot.database.close();
    }
  });

  it('refuses to start when DATABASE_APP_URL logs in as a superuser', async () => {
    const appUrl = await createRole('SUPERUSER');
    await expect(
      bootDatabase({ ...ctx.config, databaseUrl: ctx.dbUrl, databaseAppUrl: appUrl }, () => {}, { seed: false }),
    ).rejects.toThrow(/not least-privileged: sanita_test_\w+ is a superuser/);
  });
});

describe('configuration', () => {
  const owner = 'postgres://sanita_owner:a@db.example.org/sanita';
  const app = 'postgres://sanita_serving:b@db.example.org/sanita';

  it('takes the serving connection from DATABASE_APP_URL, beside the owner one', () => {
    expect(loadConfig({ DATABASE_URL: owner, DATABASE_APP_URL: app })).toMatchObject({
      databaseUrl: owner,
      databaseAppUrl: app,
    });
  });

  it('refuses DATABASE_APP_URL without DATABASE_URL, or naming the same role', () => {
    expect(() => loadConfig({ DATABASE_APP_URL: app })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_APP_URL: app })).toThrow(/DATABASE_APP_URL: requires DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: owner, DATABASE_APP_URL: owner.replace(':a@', ':c@') })).toThrow(
      /DATABASE_APP_URL: must log in as another role/,
    );
  });
});
