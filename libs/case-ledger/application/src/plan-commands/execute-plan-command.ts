import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type PlanCommand, householdDecider, planDecider, streams, fold, HouseholdNotOpen, type HouseholdEvent } from '@doorbraak/domain';
import type { EventStore } from '@doorbraak/event-store';
import { type CommandContext, type CommandResult, EVENT_STORE } from '../shared/command-context';
import { handleCommand } from '../shared/handle-command';
import { loadExisting } from '../shared/load-stream';

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
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ planId, command, context }: ExecutePlanCommand): Promise<CommandResult> {
    if (command.type === 'DraftPlan') {
      // A plan belongs to an open household of the same municipality.
      const household = await loadExisting(this.store, streams.household(command.data.householdId), context.tenant, 'household');
      const state = fold(householdDecider, household.events as HouseholdEvent[]);
      if (state.status !== 'open') throw new HouseholdNotOpen('plans can only be drafted for an open household', 'householdId');
    }
    return handleCommand(this.store, streams.plan(planId), planDecider, () => command, context);
  }
}
