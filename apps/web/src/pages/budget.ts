import { api, lawNames } from '../api.js';
import { facts, h, table } from '../dom.js';
import { date, euro, lawName } from '../format.js';
import type { Page, Route } from '../page.js';
import { can } from '../session.js';

interface Budget {
  readonly budgetId: string;
  readonly name: string;
  readonly fundingSource: string;
  readonly boekjaar: number;
  readonly authorisedAmount: string;
  readonly available: string;
  readonly iv3Taakveld: string;
  readonly holder: string;
  readonly spends: readonly { spendId: string; planId: string; amount: string; paid: string; reversed: string; committedOn: string; payee: { organisation: string }; kind: string }[];
}

/** A budget as the list of the municipality's budgets shows it. */
export type BudgetSummary = Pick<Budget, 'budgetId' | 'name' | 'fundingSource' | 'boekjaar' | 'authorisedAmount' | 'iv3Taakveld'>;

export const budgetLabel = (b: BudgetSummary) => `${b.name} (${b.boekjaar}, ${b.fundingSource})`;

const overview = (budgets: readonly BudgetSummary[], laws: Readonly<Record<string, string>>) =>
  table(
    'Begrotingen van de gemeente',
    ['Begroting', 'Wet of regeling', 'Boekjaar', 'Iv3-taakveld', 'Toegekend'],
    budgets.map((b) => [h('a', { href: `#/begrotingen/${b.budgetId}` }, b.name), lawName(laws, b.fundingSource), String(b.boekjaar), b.iv3Taakveld, euro(b.authorisedAmount)]),
  );

/** A budget with its spends and the headroom left; or the municipality's budgets to choose from. */
export async function budgetPage({ params: [budgetId] }: Route): Promise<Page> {
  if (!budgetId) {
    const [budgets, laws] = await Promise.all([api<{ items: BudgetSummary[] }>('GET', '/v1/budgets'), lawNames()]);
    return { title: 'Begrotingen', content: overview(budgets.items, laws) };
  }
  const [budget, laws] = await Promise.all([api<Budget>('GET', `/v1/budgets/${budgetId}`), lawNames()]);
  const authorised = Number(budget.authorisedAmount) || 1;
  return {
    title: budget.name,
    content: h(
      'div',
      null,
      facts([
        ['Wet of regeling', lawName(laws, budget.fundingSource)],
        ['Boekjaar', String(budget.boekjaar)],
        ['Iv3-taakveld', budget.iv3Taakveld],
        ['Budgethouder', budget.holder],
        ['Toegekend', euro(budget.authorisedAmount)],
        ['Nog beschikbaar', h('strong', null, euro(budget.available))],
      ]),
      h('p', null, h('label', { for: 'headroom' }, 'Ruimte over: '), h('meter', { id: 'headroom', min: 0, max: authorised, value: Number(budget.available), low: authorised * 0.1, optimum: authorised }, euro(budget.available))),
      table(
        `${budget.spends.length} uitgaven`,
        ['Verplicht op', 'Aan', 'Soort', 'Bedrag', 'Betaald', 'Teruggedraaid', 'Plan'],
        budget.spends.map((s) => [
          date(s.committedOn),
          s.payee.organisation,
          s.kind === 'loan' ? 'lening' : 'schenking',
          h('span', { class: 'num' }, euro(s.amount)),
          h('span', { class: 'num' }, euro(s.paid)),
          h('span', { class: 'num' }, euro(s.reversed)),
          can('case:read') ? h('a', { href: `#/plannen/${s.planId}` }, 'plan') : can('audit:read') ? h('a', { href: `#/plannen/${s.planId}/audit` }, 'audit trail') : s.planId.slice(0, 8),
        ]),
      ),
      h('p', null, h('a', { href: '#/begrotingen' }, 'Alle begrotingen')),
    ),
  };
}
