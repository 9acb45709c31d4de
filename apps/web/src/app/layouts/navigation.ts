import {
  IconCalendarPlus,
  IconCalendarTime,
  IconCategory,
  IconHourglass,
  IconStethoscope,
  IconClipboardList,
  IconDeviceTv,
  IconMapPin,
  IconDesk,
  IconListNumbers,
  IconHeartbeat,
  IconHome,
  IconShieldLock,
  IconUserPlus,
  IconUsers,
  IconUsersGroup,
  IconEye,
  type Icon,
} from '@tabler/icons-react';
import type { Me } from '../../lib/api/types.ts';
import { isPortalOnly, type Permission } from '../../lib/auth/permissions.ts';

export interface NavItem {
  to: string;
  labelKey: string;
  icon: Icon;
  permission?: Permission;
}

export interface NavSection {
  titleKey: string;
  items: NavItem[];
}

const STAFF: NavSection[] = [
  {
    titleKey: 'nav.sections.clinic',
    items: [
      { to: '/', labelKey: 'nav.home', icon: IconHome },
      { to: '/patients', labelKey: 'nav.patients', icon: IconUsers, permission: 'patients:read' },
      { to: '/patients/new', labelKey: 'nav.registerPatient', icon: IconUserPlus, permission: 'patients:write' },
      { to: '/schedule', labelKey: 'schedNav.schedule', icon: IconCalendarTime, permission: 'appointments:read' },
      { to: '/practitioners', labelKey: 'schedNav.practitioners', icon: IconStethoscope, permission: 'appointments:read' },
      { to: '/waitlist', labelKey: 'schedNav.waitlist', icon: IconHourglass, permission: 'appointments:read' },
      { to: '/front-desk', labelKey: 'frontDesk.title', icon: IconDesk, permission: 'queue:write' },
      { to: '/queue', labelKey: 'queue.title', icon: IconListNumbers, permission: 'queue:read' },
    ],
  },
  {
    titleKey: 'nav.sections.admin',
    items: [
      { to: '/admin/users', labelKey: 'nav.users', icon: IconUsersGroup, permission: 'users:read' },
      { to: '/admin/roles', labelKey: 'nav.roles', icon: IconShieldLock, permission: 'roles:write' },
      { to: '/admin/audit', labelKey: 'nav.audit', icon: IconClipboardList, permission: 'audit:read' },
      { to: '/admin/scheduling', labelKey: 'schedNav.masterData', icon: IconCategory, permission: 'settings:write' },
      { to: '/admin/service-points', labelKey: 'servicePoints.title', icon: IconMapPin, permission: 'settings:write' },
      { to: '/admin/displays', labelKey: 'displayTokens.title', icon: IconDeviceTv, permission: 'settings:write' },
    ],
  },
];

const PORTAL: NavSection = {
  titleKey: 'nav.sections.myHealth',
  items: [
    { to: '/portal', labelKey: 'nav.myRecord', icon: IconHeartbeat, permission: 'portal:self' },
    { to: '/portal/appointments', labelKey: 'schedNav.myAppointments', icon: IconCalendarTime, permission: 'portal:self' },
    { to: '/portal/book', labelKey: 'schedNav.book', icon: IconCalendarPlus, permission: 'portal:self' },
    { to: '/portal/access', labelKey: 'nav.whoAccessed', icon: IconEye, permission: 'portal:self' },
  ],
};

/** The sections this user may see in the active clinic; empty sections are dropped. */
export function navigationFor(me: Me): NavSection[] {
  const allowed = new Set(me.permissions);
  const sections = isPortalOnly(me) ? [PORTAL] : [...STAFF, PORTAL];
  return sections
    .map((s) => ({ ...s, items: s.items.filter((i) => !i.permission || allowed.has(i.permission)) }))
    .filter((s) => s.items.length > 0);
}

/** The item whose path is the longest prefix of the current path is the active one. */
export function activeItem(sections: NavSection[], pathname: string): string | null {
  let best: string | null = null;
  for (const item of sections.flatMap((s) => s.items)) {
    const matches = item.to === '/' ? pathname === '/' : pathname === item.to || pathname.startsWith(`${item.to}/`);
    if (matches && (best === null || item.to.length > best.length)) best = item.to;
  }
  return best;
}
