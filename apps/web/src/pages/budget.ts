import { api } from '../api.js';
import { facts, h, table } from '../dom.js';
import { form } from '../forms.js';
import { date, euro } from '../format.js';
import { go, type Page, type Route } from '../page.js';
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

const lookup = () =>
  form({
    id: 'budget-lookup',
    fields: [{ kind: 'text', name: 'budgetId', label: 'Begroting (id)', hint: 'Staat bij elke uitgave in de herkomst van de kostentabel.' }],
    submit: 'Opzoeken',
    done: '',
    onSubmit: async (body) => go(`#/begrotingen/${String(body['budgetId'] ?? '')}`),
  });

/** A budget with its spends and the headroom left; or the form to look one up. */
export async function budgetPage({ params: [budgetId] }: Route): Promise<Page> {
  if (!budgetId) return { title: 'Begrotingen', content: lookup() };
  const budget = await api<Budget>('GET', `/v1/budgets/${budgetId}`);
  const authorised = Number(budget.authorisedAmount) || 1;
  return {
    title: budget.name,
    content: h(
      'div',
      null,
      facts([
        ['Wet of regeling', budget.fundingSource],
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
      h('h2', null, 'Andere begroting'),
      lookup(),
    ),
  };
}
