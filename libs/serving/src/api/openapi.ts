import { z } from 'zod';
import { SERVING_ERROR_CODES } from '../serving-error';
import { ROUTES, type RouteSpec } from './routes';
import { ProblemSchema } from './schemas';

/** The API's version in the document; bump on a breaking change. */
export const RETRIEVAL_API_VERSION = '1.0.0';

type JsonObject = Record<string, unknown>;

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Invalid request (INVALID_REQUEST, INVALID_TOKEN, INVALID_NATIONAL_ID, INVALID_CURSOR, BATCH_TOO_LARGE)',
  401: 'Missing, expired or forged bearer token (UNAUTHENTICATED)',
  403: "The caller's role may not use this route (ROLE_FORBIDDEN), or the key service refused a reveal (ACCESS_DENIED)",
  404: 'Not found (CUSTOMER_NOT_FOUND, TAG_NOT_FOUND, SEGMENT_NOT_FOUND, METRICS_NOT_FOUND)',
  410: 'The cursor\'s version was pruned; start the listing again (CURSOR_EXPIRED)',
  413: 'The request body is too large (PAYLOAD_TOO_LARGE)',
  429: 'Too many lookups by this caller; retry after the Retry-After seconds (RATE_LIMITED)',
  500: 'Internal error (INTERNAL)',
  502: 'The masking-key-service failed (KEY_SERVICE_FAILED)',
  503: 'Nothing loaded into the serving store yet (SERVING_NOT_LOADED)',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonObject;
  return rest;
}

function parameters(route: RouteSpec): JsonObject[] {
  const list: JsonObject[] = [];
  const add = (where: 'path' | 'query', object: z.ZodObject | undefined) => {
    if (!object) return;
    const schema = jsonSchema(object, 'input') as { properties?: Record<string, JsonObject>; required?: string[] };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const { description, ...rest } = property;
      list.push({ name, in: where, required: where === 'path' || (schema.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest });
    }
  };
  add('path', route.pathParams);
  add('query', route.query);
  return list;
}

function operation(route: RouteSpec): JsonObject {
  const problems = [...new Set([...(route.access === 'public' ? [] : [401, 403]), ...route.problems, 500])].sort();
  const responses: JsonObject = {
    200: {
      description: 'OK',
      content: { 'application/json': { schema: route.response ? jsonSchema(route.response, 'output') : { type: 'object', description: 'an OpenAPI 3.1 document' } } },
    },
  };
  for (const status of problems) responses[status] = { description: STATUS_TEXT[status] ?? 'Problem', content: { 'application/problem+json': { schema: PROBLEM_REF } } };
  return {
    operationId: route.id,
    summary: route.summary,
    description: route.access === 'public' ? route.description : `${route.description}\n\nRoles: ${route.access.join(', ')}.`,
    ...(route.access === 'public' ? { security: [] } : {}),
    parameters: parameters(route),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } } : {}),
    responses,
    'x-cur-roles': route.access === 'public' ? [] : [...route.access],
  };
}

/**
 * The OpenAPI 3.1 document of the retrieval API, generated from the route table and its zod schemas (the same ones
 * the handler validates with). Served at `GET /openapi.json`.
 *
 * @param serverUrl - the `servers[0].url`. @default '/'
 */
export function buildOpenApiDocument(serverUrl = '/'): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of ROUTES) {
    paths[route.path] = { ...(paths[route.path] ?? {}), [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'CUR retrieval API',
      version: RETRIEVAL_API_VERSION,
      description:
        'Role-aware retrieval of customer tags, features and data-mart metrics. Every value is masked as the caller\'s role sees it; ' +
        `errors are RFC 9457 problems with a stable code (${Object.keys(SERVING_ERROR_CODES).length} serving codes plus the platform's).`,
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "a JWT with the role in the 'cur:role' claim" } },
      schemas: { Problem: jsonSchema(ProblemSchema, 'output') },
    },
  };
}
