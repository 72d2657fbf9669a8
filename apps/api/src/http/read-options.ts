import type { LogPosition } from '@doorbraak/event-store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { toCsv } from '@doorbraak/application';
import { parseAt } from './parse-at';

const headers = z.object({ 'x-consistent-with': z.string().regex(/^\d{20}-\d{20}$/, 'must be a logPosition returned by a write').optional() });

/** `X-Consistent-With: <logPosition>` makes a read wait until the read model has applied that write. */
export function consistentWith(request: FastifyRequest): LogPosition | undefined {
  return parseAt('headers', headers, request.headers)['x-consistent-with'] as LogPosition | undefined;
}

/** JSON by default; CSV with `?format=csv` or `Accept: text/csv`. */
export function report(request: FastifyRequest, reply: FastifyReply, rows: readonly object[]): unknown {
  const query = request.query as { format?: string };
  if (query.format === 'csv' || (request.headers.accept ?? '').startsWith('text/csv')) {
    void reply.header('content-type', 'text/csv; charset=utf-8');
    return toCsv(rows as Record<string, unknown>[]);
  }
  return { items: rows };
}
