import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { JsonObject, LogPosition, ReadModels } from '@doorbraak/event-store';
import { type CostDimension, type CostFilter, type Finding, type PlanListFilter, type RuleSummary, analytics, citationKey, costCellQuery, costTableQuery, evaluateRechtmatigheid, listPlansQuery, plansCitingQuery, rowQuery } from '@doorbraak/projections';
import { ResourceNotFound } from '../shared/application-errors';

export const READ_MODELS = Symbol('ReadModels');

export class ListPlans extends Query<JsonObject[]> {
  constructor(readonly filter: PlanListFilter, readonly consistentWith?: LogPosition) {
    super();
  }
}

@QueryHandler(ListPlans)
export class ListPlansHandler implements IQueryHandler<ListPlans, JsonObject[]> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}
  execute({ filter, consistentWith }: ListPlans): Promise<JsonObject[]> {
    return this.readModels.query('current_plans', (t) => listPlansQuery(t, filter), consistentWith);
  }
}

/** The legitimacy chain of one plan, optionally narrowed to one doorbraak (plan-wide entries stay). */
export class GetAuditTrail extends Query<JsonObject> {
  constructor(readonly planId: string, readonly tenant: string, readonly doorbraakId?: string, readonly consistentWith?: LogPosition) {
    super();
  }
}

@QueryHandler(GetAuditTrail)
export class GetAuditTrailHandler implements IQueryHandler<GetAuditTrail, JsonObject> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}
  async execute({ planId, tenant, doorbraakId, consistentWith }: GetAuditTrail): Promise<JsonObject> {
    const [row] = await this.readModels.query<{ doc: JsonObject }>('audit_trail', (t) => rowQuery(t, `plan:${planId}`, tenant), consistentWith);
    if (!row) throw new ResourceNotFound('no plan with this id');
    const entries = row.doc['entries'] as JsonObject[];
    const relevant = doorbraakId
      ? entries.filter((e) => !e['doorbraakId'] || e['doorbraakId'] === doorbraakId)
      : entries;
    return { ...row.doc, ...(doorbraakId ? { doorbraakId } : {}), entries: relevant };
  }
}

/**
 * Earlier decisions on plans that cite the same rule, with outcome and motivation: equal cases, equal treatment.
 * Each names its doorbraak by label; the motivation and conditions stay under `personal`.
 */
export class FindComparableExceptions extends Query<JsonObject[]> {
  constructor(readonly citation: string, readonly tenant: string, readonly consistentWith?: LogPosition) {
    super();
  }
}

@QueryHandler(FindComparableExceptions)
export class FindComparableExceptionsHandler implements IQueryHandler<FindComparableExceptions, JsonObject[]> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}
  async execute({ citation, tenant, consistentWith }: FindComparableExceptions): Promise<JsonObject[]> {
    const rows = await this.readModels.query<{ doc: JsonObject }>('current_plans', (t) => plansCitingQuery(t, tenant, citation), consistentWith);
    const wanted = citationKey(citation);
    return rows.flatMap(({ doc }) => {
      const decision = doc['decision'] as JsonObject;
      return (doc['doorbraken'] as JsonObject[])
        .filter((d) => ((d['legitimiteit'] as { current?: { rules: { citation: string }[] } } | null)?.current?.rules ?? []).some((r) => citationKey(r.citation) === wanted))
        .filter((d) => (decision['doorbraakIds'] as string[]).includes(d['doorbraakId'] as string))
        .map((d) => {
          const legitimiteit = (d['legitimiteit'] as { current: JsonObject }).current;
          return {
            planId: doc['planId']!,
            doorbraakId: d['doorbraakId']!,
            doorbraak: d['label']!,
            interventionType: d['interventionType']!,
            rules: legitimiteit['rules']!,
            exceptionGrounds: legitimiteit['exceptionGrounds']!,
            decidedOn: decision['decidedOn']!,
            outcome: decision['outcome']!,
            decisionMaker: decision['decisionMaker']!,
            onBehalfOf: decision['onBehalfOf']!,
            legalBasis: decision['legalBasis']!,
            personal: decision['personal']!,
          };
        });
    });
  }
}

