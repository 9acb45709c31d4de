// API shapes shared by more than one feature. Feature-only shapes live next to their feature.

export type Sex = 'female' | 'male' | 'other' | 'unknown';
export const SEXES: readonly Sex[] = ['female', 'male', 'other', 'unknown'];

export type PatientStatus = 'active' | 'deceased' | 'merged';

export const BLOOD_TYPES = ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'] as const;
export type BloodType = (typeof BLOOD_TYPES)[number];

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface ClinicSummary {
  id: string;
  code: string;
  name: string;
  timezone: string;
  currencies: string[];
}

export interface PublicClinic extends ClinicSummary {
  address: unknown;
}

export interface Membership {
  clinicId: string;
  role: string;
  requireMfa: boolean;
  permissions: string[];
}

export interface Me {
  id: string;
  email: string;
  displayName: string;
  locale: string;
  patientId: string | null;
  mfaEnrolled: boolean;
  mfaEnrollmentRequired: boolean;
  clinicId: string | null;
  roles: string[];
  permissions: string[];
  memberships: Membership[];
  clinics: ClinicSummary[];
}

export interface TokenResponse {
  accessToken: string;
  expiresIn: number;
  user: Me;
}

export interface PatientSummary {
  id: string;
  mrn: string;
  givenName: string;
  middleName: string | null;
  familyName: string;
  sex: Sex;
  birthDate: string;
  phones: string[];
  status: PatientStatus;
  primaryClinicId: string;
}

export interface Address {
  line?: string | null;
  city?: string | null;
  region?: string | null;
  country?: string | null;
}

export interface EmergencyContact {
  name: string;
  relationship?: string | null;
  phone?: string | null;
}

export interface Patient extends PatientSummary {
  email: string | null;
  address: Address | null;
  preferredLanguage: string | null;
  nationalId: string | null;
  emergencyContacts: EmergencyContact[];
  bloodType: BloodType | null;
  mergedIntoId: string | null;
  deceasedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface AccessLogEntry {
  id: number;
  at: string;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  outcome: string;
}

export interface FieldIssue {
  field: string;
  message: string;
}
