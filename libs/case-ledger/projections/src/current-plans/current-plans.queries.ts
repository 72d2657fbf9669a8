import { citationKey } from './current-plans.projection';

export interface PlanListFilter {
  readonly tenant: string;
  readonly status?: string;
  /** professionalId of the regisseur of the household. */
  readonly regisseur?: string;
  readonly law?: string;
  readonly interventionType?: string;
  /** Only plans with an open action due before this date. */
  readonly overdueOn?: string;
  readonly limit: number;
  readonly offset: number;
}

/** Plan summaries without personal data, newest first. */
export function listPlansQuery(table: string, f: PlanListFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [f.tenant];
  const where = [`p.kind = 'plan'`, `p.tenant = $1`];
  const add = (clause: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (f.status) add((n) => `p.status = ${n}`, f.status);
  if (f.regisseur) add((n) => `h.doc->'regisseur'->>'professionalId' = ${n}`, f.regisseur);
  if (f.law) add((n) => `p.laws @> jsonb_build_array(${n}::text)`, f.law);
  if (f.interventionType) add((n) => `p.intervention_types @> jsonb_build_array(${n}::text)`, f.interventionType);
  if (f.overdueOn) add((n) => `jsonb_path_exists(p.doc, '$.actions[*] ? (@.completedOn == null && @.dueOn < $d)', jsonb_build_object('d', ${n}::text))`, f.overdueOn);
  params.push(f.limit, f.offset);
  return {
    sql: `SELECT p.doc->>'planId' AS "planId", p.doc->>'householdId' AS "householdId", h.doc->>'reference' AS "householdReference",
            p.doc->>'label' AS label, p.status, (p.doc->>'planVersion')::int AS "planVersion", p.doc->>'draftedOn' AS "draftedOn",
            p.doc->>'submittedOn' AS "submittedOn", p.doc->>'decidedOn' AS "decidedOn", (p.doc->>'leadTimeDays')::int AS "leadTimeDays",
            h.doc->'regisseur' AS regisseur, p.laws, p.intervention_types AS "interventionTypes",
            COALESCE((SELECT jsonb_agg(a - 'personal') FROM jsonb_array_elements(p.doc->'actions') a WHERE a->'completedOn' = 'null'::jsonb), '[]'::jsonb) AS "openActions",
            p.doc->'rendement'->'exact' AS totals
          FROM ${table} p LEFT JOIN ${table} h ON h.key = 'household:' || p.household_id
          WHERE ${where.join(' AND ')}
          ORDER BY p.doc->>'draftedOn' DESC, p.key LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  };
}

/** The rows of decided plans that cite a rule, for comparable exceptions. */
export function plansCitingQuery(table: string, tenant: string | undefined, citation: string): { sql: string; params: unknown[] } {
  return {
    sql: `SELECT doc FROM ${table} WHERE kind = 'plan' AND citation_keys @> jsonb_build_array($1::text) AND doc->'decision' <> 'null'::jsonb
          ${tenant ? 'AND tenant = $2' : ''} ORDER BY doc->>'decidedOn' DESC LIMIT 200`,
    params: tenant ? [citationKey(citation), tenant] : [citationKey(citation)],
  };
}

export function rowQuery(table: string, key: string, tenant: string): { sql: string; params: unknown[] } {
  return { sql: `SELECT doc FROM ${table} WHERE key = $1 AND doc->>'tenant' = $2`, params: [key, tenant] };
}
