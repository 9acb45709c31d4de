import type { FastifyReply, FastifyRequest } from 'fastify';
import { Forbidden, Unauthorized } from './errors.ts';
import type { AuditActor } from './audit/audit.ts';

/** Every permission the product knows; the role → permission matrix lives in the database. */
export const PERMISSIONS = [
  'patients:read',
  'patients:write',
  'patients:merge',
  'patients:read_all_clinics',
  'users:read',
  'users:write',
  'roles:write',
  'audit:read',
  'settings:write',
  'portal:self',
  'appointments:read',
  'appointments:write',
  'availability:write',
  'queue:read',
  'queue:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = [
  'super_admin',
  'admin',
  'manager',
  'doctor',
  'nurse',
  'receptionist',
  'pharmacist',
  'lab_technician',
  'optician',
  'accountant',
  'cashier',
  'secretary',
  'insurer',
  'patient',
] as const;
export type Role = (typeof ROLES)[number];

const clinical: Permission[] = ['patients:read', 'patients:write'];
const scheduling: Permission[] = ['appointments:read', 'appointments:write'];
const queue: Permission[] = ['queue:read', 'queue:write'];
/** staff who serve patients at a service point: they see and move its queue */
const servicePoint: Permission[] = ['patients:read', 'appointments:read', ...queue];
/** The seeded matrix; admins change it from the UI afterwards. */
export const DEFAULT_ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  super_admin: PERMISSIONS.filter((p) => p !== 'portal:self'),
  admin: [
    'patients:read',
    'patients:write',
    'patients:merge',
    'users:read',
    'users:write',
    'roles:write',
    'audit:read',
    'settings:write',
    ...scheduling,
    'availability:write',
    ...queue,
  ],
  manager: ['patients:read', 'users:read', 'audit:read', 'appointments:read', 'queue:read'],
  doctor: [...clinical, ...scheduling, ...queue],
  nurse: [...clinical, ...scheduling, ...queue],
  receptionist: [...clinical, 'patients:merge', ...scheduling, 'availability:write', ...queue],
  secretary: [...clinical, ...scheduling, 'availability:write', ...queue],
  pharmacist: servicePoint,
  lab_technician: servicePoint,
  optician: [...servicePoint, 'appointments:write'],
  accountant: ['patients:read'],
  cashier: servicePoint,
  insurer: [],
  patient: ['portal:self'],
};

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
