import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type MandateCommand, mandateRegisterDecider, streams } from '@doorbraak/domain';
import type { EventStore } from '@doorbraak/event-store';
import { type CommandContext, type CommandResult, EVENT_STORE } from '../shared/command-context';
import { handleCommand } from '../shared/handle-command';

/** Changes the mandate register of the caller's municipality (one stream per municipality). */
export class ExecuteMandateCommand extends Command<CommandResult> {
  constructor(
    readonly command: MandateCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ExecuteMandateCommand)
export class ExecuteMandateCommandHandler implements ICommandHandler<ExecuteMandateCommand, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ command, context }: ExecuteMandateCommand): Promise<CommandResult> {
    return handleCommand(this.store, streams.mandates(context.tenant), mandateRegisterDecider, () => command, context);
  }
}
