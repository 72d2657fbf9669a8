import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type HouseholdCommand, householdDecider, streams } from '@doorbraak/domain';
import type { EventStore } from '@doorbraak/event-store';
import { type CommandContext, type CommandResult, EVENT_STORE } from '../shared/command-context';
import { handleCommand } from '../shared/handle-command';
import { STREAM_STATES, type StreamStates } from '../shared/stream-states';
import { loadExisting, plansOfHousehold, scanTenant } from '../shared/load-stream';

export type EraseHouseholdData = Omit<Extract<HouseholdCommand, { type: 'EraseHouseholdData' }>['data'], 'householdId' | 'planIds'>;

/**
 * Destroys what makes a household's personal data readable: its data key, then the salts of the commitments of its
 * sealed events (its own, its plans', and the budget events about its spends). The events are gathered only once
 * the key is gone, so one appended while the erasure ran has its salt forgotten too.
 */
export interface PersonalDataShredder {
  shred(householdId: string, tenant: string, sealedEventIds: () => Promise<readonly string[]>): Promise<void>;
}
export const SHREDDER = Symbol('PersonalDataShredder');

export class EraseHousehold extends Command<CommandResult> {
  constructor(
    readonly householdId: string,
    readonly data: EraseHouseholdData,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Erases a closed household's personal data: records `HouseholdDataErased` (no personal data in it, the plans it
 * covers named), then shreds. A retry with the same Idempotency-Key shreds again, so a failure between the two
 * steps is repaired by retrying.
 */
@CommandHandler(EraseHousehold)
export class EraseHouseholdHandler implements ICommandHandler<EraseHousehold, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(STREAM_STATES) private readonly states: StreamStates,
    @Inject(SHREDDER) private readonly shredder: PersonalDataShredder,
  ) {}

  async execute({ householdId, data, context }: EraseHousehold): Promise<CommandResult> {
    await loadExisting(this.store, streams.household(householdId), context.tenant, 'household');
    const planIds = (await plansOfHousehold(this.store, householdId, context.tenant)).map((e) => e.data['planId'] as string);
    const result = await handleCommand(this.states, streams.household(householdId), householdDecider, () => ({ type: 'EraseHouseholdData' as const, data: { householdId, ...data, planIds } }), context);
    await this.shredder.shred(householdId, context.tenant, async () => {
      const [own, planEvents, budgetEvents] = await Promise.all([
        this.store.readStream(streams.household(householdId)),
        Promise.all(planIds.map((planId) => this.store.readStream(streams.plan(planId)))),
        // A budget's events about the household's spends are sealed under its key too.
        scanTenant(this.store, ['budget'], ['SpendCommitted', 'SpendPaid', 'SpendReversed'], context.tenant),
      ]);
      const spendEvents = budgetEvents.filter((e) => e.metadata.subject === householdId);
      return [...own, ...planEvents.flat(), ...spendEvents].filter((e) => e.data['personal'] !== undefined).map((e) => e.eventId);
    });
    return result;
  }
}
