import type { FastifyInstance } from 'fastify';

/** The parts of a JSON Schema the route-driven tests read (bad input, input bounds). */
export interface JsonSchema {
  type?: string;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  minProperties?: number;
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

/** One route of the OpenAPI document, with what a request to it may carry. */
export interface Operation {
  key: string;
  method: string;
  path: string;
  body?: JsonSchema;
  query: { name: string; required: boolean; schema: JsonSchema }[];
  pathParams: { name: string; schema: JsonSchema }[];
}

/** Every route the app registers, read from its OpenAPI document, so that a new route is covered at once. */
export function operations(app: FastifyInstance): Operation[] {
  const doc = app.swagger() as {
    paths: Record<
      string,
      Record<
        string,
        {
          requestBody?: { content: Record<string, { schema: JsonSchema }> };
          parameters?: { in: string; name: string; required?: boolean; schema: JsonSchema }[];
        }
      >
    >;
  };
  return Object.entries(doc.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([m, op]) => ({
      key: `${m.toUpperCase()} ${path}`,
      method: m.toUpperCase(),
      path,
      body: op.requestBody?.content['application/json']?.schema,
      query: (op.parameters ?? [])
        .filter((p) => p.in === 'query')
        .map((p) => ({ name: p.name, required: !!p.required, schema: p.schema })),
      pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema })),
    })),
  );
}
