import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Ledger } from '@doorbraak/ledger-infrastructure';
import type { Logger } from '@doorbraak/logging';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { CORRELATION_HEADER, correlationIdFor } from './http/correlation-id';

import type { ApiConfig } from './config';

/** Builds the HTTP application around an opened ledger; the caller listens and closes. */
export async function createApp(ledger: Ledger, config: ApiConfig, logger: Logger): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.LEDGER_BODY_LIMIT, logger: false, genReqId: correlationIdFor });
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    void reply.header(CORRELATION_HEADER, request.id);
    done();
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(ledger, config, logger), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(NestPinoLogger));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
