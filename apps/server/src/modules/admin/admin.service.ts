import type pg from 'pg';
import type { Db } from '../../platform/db/database.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { sealAudit, verifyAudit, type VerifyResult } from '../../platform/audit/chain.ts';
import type { KeyStore } from '../../platform/auth/keys.ts';
import type { Principal } from '../../platform/access.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import type { AuthService } from '../auth/auth.service.ts';
import type { ClinicsService } from '../clinics/clinics.service.ts';
import * as repo from './admin.repository.ts';

type MembershipIn = { clinicId: string; role: string };

export class AdminService {
  constructor(
    private readonly db: Db,
    private readonly pool: pg.Pool,
    private readonly auth: AuthService,
    private readonly clinics: ClinicsService,
    private readonly keys: KeyStore,
  ) {}

  private isSuper(p: Principal) {
    return p.memberships.some((m) => m.role === 'super_admin');
  }

  /** Clinics where the acting admin may manage memberships. */
  private managedClinics(p: Principal): Set<string> | 'all' {
    if (this.isSuper(p)) return 'all';
    return new Set(p.memberships.filter((m) => m.permissions.includes('users:write')).map((m) => m.clinicId));
  }

  private async checkMemberships(p: Principal, items: MembershipIn[], field = 'memberships'): Promise<void> {
    const clinics = new Set((await this.clinics.list()).map((c) => c.id));
    const roles = new Set(await repo.existingRoles(this.db, [...new Set(items.map((m) => m.role))]));
    const managed = this.managedClinics(p);
    const issues = items.flatMap((m, i) => {
      if (!clinics.has(m.clinicId)) return [{ field: `${field}.${i}.clinicId`, message: 'is not a clinic of this organisation' }];
      if (!roles.has(m.role)) return [{ field: `${field}.${i}.role`, message: 'is not a role' }];
      if (m.role === 'patient') return [{ field: `${field}.${i}.role`, message: 'patients register through the portal' }];
      if (m.role === 'super_admin' && !this.isSuper(p))
        return [{ field: `${field}.${i}.role`, message: 'only a super admin can grant super_admin' }];
      if (managed !== 'all' && !managed.has(m.clinicId))
        return [{ field: `${field}.${i}.clinicId`, message: 'you do not manage users of that clinic' }];
      return [];
    });
    if (issues.length) throw new Invalid(issues);
  }

  async listUsers(q: string | undefined, limit: number, cursor: string | undefined, includePatients: boolean) {
    const offset = cursor ? Number(cursor) : 0;
    const rows = await repo.listUsers(this.db, q?.trim() || undefined, limit + 1, offset, includePatients);
    return { data: rows.slice(0, limit).map(view), nextCursor: rows.length > limit ? String(offset + limit) : null };
  }

  async getUser(id: string) {
    const u = await repo.getUser(this.db, id);
    if (!u) throw new NotFound('User not found');
    return view(u);
  }

  /** Creates a staff account without a password and emails an invitation to choose one. */
  async invite(
    p: Principal,
    actor: AuditActor,
    body: { email: string; displayName: string; locale?: 'en' | 'fr'; memberships: MembershipIn[] },
  ) {
    await this.checkMemberships(p, body.memberships);
    if (await this.auth.findUserByEmail(body.email))
      throw new Conflict('A user with this email already exists', 'EMAIL_TAKEN', [
        { field: 'email', message: 'is already used' },
      ]);
    const id = await this.db.transaction(async (tx) => {
      const user = await this.auth.createUser(tx, {
        email: body.email.trim(),
        displayName: body.displayName.trim(),
        passwordHash: null,
        locale: body.locale ?? 'en',
      });
      await repo.replaceMemberships(tx, user.id, body.memberships);
      await this.auth.sendInvitation(tx, user);
      await writeAudit(tx, actor, {
        action: 'admin.user_invite',
        resourceType: 'user',
        resourceId: user.id,
        details: { memberships: body.memberships },
      });
      return user.id;
    });
    return this.getUser(id);
  }

  async resendInvitation(actor: AuditActor, id: string) {
    const u = await repo.getUser(this.db, id);
    if (!u) throw new NotFound('User not found');
    if (!u.invitationPending) throw new Conflict('This user has already accepted their invitation', 'INVITATION_ACCEPTED');
    await this.db.transaction(async (tx) => {
      await this.auth.sendInvitation(tx, u);
      await writeAudit(tx, actor, { action: 'admin.user_invite_resend', resourceType: 'user', resourceId: id });
    });
  }

  async updateUser(
    p: Principal,
    actor: AuditActor,
    id: string,
    body: { displayName?: string; locale?: 'en' | 'fr'; active?: boolean },
  ) {
    if (body.active === false && id === p.userId)
      throw new Invalid([{ field: 'active', message: 'you cannot deactivate your own account' }]);
    const u = await repo.getUser(this.db, id);
    if (!u) throw new NotFound('User not found');
    if (u.memberships.some((m) => m.role === 'super_admin') && !this.isSuper(p))
      throw new Forbidden('Only a super admin can change a super admin');
    await this.db.transaction(async (tx) => {
      await this.auth.updateUser(tx, id, body);
      if (body.active === false) await this.auth.revokeUserSessions(tx, id, 'deactivated');
      await writeAudit(tx, actor, {
        action: body.active === false ? 'admin.user_deactivate' : 'admin.user_update',
        resourceType: 'user',
        resourceId: id,
        details: { fields: Object.keys(body), active: body.active },
      });
    });
    this.auth.forgetPrincipals(id);
    return this.getUser(id);
  }

