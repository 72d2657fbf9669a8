import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { EraseHousehold, ExecuteHouseholdCommand, ExportHousehold, GetAccessLog, GetStreamState, type HouseholdDocument, type StreamStateView } from '@doorbraak/application';
import type { JsonObject } from '@doorbraak/event-store';
import { householdEventSchemas } from '@doorbraak/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { pathIds } from '../http/path-params';
import { commandContext, parseBody, setVersion, tenantOf } from '../http/request-context';
import { respond } from '../plans/plans.controller';
import { Permit } from '../auth/permit';
import { AccessLogger } from '../auth/access-logger';
import { consistentWith } from '../http/read-options';

export const openHouseholdSchema = householdEventSchemas.HouseholdOpened.omit({ householdId: true }).extend({ householdId: z.string().uuid().optional() }).strict();
export const assignRegieSchema = householdEventSchemas.RegieAssigned.omit({ householdId: true }).strict();
export const closeHouseholdSchema = householdEventSchemas.HouseholdClosed.omit({ householdId: true }).strict();
export const eraseHouseholdSchema = householdEventSchemas.HouseholdDataErased.omit({ householdId: true, planIds: true }).strict();

@Controller('v1/households')
export class HouseholdsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly accessLog: AccessLogger,
  ) {}

  @Post()
  @Permit('case:write')
  @HttpCode(201)
  async open(@Req() request: FastifyRequest, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const context = commandContext(request);
    const { householdId = randomUUID(), ...data } = parseBody(openHouseholdSchema, body);
    const result = await this.commands.execute(new ExecuteHouseholdCommand(householdId, { type: 'OpenHousehold', data: { householdId, ...data } }, context));
    void reply.header('location', `/v1/households/${householdId}`);
    return respond(reply, result, { householdId });
  }

  @Get(':householdId')
  @Permit('case:read')
  async get(@Req() request: FastifyRequest, @Param('householdId') householdId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    pathIds({ householdId });
    const view: StreamStateView = await this.queries.execute(new GetStreamState('household', householdId, tenantOf(request)));
    setVersion(reply, view.version);
    return this.accessLog.disclose(request, view.body, { object: { type: 'household', id: householdId }, householdIds: [householdId] });
  }

  @Get(':householdId/export')
  @Permit('case:export')
  async export(@Req() request: FastifyRequest, @Param('householdId') householdId: string): Promise<HouseholdDocument> {
    pathIds({ householdId });
    const exported: HouseholdDocument = await this.queries.execute(new ExportHousehold(householdId, tenantOf(request)));
    await this.accessLog.record(request, { action: 'export', object: { type: 'household', id: householdId }, householdIds: [householdId], narrativeDisclosed: true });
    return exported;
  }

  /** Destroys the household's personal data (its key); amounts, codes, decisions and proofs stay. */
  @Post(':householdId/erasure')
  @Permit('household:erase')
  @HttpCode(201)
  async erase(@Req() request: FastifyRequest, @Param('householdId') householdId: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    pathIds({ householdId });
    const context = commandContext(request);
    const data = parseBody(eraseHouseholdSchema, body);
    return respond(reply, await this.commands.execute(new EraseHousehold(householdId, data, context)), { householdId });
  }

  /** A data subject's request (AVG art. 15, CJEU C-579/21): when the household's data was consulted and for what purpose. */
  @Get(':householdId/access-log')
  @Permit('access-log:read')
  async accessLogOf(@Req() request: FastifyRequest, @Param('householdId') householdId: string) {
    pathIds({ householdId });
    // Only a household of the caller's own municipality (404 otherwise, as for every other read).
    await this.queries.execute(new GetStreamState('household', householdId, tenantOf(request)));
    const entries: JsonObject[] = await this.queries.execute(new GetAccessLog({ tenant: tenantOf(request), householdId, limit: 10_000 }, consistentWith(request)));
    await this.accessLog.record(request, { action: 'read', object: { type: 'access-log', id: householdId }, householdIds: [householdId], narrativeDisclosed: false });
    return { householdId, accesses: entries.map((e) => ({ at: e['at'], action: e['action'], purpose: e['purpose'] })) };
  }

  @Post(':householdId/regie-assignments')
  @Permit('case:write')
  @HttpCode(201)
  async assignRegie(@Req() request: FastifyRequest, @Param('householdId') householdId: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    pathIds({ householdId });
    const context = commandContext(request);
    const data = parseBody(assignRegieSchema, body);
    return respond(reply, await this.commands.execute(new ExecuteHouseholdCommand(householdId, { type: 'AssignRegie', data: { householdId, ...data } }, context)), { householdId });
  }

  @Post(':householdId/closure')
  @Permit('case:write')
  @HttpCode(201)
  async close(@Req() request: FastifyRequest, @Param('householdId') householdId: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    pathIds({ householdId });
    const context = commandContext(request);
    const data = parseBody(closeHouseholdSchema, body);
    return respond(reply, await this.commands.execute(new ExecuteHouseholdCommand(householdId, { type: 'CloseHousehold', data: { householdId, ...data } }, context)), { householdId });
  }
}
