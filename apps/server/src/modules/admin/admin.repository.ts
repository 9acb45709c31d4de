import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { emailTokens, memberships, permissions, rolePermissions, roles, users } from '../../db/schema/identity.ts';
import { auditLog } from '../../db/schema/audit.ts';
import { patients } from '../../db/schema/patients.ts';

export interface UserListRow {
  id: string;
  email: string;
  displayName: string;
  locale: string;
  active: boolean;
  mfaEnrolled: boolean;
  lockedUntil: Date | null;
  invitationPending: boolean;
  createdAt: Date;
  memberships: { clinicId: string; role: string }[];
}

const userColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  locale: users.locale,
  active: users.active,
  mfaEnrolled: sql<boolean>`${users.totpEnabledAt} IS NOT NULL`,
  lockedUntil: sql<Date | null>`CASE WHEN ${users.lockedUntil} > now() THEN ${users.lockedUntil} END`,
  invitationPending: sql<boolean>`${users.passwordHash} IS NULL AND EXISTS (SELECT 1 FROM ${emailTokens} t WHERE t.user_id = ${users.id} AND t.purpose = 'invite' AND t.used_at IS NULL)`,
  createdAt: users.createdAt,
  memberships: sql<
    { clinicId: string; role: string }[]
  >`coalesce((SELECT json_agg(json_build_object('clinicId', m.clinic_id, 'role', m.role_id) ORDER BY m.role_id) FROM ${memberships} m WHERE m.user_id = ${users.id}), '[]'::json)`,
};

/** Staff users (and patients with portal accounts when `includePatients`), newest first. */
export async function listUsers(
  db: Executor,
  q: string | undefined,
  limit: number,
  offset: number,
  includePatients: boolean,
): Promise<UserListRow[]> {
  const where: (SQL | undefined)[] = [];
  if (q) where.push(sql`(${users.email} ILIKE ${'%' + q + '%'} OR ${users.displayName} ILIKE ${'%' + q + '%'})`);
  if (!includePatients) where.push(sql`${users.patientId} IS NULL`);
  const rows = await db
    .select(userColumns)
    .from(users)
    .where(and(...where))
    .orderBy(users.displayName, users.id)
    .limit(limit)
    .offset(offset);
  return rows.map((r) => ({ ...r, lockedUntil: r.lockedUntil ? new Date(r.lockedUntil) : null }));
}

export async function getUser(db: Executor, id: string): Promise<UserListRow | undefined> {
  const [r] = await db.select(userColumns).from(users).where(eq(users.id, id)).limit(1);
  return r ? { ...r, lockedUntil: r.lockedUntil ? new Date(r.lockedUntil) : null } : undefined;
}

export async function replaceMemberships(
  db: Executor,
  userId: string,
  items: { clinicId: string; role: string }[],
): Promise<void> {
  await db.delete(memberships).where(eq(memberships.userId, userId));
  if (items.length) await db.insert(memberships).values(items.map((m) => ({ userId, clinicId: m.clinicId, roleId: m.role })));
}

export async function listRoles(db: Executor) {
  const rs = await db.select().from(roles).orderBy(roles.id);
  const rp = await db.select().from(rolePermissions);
  return rs.map((r) => ({
    id: r.id,
    requireMfa: r.requireMfa,
    isStaff: r.isStaff,
    permissions: rp
      .filter((x) => x.roleId === r.id)
      .map((x) => x.permissionId)
      .sort(),
  }));
}

export async function listPermissionIds(db: Executor): Promise<string[]> {
  const rows = await db.select().from(permissions).orderBy(permissions.id);
  return rows.map((r) => r.id);
}

export async function setRolePermissions(db: Executor, roleId: string, perms: string[], requireMfa: boolean): Promise<boolean> {
  const updated = await db.update(roles).set({ requireMfa }).where(eq(roles.id, roleId)).returning({ id: roles.id });
  if (!updated.length) return false;
  await db.delete(rolePermissions).where(eq(rolePermissions.roleId, roleId));
  if (perms.length) await db.insert(rolePermissions).values(perms.map((permissionId) => ({ roleId, permissionId })));
  return true;
}

export async function existingRoles(db: Executor, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db.select({ id: roles.id }).from(roles).where(inArray(roles.id, ids));
  return rows.map((r) => r.id);
}

export interface AuditFilters {
  action?: string;
  actorUserId?: string;
  patientId?: string;
  patient?: string;
  actor?: string;
  sessionRenewals?: 'hide' | 'show';
  outcome?: 'success' | 'failure' | 'denied';
  from?: string;
  to?: string;
  before?: number;
  limit: number;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Patients whose MRN is the text, or whose name holds every word of it (accents and case ignored). */
function patientsMatching(text: string): SQL {
  const words = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 6);
  const byName = words.map((w) => sql`p.search_name LIKE ${`%${likeEscape(w)}%`}`);
  return sql`SELECT p.id FROM patients p WHERE upper(p.mrn) = upper(${text.trim()})${
    byName.length ? sql` OR (${sql.join(byName, sql` AND `)})` : sql``
  }`;
}

export async function listAudit(db: Executor, f: AuditFilters) {
  const where: (SQL | undefined)[] = [
    f.action
      ? f.action.endsWith('*')
        ? sql`${auditLog.action} LIKE ${f.action.slice(0, -1) + '%'}`
        : eq(auditLog.action, f.action)
      : undefined,
    f.actorUserId ? eq(auditLog.actorUserId, f.actorUserId) : undefined,
    f.patientId ? eq(auditLog.patientId, f.patientId) : undefined,
    f.patient ? sql`${auditLog.patientId} IN (${patientsMatching(f.patient)})` : undefined,
    f.actor
      ? sql`${auditLog.actorUserId} IN (SELECT u.id FROM users u WHERE u.display_name ILIKE ${`%${likeEscape(f.actor.trim())}%`}
          OR u.email ILIKE ${`%${likeEscape(f.actor.trim())}%`})`
      : undefined,
    // token refreshes flood the trail: hidden unless shown, or asked for by the action filter
    !f.action && f.sessionRenewals !== 'show' ? sql`${auditLog.action} <> 'auth.refresh'` : undefined,
    f.outcome ? eq(auditLog.outcome, f.outcome) : undefined,
    f.from ? sql`${auditLog.at} >= ${f.from}::timestamptz` : undefined,
    f.to ? sql`${auditLog.at} < ${f.to}::timestamptz` : undefined,
    f.before ? sql`${auditLog.id} < ${f.before}` : undefined,
  ];
  return db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorUserId: auditLog.actorUserId,
      actorName: users.displayName,
      actorRole: auditLog.actorRole,
      clinicId: auditLog.clinicId,
      patientId: auditLog.patientId,
      patientName: sql<string | null>`CASE WHEN ${patients.id} IS NULL THEN NULL
        ELSE concat_ws(' ', ${patients.givenName}, ${patients.middleName}, ${patients.familyName}) END`,
      patientMrn: patients.mrn,
      action: auditLog.action,
      resourceType: auditLog.resourceType,
      resourceId: auditLog.resourceId,
      outcome: auditLog.outcome,
      ip: auditLog.ip,
      details: auditLog.details,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .leftJoin(patients, eq(patients.id, auditLog.patientId))
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(f.limit);
}
