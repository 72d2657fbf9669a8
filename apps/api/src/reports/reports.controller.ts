import { Controller, Get, Inject, Param, Query as QueryParams, Req, Res } from '@nestjs/common';
import type { Ledger } from '@doorbraak/ledger-infrastructure';
import { LEDGER } from '../tokens';
import { QueryBus } from '@nestjs/cqrs';
import { FindComparableExceptions, GetAccessLog, GetAnalytics, GetAuditTrail, GetCostSources, GetCostTable, GetFindings, ListPlans } from '@doorbraak/application';
import { type CostDimension, costDimensions } from '@doorbraak/projections';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pathIds } from '../http/path-params';
import { consistentWith, report } from '../http/read-options';
import { tenantOf } from '../http/request-context';
import { Permit } from '../auth/permit';
import { AccessLogger, visibleTo } from '../auth/access-logger';
import type { JsonObject } from '@doorbraak/event-store';
import { parseAt } from '../http/parse-at';

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
const auditTrailQuery = z.object({ doorbraakId: z.string().uuid().optional() });
const comparableQuery = z.object({ citation: z.string().min(3).max(200), format: z.enum(['json', 'csv']).optional() });
export const accessLogQuery = z.object({
  householdId: z.string().uuid().optional(),
  actor: z.string().min(1).max(128).optional(),
  from: z.iso.date().or(z.iso.datetime()).optional(),
  to: z.iso.date().or(z.iso.datetime()).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
  format: z.enum(['json', 'csv']).optional(),
});
export const findingsQuery = z.object({
  boekjaar: z.coerce.number().int().min(2000).max(2100).optional(),
  rule: z.string().regex(/^R-\d{2}$/).optional(),
  format: z.enum(['json', 'csv']).optional(),
});

/** Read models: plan lists, audit trails, comparable exceptions and cost tables (JSON, or CSV). */
@Controller('v1')
export class ReportsController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(LEDGER) private readonly ledger: Ledger,
    private readonly accessLog: AccessLogger,
  ) {}

  @Get('plans')
  @Permit('case:read')
  async plans(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @QueryParams() query: unknown) {
    const { format: _f, ...filter } = parseAt('query', planListQuery, query);
    const plans: JsonObject[] = await this.queries.execute(new ListPlans({ ...filter, tenant: tenantOf(request) }, consistentWith(request)));
    await this.accessLog.record(request, { action: 'search', object: { type: 'plan-list' }, householdIds: [...new Set(plans.map((p) => p['householdId'] as string))], narrativeDisclosed: false });
    return report(request, reply, plans);
  }

  @Get('plans/:planId/audit-trail')
  @Permit('audit:read')
  async auditTrail(@Req() request: FastifyRequest, @Param('planId') planId: string, @QueryParams() query: unknown) {
    pathIds({ planId });
    const { doorbraakId } = parseAt('query', auditTrailQuery, query);
    const trail = await this.queries.execute(new GetAuditTrail(planId, tenantOf(request), doorbraakId, consistentWith(request)));
    // Each entry carries its place in the Merkle log and where to fetch the proof that it is in a checkpoint.
    const entries = trail['entries'] as { eventId: string; type: string; facts: { householdId?: string } }[];
    const householdId = entries.find((e) => e.type === 'PlanDrafted')?.facts.householdId;
    await this.accessLog.record(request, { action: 'read', object: { type: 'audit-trail', id: planId }, householdIds: householdId ? [householdId] : [], narrativeDisclosed: false });
    const indices = await this.ledger.log.indices(entries.map((e) => e.eventId));
    return {
      ...trail,
      entries: entries.map((e) => ({ ...e, logIndex: indices.get(e.eventId) ?? null, proof: indices.has(e.eventId) ? `/v1/log/events/${e.eventId}/proof` : null })),
    };
  }

  @Get('comparable-exceptions')
  @Permit('case:read')
  async comparable(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @QueryParams() query: unknown) {
    const { citation } = parseAt('query', comparableQuery, query);
    return report(request, reply, visibleTo(request, await this.queries.execute(new FindComparableExceptions(citation, tenantOf(request), consistentWith(request)))));
  }

  @Get('cost-tables')
  @Permit('finance:read')
  async costTable(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @QueryParams() query: unknown) {
    const { groupBy, planStatus, format: _f, ...where } = parseAt('query', costTableParams, query);
    const filter = { tenant: tenantOf(request), ...(planStatus ? { planStatus } : {}), where };
    return report(request, reply, await this.queries.execute(new GetCostTable(groupBy, filter, consistentWith(request))));
  }

  @Get('rechtmatigheid/findings')
  @Permit('finance:read')
  async findings(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @QueryParams() query: unknown) {
    const { boekjaar, rule } = parseAt('query', findingsQuery, query);
    const result = await this.queries.execute(new GetFindings(tenantOf(request), boekjaar, consistentWith(request)));
    const findings = rule ? result.findings.filter((f: { rule: string }) => f.rule === rule) : result.findings;
    return report(request, reply, findings);
  }

  @Get('rechtmatigheid/summary')
  @Permit('finance:read')
  async findingsSummary(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @QueryParams() query: unknown) {
    const { boekjaar } = parseAt('query', findingsQuery, query);
    return report(request, reply, (await this.queries.execute(new GetFindings(tenantOf(request), boekjaar, consistentWith(request)))).summary);
  }

  @Get('analytics')
  @Permit('analytics:read')
  async analytics(@Req() request: FastifyRequest) {
    return this.queries.execute(new GetAnalytics(tenantOf(request), consistentWith(request)));
  }

  /** The access log for the logbeheerder: who looked at which household's data, when, why, under which authorisation. */
  @Get('access-log')
  @Permit('access-log:read')
  async accessLogEntries(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @QueryParams() query: unknown) {
    const { format: _f, ...filter } = parseAt('query', accessLogQuery, query);
    const entries: JsonObject[] = await this.queries.execute(new GetAccessLog({ ...filter, tenant: tenantOf(request) }, consistentWith(request)));
    await this.accessLog.record(request, { action: 'search', object: { type: 'access-log' }, householdIds: [...new Set(entries.flatMap((e) => e['householdIds'] as string[]))], narrativeDisclosed: false });
    return report(request, reply, entries);
  }

  @Get('cost-tables/sources')
  @Permit('finance:read')
  async costSources(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @QueryParams() query: unknown) {
    const { groupBy: _g, planStatus, format: _f, ...where } = parseAt('query', costTableParams, query);
    const filter = { tenant: tenantOf(request), ...(planStatus ? { planStatus } : {}), where };
    return report(request, reply, await this.queries.execute(new GetCostSources(filter, consistentWith(request))));
  }
}
