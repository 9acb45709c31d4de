import { IconClipboardList, IconShieldLock, IconUsersGroup } from '@tabler/icons-react';
import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';
import { AuditPage } from './routes/AuditPage.tsx';
import { RolesPage } from './routes/RolesPage.tsx';
import { UsersPage } from './routes/UsersPage.tsx';

export const admin = defineFeature({
  name: 'admin',
  routes: [
    {
      path: 'admin/users',
      component: UsersPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['users:read'],
      titleKey: 'admin:admin.users.title',
    },
    {
      path: 'admin/roles',
      component: RolesPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['roles:write'],
      titleKey: 'admin:admin.roles.title',
    },
    {
      path: 'admin/audit',
      component: AuditPage,
      access: 'enrolled',
      layout: 'app',
      anyOf: ['audit:read'],
      titleKey: 'admin:admin.audit.title',
    },
  ],
  navigation: [
    {
      section: 'admin',
      order: 10,
      to: '/admin/users',
      labelKey: 'admin:nav.users',
      icon: IconUsersGroup,
      permission: 'users:read',
    },
    {
      section: 'admin',
      order: 20,
      to: '/admin/roles',
      labelKey: 'admin:nav.roles',
      icon: IconShieldLock,
      permission: 'roles:write',
    },
    {
      section: 'admin',
      order: 30,
      to: '/admin/audit',
      labelKey: 'admin:nav.audit',
      icon: IconClipboardList,
      permission: 'audit:read',
    },
  ],
  strings,
});

// What other features may use: the staff directory (scheduling links a practitioner to a user account).
export { useUsers, type AdminUser } from './api/users.ts';
