// Forms validate with the server's own TypeBox schemas (@sanita/contracts), so a rule cannot drift
// between the two sides; server 400s and local checks speak the same `{field, code, params}` issue.
// Value.Errors walks the schema without compiling it: TypeCompiler builds code with `new Function`,
// which the Content-Security-Policy forbids.
import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import { YEAR_PATTERN, YEARS, type FieldIssue, type ValidationIssueCode } from '@sanita/contracts/common';
import type { TFunction } from 'i18next';

export type { FieldIssue, ValidationIssueCode };

// ------------------------------------------------------------------ formats
// The contracts use four string formats; TypeBox knows none by itself (an unknown format fails).
// Same rules as the server's ajv-formats ("full" mode).

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && leap ? 29 : (DAYS[month] ?? 0));
}

const TIME = /^(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)(z|[+-]\d{2}(?::?\d{2})?)$/i;

function isDateTime(value: string): boolean {
  const [date, time, ...rest] = value.split(/t|\s/i);
  if (!date || !time || rest.length) return false;
  const m = TIME.exec(time);
  if (!m || !isDate(date)) return false;
  const [hour, minute, second] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return hour <= 23 && minute <= 59 && second < 61;
}

const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

export const FORMATS: Record<string, (value: string) => boolean> = {
  date: isDate,
  'date-time': isDateTime,
  email: (value) => EMAIL.test(value),
  uuid: (value) => UUID.test(value),
};
for (const [name, check] of Object.entries(FORMATS)) {
  if (!FormatRegistry.Has(name)) FormatRegistry.Set(name, check);
}

// ------------------------------------------------------------------ checking values

const CODES: Partial<Record<ValueErrorType, ValidationIssueCode>> = {
  [ValueErrorType.ObjectRequiredProperty]: 'required',
  [ValueErrorType.ObjectAdditionalProperties]: 'additionalProperties',
  [ValueErrorType.ObjectMinProperties]: 'minProperties',
  [ValueErrorType.ObjectMaxProperties]: 'maxProperties',
  [ValueErrorType.StringFormat]: 'format',
  [ValueErrorType.StringFormatUnknown]: 'format',
  [ValueErrorType.StringMinLength]: 'minLength',
  [ValueErrorType.StringMaxLength]: 'maxLength',
  [ValueErrorType.StringPattern]: 'pattern',
  [ValueErrorType.Literal]: 'const',
  [ValueErrorType.NumberMinimum]: 'minimum',
  [ValueErrorType.IntegerMinimum]: 'minimum',
  [ValueErrorType.NumberMaximum]: 'maximum',
  [ValueErrorType.IntegerMaximum]: 'maximum',
  [ValueErrorType.NumberExclusiveMinimum]: 'exclusiveMinimum',
  [ValueErrorType.IntegerExclusiveMinimum]: 'exclusiveMinimum',
  [ValueErrorType.NumberExclusiveMaximum]: 'exclusiveMaximum',
  [ValueErrorType.IntegerExclusiveMaximum]: 'exclusiveMaximum',
  [ValueErrorType.NumberMultipleOf]: 'multipleOf',
  [ValueErrorType.IntegerMultipleOf]: 'multipleOf',
  [ValueErrorType.ArrayMinItems]: 'minItems',
  [ValueErrorType.ArrayMaxItems]: 'maxItems',
  [ValueErrorType.ArrayUniqueItems]: 'uniqueItems',
  [ValueErrorType.String]: 'type',
  [ValueErrorType.Number]: 'type',
  [ValueErrorType.Integer]: 'type',
  [ValueErrorType.Boolean]: 'type',
  [ValueErrorType.Array]: 'type',
  [ValueErrorType.Object]: 'type',
  [ValueErrorType.Null]: 'type',
};

const BOUNDS: ReadonlySet<ValidationIssueCode> = new Set([
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
]);

/** The parameters the server's validator would give for the same failure (ajv's names). */
function paramsOf(code: ValidationIssueCode, schema: TSchema): Record<string, unknown> | undefined {
  const s = schema as Record<string, unknown>;
  if (code === 'format') return { format: s.format };
  if (code === 'pattern') return { pattern: s.pattern };
  if (code === 'multipleOf') return { multipleOf: s.multipleOf };
  if (BOUNDS.has(code)) return { limit: s[code] };
  return undefined;
}

/**
 * The most telling error of a union that failed: "an email or null" given "abc" failed because it is
 * not an email, not because it is not null. A union of literals (an enum) simply has no such value.
 */
function unionCause(error: ValueError): ValueError | undefined {
  const firsts = error.errors.map((it) => it.First()).filter((e): e is ValueError => e !== undefined);
  if (firsts.length > 0 && firsts.every((e) => e.type === ValueErrorType.Literal)) return undefined;
  const telling = firsts.filter((e) => e.type !== ValueErrorType.Null && e.type !== ValueErrorType.Literal);
  const typed = telling.filter((e) => CODES[e.type] !== 'type');
  return typed[0] ?? telling[0];
}

