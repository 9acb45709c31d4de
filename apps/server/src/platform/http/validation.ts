import { Ajv, type Options } from 'ajv';
import type { DataValidationCxt } from 'ajv/dist/types/index.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { VALIDATION_ISSUE_CODES, YEAR_PATTERN, YEARS, type ValidationIssueCode } from '@sanita/contracts/common';
import { Invalid, type FieldIssue } from '../errors.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function make(options: Options): Ajv {
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false, removeAdditional: false, ...options }));
  addTrim(ajv);
  return ajv;
}

/**
 * `x-trim` (the text builders of @sanita/contracts/common): text is trimmed where it stands, so the
 * services get it without its surrounding spaces. Text that is only spaces becomes null (`'null'`,
 * a nullable field) or is left out (`'absent'`, an optional field); required text (`true`) keeps its
 * `pattern: '\\S'`, which is checked on the text as sent and refuses it.
 */
function addTrim(ajv: Ajv): void {
  ajv.addKeyword({
    keyword: 'x-trim',
    type: 'string',
    schemaType: ['boolean', 'string'],
    modifying: true,
    errors: false,
    validate: (mode: boolean | string, data: string, _schema?: unknown, cxt?: DataValidationCxt) => {
      if (!mode || !cxt || cxt.parentData === undefined || cxt.parentData === null) return true;
      const holder = cxt.parentData as Record<string | number, unknown>;
      const key = cxt.parentDataProperty;
      const text = data.trim();
      if (text === '' && mode === 'null') holder[key] = null;
      else if (text === '' && mode === 'absent' && !Array.isArray(holder)) delete holder[key];
      else holder[key] = text;
      return true;
    },
  });
}

/**
 * Bodies are validated as sent: no coercion, no silent removal of unknown fields, so that a wrong
 * type or a misspelt field is an error the client sees. Query strings and path parameters arrive
 * as text and are coerced to the declared types.
 */
export function installValidation(app: FastifyInstance): void {
  const strict = make({ coerceTypes: false, useDefaults: true });
  const coercing = make({ coerceTypes: 'array', useDefaults: true });
  const compiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : coercing;
    return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
  };
  app.setValidatorCompiler(compiler);
  // every body is JSON: Fastify's default text/plain parser would hand a string to a JSON schema
  // and answer a confusing 400, where the client needs to hear 415
  app.removeContentTypeParser('text/plain');
  // JSON can carry text that PostgreSQL cannot store; refuse it here, naming the field, rather
  // than fail in the database with a 500
  app.addHook('preValidation', async (req) => {
    const issues: FieldIssue[] = [];
    findUnstorableText(req.body, '', issues);
    findUnstorableText(req.query, 'querystring', issues);
    findUnstorableText(req.params, 'params', issues);
    if (issues.length) throw new Invalid(issues);
  });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE = 'contains a character that is not allowed (NUL or broken Unicode)';

/** Collects the paths of strings (and keys) holding NUL characters or unpaired surrogates. */
function findUnstorableText(value: unknown, path: string, out: FieldIssue[], depth = 0): void {
  if (out.length >= 20 || depth > 32) return;
  const bad = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);
  const join = (k: string | number) => (path ? `${path}.${k}` : String(k));
  if (typeof value === 'string') {
    if (bad(value)) out.push({ field: path || 'body', code: 'unstorable', message: UNSTORABLE });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => findUnstorableText(v, join(i), out, depth + 1));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (bad(k)) out.push({ field: join(k), code: 'unstorable', message: UNSTORABLE });
      else findUnstorableText(v, join(k), out, depth + 1);
    }
  }
}

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

const KEYWORDS: ReadonlySet<string> = new Set(VALIDATION_ISSUE_CODES);

/** The failed keyword as a client-facing code; keywords the clients need not tell apart are `invalid`. */
function issueCode(keyword: string): ValidationIssueCode {
  return KEYWORDS.has(keyword) ? (keyword as ValidationIssueCode) : 'invalid';
}

/**
 * Turns Ajv errors into `{field, code, params, message}` with dotted field paths: `code` is the failed
 * keyword and `params` Ajv's parameters for it (`{limit}`, `{format}`, `{allowedValues}`…), so that a
 * client can say it in its own words; `message` stays for people reading the API.
 */
export function fieldIssues(validation: AjvIssue[], context: string | undefined): FieldIssue[] {
  const part = context || 'body';
  const prefix = part !== 'body' ? `${part}.` : '';
  // the year bound of dates: said in words, and not at all when the text is no date anyway
  const isYear = (v: AjvIssue) => v.keyword === 'pattern' && v.params.pattern === YEAR_PATTERN;
  const notADate = new Set(validation.filter((v) => v.keyword === 'format').map((v) => v.instancePath));
  const issues = validation
    .filter((v) => !(isYear(v) && notADate.has(v.instancePath)))
    .map((v) => (isYear(v) ? { ...v, message: `must be in the years ${YEARS.min}–${YEARS.max}` } : v));
  return issues.map((v) => {
    const base = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const join = (name: unknown) => (base ? `${base}.${String(name)}` : String(name));
    if (v.keyword === 'required')
      return { field: prefix + join(v.params.missingProperty), code: 'required', message: 'is required' };
    if (v.keyword === 'additionalProperties')
      return {
        field: prefix + join(v.params.additionalProperty),
        code: 'additionalProperties',
        message: 'is not an allowed field',
      };
    // a problem with the whole body or query names that part rather than an empty field
    return {
      field: base ? prefix + base : part,
      code: issueCode(v.keyword),
      ...(Object.keys(v.params).length ? { params: v.params } : {}),
      message: v.message ?? 'is invalid',
    };
  });
}