export class GetCostTable extends Query<JsonObject[]> {
  constructor(readonly groupBy: readonly CostDimension[], readonly filter: CostFilter, readonly consistentWith?: LogPosition) {
    super();
  }
}

@QueryHandler(GetCostTable)
export class GetCostTableHandler implements IQueryHandler<GetCostTable, JsonObject[]> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}
  execute({ groupBy, filter, consistentWith }: GetCostTable): Promise<JsonObject[]> {
    return this.readModels.query('cost_per_law', (t) => costTableQuery(t, groupBy, filter), consistentWith);
  }
}

/** The cost lines and spends behind a cell of a cost table. */
export class GetCostSources extends Query<JsonObject[]> {
  constructor(readonly filter: CostFilter, readonly consistentWith?: LogPosition) {
    super();
  }
}

@QueryHandler(GetCostSources)
export class GetCostSourcesHandler implements IQueryHandler<GetCostSources, JsonObject[]> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}
  async execute({ filter, consistentWith }: GetCostSources): Promise<JsonObject[]> {
    return (await this.readModels.query<{ source: JsonObject }>('cost_per_law', (t) => costCellQuery(t, filter), consistentWith)).map((r) => r.source);
  }
}

/** The municipality's budgets as opened and adjusted (what is left of each: GetStreamState on the budget). */
export class ListBudgets extends Query<JsonObject[]> {
  constructor(readonly tenant: string, readonly consistentWith?: LogPosition) {
    super();
  }
}

@QueryHandler(ListBudgets)
export class ListBudgetsHandler implements IQueryHandler<ListBudgets, JsonObject[]> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}
  async execute({ tenant, consistentWith }: ListBudgets): Promise<JsonObject[]> {
    const rows = await this.readModels.query<{ doc: JsonObject }>(
      'cost_per_law',
      (t) => ({ sql: `SELECT doc FROM ${t} WHERE tenant = $1 AND kind = 'budget' ORDER BY doc->>'boekjaar' DESC, doc->>'name'`, params: [tenant] }),
      consistentWith,
    );
    return rows.map(({ doc: { kind: _kind, tenant: _tenant, ...budget } }) => budget);
  }
}

const tenantRows = (table: string, tenant: string) => ({ sql: `SELECT doc FROM ${table} WHERE tenant = $1 ORDER BY key`, params: [tenant] });

/** Rechtmatigheid findings (R-01 … R-19) with a summary per boekjaar and rule, each finding linked to its events. */
export class GetFindings extends Query<{ summary: RuleSummary[]; findings: Finding[] }> {
  constructor(readonly tenant: string, readonly boekjaar?: number, readonly consistentWith?: LogPosition) {
    super();
  }
}

@QueryHandler(GetFindings)
export class GetFindingsHandler implements IQueryHandler<GetFindings, { summary: RuleSummary[]; findings: Finding[] }> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}
  async execute({ tenant, boekjaar, consistentWith }: GetFindings) {
    const rows = await this.readModels.query<{ doc: JsonObject }>('rechtmatigheid', (t) => tenantRows(t, tenant), consistentWith);
    const { summary, findings } = evaluateRechtmatigheid(rows.map((r) => r.doc));
    return boekjaar === undefined ? { summary, findings } : { summary: summary.filter((s) => s.boekjaar === boekjaar), findings: findings.filter((f) => f.boekjaar === boekjaar) };
  }
}

/** Analytics over the municipality's plans, from the pseudonymised plan_analytics projection. */
export class GetAnalytics extends Query<JsonObject> {
  constructor(readonly tenant: string, readonly consistentWith?: LogPosition) {
    super();
  }
}

@QueryHandler(GetAnalytics)
export class GetAnalyticsHandler implements IQueryHandler<GetAnalytics, JsonObject> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}
  async execute({ tenant, consistentWith }: GetAnalytics): Promise<JsonObject> {
    const rows = await this.readModels.query<{ doc: JsonObject }>('plan_analytics', (t) => tenantRows(t, tenant), consistentWith);
    return analytics(rows.map((r) => r.doc));
  }
}

export const readModelHandlers = [ListPlansHandler, ListBudgetsHandler, GetAuditTrailHandler, FindComparableExceptionsHandler, GetCostTableHandler, GetCostSourcesHandler, GetFindingsHandler, GetAnalyticsHandler];
