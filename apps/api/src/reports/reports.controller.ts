import { Controller, Get, Inject, Param, Query as QueryParams, Req, Res } from '@nestjs/common';
import type { Ledger } from '@doorbraak/ledger-infrastructure';
import { LEDGER } from '../tokens';
import { QueryBus } from '@nestjs/cqrs';
import { FindComparableExceptions, GetAnalytics, GetAuditTrail, GetCostSources, GetCostTable, GetFindings, ListPlans } from '@doorbraak/application';
import { type CostDimension, costDimensions } from '@doorbraak/projections';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pathIds } from '../http/path-params';
import { consistentWith, report } from '../http/read-options';
import { tenantOf } from '../http/request-context';

const dimension = z.enum(Object.keys(costDimensions) as [CostDimension, ...CostDimension[]]);
export const planListQuery = z.object({
  status: z.enum(['draft', 'submitted', 'escalated', 'approved', 'rejected', 'in_execution', 'closed', 'replaced']).optional(),
  regisseur: z.string().min(1).max(128).optional(),
  law: z.string().min(1).max(60).optional(),
  interventionType: z.string().min(1).max(60).optional(),
  overdueOn: z.iso.date().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
  format: z.enum(['json', 'csv']).optional(),
});
export const costTableParams = z.object({
  groupBy: z
    .string()
    .default('law')
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(dimension).max(7)),
  planStatus: z.string().min(1).max(40).optional(),
  law: z.string().min(1).max(60).optional(),
  budget: z.string().uuid().optional(),
  taakveld: z.string().min(1).max(10).optional(),
  boekjaar: z.string().regex(/^\d{4}$/).optional(),
  month: z.string().regex(/^\d{4}-\d{2}$/).optional(),
  interventionType: z.string().min(1).max(60).optional(),
  format: z.enum(['json', 'csv']).optional(),
});
/** Parses query parameters; errors point at #/query/<name>. */
export const findingsQuery = z.object({
  boekjaar: z.coerce.number().int().min(2000).max(2100).optional(),
  rule: z.string().regex(/^R-\d{2}$/).optional(),
  format: z.enum(['json', 'csv']).optional(),
});
const parseQuery = <S extends z.ZodType>(schema: S, query: unknown): z.infer<S> => (z.object({ query: schema }).parse({ query }) as { query: z.infer<S> }).query;

/** Read models: plan lists, audit trails, comparable exceptions and cost tables (JSON, or CSV). */
@Controller('v1')
export class ReportsController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(LEDGER) private readonly ledger: Ledger,
  ) {}

  @Get('plans')
  async plans(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @QueryParams() query: unknown) {
    const { format: _f, ...filter } = parseQuery(planListQuery, query);
    return report(request, reply, await this.queries.execute(new ListPlans({ ...filter, tenant: tenantOf(request) }, consistentWith(request))));
  }

  @Get('plans/:planId/audit-trail')
  async auditTrail(@Req() request: FastifyRequest, @Param('planId') planId: string, @QueryParams() query: unknown) {
    pathIds({ planId });
    const { doorbraakId } = parseQuery(z.object({ doorbraakId: z.string().uuid().optional() }), query);
    const trail = await this.queries.execute(new GetAuditTrail(planId, tenantOf(request), doorbraakId, consistentWith(request)));
    // Each entry carries its place in the Merkle log and where to fetch the proof that it is in a checkpoint.
    const entries = trail['entries'] as { eventId: string }[];
    const indices = await this.ledger.log.indices(entries.map((e) => e.eventId));
    return {
      ...trail,
      entries: entries.map((e) => ({ ...e, logIndex: indices.get(e.eventId) ?? null, proof: indices.has(e.eventId) ? `/v1/log/events/${e.eventId}/proof` : null })),
    };
  }

  @Get('comparable-exceptions')
  async comparable(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @QueryParams() query: unknown) {
    const { citation } = parseQuery(z.object({ citation: z.string().min(3).max(200), format: z.enum(['json', 'csv']).optional() }), query);
    return report(request, reply, await this.queries.execute(new FindComparableExceptions(citation, tenantOf(request), consistentWith(request))));
  }

  @Get('cost-tables')
  async costTable(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @QueryParams() query: unknown) {
    const { groupBy, planStatus, format: _f, ...where } = parseQuery(costTableParams, query);
    const filter = { tenant: tenantOf(request), ...(planStatus ? { planStatus } : {}), where };
    return report(request, reply, await this.queries.execute(new GetCostTable(groupBy, filter, consistentWith(request))));
  }

  @Get('rechtmatigheid/findings')
  async findings(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @QueryParams() query: unknown) {
    const { boekjaar, rule } = parseQuery(findingsQuery, query);
    const result = await this.queries.execute(new GetFindings(tenantOf(request), boekjaar, consistentWith(request)));
    const findings = rule ? result.findings.filter((f: { rule: string }) => f.rule === rule) : result.findings;
    return report(request, reply, findings);
  }

  @Get('rechtmatigheid/summary')
  async findingsSummary(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @QueryParams() query: unknown) {
    const { boekjaar } = parseQuery(findingsQuery, query);
    return report(request, reply, (await this.queries.execute(new GetFindings(tenantOf(request), boekjaar, consistentWith(request)))).summary);
  }

  @Get('analytics')
  async analytics(@Req() request: FastifyRequest) {
    return this.queries.execute(new GetAnalytics(tenantOf(request), consistentWith(request)));
  }

  @Get('cost-tables/sources')
  async costSources(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @QueryParams() query: unknown) {
    const { groupBy: _g, planStatus, format: _f, ...where } = parseQuery(costTableParams, query);
    const filter = { tenant: tenantOf(request), ...(planStatus ? { planStatus } : {}), where };
    return report(request, reply, await this.queries.execute(new GetCostSources(filter, consistentWith(request))));
  }
}
