import type { Icon } from '@tabler/icons-react';
import type { ComponentType } from 'react';
import type { EncounterBrief } from '@sanita/contracts/notes';
import type { Patient } from '@sanita/contracts/patients';
import type { TimelineItem } from '@sanita/contracts/timeline';
import type { Permission } from '../lib/auth/permissions.ts';
import type { Shape } from '../lib/i18n/shape.ts';

/**
 * Who may open a route, from the most open to the most guarded:
 * - `public`: anyone, signed in or not (e-mailed links, the waiting-room display);
 * - `publicOnly`: only without a session (sign in, registration); a signed-in user goes where they were heading;
 * - `signedIn`: a session, even while the role's mandatory 2FA is not set up yet (the 2FA setup page);
 * - `enrolled`: a session whose 2FA obligations are met: every staff and portal page.
 */
export type RouteAccess = 'public' | 'publicOnly' | 'signedIn' | 'enrolled';

/** The frame around the page: none (full screen), the narrow or wide public card, or the application shell. */
export type RouteLayout = 'none' | 'public' | 'publicWide' | 'app';

export interface FeatureRoute {
  /** Relative to the site root, without the leading slash (`patients/:id`); `''` is the home page. */
  path: string;
  component: ComponentType;
  access: RouteAccess;
  layout: RouteLayout;
  /** The page shows to users holding any of these in the active clinic; others see "no access". */
  anyOf?: Permission[];
  /** Translation key (with its namespace, `patients:patients.title`) of the document title. */
  titleKey?: string;
}

/** The sections of the navigation, in the order they are shown (their titles are shared strings). */
export const NAV_SECTIONS = ['clinic', 'admin', 'myHealth'] as const;
export type NavSectionId = (typeof NAV_SECTIONS)[number];

export interface FeatureNavItem {
  section: NavSectionId;
  /** Position within the section; features interleave in the sections, so each entry says where it goes. */
  order: number;
  to: string;
  /** Translation key with its namespace, `patients:nav.patients`. */
  labelKey: string;
  icon: Icon;
  /** The entry shows to users holding it in the active clinic; without one, to every signed-in user. */
  permission?: Permission;
}

export interface FeatureStrings<T extends object> {
  en: T;
  fr: Shape<T>;
}

/** What every part of a patient's chart is given: the patient record the banner shows. */
export interface ChartPartProps {
  patient: Patient;
}

/** A tab of the chart, at `/patients/:id/chart/<key>`. */
export interface ChartSection {
  /** The URL segment; `summary` is the chart's first tab. */
  key: string;
  /** Position among the tabs; features interleave, so each says where it goes. */
  order: number;
  /** Translation key with its namespace, `chart:vitals.title`. */
  labelKey: string;
  icon: Icon;
  /** The tab shows to users holding it in the active clinic; without one, to every user who may open the chart. */
  permission?: Permission;
  component: ComponentType<ChartPartProps>;
}

/** A card of the chart's summary tab, or an item of the banner that stays in view (allergies, open alerts). */
export interface ChartPart {
  key: string;
  order: number;
  permission?: Permission;
  component: ComponentType<ChartPartProps>;
}

/**
 * How the chart's timeline shows one kind of entry (the server's `kind`): its name, its icon, its card's
 * body, and where the entry opens.
 */
export interface TimelineKind {
  kind: string;
  /** Position of its filter chip; features interleave, so each says where it goes (as its chart tab does). */
  order: number;
  /** Translation key with its namespace, `chart:timeline.vitals`. */
  labelKey: string;
  icon: Icon;
  /**
   * The kind (its filter chip) shows to users holding it in the active clinic: the permission its server
   * source asks for, which leaves the kind out of the pages of the others.
   */
  permission?: Permission;
  /** Entries of this kind have a day and no time (a vaccine): shown without an hour, under that day. */
  dateOnly?: boolean;
  /** The entry's one or two lines (its fields in `item.data`); without it the entry shows its name alone. */
  component?: ComponentType<{ item: TimelineItem }>;
  /**
   * Where the entry opens (its page, its chart tab, its preview), from the entry and what the user may do;
   * the entry's name is a link there, and Enter on an entry follows it.
   */
  to?: (item: TimelineItem, patientId: string, can: (permission: Permission) => boolean) => string;
}

/**
 * What a feature adds to the patient's chart: the chart page (feature `chart`) assembles the banner, the
 * summary and the tabs from every feature's, so a clinical domain adds its part without editing the page.
 */
export interface ChartExtension {
  sections?: ChartSection[];
  summary?: ChartPart[];
  banner?: ChartPart[];
  /** the kinds of timeline entry its server module declares */
  timeline?: TimelineKind[];
}

/**
 * A panel of the staff home page showing the day's work of a role: the doctor's patients today, the nurse's
 * triage queue and open alerts, what waits at the front desk. It shows to users holding its permission in
 * the active clinic, in its order, above the shortcuts; a panel with nothing to show says so in one line.
 */
export interface HomePart {
  key: string;
  order: number;
  permission: Permission;
  component: ComponentType;
}

/**
 * A control of the application header, beside the connection badge: e.g. the clinic's open NEWS2 alerts.
 * It shows to users holding its permission in the active clinic; it must stay narrow (an icon with a
 * count) so that the header fits a phone.
 */
export interface HeaderPart {
  key: string;
  order: number;
  permission: Permission;
  component: ComponentType;
}

/** What every panel of the consultation page is given: the encounter and its patient. */
export interface ConsultationPartProps {
  encounter: EncounterBrief;
  patientId: string;
}

/**
 * A panel of the consultation page (`/encounters/:id`, feature `notes`), below the note: e.g. the
 * prescription. It shows to users holding its permission in the active clinic, in its order.
 */
export interface ConsultationPanel {
  id: string;
  order: number;
  permission: Permission;
  component: ComponentType<ConsultationPartProps>;
}

/**
 * What a feature (`features/<name>/index.ts`) declares: its routes, its navigation entries and its strings,
 * registered as the i18n namespace `<name>` (its components call `useTranslation('<name>')`; shared strings of
 * `lib/i18n` are the fallback namespace).
 */
export interface FeatureManifest<T extends object = object> {
  name: string;
  routes: FeatureRoute[];
  navigation: FeatureNavItem[];
  strings: FeatureStrings<T>;
  /** Its parts of a patient's chart, if it has any. */
  chart?: ChartExtension;
  /** Its panels of the staff home page, if it has any. */
  home?: HomePart[];
  /** Its controls of the application header, if it has any. */
  header?: HeaderPart[];
  /** Its panels of the consultation page, if it has any. */
  consultation?: { panels?: ConsultationPanel[] };
}

export function defineFeature<T extends object>(manifest: FeatureManifest<T>): FeatureManifest<T> {
  return manifest;
}
