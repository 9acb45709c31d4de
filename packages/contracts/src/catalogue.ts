// The registry of domains: one line per domain in each list below. The server and the web take
// the permission names, error codes and realtime event names from here, never from copies.
import * as admin from './admin.ts';
import * as auth from './auth.ts';
import * as billing from './billing.ts';
import * as chart from './chart.ts';
import * as claims from './claims.ts';
import * as common from './common.ts';
import * as documents from './documents.ts';
import * as encounters from './encounters.ts';
import * as history from './history.ts';
import * as hl7 from './hl7.ts';
import * as immunizations from './immunizations.ts';
import * as inventory from './inventory.ts';
import * as lab from './lab.ts';
import * as letters from './letters.ts';
import * as medications from './medications.ts';
import * as notes from './notes.ts';
import * as patients from './patients.ts';
import * as payments from './payments.ts';
import * as pharmacy from './pharmacy.ts';
import * as portal from './portal.ts';
import * as queue from './queue.ts';
import * as scheduling from './scheduling.ts';
import * as timeline from './timeline.ts';
import * as terminology from './terminology.ts';

const domains = [
  common,
  auth,
  admin,
  patients,
  portal,
  scheduling,
  queue,
  chart,
  encounters,
  documents,
  letters,
  notes,
  history,
  terminology,
  immunizations,
  timeline,
  medications,
  inventory,
  pharmacy,
  lab,
  hl7,
  billing,
  payments,
  claims,
] as const;
type Domain = (typeof domains)[number];

type Items<D, K extends string> = D extends { readonly [P in K]: readonly (infer T)[] } ? T : never;

/** Every permission the product knows; the role → permission matrix itself lives in the database. */
export type Permission = Items<Domain, 'permissions'>;
export const PERMISSIONS: readonly Permission[] = [
  ...new Set(domains.flatMap((d) => ('permissions' in d ? (d.permissions as readonly Permission[]) : []))),
];

/** Every `error.code` the API answers with. */
export type ErrorCode = Items<Domain, 'errorCodes'>;
export const ERROR_CODES: readonly ErrorCode[] = [
  ...new Set(domains.flatMap((d) => ('errorCodes' in d ? (d.errorCodes as readonly ErrorCode[]) : []))),
];

/** The one map of realtime events: name → payload, the union of every domain's `Events`. */
export interface RealtimeEvents
  extends
    scheduling.Events,
    queue.Events,
    chart.Events,
    encounters.Events,
    history.Events,
    medications.Events,
    inventory.Events,
    pharmacy.Events,
    lab.Events,
    billing.Events,
    payments.Events,
    claims.Events {}
export type RealtimeEventName = keyof RealtimeEvents;
export const REALTIME_EVENT_NAMES: readonly RealtimeEventName[] = domains.flatMap((d) =>
  'events' in d ? (d.events as readonly RealtimeEventName[]) : [],
);

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

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}
