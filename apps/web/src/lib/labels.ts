import type { TFunction } from 'i18next';
import type { PatientSummary } from '@sanita/contracts/patients';
import { lookupNamespaces } from './i18n/i18n.ts';

export function fullName(p: Pick<PatientSummary, 'givenName' | 'middleName' | 'familyName'>): string {
  return [p.givenName, p.middleName, p.familyName].filter(Boolean).join(' ');
}

/** Role ids are stable; their names are translated, and an unknown role shows its id. */
export function roleLabel(t: TFunction, role: string): string {
  return t(`roles.${role}`, { defaultValue: role });
}

export function permissionLabel(t: TFunction, permission: string): string {
  return t(`permissions.${permission.replace(':', '.')}.name`, { defaultValue: permission, ns: lookupNamespaces() });
}

export function permissionDescription(t: TFunction, permission: string): string {
  return t(`permissions.${permission.replace(':', '.')}.description`, { defaultValue: '', ns: lookupNamespaces() });
}

export function auditActionLabel(t: TFunction, action: string): string {
  return t(`auditActions.${action.replace(/\./g, '_')}`, { defaultValue: action, ns: lookupNamespaces() });
}
