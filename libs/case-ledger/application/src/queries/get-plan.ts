import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { type HouseholdEvent, type PlanEvent, streams } from '@doorbraak/domain';
import type { EventStore } from '@doorbraak/event-store';
import { type PlanView, evolvePlanView, withTotals } from '@doorbraak/projections';
import { EVENT_STORE } from '../shared/command-context';
import { loadExisting, loadStream } from '../shared/load-stream';

/** One plan read straight from its stream (always current; lists come from the projections). */
export class GetPlan extends Query<PlanView> {
  constructor(
    readonly planId: string,
    readonly tenant: string,
  ) {
    super();
  }
}

@QueryHandler(GetPlan)
export class GetPlanHandler implements IQueryHandler<GetPlan, PlanView> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ planId, tenant }: GetPlan): Promise<PlanView> {
    const { events, recorded } = await loadExisting(this.store, streams.plan(planId), tenant, 'plan');
    const householdId = (events[0] as Extract<PlanEvent, { type: 'PlanDrafted' }>).data.householdId;
    const opened = (await loadStream(this.store, streams.household(householdId), tenant)).events[0] as HouseholdEvent | undefined;
    const householdReference = opened?.type === 'HouseholdOpened' ? opened.data.reference : undefined;
    let view: PlanView | null = null;
    events.forEach((event, i) => {
      const r = recorded[i]!;
      view = evolvePlanView(view, event as PlanEvent, { tenant, streamVersion: r.streamVersion, recordedAt: r.recordedAt, ...(householdReference ? { householdReference } : {}) });
    });
    return withTotals(view!);
  }
}
