import { type Projection, defineProjection } from '@doorbraak/event-store';
import { auditTrailProjection } from './audit-trail/audit-trail.projection';
import { costPerLawProjection } from './cost-per-law/cost-per-law.projection';
import { currentPlansProjection } from './current-plans/current-plans.projection';
import { rechtmatigheidProjection } from './rechtmatigheid/rechtmatigheid.projection';
import { planAnalyticsProjection } from './analytics/plan-analytics.projection';
import { streamActivityProjection } from './stream-activity/stream-activity.projection';
import { accessLogProjection } from './access-log/access-log.projection';

export { streamActivityProjection, type StreamActivityRow } from './stream-activity/stream-activity.projection';
export { evolvePlanView, withTotals, type PlanView, type EventContext } from './current-plans/plan-view';
export { currentPlansProjection, citationKey } from './current-plans/current-plans.projection';
export { listPlansQuery, plansCitingQuery, rowQuery, type PlanListFilter } from './current-plans/current-plans.queries';
export { auditTrailProjection } from './audit-trail/audit-trail.projection';
export { costPerLawProjection } from './cost-per-law/cost-per-law.projection';
export { rechtmatigheidProjection } from './rechtmatigheid/rechtmatigheid.projection';
export { evaluateRechtmatigheid, defaultRuleOptions, type Finding, type RuleSummary, type RuleOptions } from './rechtmatigheid/rechtmatigheid.rules';
export { analytics } from './analytics/analytics';
export { accessLogProjection, accessLogQuery, type AccessLogFilter } from './access-log/access-log.projection';
export { planAnalyticsProjection } from './analytics/plan-analytics.projection';
export { costTableQuery, costCellQuery, costDimensions, type CostDimension, type CostFilter } from './cost-per-law/cost-per-law.queries';

/** Every read model the ledger maintains. */
export const allProjections: readonly Projection[] = [defineProjection(streamActivityProjection), currentPlansProjection, auditTrailProjection, costPerLawProjection, rechtmatigheidProjection, planAnalyticsProjection, accessLogProjection];
