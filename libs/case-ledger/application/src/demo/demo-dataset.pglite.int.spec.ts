import { budgetDecider } from '@doorbraak/domain';
import { PostgresEventStore } from '@doorbraak/event-store-postgres';
import { openPglite, type SqlClient } from '@doorbraak/sql';
import { uniqueSchema } from '@doorbraak/testing';
import { randomUUID } from 'node:crypto';
import { ExportHousehold, ExportHouseholdHandler } from '../import-export/export-household';
import { ImportHouseholds, ImportHouseholdsHandler } from '../import-export/import-households';
import { GetPlan, GetPlanHandler } from '../queries/get-plan';
import type { CommandContext } from '../shared/command-context';
import { handleCommand } from '../shared/handle-command';
import { StreamStates } from '../shared/stream-states';
import { demoDataset } from './demo-dataset';

describe('the demo dataset', () => {
  let db: SqlClient;
  let store: PostgresEventStore;
  const document = demoDataset();
  const context: CommandContext = { actor: 'import', tenant: document.tenant, correlationId: randomUUID() };

  beforeAll(async () => {
    db = await openPglite('memory://');
    store = new PostgresEventStore({ client: { ...db, close: async () => undefined }, schema: uniqueSchema('demo') });
    await store.migrate();
  });
  afterAll(() => db.close());

  it('imports every household and plan through the deciders', async () => {
    const result = await new ImportHouseholdsHandler(new StreamStates(store)).execute(new ImportHouseholds(document, context));
    expect(result.households.flatMap((h) => h.plans.map((p) => [p.status, p.errors]))).toEqual(document.households.flatMap((h) => h.plans.map(() => ['imported', []])));
    expect(result.mandates.added).toBe(document.mandates.length);
  });

  describe.each(document.households.flatMap((h) => h.plans.map((p) => [`${h.reference} ${p.title}`, p] as const)))('%s', (_name, plan) => {
    it('reproduces the published totals, direct costs and real benefit to the euro', async () => {
      const view = await new GetPlanHandler(store).execute(new GetPlan(plan.planId, document.tenant));
      const printed = view.rendement['printed'] as Record<string, string>;
      const published = plan.rendement.published!;
      expect({ huidig: printed['huidig'], dreigend: printed['dreigend'], doorbraak: printed['doorbraak'], directCosts: printed['directCosts'], realBenefit: printed['realBenefit'] }).toEqual({
        huidig: published['huidig'],
        dreigend: published['dreigend'],
        doorbraak: published['doorbraak'],
        directCosts: published['directeKosten'],
        realBenefit: published['reeleBaten'],
      });
    });
  });

  it('imports nothing twice', async () => {
    const again = await new ImportHouseholdsHandler(new StreamStates(store)).execute(new ImportHouseholds(document, context));
    expect(new Set(again.households.flatMap((h) => h.plans.map((p) => p.status)))).toEqual(new Set(['unchanged']));
    expect(again.mandates.added).toBe(0);
  });

  it('exports a household in the import format, as it was imported', async () => {
    const household = document.households[1]!;
    const exported = await new ExportHouseholdHandler(store).execute(new ExportHousehold(household.householdId, document.tenant));
    const { published: _p, ...rendement } = household.plans[0]!.rendement;
    const [plan] = exported.households[0]!.plans;
    expect(plan!.rendement).toEqual(rendement);
    // The export names the opinions the import derived ids for; otherwise it is the document as imported.
    const withoutOpinionIds = JSON.parse(JSON.stringify(plan!.doorbraken, (key, value) => (key === 'opinionId' ? undefined : value)));
    expect(withoutOpinionIds).toEqual(household.plans[0]!.doorbraken);
    const imported = household.plans[0]!;
    expect(plan!.decisionFlow?.decision).toEqual({ ...imported.decisionFlow!.decision, doorbraakIds: imported.doorbraken.map((d) => d.doorbraakId) });
    expect(plan!.spends).toEqual(household.plans[0]!.spends);
  });

  it('imports each plan all or nothing: a plan overspending what earlier plans left of a budget fails at its spend and writes nothing', async () => {
    const tight = new PostgresEventStore({ client: { ...db, close: async () => undefined }, schema: uniqueSchema('demo') });
    await tight.migrate();
    const spends = document.households.flatMap((h) => h.plans.flatMap((p) => p.spends));
    const budgetId = spends.find((spend) => spend.amount === '12627.84')!.budgetId;
    // Room for the spends of households 1 and 2 from this budget, not for household 4's.
    const squeezed = { ...document, budgets: document.budgets.map((b) => (b.budgetId === budgetId ? { ...b, authorisedAmount: '8000.00' } : b)) };
    const result = await new ImportHouseholdsHandler(new StreamStates(tight)).execute(new ImportHouseholds(squeezed, context));
    const plans = result.households.map((h) => h.plans[0]!);
    expect(plans[4]).toMatchObject({ status: 'failed', errors: [{ pointer: '#/households/4/plans/0/spends/0/amount', code: 'BUDGET.EXCEEDED' }] });
    expect(plans.filter((p) => p.status !== 'imported').map((p) => p.planId)).toEqual([plans[4]!.planId]);
    expect(await tight.readStream(`plan-${plans[4]!.planId}`)).toEqual([]);
    const booked = (await tight.readStream(`budget-${budgetId}`)).filter((e) => e.type === 'SpendCommitted').map((e) => e.data['amount']);
    expect(booked).toEqual(['1052.32', '3156.96', '3607.92']);
    expect((await tight.readStream(`budget-${spends.find((spend) => spend.amount === '1128.00')!.budgetId}`)).map((e) => e.data['amount'])).not.toContain('1128.00');
  });

  it('decides a plan again when its budget changed between the read and the append: still all or nothing per plan', async () => {
    const raced = new PostgresEventStore({ client: { ...db, close: async () => undefined }, schema: uniqueSchema('demo') });
    await raced.migrate();
    const spends = document.households.flatMap((h) => h.plans.flatMap((p) => p.spends));
    const budgetId = spends.find((spend) => spend.amount === '12627.84')!.budgetId;
    // Another process lowers the budget once the import has read it, just before the import's first spend lands.
    const other = new StreamStates(raced);
    let lowered = false;
    const appendUnits = raced.appendUnits.bind(raced);
    raced.appendUnits = async (units) => {
      if (!lowered && units.some((unit) => unit.some((part) => part.streamId === `budget-${budgetId}`))) {
        lowered = true;
        await handleCommand(other, `budget-${budgetId}`, budgetDecider, () => ({ type: 'AdjustBudget' as const, data: { budgetId, newAuthorisedAmount: '8000.00', adjustedOn: '2025-03-01', reason: 'bijstelling', authorisedBy: 'wethouder' } }), context);
      }
      return appendUnits(units);
    };
    const result = await new ImportHouseholdsHandler(new StreamStates(raced)).execute(new ImportHouseholds(document, context));
    expect(lowered).toBe(true);
    const plans = result.households.map((h) => h.plans[0]!);
    expect(plans[4]).toMatchObject({ status: 'failed', errors: [{ pointer: '#/households/4/plans/0/spends/0/amount', code: 'BUDGET.EXCEEDED' }] });
    expect(plans.filter((p) => p.status !== 'imported').map((p) => p.planId)).toEqual([plans[4]!.planId]);
    expect(await raced.readStream(`plan-${plans[4]!.planId}`)).toEqual([]);
    const budget = (await raced.readStream(`budget-${budgetId}`)).map((e) => [e.type, e.data['amount'] ?? e.data['newAuthorisedAmount']]);
    expect(budget.filter(([type]) => type !== 'SpendPaid')).toEqual([
      ['BudgetOpened', undefined],
      ['BudgetAdjusted', '8000.00'],
      ['SpendCommitted', '1052.32'],
      ['SpendCommitted', '3156.96'],
      ['SpendCommitted', '3607.92'],
    ]);
  });
});
