import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import rateLimit from '@fastify/rate-limit';
import { createTokenVerifier } from '@doorbraak/auth';
import { type Ledger, tokenVerification } from '@doorbraak/ledger-infrastructure';
import type { Logger } from '@doorbraak/logging';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { CORRELATION_HEADER, correlationIdFor } from './http/correlation-id';
import { PROBLEM_CONTENT_TYPE } from './http/problem';

import type { ApiConfig } from './config';

/** Builds the HTTP application around an opened ledger; the caller listens and closes. */
export async function createApp(ledger: Ledger, config: ApiConfig, logger: Logger): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.LEDGER_BODY_LIMIT, logger: false, genReqId: correlationIdFor });
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(CORRELATION_HEADER, request.id);
    done();
  });
  await fastify.register(rateLimit, {
    max: config.LEDGER_RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    errorResponseBuilder: (request, context) => ({
      statusCode: 429,
      type: 'about:blank',
      title: 'Too many requests',
      status: 429,
      detail: `at most ${context.max} requests per minute; retry after ${Math.ceil(context.ttl / 1000)} s`,
      instance: request.url,
      correlationId: request.id,
    }),
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode === 429) void reply.header('content-type', PROBLEM_CONTENT_TYPE);
    done(null, payload);
  });
  const verifier = await createTokenVerifier(tokenVerification(config));
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(ledger, config, logger, verifier), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(NestPinoLogger));
  await app.init();
  await fastify.ready();
  return app;
}
