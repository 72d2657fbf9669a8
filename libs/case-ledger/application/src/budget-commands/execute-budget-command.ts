import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type BudgetCommand, budgetDecider, streams } from '@doorbraak/domain';
import type { EventStore } from '@doorbraak/event-store';
import { type CommandContext, type CommandResult, EVENT_STORE } from '../shared/command-context';
import { handleCommand } from '../shared/handle-command';

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
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ budgetId, command, context }: ExecuteBudgetCommand): Promise<CommandResult> {
    return handleCommand(this.store, streams.budget(budgetId), budgetDecider, () => command, context);
  }
}
