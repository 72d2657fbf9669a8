import { CURRENT_SCHEMA_VERSION, type WrittenEvent, toStoredData } from '@doorbraak/domain';
import { type JsonObject, type RecordedEvent, logPosition } from '@doorbraak/event-store';
import { rechtmatigheidProjection } from './rechtmatigheid.projection';
import { type Finding, evaluateRechtmatigheid } from './rechtmatigheid.rules';

const TENANT = 'gm9001';
const NAMENS = 'college van B&W van Demodorp';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ids = { mandate: id(1), budget: id(2), plan: id(3), household: id(4), doorbraak: id(5), decision: id(6), spend: id(7), spend2: id(8) };

/** Folds domain events through the projection exactly as the runtime does, then evaluates the rules. */
function evaluate(events: { stream: string; event: WrittenEvent; actor?: string; recordedAt?: string }[]): Finding[] {
  const rows = new Map<string, JsonObject | null>();
  const versions = new Map<string, number>();
  events.forEach(({ stream, event, actor, recordedAt }, i) => {
    const version = (versions.get(stream) ?? 0) + 1;
    versions.set(stream, version);
    const recorded: RecordedEvent = {
      eventId: id(1000 + i),
      type: event.type,
      schemaVersion: CURRENT_SCHEMA_VERSION,
      streamId: stream,
      category: stream.split('-')[0]!,
      streamVersion: BigInt(version),
      globalPosition: BigInt(i + 1),
      logPosition: logPosition(1n, BigInt(i + 1)),
      recordedAt: new Date(recordedAt ?? '2026-03-10T10:00:00Z'),
      data: toStoredData(event.type, event.data) as JsonObject,
      metadata: { actor: actor ?? 'prof-1', correlationId: 'c', tenant: TENANT },
    };
    for (const key of rechtmatigheidProjection.keysOf(recorded)) rows.set(key, rechtmatigheidProjection.evolve(rows.get(key) ?? null, recorded, key, (k) => rows.get(k) ?? null));
  });
  return evaluateRechtmatigheid([...rows.values()].filter((r): r is JsonObject => r !== null)).findings;
}

const plan = `plan-${ids.plan}`;
const budget = `budget-${ids.budget}`;
const mandates = `mandates-${TENANT}`;
type Step = { stream: string; event: WrittenEvent; actor?: string; recordedAt?: string };

function lawfulCase(overrides: { decidedOn?: string; submittedBy?: string; decisionMaker?: string; weging?: boolean; approved?: string } = {}): Step[] {
  const decidedOn = overrides.decidedOn ?? '2026-03-03';
  return [
    { stream: mandates, event: { type: 'MandateGranted', data: { mandateId: ids.mandate, role: 'directeur', onBehalfOf: NAMENS, decisionKinds: ['doorbraak', 'spend'], fundingSources: ['participatiewet'], maxPerSpend: '5000', maxPerPlan: '20000', validFrom: '2026-01-01' } } },
    { stream: budget, event: { type: 'BudgetOpened', data: { budgetId: ids.budget, name: 'Doorbraakbudget 2026', fundingSource: 'doorbraakbudget', boekjaar: 2026, authorisedAmount: '10000', iv3Taakveld: '6.23', holder: 'directeur' } } },
    { stream: plan, event: { type: 'PlanDrafted', data: { planId: ids.plan, householdId: ids.household, title: 'Plan', draftedOn: '2026-03-01', planVersion: 1 } } },
    { stream: plan, event: { type: 'DoorbraakDefined', data: { planId: ids.plan, doorbraakId: ids.doorbraak, title: 'Income', interventionType: 'inkomen', targetGroup: 'alleenstaande' } } },
    { stream: plan, event: { type: 'LegitimiteitRecorded', data: { planId: ids.plan, doorbraakId: ids.doorbraak, recordId: id(20), rules: [{ sourceKind: 'wet', citation: 'Pw art. 41 lid 4', law: 'participatiewet', quotedText: 'x', purpose: 'y' }], exceptionGrounds: [], otherRules: [], decidingAuthority: { body: 'college', role: 'directeur' } } } },
    { stream: plan, event: { type: 'BetrokkenheidRecorded', data: { planId: ids.plan, doorbraakId: ids.doorbraak, recordId: id(21), personal: { hypothesis: 'h', agreements: [] } } } },
    ...(overrides.weging === false ? [] : [{ stream: plan, event: { type: 'WegingRecorded', data: { planId: ids.plan, doorbraakId: ids.doorbraak, recordId: id(22), personal: { text: 'w' } } } } as Step]),
    { stream: plan, event: { type: 'CostLineAdded', data: { planId: ids.plan, costLineId: id(23), description: 'Bijstand', unit: 'maand', unitPrice: '1000', quantities: { huidig: '0', dreigend: '0', doorbraak: '3' }, fundingSource: 'participatiewet', priceSource: 'norm' } } },
    { stream: plan, event: { type: 'PlanSubmittedForDecision', data: { planId: ids.plan, submittedOn: '2026-03-02', submittedBy: overrides.submittedBy ?? 'prof-1', requestedAmount: '3000' } } },
    {
      stream: plan,
      actor: overrides.decisionMaker ?? 'dm-1',
      event: { type: 'PlanDecided', data: { planId: ids.plan, decisionId: ids.decision, decidedOn, outcome: 'approved', conditions: [], decisionMaker: { actorId: overrides.decisionMaker ?? 'dm-1', role: 'directeur' }, onBehalfOf: NAMENS, mandateId: ids.mandate, mandateRegisterVersion: 1, legalBasis: ['Pw art. 18 lid 1'], motivation: 'fits the purpose', approvedAmount: overrides.approved ?? '3000', doorbraakIds: [ids.doorbraak] } },
    },
  ];
}

