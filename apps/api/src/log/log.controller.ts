import { Body, Controller, Get, Header, HttpCode, Inject, NotFoundException, Param, Post, Query as QueryParams } from '@nestjs/common';
import type { Ledger } from '@doorbraak/ledger-infrastructure';
import { z } from 'zod';
import { pathIds } from '../http/path-params';
import { parseBody } from '../http/request-context';
import { LEDGER } from '../tokens';
import { Permit } from '../auth/permit';
import { parseAt } from '../http/parse-at';

export const checkpointRequest = z.object({ reason: z.string().trim().min(3).max(200) }).strict();
const consistencyQuery = z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });
const proofQuery = z.object({ treeSize: z.coerce.number().int().min(1).optional() });

/** The verifiable log: its state, signed checkpoints, and proofs an auditor checks without trusting us. */
@Controller('v1/log')
export class LogController {
  constructor(@Inject(LEDGER) private readonly ledger: Ledger) {}

  @Get()
  @Permit('log:read')
  async status() {
    return { ...(await this.ledger.log.status()), vkey: this.ledger.vkey ?? null };
  }

  @Get('checkpoint')
  @Permit('log:read')
  @Header('content-type', 'text/plain; charset=utf-8')
  async latest(): Promise<string> {
    const checkpoint = await this.ledger.log.latestCheckpoint();
    if (!checkpoint) throw new NotFoundException('no checkpoint has been signed yet');
    return checkpoint.note;
  }

  @Post('checkpoints')
  @Permit('log:checkpoint')
  @HttpCode(201)
  @Header('content-type', 'text/plain; charset=utf-8')
  async checkpoint(@Body() body: unknown): Promise<string> {
    const { reason } = parseBody(checkpointRequest, body);
    return this.ledger.log.checkpoint(reason);
  }

  @Get('events/:eventId/proof')
  @Permit('log:read')
  async proof(@Param('eventId') eventId: string, @QueryParams() query: unknown) {
    pathIds({ eventId });
    const { treeSize } = parseAt('query', proofQuery, query);
    return this.ledger.log.inclusionProof(eventId, treeSize);
  }

  @Get('consistency')
  @Permit('log:read')
  async consistency(@QueryParams() query: unknown) {
    const { from, to } = parseAt('query', consistencyQuery, query);
    return { from, to, proof: await this.ledger.log.consistencyProof(from, to) };
  }
}
