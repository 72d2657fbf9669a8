import type { JsonObject } from '@doorbraak/event-store';

/** Nearest-rank percentile of sorted numbers. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Figures for analytics teams from the pseudonymised plan_analytics rows: use of intervention types and target
 * groups per month, lead time from submission to decision, decisions and outcomes at evaluation. Only counts
 * and durations leave this function.
 */
export function analytics(plans: readonly JsonObject[]): JsonObject {
  const usage = new Map<string, number>();
  const leadTimes: number[] = [];
  const outcomes = new Map<string, number>();
  const decisions = new Map<string, number>();
  for (const plan of plans) {
    const month = String(plan['month']);
    for (const d of plan['doorbraken'] as JsonObject[]) {
      const key = `${month}|${d['interventionType']}|${d['targetGroup']}`;
      usage.set(key, (usage.get(key) ?? 0) + 1);
    }
    if (typeof plan['leadTimeDays'] === 'number') leadTimes.push(plan['leadTimeDays']);
    if (plan['outcome']) decisions.set(String(plan['outcome']), (decisions.get(String(plan['outcome'])) ?? 0) + 1);
    for (const outcome of plan['evaluationOutcomes'] as string[]) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  leadTimes.sort((a, b) => a - b);
  return {
    plans: plans.length,
    interventionUse: [...usage].sort(([a], [b]) => a.localeCompare(b)).map(([key, doorbraken]) => {
      const [month, interventionType, targetGroup] = key.split('|') as [string, string, string];
      return { month, interventionType, targetGroup, doorbraken };
    }),
    leadTimeDays: { decided: leadTimes.length, median: percentile(leadTimes, 50), p90: percentile(leadTimes, 90) },
    decisions: Object.fromEntries([...decisions].sort()),
    evaluationOutcomes: Object.fromEntries([...outcomes].sort()),
  };
}
