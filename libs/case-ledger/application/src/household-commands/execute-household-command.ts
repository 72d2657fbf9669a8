import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type HouseholdCommand, householdDecider, streams } from '@doorbraak/domain';
import type { CommandContext, CommandResult } from '../shared/command-context';
import { handleCommand } from '../shared/handle-command';
import { STREAM_STATES, type StreamStates } from '../shared/stream-states';

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
  constructor(@Inject(STREAM_STATES) private readonly states: StreamStates) {}

  execute({ householdId, command, context }: ExecuteHouseholdCommand): Promise<CommandResult> {
    return handleCommand(this.states, streams.household(householdId), householdDecider, () => command, context);
  }
}
