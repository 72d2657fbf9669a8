import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type BudgetCommand, budgetDecider, streams } from '@doorbraak/domain';
import type { CommandContext, CommandResult } from '../shared/command-context';
import { handleCommand } from '../shared/handle-command';
import { STREAM_STATES, type StreamStates } from '../shared/stream-states';

/** Budget commands that need nothing but the budget itself (commitments: see CommitSpend). */
export type BudgetOnlyCommand = Exclude<BudgetCommand, { type: 'CommitSpend' }>;

export class ExecuteBudgetCommand extends Command<CommandResult> {
  constructor(
    readonly budgetId: string,
    readonly command: BudgetOnlyCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ExecuteBudgetCommand)
export class ExecuteBudgetCommandHandler implements ICommandHandler<ExecuteBudgetCommand, CommandResult> {
  constructor(@Inject(STREAM_STATES) private readonly states: StreamStates) {}

  execute({ budgetId, command, context }: ExecuteBudgetCommand): Promise<CommandResult> {
    return handleCommand(this.states, streams.budget(budgetId), budgetDecider, () => command, context);
  }
}
