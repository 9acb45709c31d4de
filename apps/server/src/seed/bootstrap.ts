import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/database.ts';
import { DEFAULT_ROLE_PERMISSIONS, PERMISSIONS, ROLES } from '../platform/access.ts';
import { permissions, rolePermissions, roles } from '../db/schema/identity.ts';

/**
 * Reference data every installation needs, applied at each start and idempotent: the permission
 * catalogue and the roles. A role gets its default permissions only when it is first created, so
 * that an administrator's later changes to the matrix are kept; super_admin always has everything.
 */
export async function bootstrapReferenceData(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(permissions)
      .values(PERMISSIONS.map((id) => ({ id })))
      .onConflictDoNothing();
    const created = await tx
      .insert(roles)
      .values(ROLES.map((id) => ({ id, isStaff: id !== 'patient', requireMfa: false })))
      .onConflictDoNothing()
      .returning({ id: roles.id });
    const grants = created.flatMap((r) =>
      DEFAULT_ROLE_PERMISSIONS[r.id as keyof typeof DEFAULT_ROLE_PERMISSIONS].map((p) => ({ roleId: r.id, permissionId: p })),
    );
    if (grants.length) await tx.insert(rolePermissions).values(grants).onConflictDoNothing();
    await tx.execute(sql`INSERT INTO role_permissions (role_id, permission_id)
      SELECT 'super_admin', id FROM permissions WHERE id <> 'portal:self' ON CONFLICT DO NOTHING`);
  });
}
