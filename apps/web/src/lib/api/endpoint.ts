// A route of the API named by its contract schemas (@sanita/contracts): `api.call(endpoint, args)`
// then takes its path parameters, body and query, and answers its response, with the types the
// server validates against. No code generation: the schemas are the server's own objects.
import type { Static, TSchema } from '@sinclair/typebox';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface EndpointSchemas {
  body?: TSchema;
  query?: TSchema;
  response?: TSchema;
}

export interface Endpoint<P extends string = string, S extends EndpointSchemas = EndpointSchemas> {
  readonly method: Method;
  /** `/api/patients/:id`: each `:name` is filled from `params` */
  readonly path: P;
  readonly schemas: S;
}

/** Declares a route: `endpoint('PATCH', '/api/patients/:id', { body: UpdatePatientBody, response: Patient })`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- "no schemas" is the default
export function endpoint<const P extends string, const S extends EndpointSchemas = {}>(
  method: Method,
  path: P,
  schemas?: S,
): Endpoint<P, S> {
  return { method, path, schemas: (schemas ?? {}) as S };
}

type ParamNames<P extends string> = P extends `${string}:${infer N}/${infer R}`
  ? N | ParamNames<`/${R}`>
  : P extends `${string}:${infer N}`
    ? N
    : never;

// A part whose every field is optional (a body of optional fields, a query) may be left out.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{}`: "accepts an empty object"
type Part<K extends string, T> = {} extends T ? { [_ in K]?: T } : { [_ in K]: T };

type ParamsArg<P extends string> = [ParamNames<P>] extends [never] ? unknown : { params: Record<ParamNames<P>, string> };
type BodyArg<S> = S extends { body: infer B extends TSchema } ? Part<'body', Static<B>> : unknown;
type QueryArg<S> = S extends { query: infer Q extends TSchema } ? Part<'query', Static<Q>> : unknown;

/**
 * What `api.call` takes for an endpoint: `params`, `body` and `query` as its schemas say, a signal, and
 * extra request headers (e.g. `Idempotency-Key`).
 */
export type CallArgs<E extends Endpoint> =
  E extends Endpoint<infer P, infer S>
    ? ParamsArg<P> & BodyArg<S> & QueryArg<S> & { signal?: AbortSignal; headers?: Record<string, string> }
    : never;

/** The args tuple of `api.call`: optional when nothing in it is required. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- see Part
export type CallArgsTuple<E extends Endpoint> = {} extends CallArgs<E> ? [args?: CallArgs<E>] : [args: CallArgs<E>];

/** What a call answers: the response schema's type, or nothing (204) when the endpoint has none. */
export type ResponseOf<E extends Endpoint> = E['schemas'] extends { response: infer R extends TSchema } ? Static<R> : undefined;

/** The body type of an endpoint, for the variables of a mutation. */
export type BodyOf<E extends Endpoint> = E['schemas'] extends { body: infer B extends TSchema } ? Static<B> : never;
/** The query type of an endpoint. */
export type QueryOf<E extends Endpoint> = E['schemas'] extends { query: infer Q extends TSchema } ? Static<Q> : never;

/** A query as a form holds it: each optional parameter may also be null ("not chosen"). */
export type OrNull<Q> = { [K in keyof Q]: undefined extends Q[K] ? Q[K] | null : Q[K] };

/** The URL path with its parameters filled in (each one encoded). */
export function pathOf(path: string, params: Record<string, string> | undefined): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`${path}: no value for :${name}`);
    return encodeURIComponent(value);
  });
}
