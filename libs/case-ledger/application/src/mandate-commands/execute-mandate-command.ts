import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type MandateCommand, mandateRegisterDecider, streams } from '@doorbraak/domain';
import type { CommandContext, CommandResult } from '../shared/command-context';
import { handleCommand } from '../shared/handle-command';
import { STREAM_STATES, type StreamStates } from '../shared/stream-states';

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
  constructor(@Inject(STREAM_STATES) private readonly states: StreamStates) {}

  execute({ command, context }: ExecuteMandateCommand): Promise<CommandResult> {
    return handleCommand(this.states, streams.mandates(context.tenant), mandateRegisterDecider, () => command, context);
  }
}
