import { demoDataset } from '@doorbraak/application';
import { Decimal } from 'decimal.js';
import { HOUSEHOLD_COPIES, syntheticMunicipality } from './dataset';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string' && UUID.test(value)) found.add(value);
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((item) => uuidsIn(item, found));
  return found;
}

describe('a synthetic municipality', () => {
  const demo = demoDataset();
  const first = syntheticMunicipality(1);
  const second = syntheticMunicipality(2);

  it('has its own CBS code and ids that neither the demo nor another municipality uses', () => {
    expect([first.tenant, second.tenant]).toEqual(['gm0001', 'gm0002']);
    const elsewhere = new Set([...uuidsIn(demo), ...uuidsIn(second)]);
    expect([...uuidsIn(first)].filter((id) => elsewhere.has(id))).toEqual([]);
    expect(JSON.stringify(first)).not.toContain(demo.tenant);
  });

  it("holds the demo's households several times, each plan with its own ids", () => {
    expect(first.households).toHaveLength(demo.households.length * HOUSEHOLD_COPIES);
    const planIds = first.households.flatMap((h) => h.plans.map((p) => p.planId));
    expect(new Set(planIds).size).toBe(demo.households.flatMap((h) => h.plans).length * HOUSEHOLD_COPIES);
  });

  it('keeps one set of mandates and budgets, which every copy uses, with budgets as many times larger', () => {
    expect(first.mandates).toHaveLength(demo.mandates.length);
    expect(first.budgets.map((b) => b.authorisedAmount)).toEqual(demo.budgets.map((b) => new Decimal(b.authorisedAmount).times(HOUSEHOLD_COPIES).toFixed(2)));
    const budgetIds = new Set(first.budgets.map((b) => b.budgetId));
    const spentOn = first.households.flatMap((h) => h.plans.flatMap((p) => p.spends.map((s) => s.budgetId)));
    expect(spentOn.length).toBeGreaterThan(0);
    expect(spentOn.filter((id) => !budgetIds.has(id))).toEqual([]);
  });
});
