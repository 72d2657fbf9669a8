import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type ApprovedDecision, type BudgetCommand, budgetDecider, planDecider, streams } from '@doorbraak/domain';
import type { CommandContext, CommandResult } from '../shared/command-context';
import { handleCommand } from '../shared/handle-command';
import { STREAM_STATES, type StreamStates } from '../shared/stream-states';

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
  constructor(@Inject(STREAM_STATES) private readonly states: StreamStates) {}

  execute({ budgetId, data, context }: CommitSpend): Promise<CommandResult> {
    return handleCommand(
      this.states,
      streams.budget(budgetId),
      budgetDecider,
      async () => {
        const plan = (await this.states.loadOwn(streams.plan(data.planId), planDecider, context.tenant)).state;
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
