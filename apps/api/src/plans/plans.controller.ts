import { Body, Controller, ForbiddenException, Get, HttpCode, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { type CommandResult, DecidePlan, ExecutePlanCommand, GetPlan, type Permission, type PlanStepCommand, type Role } from '@doorbraak/application';
import type { PlanView } from '@doorbraak/projections';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { pathIds } from '../http/path-params';
import { commandContext, parseBody, setVersion, tenantOf } from '../http/request-context';
import { draftPlanSchema, planSteps } from './plan-steps';
import { Permit } from '../auth/permit';
import { AccessLogger } from '../auth/access-logger';
import { callerOf } from '../auth/principal';

/** Decisions and escalations need their own permission; every other step writes the plan. */
const stepPermission = (request: FastifyRequest): Permission => {
  const { step, collection } = request.params as { step?: string; collection?: string };
  if (!collection && step === 'decisions') return 'plan:decide';
  if (!collection && step === 'escalations') return 'plan:escalate';
  return 'case:write';
};

const stepsByPath = new Map(planSteps.map((step) => [step.path, step]));

const idOfCollection: Record<string, string> = { doorbraken: 'doorbraakId', 'cost-lines': 'costLineId', actions: 'actionId', evaluations: 'evaluationId' };

/** Plans: drafted, written step by step, decided and executed. Only maps HTTP to commands and queries. */
@Controller('v1/plans')
export class PlansController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly accessLog: AccessLogger,
  ) {}

  @Post()
  @Permit('case:write')
  @HttpCode(201)
  async draft(@Req() request: FastifyRequest, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const context = commandContext(request);
    const { planId = randomUUID(), ...data } = parseBody(draftPlanSchema, body);
    const result = await this.commands.execute(new ExecutePlanCommand(planId, { type: 'DraftPlan', data: { planId, ...data } }, context));
    void reply.header('location', `/v1/plans/${planId}`);
    return respond(reply, result, { planId });
  }

  @Get(':planId')
  @Permit('case:read')
  async get(@Req() request: FastifyRequest, @Param('planId') planId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<PlanView> {
    pathIds({ planId });
    const view: PlanView = await this.queries.execute(new GetPlan(planId, tenantOf(request)));
    setVersion(reply, BigInt(view.version));
    return this.accessLog.disclose(request, view, { object: { type: 'plan', id: planId }, householdIds: [view.householdId as string] });
  }

  @Post(':planId/:step')
  @Permit(stepPermission)
  @HttpCode(201)
  stepOnPlan(@Req() request: FastifyRequest, @Param('planId') planId: string, @Param('step') step: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.runStep(request, reply, step, { planId }, body);
  }

  @Post(':planId/:collection/:itemId/:step')
  @Permit(stepPermission)
  @HttpCode(201)
  stepOnItem(
    @Req() request: FastifyRequest,
    @Param() params: { planId: string; collection: string; itemId: string; step: string },
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const idName = idOfCollection[params.collection];
    if (!idName) throw new NotFoundException(`Cannot POST ${request.url}`);
    return this.runStep(request, reply, `${params.collection}/{${idName}}/${params.step}`, { planId: params.planId, [idName]: params.itemId }, body);
  }

  private async runStep(request: FastifyRequest, reply: FastifyReply, path: string, ids: Record<string, string>, body: unknown) {
    const step = stepsByPath.get(path);
    if (!step) throw new NotFoundException(`Cannot POST ${request.url}`);
    const { planId, ...scoped } = pathIds(ids);
    const context = commandContext(request);
    const parsed = parseBody(step.schema, body) as Record<string, unknown>;
    const generated = step.generates ? { [step.generates]: (parsed[step.generates] as string | undefined) ?? randomUUID() } : {};
    const data = { ...parsed, ...generated, ...scoped, planId };
    if (step.command === 'Decide') decidedByCaller(request, (parsed as { decisionMaker: unknown }).decisionMaker as { actorId: string; role: Role });
    const result: CommandResult =
      step.command === 'Decide'
        ? await this.commands.execute(new DecidePlan(planId!, data as never, context))
        : await this.commands.execute(new ExecutePlanCommand(planId!, { type: step.command, data } as PlanStepCommand, context));
    return respond(reply, result, { planId: planId!, ...generated });
  }
}

/** A decision is recorded in the name of the person who makes it, in a role they hold. */
function decidedByCaller(request: FastifyRequest, decisionMaker: { actorId: string; role: Role }): void {
  const caller = callerOf(request);
  if (decisionMaker.actorId !== caller.actor || !caller.roles.includes(decisionMaker.role)) {
    throw new ForbiddenException(`a decision is recorded in the caller's own name and role: decisionMaker must be ${caller.actor} as one of ${caller.roles.join(', ')}`);
  }
}

export function respond(reply: FastifyReply, result: CommandResult, ids: Record<string, string>) {
  setVersion(reply, result.version);
  if (!result.created) void reply.status(200);
  return { ...ids, version: Number(result.version), logPosition: result.logPosition };
}
