import { type Projection, defineProjection } from '@doorbraak/event-store';
import { streamActivityProjection } from './stream-activity/stream-activity.projection';

export { streamActivityProjection, type StreamActivityRow } from './stream-activity/stream-activity.projection';
export { evolvePlanView, type PlanView, type EventContext } from './current-plans/plan-view';

/** Every read model the ledger maintains. */
export const allProjections: readonly Projection[] = [defineProjection(streamActivityProjection)];
