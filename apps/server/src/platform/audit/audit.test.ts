import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createTestContext, lastAuditId, type TestContext } from '../../../test/helpers.ts';
import { TEST_MASTER_KEY } from '../../../test/constants.ts';
import { namedStatement, runNamed } from '../db/queries.ts';
import { auditInsert, auditPlaceholders, auditRow, auditValues, writeAudit, type AuditActor, type AuditEntry } from './audit.ts';
import { sealAudit } from './chain.ts';

let ctx: TestContext;
const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

async function verifyViaApi() {
  const admin = await ctx.login('admin@sanita.test');
  const res = await admin.req('POST', '/api/admin/audit/verify');
  expect(res.statusCode).toBe(200);
  return res.json<{ ok: boolean; checked: number; firstBad?: { auditId: number | null; reason: string } }>();
}

function verifyViaCli() {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/audit-verify.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      DATABASE_URL: ctx.dbUrl,
      SANITA_MASTER_KEY: TEST_MASTER_KEY,
      SANITA_DATA_DIR: ctx.config.dataDir,
      LOG_LEVEL: 'silent',
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

async function superuser(sql: string, params: unknown[] = []) {
  return ctx.sql.query(sql, params);
}

describe('audit trail', () => {
  it('seals a row whose transaction committed after later rows were sealed, on the next look-back run', async () => {
    const late = await ctx.sql.connect();
    try {
      await late.query('BEGIN');
      const { rows } = await late.query<{ id: string }>(
        `INSERT INTO audit_log (action, outcome) VALUES ('test.late_commit', 'success') RETURNING id`,
      );
      const lateId = Number(rows[0]!.id);
      await ctx.sql.query(`INSERT INTO audit_log (action, outcome) VALUES ('test.early_commit', 'success')`);
      await sealAudit(ctx.database.pool, undefined, 0, false);
      await late.query('COMMIT');
      const sealed = async () => (await ctx.sql.query('SELECT 1 FROM audit_seals WHERE audit_id = $1', [lateId])).rowCount;
      // a routine run only reads past the highest sealed id, so it cannot see the late row
      await sealAudit(ctx.database.pool, undefined, 0, false);
      expect(await sealed()).toBe(0);
      await sealAudit(ctx.database.pool, undefined, 0, true);
      expect(await sealed()).toBe(1);
      expect((await verifyViaApi()).ok).toBe(true);
    } finally {
      late.release();
    }
  });

  it('refuses UPDATE, DELETE and TRUNCATE, even for the database superuser', async () => {
    await verifyViaApi(); // seals the rows so far, so that audit_seals has rows to protect
    await expect(superuser(`UPDATE audit_log SET action = 'x' WHERE id = (SELECT min(id) FROM audit_log)`)).rejects.toThrow(
      /append-only/,
    );
    await expect(superuser(`DELETE FROM audit_log WHERE id = (SELECT min(id) FROM audit_log)`)).rejects.toThrow(/append-only/);
    await expect(superuser(`TRUNCATE audit_log CASCADE`)).rejects.toThrow(/append-only/);
    await expect(superuser(`DELETE FROM audit_seals`)).rejects.toThrow(/append-only/);
  });

  it('is intact after normal activity, through the admin page API and the command', async () => {
    const doctor = await ctx.login('doctor@sanita.test');
    await doctor.req('GET', `/api/patients/${ctx.ids.kinPatient}`);
    await doctor.req('GET', '/api/patients?q=mbuyi');
    const api = await verifyViaApi();
    expect(api.ok).toBe(true);
    expect(api.checked).toBeGreaterThan(3);
    const cli = verifyViaCli();
    expect(cli.out).toContain('audit chain intact');
    expect(cli.code).toBe(0);
  });

  it('names the first altered row when someone with superuser rights rewrites history', async () => {
    const nurse = await ctx.login('nurse@sanita.test');
    await nurse.req('GET', `/api/patients/${ctx.ids.kinPatient}`);
    await verifyViaApi(); // seals everything so far
    const { rows } = await superuser(
      `SELECT id::int FROM audit_log WHERE action = 'patient.read' AND actor_user_id = $1 ORDER BY id DESC LIMIT 1`,
      [nurse.userId],
    );
    const target = rows[0].id as number;
    // the attacker hides that the nurse read the record
    await superuser('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await superuser(`UPDATE audit_log SET patient_id = NULL, action = 'auth.me' WHERE id = $1`, [target]);
    await superuser('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    const api = await verifyViaApi();
    expect(api.ok).toBe(false);
    expect(api.firstBad).toMatchObject({ auditId: target, reason: expect.stringContaining('differs') });
    const cli = verifyViaCli();
    expect(cli.code).toBe(1);
    expect(cli.out).toContain(`audit row ${target}`);
  });
});

describe('audit trail: deletion', () => {
  it('detects a row deleted together with its seal', async () => {
    const other = await createTestContext();
    try {
      const admin = await other.login('admin@sanita.test');
      await admin.req('GET', `/api/patients/${other.ids.kinPatient}`);
      expect((await admin.req('POST', '/api/admin/audit/verify')).json().ok).toBe(true);
      const { rows } = await other.sql.query(`SELECT audit_id::int AS id FROM audit_seals ORDER BY seq LIMIT 1 OFFSET 2`);
      const victim = rows[0].id as number;
      await other.sql.query('ALTER TABLE audit_seals DISABLE TRIGGER audit_seals_append_only');
      await other.sql.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await other.sql.query('DELETE FROM audit_seals WHERE audit_id = $1', [victim]);
      await other.sql.query('DELETE FROM audit_log WHERE id = $1', [victim]);
      await other.sql.query('ALTER TABLE audit_seals ENABLE TRIGGER audit_seals_append_only');
      await other.sql.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
      const res = (await admin.req('POST', '/api/admin/audit/verify')).json();
      expect(res.ok).toBe(false);
      expect(res.firstBad.reason).toMatch(/missing/);
    } finally {
      await other.close();
    }
  });
});

describe('audit rows inside a statement', () => {
  it('auditInsert, with values or with placeholders, writes exactly the row writeAudit writes', async () => {
    const db = ctx.database.db;
    const actor: AuditActor = {
      userId: ctx.ids.users['doctor@sanita.test']!,
      role: 'doctor',
      clinicId: ctx.ids.kin,
      ip: '10.1.2.3',
      userAgent: 'x'.repeat(400),
      requestId: 'req-42',
    };
    const entries: AuditEntry[] = [
      {
        action: 'test.same_row',
        outcome: 'denied',
        patientId: ctx.ids.kinPatient,
        resourceType: 'patient',
        resourceId: ctx.ids.kinPatient,
        details: { shown: 2, ids: ['a', 'b'] },
      },
      { action: 'test.minimal' },
      { action: 'test.other_user', userId: null },
    ];
    const placeholders = namedStatement('test_audit_placeholders', sql`WITH a AS (${auditInsert(auditPlaceholders())}) SELECT 1`);
    for (const entry of entries) {
      const before = await lastAuditId(ctx.sql);
      await writeAudit(db, actor, entry);
      await db.execute(sql`WITH a AS (${auditInsert(auditRow(actor, entry))}) SELECT 1`);
      await runNamed(db, placeholders, auditValues({ actor, entry }));
      const { rows } = await ctx.sql.query(
        `SELECT actor_user_id, actor_role, clinic_id, patient_id, action, resource_type, resource_id, outcome, ip,
                user_agent, request_id, break_glass, details
           FROM audit_log WHERE id > $1 ORDER BY id`,
        [before],
      );
      expect(rows, entry.action).toHaveLength(3);
      expect(rows[1], entry.action).toEqual(rows[0]);
      expect(rows[2], entry.action).toEqual(rows[0]);
      expect(rows[0].user_agent).toHaveLength(300);
      expect(rows[0].action).toBe(entry.action);
    }
  });
});
