import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type PlanCommand, householdDecider, planDecider, streams, HouseholdNotOpen } from '@doorbraak/domain';
import type { CommandContext, CommandResult } from '../shared/command-context';
import { ResourceNotFound } from '../shared/application-errors';
import { handleCommand } from '../shared/handle-command';
import { STREAM_STATES, type StreamStates } from '../shared/stream-states';

/** Every plan command but the decision (which needs the mandate register: see DecidePlan). */
export type PlanStepCommand = Exclude<PlanCommand, { type: 'Decide' }>;

export class ExecutePlanCommand extends Command<CommandResult> {
  constructor(
    readonly planId: string,
    readonly command: PlanStepCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ExecutePlanCommand)
export class ExecutePlanCommandHandler implements ICommandHandler<ExecutePlanCommand, CommandResult> {
  constructor(@Inject(STREAM_STATES) private readonly states: StreamStates) {}

  async execute({ planId, command, context }: ExecutePlanCommand): Promise<CommandResult> {
    if (command.type === 'DraftPlan') {
      // A plan belongs to an open household of the same municipality.
      const { version, state } = await this.states.loadOwn(streams.household(command.data.householdId), householdDecider, context.tenant);
      if (version === 0n) throw new ResourceNotFound('no household with this id');
      if (state.status !== 'open') throw new HouseholdNotOpen('plans can only be drafted for an open household', 'householdId');
    }
    return handleCommand(this.states, streams.plan(planId), planDecider, () => command, context);
  }
}
