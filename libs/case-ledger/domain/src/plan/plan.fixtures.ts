import { randomUUID } from 'node:crypto';
import type { MandateEvent } from '../mandate-register/mandate-register';
import type { PlanContentEvent } from './plan';
import type { PlanContent } from './plan.events';

/** Event builders for specifications: a complete, submittable plan in the shape of Davey's, as written. */
export function aPlan() {
  const planId = randomUUID();
  const householdId = randomUUID();
  const doorbraakId = randomUUID();
  const situatieschetsId = randomUUID();
  const legitimiteitId = randomUUID();
  const costLineId = randomUUID();
  const legitimiteit: PlanContent<'LegitimiteitRecorded'> = {
    planId,
    doorbraakId,
    recordId: legitimiteitId,
    rules: [{ sourceKind: 'wet', citation: 'Participatiewet art. 41 lid 4', law: 'participatiewet', quotedText: 'Paraphrase: young people search for work for four weeks before applying', purpose: 'work and study come before income support' }],
    exceptionGrounds: [{ citation: 'Participatiewet art. 18 lid 1', description: 'tailor support to circumstances', applies: true, explanation: 'he searched during detention' }],
    otherRules: [],
    decidingAuthority: { body: 'college van B&W', role: 'directeur' },
  };
  const events = {
    drafted: { type: 'PlanDrafted', data: { planId, householdId, title: 'Doorbraakplan', draftedOn: '2026-03-01', planVersion: 1 } },
    situatieschets: { type: 'SituatieschetsRecorded', data: { planId, recordId: situatieschetsId, involved: [], personal: { narrative: 'released, needs income for four months' } } },
    doorbraak: { type: 'DoorbraakDefined', data: { planId, doorbraakId, title: 'Income without the waiting period', interventionType: 'inkomen', targetGroup: 'ex-gedetineerde' } },
    legitimiteit: { type: 'LegitimiteitRecorded', data: legitimiteit },
    costLine: {
      type: 'CostLineAdded',
      data: { planId, costLineId, description: 'Bijstand', unit: 'maand', unitPrice: '1052.32', quantities: { huidig: '3', dreigend: '3', doorbraak: '4' }, fundingSource: 'participatiewet', priceSource: 'Uitkeringsbedragen', priceListVersion: '2020' },
    },
    submitted: { type: 'PlanSubmittedForDecision', data: { planId, submittedOn: '2026-03-02', submittedBy: 'prof-1', requestedAmount: '1052.32' } },
  } satisfies Record<string, PlanContentEvent>;
  return { planId, householdId, doorbraakId, situatieschetsId, legitimiteitId, costLineId, events, complete: Object.values(events).slice(0, 5) as PlanContentEvent[] };
}

export const ON_BEHALF_OF = 'college van burgemeester en wethouders van Demodorp';

export function aMandate(overrides: Partial<Extract<MandateEvent, { type: 'MandateGranted' }>['data']> = {}): Extract<MandateEvent, { type: 'MandateGranted' }> {
  return {
    type: 'MandateGranted',
    data: {
      mandateId: randomUUID(),
      role: 'directeur',
      onBehalfOf: ON_BEHALF_OF,
      decisionKinds: ['doorbraak', 'spend'],
      fundingSources: ['participatiewet', 'bijzondere-bijstand'],
      maxPerSpend: '5000',
      maxPerPlan: '20000',
      validFrom: '2026-01-01',
      ...overrides,
    },
  };
}
