import { DomainError, Money } from '@doorbraak/kernel';
import { z } from 'zod';
import { iv3Taakveld } from '../reference/iv3';
import { type Decider, unreachable } from '../shared/decider';
import { type FreeTextShape, type Sealed, sealFreeText } from '../shared/free-text';
import { actorId, fundingSource, id, isoDate, nonNegativeAmount, positiveAmount, text } from '../shared/schemas';

/**
 * A budget (Doorbraakbudget 2026, Maatwerkbudget, Bijzondere bijstand ...) and the spends booked on it. Spends
 * live in the budget's stream because the budget is what must never be overspent: a commitment and the budget
 * position it was checked against are one append.
 */
export const budgetEventSchemas = {
  BudgetOpened: z.object({
    budgetId: id,
    name: text(200),
    fundingSource,
    boekjaar: z.number().int().min(2000).max(2100),
    authorisedAmount: nonNegativeAmount,
    iv3Taakveld: z.string().regex(/^6\.[0-9a-d]{1,4}$/, 'must be an Iv3 taakveld of the social domain, e.g. 6.23'),
    holder: text(200),
  }),
  BudgetAdjusted: z.object({ budgetId: id, newAuthorisedAmount: nonNegativeAmount, adjustedOn: isoDate, reason: text(1_000), authorisedBy: actorId }),
  SpendCommitted: z.object({
    budgetId: id,
    spendId: id,
    planId: id,
    householdId: id,
    doorbraakId: id,
    decisionId: id,
    amount: positiveAmount,
    payee: z.object({ organisation: text(200) }),
    kind: z.enum(['gift', 'loan']),
    recurrence: z.enum(['one-off', 'recurring']),
    /** Whether a primary provision (*voorliggende voorziening*) was checked, and why it was not used. */
    primaryProvision: z.object({ checked: z.boolean(), why: text(1_000) }),
    committedOn: isoDate,
  }),
  SpendPaid: z.object({ budgetId: id, spendId: id, amount: positiveAmount, paidOn: isoDate, invoiceReference: text(100).optional() }),
  SpendReversed: z.object({ budgetId: id, spendId: id, amount: positiveAmount, reversedOn: isoDate, reason: text(1_000) }),
} as const;

/**
 * The free text of a household's spends, stored under `personal` and sealed under the household of the spend.
 * The payee (the creditor organisation) and the invoice reference stay facts: the rechtmatigheid rules compare
 * them. Budgets are no household's: their names and adjustments stay in the clear.
 */
export const budgetFreeText = {
  BudgetOpened: {},
  BudgetAdjusted: {},
  SpendCommitted: { primaryProvision: { why: true } },
  SpendPaid: {},
  SpendReversed: { reason: true },
} as const satisfies Record<keyof typeof budgetEventSchemas, FreeTextShape>;

type Schemas = typeof budgetEventSchemas;
type Content<K extends keyof Schemas> = z.infer<Schemas[K]>;
export type BudgetEvent = { [K in keyof Schemas]: { type: K; data: Sealed<Content<K>, (typeof budgetFreeText)[K]> } }[keyof Schemas];
const sealed = <K extends keyof Schemas>(type: K, content: Content<K>): BudgetEvent => ({ type, data: sealFreeText(content, budgetFreeText[type]) }) as unknown as BudgetEvent;

/** What the application layer read from the plan before committing a spend. */
export interface ApprovedDecision {
  readonly planId: string;
  readonly decisionId: string;
  readonly outcome: 'approved' | 'approved_with_conditions' | 'rejected';
  readonly decidedOn: string;
  readonly doorbraakIds: readonly string[];
}

export type BudgetCommand =
  | { type: 'OpenBudget'; data: Content<'BudgetOpened'> }
  | { type: 'AdjustBudget'; data: Content<'BudgetAdjusted'> }
  | { type: 'CommitSpend'; data: Content<'SpendCommitted'>; decision: ApprovedDecision | undefined }
  | { type: 'PaySpend'; data: Content<'SpendPaid'> }
  | { type: 'ReverseSpend'; data: Content<'SpendReversed'> };

interface Spend {
  /** The household the spend is for: its key seals the spend's free text, and that of later events about it. */
  readonly householdId: string;
  readonly committed: Money;
  readonly paid: Money;
  readonly reversed: Money;
}

export type BudgetState =
  | { readonly status: 'none' }
  | {
      readonly status: 'open';
      readonly budgetId: string;
      readonly boekjaar: number;
      readonly authorised: Money;
      readonly spends: ReadonlyMap<string, Spend>;
    };

export class BudgetNotFound extends DomainError {
  readonly code = 'BUDGET.NOT_FOUND';
  readonly kind = 'not_found';
}
export class BudgetAlreadyOpened extends DomainError {
  readonly code = 'BUDGET.ALREADY_OPENED';
  readonly kind = 'conflict';
}
export class InvalidTaakveld extends DomainError {
  readonly code = 'BUDGET.INVALID_TAAKVELD';
  readonly kind = 'invalid';
}
export class BudgetExceeded extends DomainError {
  readonly code = 'BUDGET.EXCEEDED';
  readonly kind = 'conflict';
}
export class SpendWithoutApprovedDecision extends DomainError {
  readonly code = 'SPEND.WITHOUT_APPROVED_DECISION';
  readonly kind = 'conflict';
}
export class SpendNotFound extends DomainError {
  readonly code = 'SPEND.NOT_FOUND';
  readonly kind = 'not_found';
}
export class SpendAlreadyCommitted extends DomainError {
  readonly code = 'SPEND.ALREADY_COMMITTED';
  readonly kind = 'conflict';
}
export class SpendAmountInvalid extends DomainError {
  readonly code = 'SPEND.AMOUNT_INVALID';
  readonly kind = 'conflict';
}