  async unlock(actor: AuditActor, id: string) {
    const u = await repo.getUser(this.db, id);
    if (!u) throw new NotFound('User not found');
    await this.db.transaction(async (tx) => {
      await this.auth.updateUser(tx, id, { failedLogins: 0, lockedUntil: null });
      await writeAudit(tx, actor, { action: 'admin.user_unlock', resourceType: 'user', resourceId: id });
    });
    return this.getUser(id);
  }

  /** Replaces the memberships the acting admin manages; others stay as they are. */
  async setMemberships(p: Principal, actor: AuditActor, id: string, items: MembershipIn[]) {
    const u = await repo.getUser(this.db, id);
    if (!u) throw new NotFound('User not found');
    if (u.memberships.some((m) => m.role === 'patient'))
      throw new Invalid([{ field: 'memberships', message: 'patient accounts have no staff memberships' }]);
    await this.checkMemberships(p, items);
    const managed = this.managedClinics(p);
    const kept = managed === 'all' ? [] : u.memberships.filter((m) => !managed.has(m.clinicId));
    const next = dedupe([...kept, ...items]);
    if (id === p.userId && !next.some((m) => m.role === 'super_admin' || m.role === 'admin') && p.permissions.has('users:write'))
      throw new Invalid([{ field: 'memberships', message: 'you cannot remove your own administrator role' }]);
    await this.db.transaction(async (tx) => {
      await repo.replaceMemberships(tx, id, next);
      await writeAudit(tx, actor, {
        action: 'admin.user_memberships',
        resourceType: 'user',
        resourceId: id,
        details: { before: u.memberships, after: next },
      });
    });
    this.auth.forgetPrincipals(id);
    return this.getUser(id);
  }

  async roles() {
    return { roles: await repo.listRoles(this.db), permissions: await repo.listPermissionIds(this.db) };
  }

  async setRole(p: Principal, actor: AuditActor, roleId: string, perms: string[], requireMfa: boolean) {
    const known = new Set(await repo.listPermissionIds(this.db));
    const issues = perms.flatMap((x, i) =>
      known.has(x) ? [] : [{ field: `permissions.${i}`, message: `'${x}' is not a permission` }],
    );
    if (issues.length) throw new Invalid(issues);
    const current = (await repo.listRoles(this.db)).find((r) => r.id === roleId);
    if (!current) throw new NotFound('Role not found');
    if (roleId === 'super_admin') {
      if (!this.isSuper(p)) throw new Forbidden('Only a super admin can change the super_admin role');
      if (current.permissions.some((x) => !perms.includes(x)))
        throw new Invalid([{ field: 'permissions', message: 'super_admin keeps every permission' }]);
    }
    await this.db.transaction(async (tx) => {
      await repo.setRolePermissions(tx, roleId, perms, requireMfa);
      await writeAudit(tx, actor, {
        action: 'admin.role_update',
        resourceType: 'role',
        resourceId: roleId,
        details: {
          added: perms.filter((x) => !current.permissions.includes(x)),
          removed: current.permissions.filter((x) => !perms.includes(x)),
          requireMfa,
        },
      });
    });
    this.auth.forgetPrincipals();
    return (await repo.listRoles(this.db)).find((r) => r.id === roleId)!;
  }

  async audit(actor: AuditActor, f: Omit<repo.AuditFilters, 'before'> & { cursor?: string }) {
    return this.db.transaction(async (tx) => {
      const rows = await repo.listAudit(tx, { ...f, before: f.cursor ? Number(f.cursor) : undefined, limit: f.limit + 1 });
      const page = rows.slice(0, f.limit);
      // reading the audit trail is itself audited
      await writeAudit(tx, actor, { action: 'audit.read', details: { filters: { ...f, cursor: undefined } } });
      return {
        data: page.map((r) => ({ ...r, at: r.at.toISOString(), details: r.details ?? null })),
        nextCursor: rows.length > f.limit ? String(page[page.length - 1]!.id) : null,
      };
    });
  }

  async verify(actor: AuditActor): Promise<VerifyResult> {
    await sealAudit(this.pool, (m) => this.keys.sign(m), 0);
    const result = await verifyAudit(this.pool, (m, kid, sig) => this.keys.verify(m, kid, sig));
    await writeAudit(this.db, actor, {
      action: 'audit.verify',
      outcome: result.ok ? 'success' : 'failure',
      details: { ...result },
    });
    return result;
  }
}

function dedupe(items: MembershipIn[]): MembershipIn[] {
  const seen = new Map(items.map((m) => [`${m.clinicId}:${m.role}`, m]));
  return [...seen.values()];
}

function view(u: repo.UserListRow) {
  return {
    ...u,
    lockedUntil: u.lockedUntil ? u.lockedUntil.toISOString() : null,
    createdAt: new Date(u.createdAt).toISOString(),
  };
}
