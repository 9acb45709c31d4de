import { permissions } from '@sanita/contracts/admin';
import { defineModule, routes } from '../../platform/module.ts';
import { AdminService } from './admin.service.ts';
import { adminRoutes } from './admin.routes.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    admin: { admin: AdminService };
  }
}

const [usersRead, usersWrite, rolesWrite, auditRead, settingsWrite] = permissions;

/** Administration: users and their memberships, the role matrix, the audit trail, settings. */
export const adminModule = defineModule({
  name: 'admin',
  permissions,
  grants: {
    super_admin: [usersRead, usersWrite, rolesWrite, auditRead, settingsWrite],
    admin: [usersRead, usersWrite, rolesWrite, auditRead, settingsWrite],
    manager: [usersRead, auditRead],
  },
  needs: ['auth', 'clinics'],
  services: ({ db, pool, keys }, { auth, clinics }) => ({ admin: new AdminService(db, pool, auth, clinics, keys) }),
  routes: ({ admin }) => [routes(adminRoutes, { admin })],
  matrix: new URL('./admin.matrix.ts', import.meta.url),
});
