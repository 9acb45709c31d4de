import type pg from 'pg';
import { and, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { emailTokens, memberships, recoveryCodes, refreshTokens, roles, sessions, users } from '../../db/schema/identity.ts';
import type { Membership } from '../../platform/access.ts';

export type UserRow = typeof users.$inferSelect;

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`)
    .limit(1);
  return row;
}

export async function findUserById(db: Executor, id: string, forUpdate = false): Promise<UserRow | undefined> {
  const q = db.select().from(users).where(eq(users.id, id)).limit(1);
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export async function insertUser(
  db: Executor,
  values: {
    email: string;
    displayName: string;
    passwordHash: string | null;
    locale: string;
    patientId?: string | null;
    emailVerifiedAt?: Date | null;
  },
): Promise<UserRow> {
  const [row] = await db.insert(users).values(values).returning();
  return row!;
}

/** Counts a failed login and locks the account when the threshold is reached. */
export async function recordFailedLogin(
  db: Executor,
  userId: string,
  threshold: number,
  lockMinutes: number,
): Promise<{ locked: boolean }> {
  const [row] = await db
    .update(users)
    .set({
      failedLogins: sql`CASE WHEN ${users.lockedUntil} IS NOT NULL AND ${users.lockedUntil} <= now() THEN 1 ELSE ${users.failedLogins} + 1 END`,
      lockedUntil: sql`CASE WHEN (CASE WHEN ${users.lockedUntil} IS NOT NULL AND ${users.lockedUntil} <= now() THEN 1 ELSE ${users.failedLogins} + 1 END) >= ${threshold}
                         THEN now() + ${lockMinutes} * interval '1 minute' ELSE ${users.lockedUntil} END`,
    })
    .where(eq(users.id, userId))
    .returning({ lockedUntil: users.lockedUntil, failedLogins: users.failedLogins });
  return { locked: !!row?.lockedUntil && row.lockedUntil > new Date() && row.failedLogins >= threshold };
}

export async function clearFailedLogins(db: Executor, userId: string): Promise<void> {
  await db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, userId));
}

export async function updateUser(db: Executor, userId: string, values: Partial<typeof users.$inferInsert>): Promise<void> {
  await db
    .update(users)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(users.id, userId));
}

export async function createSession(
  db: Executor,
  values: { userId: string; expiresAt: Date; ip: string | null; userAgent: string | null; mfa: boolean },
): Promise<string> {
  const [row] = await db.insert(sessions).values(values).returning({ id: sessions.id });
  return row!.id;
}

export async function insertRefreshToken(db: Executor, tokenHash: string, sessionId: string, expiresAt: Date): Promise<void> {
  await db.insert(refreshTokens).values({ tokenHash, sessionId, expiresAt });
}

/** The refresh token and its session, locked so that two concurrent refreshes cannot both win. */
export async function findRefreshTokenForUpdate(db: Executor, tokenHash: string) {
  const [row] = await db
    .select({
      sessionId: refreshTokens.sessionId,
      usedAt: refreshTokens.usedAt,
      expiresAt: refreshTokens.expiresAt,
      userId: sessions.userId,
      sessionRevokedAt: sessions.revokedAt,
      sessionExpiresAt: sessions.expiresAt,
      mfa: sessions.mfa,
    })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .for('update', { of: refreshTokens })
    .limit(1);
  return row;
}

export async function markRefreshTokenUsed(db: Executor, tokenHash: string): Promise<void> {
  await db.update(refreshTokens).set({ usedAt: new Date() }).where(eq(refreshTokens.tokenHash, tokenHash));
}

export async function revokeSession(db: Executor, sessionId: string, reason: string, userId?: string): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt), userId ? eq(sessions.userId, userId) : undefined))
    .returning({ id: sessions.id });
  return rows.length;
}

export async function revokeUserSessions(
  db: Executor,
  userId: string,
  reason: string,
  exceptSessionId?: string,
): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        exceptSessionId ? ne(sessions.id, exceptSessionId) : undefined,
      ),
    )
    .returning({ id: sessions.id });
  return rows.length;
}

export async function listActiveSessions(db: Executor, userId: string) {
  return db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), sql`${sessions.expiresAt} > now()`))
    .orderBy(desc(sessions.lastSeenAt));
}

export type PrincipalRow = {
  user_id: string;
  email: string;
  display_name: string;
  locale: string;
  active: boolean;
  patient_id: string | null;
  mfa_enrolled: boolean;
  /** the session is not revoked (expiry is checked against session_expires_at on each use) */
  session_ok: boolean;
  session_expires_at: Date;
  session_stale: boolean;
  memberships: Membership[];
};

const PRINCIPAL_SQL = `
    SELECT u.id AS user_id, u.email, u.display_name, u.locale, u.active, u.patient_id,
           u.totp_enabled_at IS NOT NULL AS mfa_enrolled,
           s.revoked_at IS NULL AS session_ok, s.expires_at AS session_expires_at,
           (s.last_seen_at < now() - interval '1 minute') AS session_stale,
           coalesce((
             SELECT json_agg(json_build_object(
                      'clinicId', m.clinic_id, 'role', m.role_id, 'requireMfa', r.require_mfa,
                      'permissions', coalesce((SELECT json_agg(rp.permission_id) FROM role_permissions rp WHERE rp.role_id = m.role_id), '[]'::json))
                    ORDER BY c.created_at, c.code, m.role_id)
               FROM memberships m JOIN roles r ON r.id = m.role_id JOIN clinics c ON c.id = m.clinic_id
              WHERE m.user_id = u.id), '[]'::json) AS memberships
      FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = $1 AND s.user_id = $2`;

/**
 * Everything needed to authorise a request, in one round trip: the user, the session's state and
 * each membership with its role's current permissions. It runs on every request, so it is a named
 * prepared statement: PostgreSQL plans it once per connection.
 */
export async function loadPrincipalRow(pool: pg.Pool, sessionId: string, userId: string): Promise<PrincipalRow | undefined> {
  const res = await pool.query<PrincipalRow>({ name: 'auth_principal', text: PRINCIPAL_SQL, values: [sessionId, userId] });
  return res.rows[0];
}

export async function touchSession(db: Executor, sessionId: string): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.id, sessionId));
}

export async function replaceRecoveryCodes(db: Executor, userId: string, hashes: string[]): Promise<void> {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  if (hashes.length) await db.insert(recoveryCodes).values(hashes.map((codeHash) => ({ userId, codeHash })));
}

export async function useRecoveryCode(db: Executor, userId: string, codeHash: string): Promise<boolean> {
  const rows = await db
    .update(recoveryCodes)
    .set({ usedAt: new Date() })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return rows.length > 0;
}

export async function countUnusedRecoveryCodes(db: Executor, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return row?.n ?? 0;
}

export type EmailTokenPurpose = 'reset' | 'verify' | 'invite';

export async function createEmailToken(
  db: Executor,
  userId: string,
  purpose: EmailTokenPurpose,
  tokenHash: string,
  expiresAt: Date,
): Promise<void> {
  // a new token replaces earlier ones of the same kind
  await db
    .update(emailTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
  await db.insert(emailTokens).values({ userId, purpose, tokenHash, expiresAt });
}

/** Marks a valid, unused token as used and returns its user, or undefined. */
export async function consumeEmailToken(
  db: Executor,
  tokenHash: string,
  purpose: EmailTokenPurpose,
): Promise<string | undefined> {
  const [row] = await db
    .update(emailTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(emailTokens.tokenHash, tokenHash),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        sql`${emailTokens.expiresAt} > now()`,
      ),
    )
    .returning({ userId: emailTokens.userId });
  return row?.userId;
}

export async function insertMemberships(
  db: Executor,
  userId: string,
  items: { clinicId: string; roleId: string }[],
): Promise<void> {
  if (items.length)
    await db
      .insert(memberships)
      .values(items.map((m) => ({ userId, ...m })))
      .onConflictDoNothing();
}

export async function roleRequiresMfa(db: Executor, roleIds: string[]): Promise<boolean> {
  if (!roleIds.length) return false;
  const [row] = await db
    .select({ any: sql<boolean>`coalesce(bool_or(${roles.requireMfa}), false)` })
    .from(roles)
    .where(inArray(roles.id, roleIds));
  return row?.any ?? false;
}

export async function membershipRoles(db: Executor, userId: string): Promise<string[]> {
  const rows = await db.select({ roleId: memberships.roleId }).from(memberships).where(eq(memberships.userId, userId));
  return [...new Set(rows.map((r) => r.roleId))];
}
