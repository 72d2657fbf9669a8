import { householdDocumentSchema } from '@doorbraak/application';
import { z } from 'zod';
import { adjustBudgetSchema, commitSpendSchema, openBudgetSchema, paySpendSchema, reverseSpendSchema } from '../budgets/budgets.controller';
import { assignRegieSchema, closeHouseholdSchema, eraseHouseholdSchema, openHouseholdSchema } from '../households/households.controller';
import { writeHeaders } from '../http/request-context';
import { grantMandateSchema, revokeMandateSchema } from '../mandates/mandates.controller';
import { GROWING, IMMUTABLE, checkpointRequest } from '../log/log.controller';
import { draftPlanSchema, planSteps } from '../plans/plan-steps';
import { accessLogQuery, costTableParams, findingsQuery, planListQuery } from '../reports/reports.controller';
import { examples } from './examples';
import type { ResponseDoc, RouteDoc } from './route-doc';

const uuid = z.string().uuid();
const written = (ids: string[]) => z.object({ ...Object.fromEntries(ids.map((id) => [id, uuid])), version: z.number().int(), logPosition: z.string() });
const writtenExample = (ids: string[]) => ({ ...Object.fromEntries(ids.map((id) => [id, '3da80b2c-a521-4551-917c-fc1c40639c91'])), version: 4, logPosition: '00000000000000000840-00000000000000000394' });

const problems: Record<string, ResponseDoc> = {
  '400': { description: 'Malformed body or header; `errors` points at each field', example: { type: 'tag:doorbraak-ledger,2026:problem/validation', title: 'The request is not valid', status: 400, errors: [{ pointer: '#/quantities/huidig', detail: 'must not be negative' }] } },
  '404': { description: 'No such resource in this municipality', example: { type: 'tag:doorbraak-ledger,2026:problem/resource-not-found', title: 'no plan with this id', status: 404, code: 'RESOURCE.NOT_FOUND' } },
  '409': { description: 'A business rule refuses the change; `code` names it', example: { type: 'tag:doorbraak-ledger,2026:problem/decision-beyond-mandate', title: "the directeur's mandate does not cover …; escalate to the wethouder", status: 409, code: 'DECISION.BEYOND_MANDATE', requiredAuthority: 'wethouder' } },
  '412': { description: 'If-Match names an older version', example: { type: 'tag:doorbraak-ledger,2026:problem/stale-version', title: 'The resource changed since you read it', status: 412, detail: 'current version is 5' } },
};

function post(path: string, operationId: string, summary: string, tags: string[], schema: z.ZodType, example: unknown, ids: string[], params?: z.ZodObject): RouteDoc {
  return {
    method: 'post',
    path,
    operationId,
    summary,
    tags,
    ...(params ? { params } : {}),
    headers: writeHeaders,
    body: { schema, example },
    responses: {
      '201': { description: 'Recorded; ETag is the new version', schema: written(ids), example: writtenExample(ids), headers: { ETag: 'version of the stream after the change' } },
      '200': { description: 'A retry with the same Idempotency-Key: nothing new was written', schema: written(ids), example: writtenExample(ids) },
      ...problems,
    },
  };
}

function get(path: string, operationId: string, summary: string, tags: string[], example: unknown, params?: z.ZodObject): RouteDoc {
  return {
    method: 'get',
    path,
    operationId,
    summary,
    tags,
    ...(params ? { params } : {}),
    responses: { '200': { description: 'Found; ETag is the current version', example }, '404': problems['404']! },
  };
}

const tileParams = z.object({
  level: z.number().int().min(0).meta({ description: 'Tile level: 0 holds leaf hashes, level L the roots of subtrees of 256^L leaves' }),
  index: z.string().meta({ description: 'Tile number N in 3-digit groups, each but the last prefixed with x: `000`, `x001/234` for 1234' }),
});

/** A tile: public, because it holds hashes only (ADR 0008); read by verifiers, witnesses and mirrors. */
function tileRoute(operationId: string, path: string, summary: string, cacheControl: string): RouteDoc {
  const partial = path.endsWith('{width}');
  return {
    method: 'get',
    path,
    operationId,
    summary,
    tags: ['verification'],
    params: partial ? tileParams.extend({ width: z.number().int().min(1).max(255) }) : tileParams,
    public: true,
    responses: {
      '200': {
        description: `${partial ? 'width' : '256'} concatenated SHA-256 hashes (32 bytes each)`,
        contentType: 'application/octet-stream',
        example: '<32 × width bytes>',
        headers: { 'Cache-Control': cacheControl },
      },
      '400': { description: 'Not a tlog-tiles path', example: { type: 'tag:doorbraak-ledger,2026:problem/validation', title: 'The request is not valid', status: 400, errors: [{ pointer: '#/path/tile', detail: 'must be a tlog-tiles path: <L>/<N>[.p/<W>], N in 3-digit groups each but the last prefixed with x' }] } },
      '404': { description: 'The tree has no such tile (yet)', example: { type: 'tag:doorbraak-ledger,2026:problem/not-found', title: 'the log has no tile/0/x001/234 (yet)', status: 404 } },
    },
  };
}

