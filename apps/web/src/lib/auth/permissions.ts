import type { Static } from '@sinclair/typebox';
import type { MeView } from '@sanita/contracts/auth';
import type { Permission as KnownPermission } from '@sanita/contracts/catalogue';

// The names come from the contracts' catalogue, the one list the server also takes them from.
export { PERMISSIONS, ROLES, type Role } from '@sanita/contracts/catalogue';

// Permissions are strings from the database; an unknown one (added by a later server) stays usable.
export type Permission = KnownPermission | (string & {});

/** A patient-only account: it gets the portal and never the staff navigation. */
export function isPortalOnly(me: Static<typeof MeView>): boolean {
  const staff = me.memberships.some((m) => m.role !== 'patient');
  return !staff && (me.patientId !== null || me.permissions.includes('portal:self'));
}
