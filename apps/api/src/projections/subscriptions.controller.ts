import { Controller, ForbiddenException, Get, Inject, NotFoundException, Param, Query as QueryParams, Req, Res } from '@nestjs/common';
import { type LogPosition, START, isLogPosition } from '@doorbraak/event-store';
import type { Ledger } from '@doorbraak/ledger-infrastructure';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { LEDGER } from '../tokens';
import { Permit } from '../auth/permit';
import { tenantOf } from '../http/request-context';
import { parseAt } from '../http/parse-at';

const cursor = z
  .string()
  .refine((c) => c === '' || isLogPosition(c), 'must be a cursor returned by this feed')
  .transform((c) => (c === '' ? START : (c as LogPosition)));
const lastEventIdHeader = z.object({ after: cursor.default(START) });
const pullQuery = z.object({ after: cursor.default(START), limit: z.coerce.number().int().min(1).max(5_000).default(500) });

/**
 * Subscriptions to projections: each change record is (projection, key, new row, cursor). Pull pages with a
 * cursor, or stream them as server-sent events resumable with Last-Event-ID. Delivery is at least once with
 * stable keys; applying records by key makes it exactly once in effect. A `reset` starts a new generation.
 */
@Controller('v1/projections/:name/changes')
export class SubscriptionsController {
  constructor(@Inject(LEDGER) private readonly ledger: Ledger) {}

  private projection(name: string) {
    const projection = this.ledger.runtime.projections.find((p) => p.name === name);
    if (!projection) throw new NotFoundException(`no projection ${name}`);
    if (projection.personalData) throw new ForbiddenException(`projection ${name} holds personal data and cannot be subscribed to`);
    return projection;
  }

  @Get()
  @Permit('feed:read')
  async pull(@Req() request: FastifyRequest, @Param('name') name: string, @QueryParams() query: unknown) {
    this.projection(name);
    const { after, limit } = parseAt('query', pullQuery, query);
    const { changes, cursor: next } = await this.ledger.runtime.changes(name, after, limit, tenantOf(request));
    return { items: changes, cursor: next, more: changes.length === limit };
  }

  @Get('stream')
  @Permit('feed:read')
  async stream(@Param('name') name: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.projection(name);
    const tenant = tenantOf(request);
    const lastEventId = request.headers['last-event-id'];
    const { after } = parseAt('headers', lastEventIdHeader, { after: typeof lastEventId === 'string' ? lastEventId : undefined });
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-correlation-id': request.id,
    });
    let position = after;
    let open = true;
    let wake: (() => void) | undefined;
    const unsubscribe = this.ledger.runtime.onCommit(() => wake?.());
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
    request.raw.on('close', () => {
      open = false;
      wake?.();
    });
    try {
      while (open) {
        const { changes, cursor: next } = await this.ledger.runtime.changes(name, position, 500, tenant);
        for (const change of changes) raw.write(`id: ${change.cursor}\nevent: ${change.kind}\ndata: ${JSON.stringify(change)}\n\n`);
        position = next;
        if (changes.length === 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 1_000);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      }
    } finally {
      clearInterval(heartbeat);
      unsubscribe();
      raw.end();
    }
  }
}
