import type { CommandContext } from '@doorbraak/application';
import { parseDocument } from '@doorbraak/kernel';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { correlationIdOf } from './correlation-id';
import { callerOf } from '../auth/principal';
import { parseAt } from './parse-at';

const headers = z.object({
  'if-match': z
    .string()
    .regex(/^(W\/)?"\d+"$/, 'must be an ETag from this API, e.g. "3"')
    .optional(),
  'idempotency-key': z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8-128 letters, digits or . _ : -').optional(),
});

/** Documented request headers of writes, for the OpenAPI document. */
export const writeHeaders = [
  { name: 'If-Match', description: 'ETag of the version the change is based on; a stale one gives 412' },
  { name: 'Idempotency-Key', description: 'Repeat a POST with the same key to retry it safely: the change is made once' },
];

/**
 * Who acts (the token's subject, on behalf of its `namens`), for which municipality (the token's), on which
 * version (If-Match). A malformed header is a 400 naming it.
 */
export function commandContext(request: FastifyRequest): CommandContext {
  // Parsed as { headers } so that errors point at #/headers/<name>.
  const h = parseAt('headers', headers, request.headers);
  const caller = callerOf(request);
  return {
    tenant: caller.tenant,
    actor: caller.actor,
    ...(caller.onBehalfOf ? { onBehalfOf: caller.onBehalfOf } : {}),
    correlationId: correlationIdOf(request),
    ...(h['if-match'] ? { expectedVersion: BigInt(h['if-match'].replace(/^W\//, '').replaceAll('"', '')) } : {}),
    ...(h['idempotency-key'] ? { idempotencyKey: h['idempotency-key'] } : {}),
  };
}

export function tenantOf(request: FastifyRequest): string {
  return callerOf(request).tenant;
}

export function setVersion(reply: FastifyReply, version: bigint): void {
  void reply.header('etag', `"${version}"`);
}

/**
 * Parses a body with a zod schema, refusing unknown keys at any depth; a ZodError becomes a 400 problem whose
 * errors point at the fields.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  return parseDocument(schema, body ?? {});
}
