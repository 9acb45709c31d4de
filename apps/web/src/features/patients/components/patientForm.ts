import { useForm } from '@mantine/form';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import type { BloodType, Patient, Sex } from '../../../lib/api/types.ts';
import { ISO_DATE } from '../../../lib/dates.ts';
import type { PatientInput } from '../api/patients.ts';

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
    bloodType: p.bloodType ?? '',
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

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[+0-9 ().-]{6,32}$/;

export function usePatientForm(initialValues: PatientFormValues, t: TFunction) {
  const today = dayjs().format(ISO_DATE);
  return useForm<PatientFormValues>({
    initialValues,
    validate: (v) => {
      const errors: Record<string, string | null> = {
        givenName: v.givenName.trim() ? null : t('validation.required'),
        familyName: v.familyName.trim() ? null : t('validation.required'),
        sex: v.sex ? null : t('validation.required'),
        birthDate: !v.birthDate
          ? t('validation.required')
          : !dayjs(v.birthDate, ISO_DATE, true).isValid()
            ? t('validation.date')
            : v.birthDate > today
              ? t('validation.birthDateFuture')
              : null,
        email: v.email.trim() && !EMAIL.test(v.email.trim()) ? t('validation.email') : null,
        nationalId: v.nationalId.trim() && v.nationalId.trim().length < 3 ? t('validation.minLength', { min: 3 }) : null,
        'address.country':
          v.address.country.trim() && !/^[A-Za-z]{2}$/.test(v.address.country.trim()) ? t('validation.country') : null,
      };
      v.phones.forEach((phone, i) => {
        errors[`phones.${i}`] = phone.trim() && !PHONE.test(phone.trim()) ? t('validation.phone') : null;
      });
      v.emergencyContacts.forEach((c, i) => {
        errors[`emergencyContacts.${i}.name`] =
          !c.name.trim() && (c.phone.trim() || c.relationship.trim()) ? t('validation.required') : null;
        errors[`emergencyContacts.${i}.phone`] = c.phone.trim() && !PHONE.test(c.phone.trim()) ? t('validation.phone') : null;
      });
      return errors;
    },
  });
}