/** Authorised amount minus what is committed and not reversed. */
export function available(state: Extract<BudgetState, { status: 'open' }>): Money {
  const used = Money.sum([...state.spends.values()].map((s) => s.committed.minus(s.reversed)));
  return state.authorised.minus(used);
}

export const budgetDecider: Decider<BudgetCommand, BudgetEvent, BudgetState> = {
  initialState: { status: 'none' },
  decide(command, state) {
    if (command.type === 'OpenBudget') {
      if (state.status !== 'none') throw new BudgetAlreadyOpened(`budget ${state.budgetId} exists`, 'budgetId');
      const { boekjaar, iv3Taakveld: code } = command.data;
      if (!iv3Taakveld(boekjaar, code)) throw new InvalidTaakveld(`${code} is not a bookable Iv3 taakveld in boekjaar ${boekjaar}`, 'iv3Taakveld');
      return [sealed('BudgetOpened', command.data)];
    }
    if (state.status === 'none') throw new BudgetNotFound('no such budget', 'budgetId');
    switch (command.type) {
      case 'AdjustBudget': {
        const used = state.authorised.minus(available(state));
        if (used.greaterThan(Money.parse(command.data.newAuthorisedAmount))) {
          throw new BudgetExceeded(`€${used.toString()} is already committed; the budget cannot go below that`, 'newAuthorisedAmount');
        }
        return [sealed('BudgetAdjusted', command.data)];
      }
      case 'CommitSpend': {
        const d = command.data;
        if (state.spends.has(d.spendId)) throw new SpendAlreadyCommitted(`spend ${d.spendId} exists`, 'spendId');
        const decision = command.decision;
        if (!decision || decision.decisionId !== d.decisionId || decision.planId !== d.planId) {
          throw new SpendWithoutApprovedDecision(`plan ${d.planId} has no decision ${d.decisionId}`, 'decisionId');
        }
        if (decision.outcome === 'rejected') throw new SpendWithoutApprovedDecision(`decision ${d.decisionId} rejected the plan`, 'decisionId');
        if (!decision.doorbraakIds.includes(d.doorbraakId)) {
          throw new SpendWithoutApprovedDecision(`decision ${d.decisionId} did not approve doorbraak ${d.doorbraakId}`, 'doorbraakId');
        }
        if (d.committedOn < decision.decidedOn) throw new SpendWithoutApprovedDecision('a commitment cannot precede its decision', 'committedOn');
        const left = available(state);
        if (Money.parse(d.amount).greaterThan(left)) {
          throw new BudgetExceeded(`€${d.amount} exceeds what is left of budget ${state.budgetId}: €${left.toString()}`, 'amount');
        }
        return [sealed('SpendCommitted', d)];
      }
      case 'PaySpend':
      case 'ReverseSpend': {
        const spend = state.spends.get(command.data.spendId);
        if (!spend) throw new SpendNotFound(`no spend ${command.data.spendId} on this budget`, 'spendId');
        const open = spend.committed.minus(spend.reversed);
        const limit = command.type === 'PaySpend' ? open.minus(spend.paid) : open;
        if (Money.parse(command.data.amount).greaterThan(limit)) {
          throw new SpendAmountInvalid(`€${command.data.amount} is more than the €${limit.toString()} that can still be ${command.type === 'PaySpend' ? 'paid' : 'reversed'}`, 'amount');
        }
        return command.type === 'PaySpend' ? [sealed('SpendPaid', command.data)] : [sealed('SpendReversed', command.data)];
      }
      default:
        return unreachable(command);
    }
  },
  evolve(state, event) {
    if (event.type === 'BudgetOpened') {
      return { status: 'open', budgetId: event.data.budgetId, boekjaar: event.data.boekjaar, authorised: Money.parse(event.data.authorisedAmount), spends: new Map() };
    }
    if (state.status === 'none') return state;
    const spends = new Map(state.spends);
    switch (event.type) {
      case 'BudgetAdjusted':
        return { ...state, authorised: Money.parse(event.data.newAuthorisedAmount) };
      case 'SpendCommitted':
        spends.set(event.data.spendId, { householdId: event.data.householdId, committed: Money.parse(event.data.amount), paid: Money.zero, reversed: Money.zero });
        return { ...state, spends };
      case 'SpendPaid': {
        const s = spends.get(event.data.spendId)!;
        spends.set(event.data.spendId, { ...s, paid: s.paid.plus(Money.parse(event.data.amount)) });
        return { ...state, spends };
      }
      case 'SpendReversed': {
        const s = spends.get(event.data.spendId)!;
        spends.set(event.data.spendId, { ...s, reversed: s.reversed.plus(Money.parse(event.data.amount)) });
        return { ...state, spends };
      }
      default:
        return unreachable(event);
    }
  },
  subjectOf(state, event) {
    if (event.type === 'SpendCommitted') return event.data.householdId;
    const spendId = (event.data as { spendId?: string }).spendId;
    return state.status === 'open' && spendId ? state.spends.get(spendId)?.householdId : undefined;
  },
};

