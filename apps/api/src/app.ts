import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createTokenVerifier } from '@doorbraak/auth';
import { type Ledger, tokenVerification } from '@doorbraak/ledger-infrastructure';
import type { Logger } from '@doorbraak/logging';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { API_VERSION, API_VERSION_HEADER } from './http/api-version';
import { CORRELATION_HEADER, correlationIdFor } from './http/correlation-id';
import { useBindWithoutDeprecatedProperty } from './http/async-resource-bind';
import { useJsonBodyParser } from './http/json-body';
import { PROBLEM_CONTENT_TYPE } from './http/problem';

import type { ApiConfig } from './config';

/** Builds the HTTP application around an opened ledger; the caller listens and closes. */
export async function createApp(ledger: Ledger, config: ApiConfig, logger: Logger): Promise<NestFastifyApplication> {
  useBindWithoutDeprecatedProperty();
  const adapter = new FastifyAdapter({
    bodyLimit: config.LEDGER_BODY_LIMIT,
    logger: false,
    genReqId: correlationIdFor,
    // Errors the router raises before any handler (a malformed URL, an over-long path parameter): problem+json too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      void reply.status(status).header('content-type', PROBLEM_CONTENT_TYPE).send({ type: 'about:blank', title: error.message, status, instance: request.url, correlationId: request.id });
    },
  });
  const fastify = adapter.getInstance();
  useJsonBodyParser(fastify);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(CORRELATION_HEADER, request.id).header(API_VERSION_HEADER, API_VERSION);
    done();
  });
  // One line per request, built only when its level is on.
  fastify.addHook('onResponse', (request, reply, done) => {
    if (logger.isLevelEnabled('info')) {
      logger.info({ correlationId: request.id, req: { method: request.method, url: request.url }, res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime }, 'request completed');
    }
    done();
  });
  await fastify.register(rateLimit, {
    max: config.LEDGER_RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    // Thrown into the problem+json filter like every other error.
    errorResponseBuilder: (_request, context) => Object.assign(new Error(`Too many requests: at most ${context.max} a minute; retry after ${Math.ceil(context.ttl / 1000)} s`), { statusCode: 429 }),
  });
  const verifier = await createTokenVerifier(tokenVerification(config));
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(ledger, config, logger, verifier), adapter, {
    bufferLogs: true,
    abortOnError: false,
    // JSON bodies are parsed by useJsonBodyParser, which names a prototype key by its pointer.
    bodyParser: false,
  });
  app.useLogger(app.get(NestPinoLogger));
  await app.init();
  await fastify.ready();
  return app;
}
