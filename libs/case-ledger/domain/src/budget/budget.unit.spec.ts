import { DeciderSpecification } from '@doorbraak/testing';
import { toStoredEvent } from '../events';
import { randomUUID } from 'node:crypto';
import { type ApprovedDecision, BudgetExceeded, InvalidTaakveld, SpendAmountInvalid, SpendWithoutApprovedDecision, budgetDecider } from './budget';

/** The events as stored: free text under `personal`. */
const stored = (events: Parameters<typeof toStoredEvent>[0][]) => events.map(toStoredEvent) as never[];
const spec = DeciderSpecification.for(budgetDecider);
const budgetId = randomUUID();
const opened = {
  type: 'BudgetOpened' as const,
  data: { budgetId, name: 'Doorbraakbudget 2026', fundingSource: 'doorbraakbudget' as const, boekjaar: 2026, authorisedAmount: '10000', iv3Taakveld: '6.23', holder: 'directeur sociaal domein' },
};
const decision: ApprovedDecision = { planId: randomUUID(), decisionId: randomUUID(), outcome: 'approved', decidedOn: '2026-03-03', doorbraakIds: [randomUUID()] };
const commit = (amount: string, overrides: Partial<ApprovedDecision> | null = {}) => ({
  type: 'CommitSpend' as const,
  decision: overrides === null ? undefined : { ...decision, ...overrides },
  data: {
    budgetId,
    spendId: randomUUID(),
    planId: decision.planId,
    householdId: randomUUID(),
    doorbraakId: decision.doorbraakIds[0]!,
    decisionId: decision.decisionId,
    amount,
    payee: { organisation: 'Woningcorporatie Demodorp' },
    kind: 'gift' as const,
    recurrence: 'one-off' as const,
    primaryProvision: { checked: true, why: 'bijzondere bijstand takes eight weeks' },
    committedOn: '2026-03-04',
  },
});

describe('Budget', () => {
  describe('when opening', () => {
    it('refuses a taakveld that cannot be booked in that boekjaar', () => {
      spec.given(stored([])).when({ type: 'OpenBudget', data: { ...opened.data, iv3Taakveld: '6.2' } as never }).thenThrows(InvalidTaakveld, /6\.2 is not a bookable Iv3 taakveld in boekjaar 2026/);
      spec.given(stored([])).when({ type: 'OpenBudget', data: { ...opened.data, boekjaar: 2023, iv3Taakveld: '6.71' } as never }).thenThrows(InvalidTaakveld);
    });

    it('accepts a leaf code valid for the boekjaar', () => {
      spec.given(stored([])).when({ type: 'OpenBudget', data: opened.data as never }).then(stored([opened]));
    });
  });

  describe('when committing a spend', () => {
    it('commits within the budget under an approved decision', () => {
      const command = commit('2500');
      spec.given(stored([opened])).when(command).then(stored([{ type: 'SpendCommitted', data: command.data }]));
    });

    it('refuses to overspend, saying what is left', () => {
      const first = commit('9000');
      spec.given(stored([opened, { type: 'SpendCommitted', data: first.data }])).when(commit('1000.01')).thenThrows(BudgetExceeded, /what is left of budget .*: €1000/);
    });

    it('counts a reversal as money available again', () => {
      const first = commit('9000');
      const reversed = { type: 'SpendReversed' as const, data: { budgetId, spendId: first.data.spendId, amount: '500', reversedOn: '2026-03-05', reason: 'invoice lower' } };
      const next = commit('1500');
      spec.given(stored([opened, { type: 'SpendCommitted', data: first.data }, reversed])).when(next).then(stored([{ type: 'SpendCommitted', data: next.data }]));
    });

    it('refuses a spend without a decision, under a rejection, for another doorbraak or before the decision', () => {
      spec.given(stored([opened])).when(commit('10', null)).thenThrows(SpendWithoutApprovedDecision);
      spec.given(stored([opened])).when(commit('10', { outcome: 'rejected' })).thenThrows(SpendWithoutApprovedDecision, /rejected/);
      spec.given(stored([opened])).when(commit('10', { doorbraakIds: [randomUUID()] })).thenThrows(SpendWithoutApprovedDecision, /did not approve doorbraak/);
      spec.given(stored([opened])).when(commit('10', { decidedOn: '2026-03-05' })).thenThrows(SpendWithoutApprovedDecision, /precede/);
    });
  });

  describe('when adjusting', () => {
    it('refuses to go below what is already committed', () => {
      const first = commit('9000');
      spec
        .given(stored([opened, { type: 'SpendCommitted', data: first.data }]))
        .when({ type: 'AdjustBudget', data: { budgetId, newAuthorisedAmount: '8999.99', adjustedOn: '2026-04-01', reason: 'cut', authorisedBy: 'dm-1' } })
        .thenThrows(BudgetExceeded, /€9000 is already committed/);
    });
  });

  describe('when reversing', () => {
    it('refuses to reverse more than is left of the spend', () => {
      const first = commit('100');
      const reversed = { type: 'SpendReversed' as const, data: { budgetId, spendId: first.data.spendId, amount: '60', reversedOn: '2026-03-05', reason: 'partly refunded' } };
      spec
        .given(stored([opened, { type: 'SpendCommitted', data: first.data }, reversed]))
        .when({ type: 'ReverseSpend', data: { budgetId, spendId: first.data.spendId, amount: '40.01', reversedOn: '2026-03-06', reason: 'rest' } })
        .thenThrows(SpendAmountInvalid, /€40/);
    });
  });

  describe('when paying', () => {
    it('refuses to pay more than was committed', () => {
      const first = commit('100');
      spec
        .given(stored([opened, { type: 'SpendCommitted', data: first.data }]))
        .when({ type: 'PaySpend', data: { budgetId, spendId: first.data.spendId, amount: '100.01', paidOn: '2026-03-06' } })
        .thenThrows(SpendAmountInvalid);
    });
  });
});
