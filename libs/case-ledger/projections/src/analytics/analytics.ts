import type { JsonObject } from '@doorbraak/event-store';

/** Nearest-rank percentile of sorted numbers. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Pseudonymised figures for analytics teams, from current-plan rows: use of intervention types and target
 * groups per month, lead time from submission to decision, and outcomes at evaluation. Only counts and
 * durations leave this function: no ids of households, no names, no narrative.
 */
export function analytics(plans: readonly JsonObject[]): JsonObject {
  const usage = new Map<string, number>();
  const leadTimes: number[] = [];
  const outcomes = new Map<string, number>();
  const decisions = new Map<string, number>();
  for (const plan of plans) {
    const month = String(plan['draftedOn']).slice(0, 7);
    for (const d of plan['doorbraken'] as JsonObject[]) {
      const key = `${month}|${d['interventionType']}|${d['targetGroup']}`;
      usage.set(key, (usage.get(key) ?? 0) + 1);
    }
    if (typeof plan['leadTimeDays'] === 'number') leadTimes.push(plan['leadTimeDays']);
    const decision = plan['decision'] as JsonObject | null;
    if (decision) decisions.set(String(decision['outcome']), (decisions.get(String(decision['outcome'])) ?? 0) + 1);
    for (const e of plan['evaluations'] as JsonObject[]) {
      const result = e['result'] as JsonObject | null;
      if (result) outcomes.set(String(result['outcome']), (outcomes.get(String(result['outcome'])) ?? 0) + 1);
    }
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
