import { useForm } from '@mantine/form';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import {
  BLOOD_TYPES,
  PatientInput as PatientInputSchema,
  type BloodType,
  type Patient,
  type PatientInput,
  type Sex,
} from '@sanita/contracts/patients';
import { formErrors, schemaIssues } from '../../../lib/validation.ts';

export interface PatientFormValues {
  givenName: string;
  middleName: string;
  familyName: string;
  sex: Sex | '';
  birthDate: string;
  phones: string[];
  email: string;
  address: { line: string; city: string; region: string; country: string };
  preferredLanguage: string;
  nationalId: string;
  bloodType: BloodType | '';
  emergencyContacts: { name: string; relationship: string; phone: string }[];
}

export const PREFERRED_LANGUAGES = ['fr', 'en', 'ln', 'sw', 'kg', 'lua'] as const;

export const EMPTY_PATIENT: PatientFormValues = {
  givenName: '',
  middleName: '',
  familyName: '',
  sex: '',
  birthDate: '',
  phones: [''],
  email: '',
  address: { line: '', city: '', region: '', country: '' },
  preferredLanguage: '',
  nationalId: '',
  bloodType: '',
  emergencyContacts: [],
};

export function valuesFromPatient(p: Patient): PatientFormValues {
  return {
    givenName: p.givenName,
    middleName: p.middleName ?? '',
    familyName: p.familyName,
    sex: p.sex,
    birthDate: p.birthDate.slice(0, 10),
    phones: p.phones.length ? [...p.phones] : [''],
    email: p.email ?? '',
    address: {
      line: p.address?.line ?? '',
      city: p.address?.city ?? '',
      region: p.address?.region ?? '',
      country: p.address?.country ?? '',
    },
    preferredLanguage: p.preferredLanguage ?? '',
    nationalId: p.nationalId ?? '',
    bloodType: BLOOD_TYPES.find((b) => b === p.bloodType) ?? '',
    emergencyContacts: p.emergencyContacts.map((c) => ({
      name: c.name,
      relationship: c.relationship ?? '',
      phone: c.phone ?? '',
    })),
  };
}

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());

/** The API body for the form; empty optional text becomes null ("no value"). */
export function inputFromValues(v: PatientFormValues): Required<PatientInput> {
  const address = Object.fromEntries(
    Object.entries(v.address)
      .map(([k, val]) => [k, val.trim()] as const)
      .filter(([, val]) => val !== ''),
  );
  return {
    givenName: v.givenName.trim(),
    middleName: orNull(v.middleName),
    familyName: v.familyName.trim(),
    sex: v.sex as Sex,
    birthDate: v.birthDate,
    phones: v.phones.map((p) => p.trim()).filter(Boolean),
    email: orNull(v.email),
    address: Object.keys(address).length ? address : null,
    preferredLanguage: orNull(v.preferredLanguage),
    nationalId: orNull(v.nationalId),
    bloodType: v.bloodType === '' ? null : v.bloodType,
    emergencyContacts: v.emergencyContacts
      .filter((c) => c.name.trim() || c.phone.trim())
      .map((c) => ({
        name: c.name.trim(),
        ...(c.relationship.trim() ? { relationship: c.relationship.trim() } : {}),
        ...(c.phone.trim() ? { phone: c.phone.trim() } : {}),
      })),
  };
}

/** For a new record: leave out what was not filled in rather than sending nulls. */
export function createBody(v: PatientFormValues): PatientInput {
  const full = inputFromValues(v);
  return Object.fromEntries(
    Object.entries(full).filter(([, val]) => val !== null && !(Array.isArray(val) && val.length === 0)),
  ) as unknown as PatientInput;
}

/** For an edit: only the fields whose value changed, as the PATCH contract asks. */
export function changedFields(before: PatientFormValues, after: PatientFormValues): Partial<PatientInput> {
  const a = inputFromValues(before);
  const b = inputFromValues(after);
  const changed: Record<string, unknown> = {};
  for (const key of Object.keys(b) as (keyof PatientInput)[]) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) changed[key] = b[key];
  }
  return changed;
}

/**
 * The body the form would send, checked against the server's own schema (PatientInput): the rules
 * cannot drift. Empty list rows are not sent; `rows` keeps each sent row's index in the form.
 */
function bodyToCheck(v: PatientFormValues) {
  const phones = v.phones.flatMap((phone, i) => (phone.trim() ? [{ value: phone.trim(), row: i }] : []));
  // a contact with only a relationship is still a contact that lacks its name
  const contacts = v.emergencyContacts.flatMap((c, i) =>
    c.name.trim() || c.phone.trim() || c.relationship.trim() ? [{ value: c, row: i }] : [],
  );
  const body: Record<string, unknown> = {
    ...inputFromValues(v),
    phones: phones.map((p) => p.value),
    emergencyContacts: contacts.map(({ value: c }) => ({
      name: c.name.trim(),
      ...(c.relationship.trim() ? { relationship: c.relationship.trim() } : {}),
      ...(c.phone.trim() ? { phone: c.phone.trim() } : {}),
    })),
  };
  // not chosen yet: missing, as the server would say, rather than "not one of the values"
  if (!v.sex) delete body.sex;
  if (!v.birthDate) delete body.birthDate;
  const rows: Record<string, (number | undefined)[]> = {
    phones: phones.map((p) => p.row),
    emergencyContacts: contacts.map((c) => c.row),
  };
  return { body, rows };
}

/** `phones.1` of the body → the form's `phones.2` when an empty row came before it. */
function formPath(field: string, rows: Record<string, (number | undefined)[]>): string {
  const [list, index, ...rest] = field.split('.');
  const row = list !== undefined && index !== undefined ? rows[list]?.[Number(index)] : undefined;
  return row === undefined ? field : [list, row, ...rest].join('.');
}

/**
 * The form's errors (`{path: message}`): the server's own rules (PatientInput of the contracts), then
 * the web's: a birth date in the future (`today`: YYYY-MM-DD), a country code of letters.
 */
export function validatePatient(v: PatientFormValues, t: TFunction, today: string): Record<string, string | null> {
  const { body, rows } = bodyToCheck(v);
  const errors: Record<string, string | null> = formErrors(schemaIssues(PatientInputSchema, body), t, {
    rename: (field) => formPath(field, rows),
    // phone numbers and the country say what they accept
    messages: (path) =>
      path.startsWith('phones.') || (path.startsWith('emergencyContacts.') && path.endsWith('.phone'))
        ? t('validation.phone')
        : path === 'address.country'
          ? t('validation.country')
          : undefined,
  });
  if (!errors.birthDate && v.birthDate > today) errors.birthDate = t('validation.birthDateFuture');
  if (!errors['address.country'] && v.address.country.trim() && !/^[A-Za-z]{2}$/.test(v.address.country.trim()))
    errors['address.country'] = t('validation.country');
  return errors;
}

export function usePatientForm(initialValues: PatientFormValues, t: TFunction) {
  // the user's calendar day, as the form's dates are written (YYYY-MM-DD)
  const today = dayjs().format('YYYY-MM-DD');
  return useForm<PatientFormValues>({ initialValues, validate: (v) => validatePatient(v, t, today) });
}
