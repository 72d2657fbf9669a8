import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type MandateEvent, type PlanCommand, fold, mandateRegisterDecider, planDecider, streams } from '@doorbraak/domain';
import type { EventStore } from '@doorbraak/event-store';
import { type CommandContext, type CommandResult, EVENT_STORE } from '../shared/command-context';
import { handleCommand } from '../shared/handle-command';
import { loadStream } from '../shared/load-stream';

export class DecidePlan extends Command<CommandResult> {
  constructor(
    readonly planId: string,
    readonly data: Extract<PlanCommand, { type: 'Decide' }>['data'],
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Judges the decision against the municipality's mandate register as it stands, and records its version. */
@CommandHandler(DecidePlan)
export class DecidePlanHandler implements ICommandHandler<DecidePlan, CommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ planId, data, context }: DecidePlan): Promise<CommandResult> {
    return handleCommand(
      this.store,
      streams.plan(planId),
      planDecider,
      async () => {
        const register = await loadStream(this.store, streams.mandates(context.tenant), context.tenant);
        return {
          type: 'Decide' as const,
          data,
          register: fold(mandateRegisterDecider, register.events as MandateEvent[]),
          registerVersion: Number(register.version),
        };
      },
      context,
    );
  }
}
