import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/database.ts';
import { defaultRoleMatrix, permissionCatalogue, ROLES } from '../platform/access.ts';
import { modules } from '../modules/index.ts';
import { permissions, rolePermissions, roles } from '../db/schema/identity.ts';

/**
 * Reference data every installation needs, applied at each start and idempotent: the permission
 * catalogue and the roles. A role gets its default permissions when it is first created, and a
 * permission is granted to the roles whose defaults hold it when the permission itself first appears
 * (a new release): an administrator's later changes to the matrix are kept; super_admin always has
 * everything. The catalogue and the default grants are those the modules declare (modules/index.ts).
 */
export async function bootstrapReferenceData(db: Db): Promise<void> {
  const PERMISSIONS = permissionCatalogue(modules);
  const DEFAULT_ROLE_PERMISSIONS = defaultRoleMatrix(modules);
  await db.transaction(async (tx) => {
    const newPermissions = new Set(
      (
        await tx
          .insert(permissions)
          .values(PERMISSIONS.map((id) => ({ id })))
          .onConflictDoNothing()
          .returning({ id: permissions.id })
      ).map((p) => p.id),
    );
    const created = new Set(
      (
        await tx
          .insert(roles)
          .values(ROLES.map((id) => ({ id, isStaff: id !== 'patient', requireMfa: false })))
          .onConflictDoNothing()
          .returning({ id: roles.id })
      ).map((r) => r.id),
    );
    const grants = ROLES.flatMap((role) =>
      DEFAULT_ROLE_PERMISSIONS[role]
        .filter((p) => created.has(role) || newPermissions.has(p))
        .map((p) => ({ roleId: role, permissionId: p })),
    );
    if (grants.length) await tx.insert(rolePermissions).values(grants).onConflictDoNothing();
    await tx.execute(sql`INSERT INTO role_permissions (role_id, permission_id)
      SELECT 'super_admin', id FROM permissions WHERE id <> 'portal:self' ON CONFLICT DO NOTHING`);
  });
  // the modules' own reference data (code sets), each skipped when already loaded
  for (const m of modules) await m.reference?.load(db);
}

/** The reference tables of every module: the serving role only reads them (platform/db/roles.ts). */
export const referenceTables = (): string[] => modules.flatMap((m) => m.reference?.tables ?? []);

/** The append-only tables the modules declare: the serving role only reads and appends them (platform/db/roles.ts). */
export const appendOnlyTables = (): string[] => modules.flatMap((m) => m.appendOnlyTables ?? []);
