import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Ledger } from '@doorbraak/ledger-infrastructure';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { LEDGER } from '../tokens';
import type { healthSchema } from './health.routes';
import { Public } from '../auth/permit';

@Controller('v1/health')
export class HealthController {
  constructor(@Inject(LEDGER) private readonly ledger: Ledger) {}

  @Get()
  @Public()
  async get(@Res({ passthrough: true }) reply: FastifyReply): Promise<z.infer<typeof healthSchema>> {
    try {
      const logHead = await this.ledger.store.head();
      return { status: 'ok', backend: this.ledger.backend, database: 'up', logHead };
    } catch {
      void reply.status(503);
      return { status: 'unavailable', backend: this.ledger.backend, database: 'down', logHead: '' };
    }
  }
}
