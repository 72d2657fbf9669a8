import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type ApprovedDecision, type BudgetCommand, type PlanEvent, budgetDecider, fold, planDecider, streams } from '@doorbraak/domain';
import type { EventStore } from '@doorbraak/event-store';
import { type CommandContext, type CommandResult, EVENT_STORE } from '../shared/command-context';
import { handleCommand } from '../shared/handle-command';
import { loadStream } from '../shared/load-stream';

export type CommitSpendData = Omit<Extract<BudgetCommand, { type: 'CommitSpend' }>['data'], 'householdId'>;

export class CommitSpend extends Command<CommandResult> {
  constructor(
    readonly budgetId: string,
    readonly data: CommitSpendData,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Books a commitment on a budget after reading the plan's decision; the budget refuses overspending. */
@CommandHandler(CommitSpend)
export class CommitSpendHandler implements ICommandHandler<CommitSpend, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ budgetId, data, context }: CommitSpend): Promise<CommandResult> {
    return handleCommand(
      this.store,
      streams.budget(budgetId),
      budgetDecider,
      async () => {
        const plan = fold(planDecider, (await loadStream(this.store, streams.plan(data.planId), context.tenant)).events as PlanEvent[]);
        const decision: ApprovedDecision | undefined = plan.decision && {
          planId: plan.planId,
          decisionId: plan.decision.decisionId,
          outcome: plan.decision.outcome,
          decidedOn: plan.decision.decidedOn,
          doorbraakIds: plan.decision.doorbraakIds,
        };
        return { type: 'CommitSpend' as const, data: { ...data, householdId: plan.householdId }, decision };
      },
      context,
    );
  }
}
