import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { CommitSpend, ExecuteBudgetCommand, GetStreamState, ListBudgets, type StreamStateView } from '@doorbraak/application';
import { consistentWith, report } from '../http/read-options';
import { budgetEventSchemas } from '@doorbraak/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { pathIds } from '../http/path-params';
import { commandContext, parseBody, setVersion, tenantOf } from '../http/request-context';
import { respond } from '../plans/plans.controller';
import { Permit } from '../auth/permit';
import { visibleTo } from '../auth/access-logger';

const optionalId = z.string().uuid().optional();
export const openBudgetSchema = budgetEventSchemas.BudgetOpened.omit({ budgetId: true }).extend({ budgetId: optionalId }).strict();
export const adjustBudgetSchema = budgetEventSchemas.BudgetAdjusted.omit({ budgetId: true }).strict();
export const commitSpendSchema = budgetEventSchemas.SpendCommitted.omit({ budgetId: true, spendId: true, householdId: true }).extend({ spendId: optionalId }).strict();
export const paySpendSchema = budgetEventSchemas.SpendPaid.omit({ budgetId: true, spendId: true }).strict();
export const reverseSpendSchema = budgetEventSchemas.SpendReversed.omit({ budgetId: true, spendId: true }).strict();

/** Budgets and the spends committed, paid and reversed on them. */
@Controller('v1/budgets')
export class BudgetsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Permit('budget:write')
  @HttpCode(201)
  async open(@Req() request: FastifyRequest, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const context = commandContext(request);
    const { budgetId = randomUUID(), ...data } = parseBody(openBudgetSchema, body);
    void reply.header('location', `/v1/budgets/${budgetId}`);
    return respond(reply, await this.commands.execute(new ExecuteBudgetCommand(budgetId, { type: 'OpenBudget', data: { budgetId, ...data } }, context)), { budgetId });
  }

  @Get()
  @Permit('budget:read')
  async list(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return report(request, reply, await this.queries.execute(new ListBudgets(tenantOf(request), consistentWith(request))));
  }

  @Get(':budgetId')
  @Permit('budget:read')
  async get(@Req() request: FastifyRequest, @Param('budgetId') budgetId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    pathIds({ budgetId });
    const view: StreamStateView = await this.queries.execute(new GetStreamState('budget', budgetId, tenantOf(request)));
    setVersion(reply, view.version);
    // A spend's reasons are the household's free text: finance roles see the facts.
    return visibleTo(request, view.body);
  }

  @Post(':budgetId/adjustments')
  @Permit('budget:write')
  @HttpCode(201)
  async adjust(@Req() request: FastifyRequest, @Param('budgetId') budgetId: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    pathIds({ budgetId });
    const context = commandContext(request);
    const data = parseBody(adjustBudgetSchema, body);
    return respond(reply, await this.commands.execute(new ExecuteBudgetCommand(budgetId, { type: 'AdjustBudget', data: { budgetId, ...data } }, context)), { budgetId });
  }

  @Post(':budgetId/spends')
  @Permit('spend:write')
  @HttpCode(201)
  async commit(@Req() request: FastifyRequest, @Param('budgetId') budgetId: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    pathIds({ budgetId });
    const context = commandContext(request);
    const { spendId = randomUUID(), ...data } = parseBody(commitSpendSchema, body);
    return respond(reply, await this.commands.execute(new CommitSpend(budgetId, { budgetId, spendId, ...data }, context)), { budgetId, spendId });
  }

  @Post(':budgetId/spends/:spendId/:action')
  @Permit('spend:write')
  @HttpCode(201)
  async settle(
    @Req() request: FastifyRequest,
    @Param() params: { budgetId: string; spendId: string; action: string },
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { budgetId, spendId } = pathIds({ budgetId: params.budgetId, spendId: params.spendId });
    const context = commandContext(request);
    const command =
      params.action === 'payments'
        ? ({ type: 'PaySpend', data: { budgetId, spendId, ...parseBody(paySpendSchema, body) } } as const)
        : params.action === 'reversals'
          ? ({ type: 'ReverseSpend', data: { budgetId, spendId, ...parseBody(reverseSpendSchema, body) } } as const)
          : undefined;
    if (!command) throw new NotFoundException(`Cannot POST ${request.url}`);
    return respond(reply, await this.commands.execute(new ExecuteBudgetCommand(budgetId, command, context)), { budgetId, spendId });
  }
}