const camel = (path: string) =>
  path
    .replace(/\{[^}]+\}\/?/g, '')
    .split(/[/-]/)
    .filter(Boolean)
    .map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1)))
    .join('');

const planParams = (path: string) => z.object(Object.fromEntries(['planId', ...[...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)].map((p) => [p, uuid])));

export const ledgerRoutes: RouteDoc[] = [
  post('/v1/households', 'openHousehold', 'Open a household (case) under a pseudonymous reference', ['households'], openHouseholdSchema, examples.household, ['householdId']),
  get('/v1/households/{householdId}', 'getHousehold', 'A household with its regisseur', ['households'], { ...examples.household, status: 'open' }, z.object({ householdId: uuid })),
  get('/v1/households/{householdId}/export', 'exportHousehold', 'A household with its plans, decisions and spends in the import format', ['households', 'import'], examples.importDocument, z.object({ householdId: uuid })),
  post('/v1/households/{householdId}/regie-assignments', 'assignRegie', 'Give regie to another professional', ['households'], assignRegieSchema, examples.regieAssignment, ['householdId'], z.object({ householdId: uuid })),
  post('/v1/households/{householdId}/closure', 'closeHousehold', 'Close a household with a reason', ['households'], closeHouseholdSchema, examples.householdClosure, ['householdId'], z.object({ householdId: uuid })),
  post('/v1/households/{householdId}/erasure', 'eraseHousehold', "Erase a closed household's personal data by destroying its key; amounts, decisions and proofs stay", ['households', 'privacy'], eraseHouseholdSchema, examples.erasure, ['householdId'], z.object({ householdId: uuid })),
  get('/v1/households/{householdId}/access-log', 'getHouseholdAccessLog', "For a data subject's request: when the household's data was consulted and for which purpose", ['households', 'privacy'], { householdId: '3da80b2c-a521-4551-917c-fc1c40639c91', accesses: [{ at: '2026-11-22T10:15:00.000Z', action: 'read', purpose: 'doorbraak-casework' }] }, z.object({ householdId: uuid })),
  {
    ...get('/v1/access-log', 'getAccessLog', 'The access log: who consulted which household, when, why and under which authorisation (BIO 8.15.01, NEN 7513)', ['privacy'], { items: [{ at: '2026-11-22T10:15:00.000Z', actor: 'prof-1', action: 'read', object: { type: 'plan', id: '3da80b2c-a521-4551-917c-fc1c40639c91' }, householdIds: ['9b2f…'], purpose: 'doorbraak-casework', result: 'granted', origin: '10.0.0.7', traceId: 'c0ffee…' }] }),
    query: accessLogQuery,
  },
  post('/v1/plans', 'draftPlan', 'Draft a plan (or a new version of one) for a household', ['plans'], draftPlanSchema, examples.draftPlan, ['planId']),
  get('/v1/plans/{planId}', 'getPlan', 'A plan with every step, doorbraak, cost table, action and decision', ['plans'], { planId: '3da80b2c-a521-4551-917c-fc1c40639c91', status: 'approved', leadTimeDays: 1 }, z.object({ planId: uuid })),
  ...planSteps.map((step) =>
    post(
      `/v1/plans/{planId}/${step.path}`,
      camel(`record-${step.path}`),
      step.summary,
      ['plans'],
      step.schema,
      examples.steps[step.path],
      ['planId', ...(step.generates ? [step.generates] : [])],
      planParams(step.path),
    ),
  ),
  get('/v1/mandates', 'listMandates', "The municipality's mandate register", ['mandates'], { tenant: 'gm9001', items: [examples.mandate] }),
  post('/v1/mandates', 'grantMandate', 'Grant a mandate to a role', ['mandates'], grantMandateSchema, examples.mandate, ['mandateId']),
  post('/v1/mandates/{mandateId}/revocation', 'revokeMandate', 'Revoke a mandate from a date', ['mandates'], revokeMandateSchema, examples.mandateRevocation, ['mandateId'], z.object({ mandateId: uuid })),
  post('/v1/budgets', 'openBudget', 'Open a budget on a funding source, boekjaar and Iv3 taakveld', ['budgets'], openBudgetSchema, examples.budget, ['budgetId']),
  get('/v1/budgets', 'listBudgets', "The municipality's budgets: funding source, boekjaar, Iv3 taakveld, authorised amount", ['budgets'], { items: [{ ...examples.budget, budgetId: '3da80b2c-a521-4551-917c-fc1c40639c91' }] }),
  get('/v1/budgets/{budgetId}', 'getBudget', 'A budget with its spends and what is left', ['budgets'], { ...examples.budget, available: '248947.68' }, z.object({ budgetId: uuid })),
  post('/v1/budgets/{budgetId}/adjustments', 'adjustBudget', 'Change the authorised amount', ['budgets'], adjustBudgetSchema, examples.budgetAdjustment, ['budgetId'], z.object({ budgetId: uuid })),
  post('/v1/budgets/{budgetId}/spends', 'commitSpend', 'Commit a spend under an approved decision', ['budgets'], commitSpendSchema, examples.spend, ['budgetId', 'spendId'], z.object({ budgetId: uuid })),
  post('/v1/budgets/{budgetId}/spends/{spendId}/payments', 'paySpend', 'Record a payment of a committed spend', ['budgets'], paySpendSchema, examples.payment, ['budgetId', 'spendId'], z.object({ budgetId: uuid, spendId: uuid })),
  post('/v1/budgets/{budgetId}/spends/{spendId}/reversals', 'reverseSpend', 'Reverse (part of) a spend; nothing is deleted', ['budgets'], reverseSpendSchema, examples.reversal, ['budgetId', 'spendId'], z.object({ budgetId: uuid, spendId: uuid })),
  {
    ...get('/v1/plans', 'listPlans', 'Plans of the municipality, filtered (no personal data); CSV with format=csv', ['plans', 'reports'], { items: [{ planId: '3da80b2c-a521-4551-917c-fc1c40639c91', householdReference: 'DEMO-01', label: 'Plan DEMO-01', status: 'in_execution', leadTimeDays: 1, laws: ['justitie', 'participatiewet'] }] }),
    query: planListQuery,
    headers: [{ name: 'X-Consistent-With', description: 'logPosition of a write the answer must include' }],
  },
  get('/v1/plans/{planId}/audit-trail', 'getAuditTrail', 'Why the exception was granted: the chain from blocking rule to decision, with mandates and log positions', ['plans', 'audit'], { planId: '3da80b2c-a521-4551-917c-fc1c40639c91', label: 'Plan DEMO-01', entries: [{ type: 'PlanDecided', logPosition: '00000000000000000840-00000000000000000394', facts: { decisionMaker: { role: 'directeur' } }, mandate: { role: 'directeur', inForceOnDecisionDate: true } }] }, z.object({ planId: uuid })),
  {
    ...get('/v1/comparable-exceptions', 'findComparableExceptions', 'Earlier decisions against the same rule citation, with outcome and motivation', ['audit', 'reports'], { items: [{ doorbraak: 'Plan DEMO-01, doorbraak 1 — inkomen', outcome: 'approved', legalBasis: ['Participatiewet art. 18 lid 1'], personal: { motivation: 'Work first is served better by income now' } }] }),
    query: z.object({ citation: z.string() }),
  },
  {
    ...get('/v1/cost-tables', 'getCostTable', 'Planned (three scenarios, direct costs, real benefit) and actual (committed, paid, reversed) money, grouped', ['money', 'reports'], { items: [{ law: 'participatiewet', huidig: '3156.96', dreigend: '3156.96', doorbraak: '4209.28', directCosts: '1052.32', realBenefit: '-1052.32', committed: '1052.32', paid: '1052.32', reversed: '0' }] }),
    query: costTableParams,
  },
  {
    ...get('/v1/cost-tables/sources', 'getCostSources', 'The cost lines and spends behind a cell, each with the events behind it', ['money', 'reports'], { items: [{ kind: 'cost-line', planId: '3da80b2c-a521-4551-917c-fc1c40639c91', dreigend: '6900', events: [{ type: 'CostLineAdded' }] }] }),
    query: costTableParams,
  },
  {
    ...get('/v1/rechtmatigheid/findings', 'getFindings', 'Rechtmatigheid findings (rule, criterion, amount, the events behind it) per boekjaar', ['money', 'reports'], { items: [{ rule: 'R-07', criterion: 'begrotingsrechtmatigheid', boekjaar: 2026, amount: '120.00', planId: '3da80b2c-a521-4551-917c-fc1c40639c91' }] }),
    query: findingsQuery,
  },
  {
    ...get('/v1/rechtmatigheid/summary', 'getFindingsSummary', 'Rechtmatigheid findings summed per boekjaar, rule and criterion', ['money', 'reports'], { items: [{ boekjaar: 2026, rule: 'R-07', criterion: 'begrotingsrechtmatigheid', findings: 1, amount: '120.00' }] }),
    query: findingsQuery,
  },
  get('/v1/analytics', 'getAnalytics', 'Pseudonymised analytics: intervention use per month, lead times, decisions, evaluation outcomes', ['analytics'], { tenant: 'gm9001', leadTimeDays: { median: 1, p90: 3 } }),
  { ...get('/v1/log', 'getLogStatus', 'Size, root and latest checkpoint (with the cosignatures collected) of the Merkle log, the verifier key and the witnesses asked to cosign', ['verification'], { size: 1042, root: 'pV1x…=', position: '00000000000000000901-00000000000000000412', latestCheckpoint: 'doorbraak-ledger.local/log\n1000\n…', vkey: 'doorbraak-ledger.local/log+1a2b3c4d+AU…', witnesses: [{ name: 'witness.gm0344.nl', vkey: 'witness.gm0344.nl+5e6f7a8b+BB…' }] }) },
  {
    method: 'get',
    path: '/v1/log/checkpoint',
    operationId: 'getLatestCheckpoint',
    summary: 'The latest signed checkpoint (C2SP signed note) followed by the witnesses\' cosignatures collected so far',
    tags: ['verification'],
    public: true,
    responses: { '200': { description: 'The signed note (short max-age: it changes at every checkpoint)', contentType: 'text/plain', example: 'doorbraak-ledger.local/log\n1000\nq1x…=\n\n— doorbraak-ledger.local/log GmFx…\n— witness.gm0344.nl Xm9v…\n', headers: { 'Cache-Control': GROWING } }, '404': problems['404']! },
  },
  tileRoute('getLogTile', '/v1/log/tile/{level}/{index}', 'A full tile (256 hashes) of the tree, C2SP tlog-tiles; never changes', IMMUTABLE),
  tileRoute('getLogPartialTile', '/v1/log/tile/{level}/{index}.p/{width}', 'The first `width` (1 to 255) hashes of a tile of the tree, C2SP tlog-tiles', GROWING),
  {
    method: 'post',
    path: '/v1/log/checkpoints',
    operationId: 'signCheckpoint',
    summary: 'Sign a checkpoint now (after checking it extends the previous one), e.g. at the close of a boekjaar',
    tags: ['verification'],
    body: { schema: checkpointRequest, example: { reason: 'close of boekjaar 2026' } },
    responses: { '201': { description: 'The signed note', contentType: 'text/plain', example: 'doorbraak-ledger.local/log\n1042\npV1x…=\n\n— doorbraak-ledger.local/log GmFx…\n' }, '400': problems['400']! },
  },
  {
    method: 'get',
    path: '/v1/log/events/{eventId}/proof',
    operationId: 'getInclusionProof',
    summary: 'The RFC 6962 inclusion proof of an event in the latest checkpoint',
    tags: ['verification'],
    params: z.object({ eventId: uuid }),
    query: z.object({ treeSize: z.number().int().optional() }),
    responses: { '200': { description: 'Log index, leaf hash and audit path', example: { logIndex: 13, treeSize: 22, leafHash: 'mR1…=', proof: ['q9…=', 'Zk…='], checkpoint: 'doorbraak-ledger.local/log\n22\n…' } } },
  },
  {
    method: 'get',
    path: '/v1/log/consistency',
    operationId: 'getConsistencyProof',
    summary: 'The RFC 6962 consistency proof between two tree sizes (two checkpoints)',
    tags: ['verification'],
    query: z.object({ from: z.number().int(), to: z.number().int() }),
    responses: { '200': { description: 'The proof', example: { from: 5, to: 22, proof: ['q9…=', 'Zk…='] } } },
  },
  {
    method: 'post',
    path: '/v1/imports',
    operationId: 'importHouseholds',
    summary: 'Import households with whole plans; each plan all or nothing; importing again changes nothing',
    tags: ['import'],
    headers: writeHeaders,
    body: { schema: householdDocumentSchema, example: examples.importDocument },
    responses: {
      '200': { description: 'What happened to each plan, with errors per item', example: { tenant: 'gm9001', summary: { imported: 1, unchanged: 0, failed: 0 } } },
      '400': problems['400']!,
      '403': { description: 'The document belongs to another municipality', example: { type: 'tag:doorbraak-ledger,2026:problem/import-tenant-mismatch', title: 'the document is for gm9001, not gm0363', status: 403 } },
    },
  },
];