const commit = (spendId: string, amount: string, committedOn = '2026-03-04'): Step => ({
  stream: budget,
  event: { type: 'SpendCommitted', data: { budgetId: ids.budget, spendId, planId: ids.plan, householdId: ids.household, doorbraakId: ids.doorbraak, decisionId: ids.decision, amount, payee: { organisation: 'Woningcorporatie' }, kind: 'gift', recurrence: 'one-off', primaryProvision: { checked: true, why: 'too slow' }, committedOn } },
});
const pay = (spendId: string, amount: string, paidOn = '2026-03-05', actor = 'fin-1'): Step => ({ stream: budget, actor, event: { type: 'SpendPaid', data: { budgetId: ids.budget, spendId, amount, paidOn } } });
const rules = (findings: Finding[]) => findings.map((f) => `${f.rule}:${f.severity}`).sort();

describe('rechtmatigheid rules', () => {
  it('find nothing in a lawful case: mandate in force, four eyes, within budget and decision, in order', () => {
    expect(rules(evaluate([...lawfulCase(), commit(ids.spend, '3000'), pay(ids.spend, '3000')]))).toEqual([]);
  });

  it('R-16 flags an approved decision that has no commitment yet', () => {
    expect(rules(evaluate(lawfulCase()))).toEqual(['R-16:flag']);
  });

  it('R-11 finds more committed than the decision approved, linked to the events', () => {
    const findings = evaluate([...lawfulCase(), commit(ids.spend, '2000'), commit(ids.spend2, '1500', '2026-04-20')]);
    const r11 = findings.find((f) => f.rule === 'R-11')!;
    expect(r11).toMatchObject({ severity: 'error', criterion: 'calculatie', boekjaar: 2026, subject: { kind: 'decision', id: ids.decision } });
    expect(r11.events.map((e) => e['type'])).toEqual(['PlanDecided', 'SpendCommitted', 'SpendCommitted']);
  });

  it('R-07 finds the requester approving and the approver releasing the payment', () => {
    const findings = evaluate([...lawfulCase({ submittedBy: 'dm-1' }), commit(ids.spend, '3000'), pay(ids.spend, '3000', '2026-03-05', 'dm-1')]);
    expect(rules(findings)).toEqual(['R-07:error', 'R-07:error']);
  });

  it('R-08 flags commitments split to stay under the limit per spend', () => {
    const findings = evaluate([...lawfulCase({ approved: '9000' }), commit(ids.spend, '4500'), commit(ids.spend2, '4500', '2026-03-20')]);
    expect(rules(findings)).toEqual(['R-08:flag', 'R-08:flag']);
  });

  it('R-09 finds a decided doorbraak without its weging', () => {
    expect(rules(evaluate([...lawfulCase({ weging: false }), commit(ids.spend, '3000')]))).toEqual(['R-09:error']);
  });

  it('R-10 finds a payment dated before the decision', () => {
    expect(rules(evaluate([...lawfulCase(), commit(ids.spend, '3000'), pay(ids.spend, '3000', '2026-03-01')]))).toEqual(['R-10:error']);
  });

  it('R-14 flags a second payment of the same amount to the same payee within two weeks', () => {
    const findings = evaluate([...lawfulCase({ approved: '6000' }), commit(ids.spend, '3000'), commit(ids.spend2, '3000', '2026-05-01'), pay(ids.spend, '3000'), pay(ids.spend2, '3000', '2026-03-10')]);
    expect(rules(findings).filter((r) => r.startsWith('R-14'))).toEqual(['R-14:flag', 'R-14:flag']);
  });

  it('R-06 finds a decision under a mandate revoked before the decision date', () => {
    const steps = lawfulCase({ decidedOn: '2026-03-09' });
    steps.splice(1, 0, { stream: mandates, event: { type: 'MandateRevoked', data: { mandateId: ids.mandate, revokedOn: '2026-03-05', reason: 'new regulation' } } });
    expect(rules(evaluate([...steps, commit(ids.spend, '3000', '2026-03-09')]))).toEqual(['R-06:error']);
  });

  it('R-19 flags a decision recorded long after its date; R-18 flags a correction after the decision', () => {
    const steps = lawfulCase();
    steps[steps.length - 1] = { ...steps[steps.length - 1]!, recordedAt: '2026-06-30T10:00:00Z' };
    const correction: Step = { stream: plan, event: { type: 'WegingRecorded', data: { planId: ids.plan, doorbraakId: ids.doorbraak, recordId: id(30), personal: { text: 'w2' }, correction: { corrects: id(22), reason: 'typo' } } } };
    expect(rules(evaluate([...steps, correction, commit(ids.spend, '3000')]))).toEqual(['R-18:flag', 'R-19:flag']);
  });

  it('R-01 and R-04 find a taakveld not bookable in the boekjaar and a budget committed beyond its authorisation', () => {
    const steps = lawfulCase();
    steps[1] = { stream: budget, event: { type: 'BudgetOpened', data: { budgetId: ids.budget, name: 'Oud', fundingSource: 'doorbraakbudget', boekjaar: 2025, authorisedAmount: '1000', iv3Taakveld: '6.2', holder: 'x' } } };
    expect(rules(evaluate([...steps, commit(ids.spend, '3000')]))).toEqual(['R-01:error', 'R-04:error']);
  });
});
