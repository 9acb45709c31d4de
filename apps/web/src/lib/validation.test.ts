import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { Type } from '@sinclair/typebox';
import { YEAR_PATTERN } from '@sanita/contracts/common';
import { RegisterBody } from '@sanita/contracts/auth';
import { CreateServicePointBody } from '@sanita/contracts/queue';
import { PatientInput } from '@sanita/contracts/patients';
import { en } from './i18n/en.ts';
import { fr } from './i18n/fr.ts';
import { fieldRule, issueMessage, issuesByField, schemaIssues } from './validation.ts';

// A t() that shows which key and values it was asked for.
const t = ((key: string, values?: Record<string, unknown>) =>
  values ? `${key} ${JSON.stringify(values)}` : key) as unknown as TFunction;

const patient = { givenName: 'Ana', familyName: 'Kabongo', sex: 'female', birthDate: '1990-01-01' };

describe('checking a value by a contract schema', () => {
  it('accepts what the server accepts', () => {
    expect(schemaIssues(PatientInput, { ...patient, phones: ['+243 81 234 5678'], email: 'ana@example.cd' })).toEqual([]);
  });

  it('refuses a phone number without a digit, as the server does', () => {
    const issues = schemaIssues(PatientInput, { ...patient, phones: ['+243 81', '------'] });
    expect(issues).toEqual([expect.objectContaining({ field: 'phones.1', code: 'pattern' })]);
  });

  it('names a missing field, with the code the server gives', () => {
    const { givenName: _, ...rest } = patient;
    expect(schemaIssues(PatientInput, rest)).toEqual([expect.objectContaining({ field: 'givenName', code: 'required' })]);
  });

  it('says why a nullable field failed (its rule), not that it is not null', () => {
    expect(schemaIssues(PatientInput, { ...patient, email: 'not-an-email' })).toEqual([
      expect.objectContaining({ field: 'email', code: 'format', params: { format: 'email' } }),
    ]);
    expect(schemaIssues(PatientInput, { ...patient, nationalId: 'ab' })).toEqual([
      expect.objectContaining({ field: 'nationalId', code: 'minLength', params: { limit: 3 } }),
    ]);
  });

  it('checks the string formats of the contracts (dates that exist, uuids) without a compiler', () => {
    expect(schemaIssues(PatientInput, { ...patient, birthDate: '1990-02-30' })).toEqual([
      expect.objectContaining({ field: 'birthDate', code: 'format', params: { format: 'date' } }),
    ]);
    expect(schemaIssues(PatientInput, { ...patient, birthDate: '2000-02-29' })).toEqual([]);
    // the year's bounds are a pattern beside the format: a malformed date is still "not a date"
    expect(schemaIssues(PatientInput, { ...patient, birthDate: '14/03/1987' })).toEqual([
      expect.objectContaining({ field: 'birthDate', code: 'format' }),
    ]);
    expect(schemaIssues(PatientInput, { ...patient, birthDate: '0990-01-01' })).toEqual([
      expect.objectContaining({ field: 'birthDate', code: 'pattern', params: { pattern: YEAR_PATTERN } }),
    ]);
    const Id = Type.Object({ id: Type.String({ format: 'uuid' }), at: Type.String({ format: 'date-time' }) });
    expect(schemaIssues(Id, { id: '3f2b6a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b', at: '2026-12-06T10:00:00Z' })).toEqual([]);
    expect(schemaIssues(Id, { id: '3f2b6a4e', at: '2026-12-06 10:00' }).map((i) => i.field)).toEqual(['id', 'at']);
  });

  it('gives a value outside an enum as such', () => {
    expect(schemaIssues(CreateServicePointBody, { code: 'LAB', name: 'Lab', kind: 'kitchen', ticketPrefix: 'L' })).toEqual([
      expect.objectContaining({ field: 'kind', code: 'enum' }),
    ]);
  });
});

describe('saying an issue in the user’s language', () => {
  it('translates by code and params, never from the English message', () => {
    const say = (code: Parameters<typeof issueMessage>[0]['code'], params?: Record<string, unknown>) =>
      issueMessage({ code, params, message: 'English for API users' }, t);
    expect(say('required')).toBe('validation.required');
    expect(say('additionalProperties')).toBe('validation.notAllowed');
    expect(say('format', { format: 'email' })).toBe('validation.email');
    expect(say('format', { format: 'date' })).toBe('validation.date');
    expect(say('format', { format: 'uuid' })).toBe('validation.uuid');
    expect(say('minLength', { limit: 1 })).toBe('validation.required');
    expect(say('minLength', { limit: 3 })).toBe('validation.minLength {"min":3}');
    expect(say('maxLength', { limit: 100 })).toBe('validation.tooLong');
    expect(say('minimum', { limit: 1, comparison: '>=' })).toBe('validation.minimum {"limit":1}');
    expect(say('maximum', { limit: 480 })).toBe('validation.maximum {"limit":480}');
    expect(say('pattern', { pattern: '^[A-Z]{1,3}$' })).toBe('validation.invalid');
    expect(say('pattern', { pattern: YEAR_PATTERN })).toBe('validation.years {"min":1800,"max":2199}');
    expect(say('unstorable')).toBe('validation.unstorable');
  });

  it('shows the server’s sentence for a rule of its own (no code)', () => {
    expect(issueMessage({ message: 'must be after startTime' }, t)).toBe('must be after startTime');
  });

  it('keeps the telling issue of a field the server reports several times (a nullable email)', () => {
    const issues = issuesByField([
      { field: 'email', code: 'format', params: { format: 'email' }, message: 'must match format "email"' },
      { field: 'email', code: 'type', params: { type: 'null' }, message: 'must be null' },
      { field: 'email', code: 'anyOf', message: 'must match a schema in anyOf' },
      { field: 'sex', code: 'const', message: 'must be equal to constant' },
      { field: 'sex', code: 'anyOf', message: 'must match a schema in anyOf' },
    ]);
    expect(issues.map((i) => [i.field, i.code])).toEqual([
      ['email', 'format'],
      ['sex', 'const'],
    ]);
  });

  it('has a sentence in English and French for the new validation keywords', () => {
    for (const key of ['minimum', 'maximum', 'unstorable', 'years'] as const) {
      expect(en.validation[key], key).toEqual(expect.any(String));
      expect(fr.validation[key], key).toEqual(expect.any(String));
    }
  });
});

describe('a form field checked by its contract schema', () => {
  it('trims text as the server does, lets an optional one be empty, and says the field’s own sentence', () => {
    const phone = fieldRule(RegisterBody.properties.phone, t, { optional: true, message: 'validation.phone' });
    expect(phone('')).toBeNull();
    expect(phone('  +243 81 234 5678 ')).toBeNull();
    expect(phone('12')).toBe('validation.phone');
    const email = fieldRule(RegisterBody.properties.email, t);
    expect(email(' ana@example.cd ')).toBeNull();
    expect(email('')).toBe('validation.email');
    expect(fieldRule(RegisterBody.properties.givenName, t)('   ')).toBe('validation.required');
    expect(fieldRule(CreateServicePointBody.properties.ticketPrefix, t)('ab')).toBe('validation.invalid');
  });
});
