import type { Me } from '../api/types.ts';

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
  'appointments:read',
  'appointments:write',
  'availability:write',
  'queue:read',
  'queue:write',
  'portal:self',
] as const;

// Permissions are strings from the database; an unknown one (added by a later server) stays usable.
export type Permission = (typeof PERMISSIONS)[number] | (string & {});

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

/** A patient-only account: it gets the portal and never the staff navigation. */
export function isPortalOnly(me: Me): boolean {
  const staff = me.memberships.some((m) => m.role !== 'patient');
  return !staff && (me.patientId !== null || me.permissions.includes('portal:self'));
}
