import { z } from 'zod';
import type { ResponseDoc, RouteDoc } from './route-doc';
import { problemSchema } from './route-doc';

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'output' });

function parameters(route: RouteDoc): unknown[] {
  const fromObject = (where: 'path' | 'query', object: z.ZodObject | undefined) =>
    Object.entries(object?.shape ?? {}).map(([name, schema]) => ({
      name,
      in: where,
      required: where === 'path' || !(schema as z.ZodType).safeParse(undefined).success,
      schema: jsonSchema(schema as z.ZodType),
    }));
  const headers = (route.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: h.required ?? false, description: h.description, schema: { type: 'string' } }));
  return [...fromObject('path', route.params), ...fromObject('query', route.query), ...headers];
}

const authProblems: Record<string, ResponseDoc> = {
  '401': { description: 'No bearer token, or one that is expired, malformed or not signed by a trusted key', example: { type: 'about:blank', title: 'the token has expired', status: 401 } },
  '403': { description: "The token's roles do not have the permission this route needs", example: { type: 'about:blank', title: 'the roles analyst do not have the permission case:read', status: 403 } },
};

/** Builds the OpenAPI 3.1 document from the routes' zod schemas, so it cannot drift from validation. */
export function buildOpenApiDocument(routes: readonly RouteDoc[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses = Object.fromEntries(
      Object.entries({ ...route.responses, ...(route.public ? {} : authProblems) }).map(([status, response]) => {
        const contentType = response.contentType ?? (Number(status) >= 400 ? 'application/problem+json' : 'application/json');
        const schema = response.schema ?? (Number(status) >= 400 ? problemSchema : undefined);
        return [
          status,
          {
            description: response.description,
            ...(response.headers
              ? { headers: Object.fromEntries(Object.entries(response.headers).map(([h, d]) => [h, { description: d, schema: { type: 'string' } }])) }
              : {}),
            ...(schema || response.example !== undefined
              ? { content: { [contentType]: { ...(schema ? { schema: jsonSchema(schema) } : {}), ...(response.example !== undefined ? { example: response.example } : {}) } } }
              : {}),
          },
        ];
      }),
    );
    paths[route.path] ??= {};
    paths[route.path]![route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: route.tags,
      parameters: parameters(route),
      ...(route.public ? { security: [] } : {}),
      ...(route.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body.schema), example: route.body.example } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Doorbraak Ledger API',
      version,
      description: 'Event-sourced ledger of doorbraak plans, decisions and spends. Errors are RFC 9457 problem+json.',
    },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'OIDC access token with the claims sub, municipality, roles and optionally namens and grants' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
