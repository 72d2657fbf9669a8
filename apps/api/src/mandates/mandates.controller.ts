import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ExecuteMandateCommand, GetStreamState, type StreamStateView } from '@doorbraak/application';
import { mandateEventSchemas } from '@doorbraak/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { pathIds } from '../http/path-params';
import { commandContext, parseBody, setVersion, tenantOf } from '../http/request-context';
import { respond } from '../plans/plans.controller';
import { Permit } from '../auth/permit';

export const grantMandateSchema = mandateEventSchemas.MandateGranted.omit({ mandateId: true }).extend({ mandateId: z.string().uuid().optional() }).strict();
export const revokeMandateSchema = mandateEventSchemas.MandateRevoked.omit({ mandateId: true }).strict();

/** The mandate register of the caller's municipality. */
@Controller('v1/mandates')
export class MandatesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Permit('mandate:read')
  async list(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const view: StreamStateView = await this.queries.execute(new GetStreamState('mandates', '', tenantOf(request)));
    setVersion(reply, view.version);
    return view.body;
  }

  @Post()
  @Permit('mandate:write')
  @HttpCode(201)
  async grant(@Req() request: FastifyRequest, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const context = commandContext(request);
    const { mandateId = randomUUID(), ...data } = parseBody(grantMandateSchema, body);
    return respond(reply, await this.commands.execute(new ExecuteMandateCommand({ type: 'GrantMandate', data: { mandateId, ...data } }, context)), { mandateId });
  }

  @Post(':mandateId/revocation')
  @Permit('mandate:write')
  @HttpCode(201)
  async revoke(@Req() request: FastifyRequest, @Param('mandateId') mandateId: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    pathIds({ mandateId });
    const context = commandContext(request);
    const data = parseBody(revokeMandateSchema, body);
    return respond(reply, await this.commands.execute(new ExecuteMandateCommand({ type: 'RevokeMandate', data: { mandateId, ...data } }, context)), { mandateId });
  }
}
