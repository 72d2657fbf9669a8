import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type HouseholdCommand, householdDecider, streams } from '@doorbraak/domain';
import type { EventStore } from '@doorbraak/event-store';
import { type CommandContext, type CommandResult, EVENT_STORE } from '../shared/command-context';
import { handleCommand } from '../shared/handle-command';

export class ExecuteHouseholdCommand extends Command<CommandResult> {
  constructor(
    readonly householdId: string,
    readonly command: HouseholdCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ExecuteHouseholdCommand)
export class ExecuteHouseholdCommandHandler implements ICommandHandler<ExecuteHouseholdCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ householdId, command, context }: ExecuteHouseholdCommand): Promise<CommandResult> {
    return handleCommand(this.store, streams.household(householdId), householdDecider, () => command, context);
  }
}
