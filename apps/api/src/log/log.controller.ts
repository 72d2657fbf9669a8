import { Body, Controller, Get, Header, HttpCode, Inject, NotFoundException, Param, Post, Query as QueryParams, Res } from '@nestjs/common';
import type { Ledger } from '@doorbraak/ledger-infrastructure';
import { TILE_WIDTH, parseTilePath, tilePath } from '@doorbraak/merkle';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { pathIds } from '../http/path-params';
import { parseBody } from '../http/request-context';
import { LEDGER } from '../tokens';
import { Permit, Public } from '../auth/permit';
import { parseAt } from '../http/parse-at';

export const checkpointRequest = z.object({ reason: z.string().trim().min(3).max(200) }).strict();
const consistencyQuery = z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });
const proofQuery = z.object({ treeSize: z.coerce.number().int().min(1).optional() });
const tileParams = z.object({ tile: z.string().transform((path, context) => parseTilePath(`tile/${path}`) ?? (context.addIssue({ code: 'custom', message: 'must be a tlog-tiles path: <L>/<N>[.p/<W>], N in 3-digit groups each but the last prefixed with x' }), z.NEVER)) });

/** A full tile never changes; the checkpoint and partial tiles change as the log grows. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const GROWING = 'public, max-age=10';

/** The verifiable log: its state, signed checkpoints, and proofs an auditor checks without trusting us. */
@Controller('v1/log')
export class LogController {
  constructor(@Inject(LEDGER) private readonly ledger: Ledger) {}

  @Get()
  @Permit('log:read')
  async status() {
    const status = await this.ledger.log.status();
    return {
      ...status,
      latestCheckpoint: status.latestCheckpoint && (await this.ledger.witnesses.cosigned(status.latestCheckpoint)),
      vkey: this.ledger.vkey ?? null,
      witnesses: this.ledger.witnesses.witnesses.map(({ name, vkey }) => ({ name, vkey })),
    };
  }

  @Get('checkpoint')
  @Public()
  @Header('content-type', 'text/plain; charset=utf-8')
  @Header('cache-control', GROWING)
  async latest(): Promise<string> {
    const checkpoint = await this.ledger.log.latestCheckpoint();
    if (!checkpoint) throw new NotFoundException('no checkpoint has been signed yet');
    return this.ledger.witnesses.cosigned(checkpoint.note);
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
    const proof = await this.ledger.log.inclusionProof(eventId, treeSize);
    return { ...proof, checkpoint: proof.checkpoint && (await this.ledger.witnesses.cosigned(proof.checkpoint)) };
  }

  @Get('consistency')
  @Permit('log:read')
  async consistency(@QueryParams() query: unknown) {
    const { from, to } = parseAt('query', consistencyQuery, query);
    return { from, to, proof: await this.ledger.log.consistencyProof(from, to) };
  }

  /**
   * A tile of the tree at its C2SP tlog-tiles path (`tile/<L>/<N>[.p/<W>]`): the tile's hashes, 32 bytes each.
   * Public: hashes only, so auditors, witnesses and mirrors rebuild the tree without an account (ADR 0008).
   */
  @Get('tile/*')
  @Public()
  async tile(@Param() params: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const { tile } = parseAt('path', tileParams, { tile: (params as Record<string, unknown>)['*'] });
    const hashes = await this.ledger.log.tile(tile);
    if (!hashes) throw new NotFoundException(`the log has no ${tilePath(tile)} (yet)`);
    void reply.header('content-type', 'application/octet-stream').header('cache-control', tile.width === TILE_WIDTH ? IMMUTABLE : GROWING);
    return hashes;
  }
}
