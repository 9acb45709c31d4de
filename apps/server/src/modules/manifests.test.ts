import { describe, expect, it } from 'vitest';
import { PERMISSIONS as CONTRACT_PERMISSIONS } from '@sanita/contracts/catalogue';
import { defaultRoleMatrix, permissionCatalogue, ROLES } from '../platform/access.ts';
import { modules } from './index.ts';

const DEFAULT_ROLE_PERMISSIONS = defaultRoleMatrix(modules);
const PERMISSIONS = permissionCatalogue(modules);

/**
 * The role → permission matrix seeded on a new installation for the permissions that existed when
 * it was one table in access.ts, written out by hand as it was then. The modules now declare their
 * own grants (their manifests); this copy makes sure that assembling them changed nothing. A domain
 * added since declares and tests its own grants: it does not edit this table.
 */
const TODAY: Record<string, string[]> = {
  super_admin: [
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
  ],
  admin: [
    'patients:read',
    'patients:write',
    'patients:merge',
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
  ],
  manager: ['patients:read', 'users:read', 'audit:read', 'appointments:read', 'queue:read'],
  doctor: ['patients:read', 'patients:write', 'appointments:read', 'appointments:write', 'queue:read', 'queue:write'],
  nurse: ['patients:read', 'patients:write', 'appointments:read', 'appointments:write', 'queue:read', 'queue:write'],
  receptionist: [
    'patients:read',
    'patients:write',
    'patients:merge',
    'appointments:read',
    'appointments:write',
    'availability:write',
    'queue:read',
    'queue:write',
  ],
  secretary: [
    'patients:read',
    'patients:write',
    'appointments:read',
    'appointments:write',
    'availability:write',
    'queue:read',
    'queue:write',
  ],
  pharmacist: ['patients:read', 'appointments:read', 'queue:read', 'queue:write'],
  lab_technician: ['patients:read', 'appointments:read', 'queue:read', 'queue:write'],
  optician: ['patients:read', 'appointments:read', 'queue:read', 'queue:write', 'appointments:write'],
  accountant: ['patients:read'],
  cashier: ['patients:read', 'appointments:read', 'queue:read', 'queue:write'],
  insurer: [],
  patient: ['portal:self'],
};

const sorted = (m: Record<string, readonly string[]>) =>
  Object.fromEntries(Object.entries(m).map(([role, perms]) => [role, [...perms].sort()]));

describe('the default role matrix', () => {
  it('is the matrix the product has always seeded', () => {
    const before = new Set(Object.values(TODAY).flat());
    const assembled = Object.fromEntries(
      Object.entries(DEFAULT_ROLE_PERMISSIONS).map(([role, perms]) => [role, perms.filter((p) => before.has(p))]),
    );
    expect(sorted(assembled)).toEqual(sorted(TODAY));
    expect([...ROLES].sort()).toEqual(Object.keys(TODAY).sort());
  });

  it('grants no permission twice to a role and only permissions of the catalogue', () => {
    for (const [role, perms] of Object.entries(DEFAULT_ROLE_PERMISSIONS) as [string, string[]][]) {
      expect(new Set(perms).size, role).toBe(perms.length);
      for (const p of perms) expect(PERMISSIONS, `${role}: ${p}`).toContain(p);
    }
  });
});

describe('the module registry (modules/index.ts)', () => {
  it('declares every permission of the contracts, each in one module', () => {
    expect([...PERMISSIONS].sort()).toEqual([...CONTRACT_PERMISSIONS].sort());
    const declared = modules.flatMap((m) => m.permissions ?? []);
    expect(declared).toHaveLength(new Set(declared).size);
  });

  it('lists each module once, after the modules it needs', () => {
    const seen = new Set<string>();
    for (const m of modules) {
      expect(seen.has(m.name), m.name).toBe(false);
      for (const need of m.needs ?? []) expect([...seen], `${m.name} needs ${need}`).toContain(need);
      seen.add(m.name);
    }
  });

  it('refuses a module that grants a permission it does not declare', () => {
    expect(() => defaultRoleMatrix([{ name: 'rogue', permissions: [], grants: { nurse: ['patients:merge'] } }])).toThrow(
      'module rogue grants permissions it does not declare: patients:merge',
    );
  });

  it('gives every module with routes its rows of the authorization matrix', () => {
    expect(modules.filter((m) => m.routes && !m.matrix).map((m) => m.name)).toEqual([]);
  });
});