function issueOf(error: ValueError): FieldIssue {
  const field = error.path.replace(/^\//, '').split('/').join('.');
  if (error.type === ValueErrorType.Union) {
    const cause = unionCause(error);
    if (cause) return issueOf(cause);
    return { field, code: 'enum', message: error.message };
  }
  const code = CODES[error.type] ?? 'invalid';
  const params = paramsOf(code, error.schema);
  return { field, code, ...(params ? { params } : {}), message: error.message };
}

// A value of a union fails every branch: "not a string", "not null", "no branch matched" say less
// than the branch's own rule ("not an email"), which wins when a field has several issues; a date's
// format says more than the pattern that bounds its year.
const VAGUE: ReadonlySet<ValidationIssueCode | undefined> = new Set(['type', 'anyOf', 'const', 'enum']);
const rank = (code: ValidationIssueCode | undefined) => (VAGUE.has(code) ? 0 : code === 'pattern' ? 1 : 2);

/** One issue per field, the most telling one, in the order the fields came. */
export function issuesByField(issues: readonly FieldIssue[]): FieldIssue[] {
  const byField = new Map<string, FieldIssue>();
  for (const issue of issues) {
    const known = byField.get(issue.field);
    if (!known || rank(issue.code) > rank(known.code)) byField.set(issue.field, issue);
  }
  return [...byField.values()];
}

/**
 * What is wrong with `value` by the contract `schema`, one issue per field, with dotted field paths
 * as the server names them (`phones.1`, `address.country`).
 */
export function schemaIssues(schema: TSchema, value: unknown): FieldIssue[] {
  if (Value.Check(schema, value)) return [];
  return issuesByField([...Value.Errors(schema, value)].map(issueOf));
}

// ------------------------------------------------------------------ saying it

const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/**
 * A field issue in the user's language, from its code and params (never from the English message).
 * Rules the server checks itself carry no code: their message is all there is.
 */
export function issueMessage(issue: Pick<FieldIssue, 'code' | 'params' | 'message'>, t: TFunction): string {
  const params = issue.params ?? {};
  switch (issue.code) {
    case undefined:
      return issue.message;
    case 'required':
      return t('validation.required');
    case 'additionalProperties':
      return t('validation.notAllowed');
    case 'format':
      if (params.format === 'email') return t('validation.email');
      if (params.format === 'date' || params.format === 'date-time') return t('validation.date');
      if (params.format === 'uuid') return t('validation.uuid');
      return t('validation.invalid');
    case 'minLength': {
      // an empty text is a missing one, whatever the bound
      const min = num(params.limit);
      return min === undefined || min <= 1 ? t('validation.required') : t('validation.minLength', { min });
    }
    case 'minItems':
    case 'minProperties':
      return t('validation.tooShort');
    case 'maxLength':
    case 'maxItems':
    case 'maxProperties':
      return t('validation.tooLong');
    case 'minimum':
    case 'exclusiveMinimum': {
      const limit = num(params.limit);
      return limit === undefined ? t('validation.invalid') : t('validation.minimum', { limit });
    }
    case 'maximum':
    case 'exclusiveMaximum': {
      const limit = num(params.limit);
      return limit === undefined ? t('validation.invalid') : t('validation.maximum', { limit });
    }
    case 'unstorable':
      return t('validation.unstorable');
    case 'pattern':
      // dates carry the years the server accepts as a pattern beside their format
      return params.pattern === YEAR_PATTERN ? t('validation.years', YEARS) : t('validation.invalid');
    case 'enum':
    case 'const':
    case 'anyOf':
    case 'type':
    case 'multipleOf':
    case 'uniqueItems':
    case 'invalid':
      return t('validation.invalid');
  }
  // a code a later server added
  return t('validation.invalid');
}

/**
 * Form errors (`{path: message}`) for Mantine's `validate`, from the contract schema: `rename` maps
 * an issue's field to the form's path (an index that moved, a different name) and `messages` gives
 * a field a sentence of its own (a phone number says what it accepts).
 */
export function formErrors(
  issues: FieldIssue[],
  t: TFunction,
  options: { rename?: (field: string) => string; messages?: (field: string) => string | undefined } = {},
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issuesByField(issues)) {
    const path = options.rename?.(issue.field) ?? issue.field;
    if (errors[path] !== undefined) continue;
    errors[path] = options.messages?.(path) ?? issueMessage(issue, t);
  }
  return errors;
}

/**
 * A Mantine rule for one field by its contract schema (`RegisterBody.properties.phone`): text is
 * checked trimmed, as the form sends it (`trim: false` when it sends it as typed); `optional` lets an
 * empty text pass; `message` replaces the generic sentence with the field's own ("digits, spaces…").
 */
export function fieldRule(
  schema: TSchema,
  t: TFunction,
  options: { optional?: boolean; message?: string; trim?: boolean } = {},
): (value: unknown) => string | null {
  return (value) => {
    const checked = typeof value === 'string' && options.trim !== false ? value.trim() : value;
    if (options.optional && (checked === '' || checked === undefined || checked === null)) return null;
    const [issue] = schemaIssues(schema, checked);
    if (!issue) return null;
    return options.message ?? issueMessage(issue, t);
  };
}
