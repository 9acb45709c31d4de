import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import type { FieldIssue } from '../errors.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function make(options: Options): Ajv {
  return addFormats(new Ajv({ allErrors: true, strict: false, removeAdditional: false, ...options }));
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
}

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Turns Ajv errors into `{field, message}` pairs with dotted field paths. */
export function fieldIssues(validation: AjvIssue[], context: string | undefined): FieldIssue[] {
  const part = context || 'body';
  const prefix = part !== 'body' ? `${part}.` : '';
  return validation.map((v) => {
    const base = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const join = (name: unknown) => (base ? `${base}.${String(name)}` : String(name));
    if (v.keyword === 'required') return { field: prefix + join(v.params.missingProperty), message: 'is required' };
    if (v.keyword === 'additionalProperties')
      return { field: prefix + join(v.params.additionalProperty), message: 'is not an allowed field' };
    // a problem with the whole body or query names that part rather than an empty field
    return { field: base ? prefix + base : part, message: v.message ?? 'is invalid' };
  });
}
