import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { EMPTY_PATIENT, validatePatient, type PatientFormValues } from './patientForm.ts';

const t = ((key: string, values?: Record<string, unknown>) =>
  values ? `${key} ${JSON.stringify(values)}` : key) as unknown as TFunction;
const today = '2026-12-06';

const filled: PatientFormValues = {
  ...EMPTY_PATIENT,
  givenName: 'Ana',
  familyName: 'Kabongo',
  sex: 'female',
  birthDate: '1990-01-01',
};
const errorsOf = (v: PatientFormValues) =>
  Object.fromEntries(Object.entries(validatePatient(v, t, today)).filter(([, message]) => message));

describe('the patient form checks what the server checks', () => {
  it('accepts a complete record', () => {
    expect(errorsOf({ ...filled, phones: ['+243 81 234 5678', ''], email: 'ana@example.cd' })).toEqual({});
  });

  it('asks for the required fields', () => {
    expect(errorsOf(EMPTY_PATIENT)).toEqual({
      givenName: 'validation.required',
      familyName: 'validation.required',
      sex: 'validation.required',
      birthDate: 'validation.required',
    });
  });

  it('refuses a phone number the server would refuse, on the row where it was typed', () => {
    // no digit at all: the server's pattern refuses it (the web's own copy used to accept it)
    expect(errorsOf({ ...filled, phones: ['', '------'] })).toEqual({ 'phones.1': 'validation.phone' });
    expect(errorsOf({ ...filled, phones: ['12'] })).toEqual({ 'phones.0': 'validation.phone' });
  });

  it('checks emergency contacts: a name is needed, and a valid phone', () => {
    const contact = { name: '', relationship: '', phone: '' };
    expect(
      errorsOf({
        ...filled,
        emergencyContacts: [contact, { ...contact, relationship: 'sister' }, { ...contact, name: 'Joe', phone: 'abc' }],
      }),
    ).toEqual({ 'emergencyContacts.1.name': 'validation.required', 'emergencyContacts.2.phone': 'validation.phone' });
  });

  it('checks email, national ID, country and dates', () => {
    expect(
      errorsOf({
        ...filled,
        email: 'ana@',
        nationalId: 'ab',
        address: { ...filled.address, country: 'C1' },
        birthDate: '1990-13-01',
      }),
    ).toEqual({
      email: 'validation.email',
      nationalId: 'validation.minLength {"min":3}',
      'address.country': 'validation.country',
      birthDate: 'validation.date',
    });
    expect(errorsOf({ ...filled, birthDate: '2027-01-01' })).toEqual({ birthDate: 'validation.birthDateFuture' });
  });
});
