import type { CommandContext } from '@doorbraak/application';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { correlationIdOf } from './correlation-id';

const headers = z.object({
  'x-tenant': z.string().regex(/^gm\d{4}$/, 'must be a CBS municipality code such as gm0363'),
  'x-actor-id': z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'must be an identifier'),
  'x-on-behalf-of': z.string().min(1).max(200).optional(),
  'if-match': z
    .string()
    .regex(/^(W\/)?"\d+"$/, 'must be an ETag from this API, e.g. "3"')
    .optional(),
  'idempotency-key': z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8-128 letters, digits or . _ : -').optional(),
});

/** Documented request headers, for the OpenAPI document. */
export const contextHeaders = [
  { name: 'X-Tenant', description: 'Municipality (CBS code, e.g. gm0363) the request acts in', required: true },
  { name: 'X-Actor-Id', description: 'Pseudonymous id of the person or process acting', required: true },
  { name: 'X-On-Behalf-Of', description: 'Body on whose behalf the actor acts (namens)' },
];
export const writeHeaders = [
  ...contextHeaders,
  { name: 'If-Match', description: 'ETag of the version the change is based on; a stale one gives 412' },
  { name: 'Idempotency-Key', description: 'Repeat a POST with the same key to retry it safely: the change is made once' },
];

/**
 * Who acts, for which municipality, on which version. Until token authentication arrives these come from
 * headers; a missing or malformed one is a 400 naming the header.
 */
export function commandContext(request: FastifyRequest): CommandContext {
  // Parsed as { headers } so that errors point at #/headers/<name>.
  const h = z.object({ headers }).parse({ headers: request.headers }).headers;
  return {
    tenant: h['x-tenant'],
    actor: h['x-actor-id'],
    ...(h['x-on-behalf-of'] ? { onBehalfOf: h['x-on-behalf-of'] } : {}),
    correlationId: correlationIdOf(request),
    ...(h['if-match'] ? { expectedVersion: BigInt(h['if-match'].replace(/^W\//, '').replaceAll('"', '')) } : {}),
    ...(h['idempotency-key'] ? { idempotencyKey: h['idempotency-key'] } : {}),
  };
}

export function tenantOf(request: FastifyRequest): string {
  return commandContext(request).tenant;
}

export function setVersion(reply: FastifyReply, version: bigint): void {
  void reply.header('etag', `"${version}"`);
}

/** Parses a body with a zod schema; a ZodError becomes a 400 problem whose errors point at the fields. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  return schema.parse(body ?? {});
}
