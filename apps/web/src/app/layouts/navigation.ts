import type { Icon } from '@tabler/icons-react';
import { FEATURES } from '../../features/index.ts';
import { isPortalOnly, type Permission } from '../../lib/auth/permissions.ts';
import { NAV_SECTIONS, type FeatureNavItem, type NavSectionId } from '../feature.ts';

/** The signed-in user, as the portal-only test reads it. */
type Me = Parameters<typeof isPortalOnly>[0];

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

/** Every section with the entries the features declare for it, in their order. */
export function allSections(
  items: FeatureNavItem[] = FEATURES.flatMap((f) => f.navigation),
): (NavSection & { id: NavSectionId })[] {
  return NAV_SECTIONS.map((id) => ({
    id,
    titleKey: `nav.sections.${id}`,
    items: items
      .filter((i) => i.section === id)
      .sort((a, b) => a.order - b.order)
      .map(({ to, labelKey, icon, permission }) => ({ to, labelKey, icon, permission })),
  }));
}

/** The sections this user may see in the active clinic; empty sections are dropped. */
export function navigationFor(me: Me): NavSection[] {
  const allowed = new Set(me.permissions);
  // A patient sees only their own health pages, never the clinic's.
  const sections = allSections().filter((s) => !isPortalOnly(me) || s.id === 'myHealth');
  return sections
    .map(({ titleKey, items }) => ({ titleKey, items: items.filter((i) => !i.permission || allowed.has(i.permission)) }))
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
