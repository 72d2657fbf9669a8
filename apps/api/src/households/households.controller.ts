import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ExecuteHouseholdCommand, ExportHousehold, GetStreamState, type HouseholdDocument, type StreamStateView } from '@doorbraak/application';
import { householdEventSchemas } from '@doorbraak/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { pathIds } from '../http/path-params';
import { commandContext, parseBody, setVersion, tenantOf } from '../http/request-context';
import { respond } from '../plans/plans.controller';

export const openHouseholdSchema = householdEventSchemas.HouseholdOpened.omit({ householdId: true }).extend({ householdId: z.string().uuid().optional() }).strict();
export const assignRegieSchema = householdEventSchemas.RegieAssigned.omit({ householdId: true }).strict();
export const closeHouseholdSchema = householdEventSchemas.HouseholdClosed.omit({ householdId: true }).strict();

@Controller('v1/households')
export class HouseholdsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  async open(@Req() request: FastifyRequest, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const context = commandContext(request);
    const { householdId = randomUUID(), ...data } = parseBody(openHouseholdSchema, body);
    const result = await this.commands.execute(new ExecuteHouseholdCommand(householdId, { type: 'OpenHousehold', data: { householdId, ...data } }, context));
    void reply.header('location', `/v1/households/${householdId}`);
    return respond(reply, result, { householdId });
  }

  @Get(':householdId')
  async get(@Req() request: FastifyRequest, @Param('householdId') householdId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    pathIds({ householdId });
    const view: StreamStateView = await this.queries.execute(new GetStreamState('household', householdId, tenantOf(request)));
    setVersion(reply, view.version);
    return view.body;
  }

  @Get(':householdId/export')
  async export(@Req() request: FastifyRequest, @Param('householdId') householdId: string): Promise<HouseholdDocument> {
    pathIds({ householdId });
    return this.queries.execute(new ExportHousehold(householdId, tenantOf(request)));
  }

  @Post(':householdId/regie-assignments')
  @HttpCode(201)
  async assignRegie(@Req() request: FastifyRequest, @Param('householdId') householdId: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    pathIds({ householdId });
    const context = commandContext(request);
    const data = parseBody(assignRegieSchema, body);
    return respond(reply, await this.commands.execute(new ExecuteHouseholdCommand(householdId, { type: 'AssignRegie', data: { householdId, ...data } }, context)), { householdId });
  }

  @Post(':householdId/closure')
  @HttpCode(201)
  async close(@Req() request: FastifyRequest, @Param('householdId') householdId: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    pathIds({ householdId });
    const context = commandContext(request);
    const data = parseBody(closeHouseholdSchema, body);
    return respond(reply, await this.commands.execute(new ExecuteHouseholdCommand(householdId, { type: 'CloseHousehold', data: { householdId, ...data } }, context)), { householdId });
  }
}
