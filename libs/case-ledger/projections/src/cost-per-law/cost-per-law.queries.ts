/** Dimensions a cost table can be grouped and filtered by. */
export const costDimensions = {
  law: 'law',
  budget: 'budget_id',
  taakveld: 'taakveld',
  boekjaar: 'boekjaar',
  month: 'month',
  interventionType: 'intervention_type',
  municipality: 'tenant',
} as const;
export type CostDimension = keyof typeof costDimensions;

export interface CostFilter {
  readonly tenant: string;
  readonly planStatus?: string;
  readonly where: Partial<Record<CostDimension, string>>;
}

/** Planned lines and actual spends as one relation with the same dimensions. */
function cells(table: string, f: CostFilter, params: unknown[]): string {
  params.push(f.tenant);
  const tenant = `$${params.length}`;
  let status = '';
  if (f.planStatus) {
    params.push(f.planStatus);
    status = ` AND p.doc->>'status' = $${params.length}`;
  }
  const conditions = Object.entries(f.where).map(([dimension, value]) => {
    params.push(value);
    return `${costDimensions[dimension as CostDimension]} = $${params.length}::text`;
  });
  return `SELECT * FROM (
      SELECT p.tenant, l->>'law' AS law, NULL::text AS budget_id, NULL::text AS taakveld, p.doc->>'boekjaar' AS boekjaar, p.doc->>'month' AS month,
             coalesce(p.doc->'doorbraken'->>(l->>'doorbraakId'), 'unassigned') AS intervention_type,
             (l->>'huidig')::numeric AS huidig, (l->>'dreigend')::numeric AS dreigend, (l->>'doorbraak')::numeric AS doorbraak,
             0::numeric AS committed, 0::numeric AS paid, 0::numeric AS reversed,
             jsonb_build_object('kind', 'cost-line', 'planId', p.doc->>'planId', 'costLineId', l->>'costLineId', 'huidig', l->>'huidig', 'dreigend', l->>'dreigend', 'doorbraak', l->>'doorbraak', 'events', l->'events') AS source
      FROM ${table} p, jsonb_array_elements(p.doc->'lines') l
      WHERE p.kind = 'planned' AND p.tenant = ${tenant}${status}
      UNION ALL
      SELECT s.tenant, s.doc->>'law', s.doc->>'budgetId', s.doc->>'iv3Taakveld', s.doc->>'boekjaar', s.doc->>'month', coalesce(s.doc->>'interventionType', 'unassigned'),
             0, 0, 0, (s.doc->>'committed')::numeric, (s.doc->>'paid')::numeric, (s.doc->>'reversed')::numeric,
             jsonb_build_object('kind', 'spend', 'planId', s.doc->>'planId', 'spendId', s.doc->>'spendId', 'budgetId', s.doc->>'budgetId', 'committed', s.doc->>'committed', 'paid', s.doc->>'paid', 'reversed', s.doc->>'reversed', 'events', s.doc->'events')
      FROM ${table} s WHERE s.kind = 'spend' AND s.tenant = ${tenant}
    ) c ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}`;
}

/** The table: planned scenarios, direct costs, real benefit, and committed/paid/reversed, per group. Exact NUMERIC. */
export function costTableQuery(table: string, groupBy: readonly CostDimension[], f: CostFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const columns = groupBy.map((d) => `${costDimensions[d]} AS "${d}"`);
  const keys = groupBy.map((d) => costDimensions[d]);
  return {
    sql: `SELECT ${[...columns, 'sum(huidig)::text AS huidig', 'sum(dreigend)::text AS dreigend', 'sum(doorbraak)::text AS doorbraak',
      '(sum(doorbraak) - sum(huidig))::text AS "directCosts"', '(sum(dreigend) - sum(doorbraak))::text AS "realBenefit"',
      'sum(committed)::text AS committed', 'sum(paid)::text AS paid', 'sum(reversed)::text AS reversed', 'count(*)::int AS sources'].join(', ')}
          FROM (${cells(table, f, params)}) t
          ${keys.length ? `GROUP BY ${keys.join(', ')} ORDER BY ${keys.join(', ')}` : ''}`,
    params,
  };
}

/** The cost lines and spends behind one cell, with the events behind each. */
export function costCellQuery(table: string, f: CostFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  return { sql: `SELECT source FROM (${cells(table, f, params)}) t ORDER BY source->>'kind', source->>'planId'`, params };
}
