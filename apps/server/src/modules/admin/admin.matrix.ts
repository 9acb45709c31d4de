import { expect } from 'vitest';
import {
  actorNamed,
  call,
  DEFAULT_ROLE_PERMISSIONS,
  has,
  matrixContext,
  next,
  type Actor,
  type MatrixSection,
} from '../../../test/matrix.ts';

const usersRead = (a: Actor) => (has(a, 'users:read') || has(a, 'users:write') ? 'ok' : 403);
const usersWrite = (a: Actor) => (has(a, 'users:write') ? 'ok' : 403);
const userId = (email: string) => matrixContext().ids.users[email];
let pendingInvitee = '';

/** Users and memberships, the role matrix, the audit trail. */
const section: MatrixSection = {
  async setup() {
    const invite = await call(actorNamed('admin'), 'POST', '/api/admin/users', {
      email: 'pending.invitee@sanita.test',
      displayName: 'Pending Invitee',
      memberships: [{ clinicId: matrixContext().ids.kin, role: 'nurse' }],
    });
    expect(invite.statusCode).toBe(201);
    pendingInvitee = invite.json().id;
  },
  routes: [
    { route: 'GET /api/admin/users', method: 'GET', url: '/api/admin/users', verdict: usersRead },
    {
      route: 'POST /api/admin/users',
      method: 'POST',
      url: '/api/admin/users',
      body: () => {
        const n = next();
        return {
          email: `matrix.${n}@sanita.test`,
          displayName: `Matrix ${n}`,
          memberships: [{ clinicId: matrixContext().ids.kin, role: 'nurse' }],
        };
      },
      verdict: usersWrite,
      ok: 201,
    },
    {
      route: 'GET /api/admin/users/:id',
      method: 'GET',
      url: () => `/api/admin/users/${userId('nurse@sanita.test')}`,
      verdict: usersRead,
    },
    {
      route: 'PATCH /api/admin/users/:id',
      method: 'PATCH',
      url: () => `/api/admin/users/${userId('cashier@sanita.test')}`,
      body: () => ({ displayName: 'Rose Mwamba' }),
      verdict: usersWrite,
    },
    {
      route: 'PUT /api/admin/users/:id/memberships',
      method: 'PUT',
      url: () => `/api/admin/users/${userId('optician@sanita.test')}/memberships`,
      body: () => ({ memberships: [{ clinicId: matrixContext().ids.kin, role: 'optician' }] }),
      verdict: usersWrite,
    },
    {
      route: 'POST /api/admin/users/:id/unlock',
      method: 'POST',
      url: () => `/api/admin/users/${userId('cashier@sanita.test')}/unlock`,
      verdict: usersWrite,
    },
    {
      route: 'POST /api/admin/users/:id/invitation',
      method: 'POST',
      url: () => `/api/admin/users/${pendingInvitee}/invitation`,
      verdict: usersWrite,
    },
    {
      route: 'GET /api/admin/roles',
      method: 'GET',
      url: '/api/admin/roles',
      verdict: (a) => (has(a, 'roles:write') || has(a, 'users:write') ? 'ok' : 403),
    },
    {
      // writes back the insurer role as it is: the matrix must not change under its own feet
      route: 'PUT /api/admin/roles/:id',
      method: 'PUT',
      url: '/api/admin/roles/insurer',
      body: () => ({ permissions: [...DEFAULT_ROLE_PERMISSIONS.insurer], requireMfa: false }),
      verdict: (a) => (has(a, 'roles:write') ? 'ok' : 403),
    },
    {
      route: 'GET /api/admin/audit',
      method: 'GET',
      url: '/api/admin/audit?limit=5',
      verdict: (a) => (has(a, 'audit:read') ? 'ok' : 403),
    },
    {
      route: 'POST /api/admin/audit/verify',
      method: 'POST',
      url: '/api/admin/audit/verify',
      verdict: (a) => (has(a, 'audit:read') ? 'ok' : 403),
    },
  ],
};
export default section;
