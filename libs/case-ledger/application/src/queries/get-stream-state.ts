import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { type BudgetEvent, type HouseholdEvent, type MandateEvent, available, budgetDecider, fold, householdDecider, mandateRegisterDecider, streams } from '@doorbraak/domain';
import type { EventStore, JsonObject } from '@doorbraak/event-store';
import { EVENT_STORE } from '../shared/command-context';
import { loadExisting, loadStream } from '../shared/load-stream';

export type StreamKind = 'household' | 'budget' | 'mandates';

export interface StreamStateView {
  readonly version: bigint;
  readonly body: JsonObject;
}

/** A household, a budget or the mandate register, read from its stream. */
export class GetStreamState extends Query<StreamStateView> {
  constructor(
    readonly kind: StreamKind,
    readonly id: string,
    readonly tenant: string,
  ) {
    super();
  }
}

@QueryHandler(GetStreamState)
export class GetStreamStateHandler implements IQueryHandler<GetStreamState, StreamStateView> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ kind, id, tenant }: GetStreamState): Promise<StreamStateView> {
    switch (kind) {
      case 'household': {
        const loaded = await loadExisting(this.store, streams.household(id), tenant, 'household');
        const opened = loaded.events[0]!.data as JsonObject;
        const state = fold(householdDecider, loaded.events as HouseholdEvent[]);
        return { version: loaded.version, body: { ...opened, status: state.status, regisseur: state.status === 'none' ? null : state.regisseur } };
      }
      case 'budget': {
        const loaded = await loadExisting(this.store, streams.budget(id), tenant, 'budget');
        const events = loaded.events as BudgetEvent[];
        const state = fold(budgetDecider, events);
        if (state.status !== 'open') throw new Error('unreachable: a loaded budget is open');
        const spends = events.filter((e) => e.type === 'SpendCommitted').map((e) => e.data as JsonObject);
        return {
          version: loaded.version,
          body: {
            ...(events[0]!.data as JsonObject),
            authorisedAmount: state.authorised.toString(),
            available: available(state).toString(),
            spends: spends.map((s) => {
              const p = state.spends.get(s['spendId'] as string)!;
              return { ...s, paid: p.paid.toString(), reversed: p.reversed.toString() };
            }),
          },
        };
      }
      case 'mandates': {
        const loaded = await loadStream(this.store, streams.mandates(tenant), tenant);
        const state = fold(mandateRegisterDecider, loaded.events as MandateEvent[]);
        const mandates = [...state.mandates.values()].map((m) => ({
          ...m,
          maxPerSpend: m.maxPerSpend.toString(),
          maxPerPlan: m.maxPerPlan.toString(),
        })) as unknown as JsonObject[];
        return { version: loaded.version, body: { tenant, items: mandates } };
      }
    }
  }
}
