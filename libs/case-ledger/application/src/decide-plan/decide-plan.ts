import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type PlanCommand, mandateRegisterDecider, planDecider, streams } from '@doorbraak/domain';
import type { CommandContext, CommandResult } from '../shared/command-context';
import { handleCommand } from '../shared/handle-command';
import { STREAM_STATES, type StreamStates } from '../shared/stream-states';

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
  constructor(@Inject(STREAM_STATES) private readonly states: StreamStates) {}

  execute({ planId, data, context }: DecidePlan): Promise<CommandResult> {
    return handleCommand(
      this.states,
      streams.plan(planId),
      planDecider,
      async () => {
        const register = await this.states.loadOwn(streams.mandates(context.tenant), mandateRegisterDecider, context.tenant);
        return {
          type: 'Decide' as const,
          data,
          register: register.state,
          registerVersion: Number(register.version),
        };
      },
      context,
    );
  }
}
