import type { FastifyReply, FastifyRequest } from 'fastify';
import { Forbidden, Unauthorized } from './errors.ts';
import type { AuditActor } from './audit/audit.ts';
import { ROLES, type Permission, type Role } from '@sanita/contracts/catalogue';

export { ROLES, type Permission, type Role } from '@sanita/contracts/catalogue';

/** The part of a module manifest the access catalogue reads (platform/module.ts). */
interface AccessDeclaration {
  name: string;
  permissions?: readonly Permission[];
  grants?: { readonly [R in Role]?: readonly Permission[] };
}

/**
 * Every permission the product knows: those the modules declare, in manifest order. The role →
 * permission matrix itself lives in the database.
 */
export function permissionCatalogue(modules: readonly AccessDeclaration[]): Permission[] {
  return [...new Set(modules.flatMap((m) => m.permissions ?? []))];
}

/**
 * The matrix seeded on a new installation, assembled from each module's grants; admins change it
 * from the UI afterwards. A module grants only the permissions it declares.
 */
export function defaultRoleMatrix(modules: readonly AccessDeclaration[]): Record<Role, Permission[]> {
  const matrix = Object.fromEntries(ROLES.map((r) => [r, [] as Permission[]])) as Record<Role, Permission[]>;
  for (const m of modules) {
    for (const [role, perms] of Object.entries(m.grants ?? {}) as [Role, readonly Permission[]][]) {
      const foreign = perms.filter((p) => !m.permissions?.includes(p));
      if (foreign.length) throw new Error(`module ${m.name} grants permissions it does not declare: ${foreign.join(', ')}`);
      for (const p of perms) if (!matrix[role].includes(p)) matrix[role].push(p);
    }
  }
  return matrix;
}

export interface Membership {
  clinicId: string;
  role: string;
  requireMfa: boolean;
  permissions: string[];
}

/** The authenticated user of a request, re-read from the database on every request. */
export interface Principal {
  userId: string;
  sessionId: string;
  email: string;
  displayName: string;
  locale: string;
  patientId: string | null;
  mfaEnrolled: boolean;
  /** the clinic the request acts in (X-Clinic-Id, else the first membership) */
  clinicId: string | null;
  /** roles held in the active clinic */
  roles: string[];
  permissions: Set<string>;
  memberships: Membership[];
  /** a role held anywhere requires 2FA and the user has not enrolled yet */
  mfaEnrollmentRequired: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The principal of an authenticated request; throws 401 otherwise. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new Unauthorized();
  return req.principal;
}

/** The audit actor for a request, anonymous or not. */
export function actorOf(req: FastifyRequest): AuditActor {
  const p = req.principal;
  return {
    userId: p?.userId ?? null,
    role: p ? p.roles.join(',') || null : null,
    clinicId: p?.clinicId ?? null,
    ip: req.ip,
    userAgent: req.headers['user-agent'] ?? null,
    requestId: req.id,
  };
}

/** A preHandler that requires a permission in the active clinic. */
export function requirePermission(...anyOf: Permission[]) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const p = principalOf(req);
    if (!anyOf.some((perm) => p.permissions.has(perm))) throw new Forbidden();
  };
}
