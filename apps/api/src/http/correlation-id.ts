import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

export const CORRELATION_HEADER = 'x-correlation-id';
const ACCEPTED = /^[A-Za-z0-9._:-]{8,128}$/;

/** Takes the caller's correlation id when it is well-formed, else makes one. Fastify stores it as the request id. */
export function correlationIdFor(request: IncomingMessage): string {
  const offered = request.headers[CORRELATION_HEADER];
  return typeof offered === 'string' && ACCEPTED.test(offered) ? offered : randomUUID();
}

export function correlationIdOf(request: FastifyRequest): string {
  return request.id;
}

export const CorrelationId = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  correlationIdOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
