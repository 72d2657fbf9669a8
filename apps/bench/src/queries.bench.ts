import { GetAuditTrail, GetCostTable, GetFindings, GetPlan } from '@doorbraak/application';
import type { Query, QueryBus } from '@nestjs/cqrs';
import type { Municipality } from './import.bench';
import { type Latencies, percentiles } from './measure';

export const QUERIES = ['plan detail', 'audit trail', 'per-law cost table', 'findings'] as const;
export type QueryName = (typeof QUERIES)[number];

/** Each query `samples` times, one after the other, on plans and municipalities drawn at random. */
export async function measureQueries(queries: QueryBus, municipalities: readonly Municipality[], samples: number): Promise<Record<QueryName, Latencies>> {
  const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;
  const build: Record<QueryName, () => Query<unknown>> = {
    'plan detail': () => {
      const m = pick(municipalities);
      return new GetPlan(pick(m.planIds), m.tenant);
    },
    'audit trail': () => {
      const m = pick(municipalities);
      return new GetAuditTrail(pick(m.planIds), m.tenant);
    },
    'per-law cost table': () => new GetCostTable(['law'], { tenant: pick(municipalities).tenant, where: {} }),
    findings: () => new GetFindings(pick(municipalities).tenant),
  };
  const figures = {} as Record<QueryName, Latencies>;
  for (const name of QUERIES) {
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      const query = build[name]();
      const t0 = performance.now();
      await queries.execute(query);
      latencies.push(performance.now() - t0);
    }
    figures[name] = percentiles(latencies);
  }
  return figures;
}
